"""The import-pdf command: writing drafts, never overwriting without --force, folders, JSON, bad inputs."""
from __future__ import annotations

import argparse
import json
import re
import shutil
from pathlib import Path

import pytest
import yaml

from generator.importer import cli
from importer_support import CONTENT, expected

FOCUSED = "fixtures/york-2023-focused-visit/york-2023-focused-visit.pdf"
NORTHDALE = "fixtures/northdale-2023-ilacs-fictional/northdale-2023-ilacs-fictional.pdf"


def run(*argv: str) -> int:
    """Parse arguments as the main CLI would (through add_parser) and run."""
    parser = argparse.ArgumentParser()
    cli.add_parser(parser.add_subparsers(dest="command"))
    args = parser.parse_args(["import-pdf", *argv])
    return args.func(args)


@pytest.fixture
def content(tmp_path: Path) -> Path:
    """A content folder with the real frameworks.yaml and site.yaml, and no councils."""
    folder = tmp_path / "content"
    folder.mkdir()
    for name in ("frameworks.yaml", "site.yaml"):
        shutil.copy(CONTENT / name, folder / name)
    return folder


def front_matter(path: Path) -> tuple[dict, str]:
    """Split a content file into its YAML front matter and Markdown body (docs/CONTENT.md)."""
    text = path.read_text(encoding="utf-8")
    m = re.match(r"---\n(.*?)\n---\n(.*)", text, re.S)
    assert m, "no front matter"
    return yaml.safe_load(m.group(1)), m.group(2)


def test_writes_draft_and_council(shared: Path, content: Path, capsys) -> None:
    """A draft lands in content/councils/<slug>/<yyyy-mm>-<kind>.md with a minimal council.yaml."""
    assert run(str(shared / NORTHDALE), "--content", str(content)) == 0
    target = content / "councils" / "northdale" / "2023-03-ilacs-standard.md"
    out = capsys.readouterr().out
    assert f"wrote {target}" in out and "not found: publication date (not printed" in out
    data, body = front_matter(target)
    assert list(data)[:9] == ["kind", "framework", "start", "end", "published", "lead_inspector",
                              "report", "draft", "judgements"]
    assert data["draft"] is True and data["kind"] == "ilacs-standard" and data["framework"] == "ilacs-2023"
    assert str(data["start"]) == "2023-03-06" and data["published"] is None
    assert data["lead_inspector"] == "Harriet Calloway"
    assert [j["theme"] for j in data["judgements"]] == ["leadership", "help-and-protection", "in-care",
                                                        "care-leavers", "overall"]
    assert all(set(i) == {"text", "timescale"} for i in data["improvements"])
    assert data["paragraphs"][1] == 2
    source = data["sources"][0]
    assert data["report"] == source["id"] == "ofsted-northdale-2023-03-ilacs-standard"
    assert source["publisher"] == "Ofsted" and source["kind"] == "report" and source["supports"]
    headings = re.findall(r"^## (.+)$", body, re.M)
    site = yaml.safe_load((content / "site.yaml").read_text())
    required = [s["heading"] for s in site["sections"] if s.get("required")]
    assert headings == required
    assert "<" not in body  # no raw HTML
    council = yaml.safe_load((content / "councils" / "northdale" / "council.yaml").read_text())
    assert council == {"draft": True, "name": "Northdale Borough Council", "short_name": "Northdale"}


def test_draft_is_deterministic(shared: Path, content: Path, tmp_path: Path) -> None:
    """The same PDF gives the same bytes twice."""
    run(str(shared / NORTHDALE), "--out", str(tmp_path / "a"), "--content", str(content))
    run(str(shared / NORTHDALE), "--out", str(tmp_path / "b"), "--content", str(content))
    name = "2023-03-ilacs-standard.md"
    assert (tmp_path / "a" / name).read_bytes() == (tmp_path / "b" / name).read_bytes()


