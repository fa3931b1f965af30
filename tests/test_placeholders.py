"""The importer's placeholder text never reaches a published page (issue 17)."""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from support import FIXTURES, ROOT, SHARED, run_cli
from generator import placeholders
from generator.problems import Problems

NORTHDALE_PDF = SHARED / "fixtures" / "northdale-2023-ilacs-fictional" / "northdale-2023-ilacs-fictional.pdf"


def found(text: str) -> list[int]:
    """The lines on which placeholders are reported."""
    problems = Problems()
    placeholders.report_placeholders(text, Path("x.md"), problems)
    return [p.line for p in problems.items]


@pytest.mark.parametrize("text", [placeholders.NOTE, placeholders.WRITE_YOURSELF, placeholders.NO_HEADLINE,
                                  placeholders.NOTHING_GOING_WELL, f"Imported from x.pdf; {placeholders.SOURCE_URL}."])
def test_every_placeholder_the_importer_writes_is_recognised(text: str) -> None:
    assert found("Fine words.\n" + text + "\n") == [2]


@pytest.mark.parametrize("text", ["Draft: report text to\nrewrite in plain words.", "*draft:* WRITE this _yourself_",
                                  "> (write what the report says is going well.)", "note: Add the report's  URL soon"])
def test_a_placeholder_is_recognised_when_rewrapped_or_its_markdown_changed(text: str) -> None:
    assert found(text) == [1]


def test_ordinary_words_are_not_placeholders() -> None:
    assert found("The draft plan was written in plain words. The council will write this itself.\n") == []


def import_into(content: Path) -> Path:
    """Import the made-up Northdale report into the content, as a curator would."""
    result = run_cli("import-pdf", str(NORTHDALE_PDF), "--content", str(content), "--council", "northdale")
    assert result.returncode == 0, result.stderr
    return content / "councils" / "northdale" / "2023-03-ilacs-standard.md"


@pytest.mark.skipif(not NORTHDALE_PDF.exists(), reason="needs ../shared")
def test_an_imported_draft_set_to_published_is_refused_with_each_placeholder(tmp_path: Path) -> None:
    content = tmp_path / "content"
    shutil.copytree(FIXTURES / "site", content)
    draft = import_into(content)
    args = ("build", "--content", "content", "--templates", str(ROOT / "templates"), "--out", "site", "--no-search")
    result = run_cli(*args, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    sources = (tmp_path / "site" / "sources" / "index.html").read_text()
    assert "add the report" not in sources and "ofsted-northdale-2023" not in sources, "a draft's own source is not published"
    before = sorted(p.name for p in (tmp_path / "site").rglob("*"))
    draft.write_text(draft.read_text().replace("\ndraft: true\n", "\ndraft: false\n"))
    result = run_cli(*args, cwd=tmp_path)
    assert result.returncode == 1
    for words in ("add the report's URL", "Draft: report text to rewrite in plain words", "Draft: write this yourself"):
        assert f"content/councils/northdale/2023-03-ilacs-standard.md:" in result.stderr
        assert f'placeholder "{words}" is still here' in result.stderr
    assert sorted(p.name for p in (tmp_path / "site").rglob("*")) == before
