"""Every field of every sample report, against values written by reading the PDFs."""
from __future__ import annotations

import datetime as dt

import pytest

import report_reading as read
from importer_support import expected, imported

REPORTS = expected()["reports"]


def _id(entry: dict) -> str:
    """A short test id from the file path."""
    return entry["file"].split("/", 1)[1].replace("/", ":").removesuffix(".pdf")


def _iso(value: object) -> str | None:
    """YAML dates as ISO text."""
    return value.isoformat() if isinstance(value, dt.date) else value


@pytest.mark.parametrize("entry", REPORTS, ids=_id)
def test_facts(entry: dict, shared) -> None:
    """Council, kind, framework, dates and lead inspector."""
    got = imported(entry["file"]).as_json()
    for field in ("council", "kind", "framework", "lead_inspector"):
        assert got[field] == entry[field], field
    for field in ("start", "end", "published"):
        assert got[field] == _iso(entry[field]), field


@pytest.mark.parametrize("entry", REPORTS, ids=_id)
def test_judgements(entry: dict, shared) -> None:
    """Every judgement: theme, grade and area, in the report's order."""
    got = [[j["theme"], j["grade"], j["area"]] for j in imported(entry["file"]).as_json()["judgements"]]
    assert got == entry["judgements"]


@pytest.mark.parametrize("entry", REPORTS, ids=_id)
def test_improvements(entry: dict, shared) -> None:
    """The improvement list: each item's opening words and its timescale, in order."""
    got = imported(entry["file"]).improvements
    assert len(got) == len(entry["improvements"]), [i.text[:60] for i in got]
    for item, (start, timescale) in zip(got, entry["improvements"]):
        assert item.text.startswith(start), (item.text[:80], start)
        assert item.timescale == timescale
        assert "  " not in item.text and not item.text.startswith(("•", "◼", "■"))


@pytest.mark.parametrize("entry", REPORTS, ids=_id)
def test_paragraphs(entry: dict, shared) -> None:
    """Numbered paragraphs: how many, and the page of some of them."""
    got = imported(entry["file"]).paragraphs
    assert len(got) == entry["paragraphs"]["count"]
    for number, page in entry["paragraphs"]["pages"].items():
        assert got.get(int(number)) == page, number
    if got:
        assert sorted(got) == list(range(1, len(got) + 1))


def test_accuracy_summary(shared) -> None:
    """The measure the importer is held to: at least 99% of judgements, dates and inspector names right."""
    right = total = 0
    for entry in REPORTS:
        got = imported(entry["file"]).as_json()
        want = [[j[0], j[1]] for j in entry["judgements"]]
        have = [[j["theme"], j["grade"]] for j in got["judgements"]]
        total += max(len(want), len(have))
        right += sum(1 for w in want if w in have)
        for field in ("start", "end", "published", "lead_inspector"):
            total += 1
            right += got[field] == _iso(entry[field])
    assert right / total >= 0.99, f"{right}/{total}"


REAL = [entry for entry in REPORTS if entry["file"].startswith("reports/")]


@pytest.mark.parametrize("entry", REAL, ids=_id)
def test_expected_facts_agree_with_a_second_reader(entry: dict, shared, report_text) -> None:
    """The hand-written expectations agree with poppler's reading of the same PDF (tests/pdfcache.py),
    so neither they nor the importer can drift alone."""
    pages = report_text.pages(shared / entry["file"])
    assert read.inspection_dates(pages) == (entry["start"], entry["end"]), "start/end"
    names = read.lead_inspectors("\f".join(pages))
    assert (" and ".join(names) if names else None) == entry["lead_inspector"], "lead_inspector"
    printed = [p.key for p in read.judgements(pages) if p.key != "not-judged"]
    assert printed == [grade for _, grade, _ in entry["judgements"]], "judgements"