def test_no_overwrite_without_force(shared: Path, content: Path, capsys) -> None:
    """An existing draft is never overwritten without --force; council.yaml never is."""
    folder = content / "councils" / "york"
    folder.mkdir(parents=True)
    (folder / "council.yaml").write_text("name: City of York Council\n")
    target = folder / "2023-08-focused-visit.md"
    target.write_text("---\ndraft: true\n---\ncurated\n")
    assert run(str(shared / FOCUSED), "--content", str(content)) == 1
    err = capsys.readouterr().err
    assert "already exists" in err and "--force" in err and len(err.strip().splitlines()) == 1
    assert target.read_text() == "---\ndraft: true\n---\ncurated\n"
    assert run(str(shared / FOCUSED), "--content", str(content), "--force") == 0
    data, _ = front_matter(target)
    assert data["kind"] == "focused-visit" and data["judgements"] == [] and str(data["published"]) == "2023-09-06"
    assert (folder / "council.yaml").read_text() == "name: City of York Council\n"


def test_council_option_and_json(shared: Path, content: Path, capsys) -> None:
    """--json prints one object and writes nothing; --council sets the slug."""
    assert run(str(shared / FOCUSED), "--json", "--council", "city-of-york", "--content", str(content)) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["council"] == "city-of-york" and data["kind"] == "focused-visit"
    assert {"council", "kind", "start", "end", "published", "lead_inspector", "judgements", "improvements",
            "paragraphs"} <= set(data)
    assert not (content / "councils").exists()


def test_password_opens_encrypted(shared: Path, content: Path, capsys) -> None:
    """--password lets an encrypted PDF in."""
    path = shared / "fixtures/bad-inputs/york-2023-focused-visit-encrypted.pdf"
    assert run(str(path), "--json", "--password", "open-sesame", "--content", str(content)) == 0
    assert json.loads(capsys.readouterr().out)["lead_inspector"] == "Louise Walker"


@pytest.mark.parametrize("bad", expected()["bad_inputs"], ids=lambda b: Path(b["file"]).name)
def test_bad_input_one_line(bad: dict, shared: Path, content: Path, capsys) -> None:
    """Each bad file: one clear line (what is wrong; what to do), exit 1, nothing written, no traceback."""
    code = run(str(shared / bad["file"]), "--content", str(content))
    captured = capsys.readouterr()
    lines = captured.err.strip().splitlines()
    assert code == 1
    assert len(lines) == 1 and bad["message"] in lines[0] and ";" in lines[0]
    assert "Traceback" not in captured.err + captured.out
    assert not (content / "councils").exists()


def test_folder_summary_table(shared: Path, content: Path, tmp_path: Path, capsys) -> None:
    """A folder imports in one go, with one summary row per file; a bad file fails alone."""
    folder = tmp_path / "pdfs"
    folder.mkdir()
    for rel in (FOCUSED, NORTHDALE, "fixtures/bad-inputs/empty.pdf"):
        shutil.copy(shared / rel, folder / Path(rel).name)
    assert run(str(folder), "--content", str(content)) == 1
    out = capsys.readouterr().out
    lines = out.splitlines()
    assert lines[0].split()[:6] == ["file", "council", "kind", "dates", "judgements", "problems"]
    rows = {ln.split()[0]: ln for ln in lines[2:5]}
    assert "FAILED: empty file" in rows["empty.pdf"]
    assert "ilacs-standard" in rows["northdale-2023-ilacs-fictional.pdf"] and " 5 " in rows[
        "northdale-2023-ilacs-fictional.pdf"]
    assert "focused-visit" in rows["york-2023-focused-visit.pdf"]
    assert "2 imported, 1 failed" in out
    assert (content / "councils" / "york" / "2023-08-focused-visit.md").exists()
    assert (content / "councils" / "northdale" / "2023-03-ilacs-standard.md").exists()


def test_missing_path(content: Path, capsys) -> None:
    """A path that does not exist is a usage error."""
    assert run("/nonexistent/report.pdf", "--content", str(content)) == 2
    assert "no such file" in capsys.readouterr().err
