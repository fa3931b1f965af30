"""import-pdf with a manifest: every report into its council's folder, on every core, never twice, never over a curated file."""
from __future__ import annotations

import csv
import shutil
from pathlib import Path

import pytest

from test_cli import content, front_matter, run  # noqa: F401 (content is a fixture)

REPORTS = [  # two real reports of one council, and one of a council with curated pages
    ("barnsley", "barnsley/2023-10-27-childrens-services-inspection.pdf", "2023-10-27",
     "https://files.ofsted.gov.uk/v1/file/50231520", "yes"),
    ("barnsley", "barnsley/2018-11-19-childrens-services-inspection.pdf", "2018-11-19",
     "https://files.ofsted.gov.uk/v1/file/50038886", "yes"),
    ("birmingham", "birmingham/2012-10-19-childrens-services-inspection.pdf", "2012-10-19",
     "https://files.ofsted.gov.uk/v1/file/50004190", "no (a saved web page)"),
]


def write_manifest(folder: Path, shared: Path, rows: list[tuple[str, ...]]) -> Path:
    """A manifest.csv beside copies of the reports, as ../shared/reports lays them out."""
    folder.mkdir(parents=True, exist_ok=True)
    for _, file, *_ in rows:
        (folder / file).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(shared / "reports" / file, folder / file)
    path = folder / "manifest.csv"
    with path.open("w", newline="", encoding="utf-8") as f:
        out = csv.writer(f)
        out.writerow(["council", "council_as_named", "ofsted_urn", "file", "published", "url", "is_pdf"])
        for council, file, published, url, is_pdf in rows:
            out.writerow([council, council, "1", file, published, url, is_pdf])
    return path


@pytest.fixture
def reports(tmp_path: Path, shared: Path) -> Path:
    """A folder of three reports with its manifest."""
    folder = tmp_path / "reports"
    write_manifest(folder, shared, REPORTS)
    return folder


def test_manifest_import_writes_each_report_into_its_council(reports: Path, content: Path, capsys) -> None:
    """Each report lands in councils/<manifest council>/, with the manifest's URL, a line per report as it goes."""
    assert run(str(reports), "--content", str(content), "--facts-only", "--jobs", "2") == 0
    out = capsys.readouterr().out
    made = sorted(p.name for p in (content / "councils" / "barnsley").glob("*.md"))
    assert made == ["2018-10-ilacs-standard.md", "2023-09-ilacs-short.md"]
    assert out.count("wrote    ") == 2 and "not a PDF report (line 4)" in out
    data, body = front_matter(content / "councils" / "barnsley" / "2023-09-ilacs-short.md")
    assert body == "", "a facts-only import has no sections to rewrite"
    assert data["draft"] is True
    source = data["sources"][0]
    assert source["url"] == "https://files.ofsted.gov.uk/v1/file/50231520" and source["id"] == data["report"]
    # ILACS reports print no publication date: the manifest's (Ofsted's publication date) is used
    assert str(data["published"]) == "2023-10-27" and str(source["date"]) == "2023-10-27"
    assert "add the report's URL" not in (content / "councils" / "barnsley" / "2023-09-ilacs-short.md").read_text()


def test_second_run_imports_only_what_is_new(reports: Path, content: Path, capsys) -> None:
    """A report already cited by a file of its council's folder is not read again."""
    assert run(str(reports), "--content", str(content), "--facts-only") == 0
    first = {p: p.read_bytes() for p in (content / "councils").rglob("*.md")}
    capsys.readouterr()
    assert run(str(reports), "--content", str(content), "--facts-only") == 0
    out = capsys.readouterr().out
    assert "0 to import, 3 already there or not reports" in out
    assert {p: p.read_bytes() for p in (content / "councils").rglob("*.md")} == first


def test_never_overwrites_a_curated_file(reports: Path, content: Path, capsys) -> None:
    """--force replaces a draft, never a file a curator has published (draft: false)."""
    assert run(str(reports / "barnsley/2023-10-27-childrens-services-inspection.pdf"), "--content", str(content),
               "--council", "barnsley") == 0
    target = content / "councils" / "barnsley" / "2023-09-ilacs-short.md"
    curated = target.read_text(encoding="utf-8").replace("draft: true", "draft: false") + "\nCurated words.\n"
    target.write_text(curated, encoding="utf-8")
    capsys.readouterr()
    assert run(str(reports / "barnsley/2023-10-27-childrens-services-inspection.pdf"), "--content", str(content),
               "--council", "barnsley", "--force") == 1
    assert "is curated (not draft: true): the importer never overwrites it" in capsys.readouterr().err
    assert target.read_text(encoding="utf-8") == curated


def test_drafts_have_no_yaml_anchors(reports: Path, content: Path) -> None:
    """A value used twice (a date) is written twice: no &anchors or *aliases a curator would not write."""
    assert run(str(reports), "--content", str(content)) == 0
    for path in (content / "councils").rglob("*"):
        if path.is_file():
            text = path.read_text(encoding="utf-8")
            assert "&id0" not in text and "*id0" not in text, path


def test_a_bad_manifest_names_its_line(tmp_path: Path, content: Path, capsys) -> None:
    """A manifest with a date that is not a date: the file and line, and what to write."""
    folder = tmp_path / "bad"
    folder.mkdir()
    (folder / "manifest.csv").write_text("council,file,published,url\nyork,york/a.pdf,4 May 2022,https://x\n",
                                         encoding="utf-8")
    assert run(str(folder), "--content", str(content)) == 2
    err = capsys.readouterr().err
    assert f"{folder / 'manifest.csv'}:2: the published date '4 May 2022' is not a date" in err
    assert "write it as YYYY-MM-DD" in err
