"""How a page's plain words were written, and when they were last checked: one plain line on the page (issue 16)."""
from __future__ import annotations

import importlib.util
import re
import shutil
from pathlib import Path

import pytest

from support import FIXTURES, ROOT, run_cli

PAGE = Path("councils") / "southvale" / "2019-02-ilacs-short.md"
CURATED = "written:\n  how: curator\n  by: A. Curator\n  checked: 2026-11-29\n"


@pytest.fixture()
def content(tmp_path: Path) -> Path:
    folder = tmp_path / "content"
    shutil.copytree(FIXTURES / "site", folder)
    return folder


def build(content: Path):
    """Build the content next to it; the result of the command."""
    return run_cli("build", "--content", str(content), "--templates", str(ROOT / "templates"),
                   "--out", str(content.parent / "site"), "--no-search")


def rewrite(content: Path, old: str, new: str, page: Path = PAGE) -> None:
    """Replace words in a content file."""
    path = content / page
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def how_written(content: Path, page: str = "southvale/2019-02-ilacs-short") -> str:
    """The page's line about how it was written, as a reader reads it."""
    html = (content.parent / "site" / page / "index.html").read_text(encoding="utf-8")
    found = re.search(r'<p class="muted written" id="how-written">(.*?)</p>', html)
    return found[1] if found else ""


def test_a_curators_page_names_the_curator_and_the_day_it_was_checked(content: Path) -> None:
    assert build(content).returncode == 0
    assert how_written(content) == "A. Curator wrote this from Ofsted's report. Last checked: 29 November 2026."


def test_a_drafted_page_says_software_drafted_it_and_a_second_reader_checked_it(content: Path) -> None:
    rewrite(content, CURATED, "written:\n  how: drafted\n  checked: 2026-12-01\n")
    assert build(content).returncode == 0
    assert how_written(content) == ("We drafted this with software from Ofsted's report. Then a second reader checked it "
                                    "against the report. Last checked: 1 December 2026.")


def test_a_story_says_how_it_was_written_too(content: Path) -> None:
    assert build(content).returncode == 0
    line = how_written(content, "northdale/changes/2019-05-ilacs-standard--2023-06-ilacs-standard")
    assert line == "A. Curator wrote this from Ofsted's reports. Last checked: 29 November 2026."
    story = Path("councils") / "northdale" / "changes" / "2019-05-ilacs-standard--2023-06-ilacs-standard.md"
    rewrite(content, "---\n" + CURATED + "---\n", "", story)
    result = build(content)
    assert result.returncode == 1 and "the story does not say how it was written" in result.stderr


def test_checked_before_the_report_was_published_is_refused(content: Path) -> None:
    page = Path("councils") / "northdale" / "2023-06-ilacs-standard.md"
    rewrite(content, "checked: 2026-11-29", "checked: 2020-01-01", page)
    result = build(content)
    assert result.returncode == 1
    assert "2023-06-ilacs-standard.md" in result.stderr and "before the report was published" in result.stderr


def test_a_facts_page_cannot_claim_words_of_ours(content: Path) -> None:
    facts = Path("councils") / "eastmere" / "2026-05-ilacs-standard.md"
    text = (content / facts).read_text(encoding="utf-8")
    assert text.rstrip().endswith("---"), "the Eastmere 2026 page is a facts page"
    (content / facts).write_text(text.rstrip()[:-3] + CURATED + "---\n", encoding="utf-8")
    result = build(content)
    assert result.returncode == 1 and 'a facts page has no plain words of ours, so "written" says nothing' in result.stderr


def test_a_draft_may_leave_it_out(content: Path) -> None:
    rewrite(content, CURATED, "draft: true\n")
    assert build(content).returncode == 0


spec = importlib.util.spec_from_file_location("written_table", ROOT / "scripts" / "written_table.py")
table = importlib.util.module_from_spec(spec)
spec.loader.exec_module(table)


def test_the_docs_table_of_written_councils_is_made_from_the_content() -> None:
    """docs/WRITTEN.md says which councils are written, by whom and when: it must equal the content."""
    from generator.load import load_site
    site, problems = load_site(ROOT / "content")
    assert site is not None, [p.format() for p in problems.sorted()]
    doc = (ROOT / "docs" / "WRITTEN.md").read_text(encoding="utf-8")
    assert doc == table.updated(doc, site), "docs/WRITTEN.md differs from the content: run python scripts/written_table.py"
    rows = table.rows(site)
    assert len(rows) == sum(1 for c in site.councils.values() if not c.draft)
    york = next(r for r in rows if "| York |" in r)
    assert "generated then re-read" in york and "2026-11-29" in york
