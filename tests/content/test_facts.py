"""The facts on every curated inspection page match the Ofsted report they cite.

For each inspection or visit page whose `report` source has a PDF in ../shared (found by the
source's URL in ../shared/reports/README.md, or by tests/content/report_pdfs.yaml), the PDF's
text must show, as the report prints them:
  - the lead inspector's name, next to "Lead inspector" / "Reporting inspector" or to "HMI" /
    "His (Her) Majesty's Inspector";
  - the inspection's first and last day, in any of the forms Ofsted prints a date range
    ("19 to 30 March 2012", "14 November 2016 - 8 December 2016", "7 March to 18 March 2022");
  - every judgement's area with its grade right beside it (the grade as `wording` gives it, or
    as the framework's scale prints it), even where a table cell wraps the grade into the area.
So an edit that changes a grade, a date or a name on the site fails here.
"""
from __future__ import annotations

import datetime as dt
import functools
import re
import sys
from pathlib import Path

import pytest
import yaml

sys.path.insert(0, str(Path(__file__).resolve().parent))
from content_helpers import CONTENT, SHARED, all_sources, inspection_files, split_front_matter  # noqa: E402

HERE = Path(__file__).resolve().parent
MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August",
          "September", "October", "November", "December"]

if not SHARED.is_dir():
    pytest.skip(f"the shared reports folder {SHARED} is not here", allow_module_level=True)
pdfplumber = pytest.importorskip("pdfplumber")


# ---------------------------------------------------------------- finding the PDF of a report

def readme_pdfs() -> dict[str, str]:
    """URL -> path under ../shared, from the table in ../shared/reports/README.md."""
    readme = SHARED / "reports" / "README.md"
    found: dict[str, str] = {}
    if readme.exists():
        for line in readme.read_text(encoding="utf-8").splitlines():
            cells = [c.strip() for c in line.strip().strip("|").split("|")]
            if len(cells) >= 5 and cells[0].endswith(".pdf") and cells[-1].startswith("http"):
                found[cells[-1].rstrip("/")] = f"reports/{cells[0]}"
    return found


def listed_pdfs() -> dict[str, str]:
    path = HERE / "report_pdfs.yaml"
    return (yaml.safe_load(path.read_text(encoding="utf-8")) or {}) if path.exists() else {}


def report_source(meta: dict) -> dict | None:
    """The page's report source: an id looked up site-wide, or a whole source given inline."""
    report = meta.get("report")
    if isinstance(report, dict):
        return report
    if not report:
        return None
    for item in meta.get("sources") or []:
        if isinstance(item, dict) and item.get("id") == report:
            return item
    return all_sources().get(report, {"id": report})


def pdf_for(source: dict) -> Path | None:
    relative = listed_pdfs().get(source.get("id", ""))
    if not relative and source.get("url"):
        relative = readme_pdfs().get(str(source["url"]).rstrip("/"))
    return SHARED / relative if relative else None


def cases() -> list[tuple[Path, dict, Path]]:
    out = []
    for page in inspection_files():
        meta, _ = split_front_matter(page)
        source = report_source(meta)
        pdf = pdf_for(source) if source else None
        if pdf is not None:
            out.append((page, meta, pdf))
    return out


CASES = cases()
IDS = [f"{page.parent.name}/{page.stem}" for page, _, _ in CASES]


# ---------------------------------------------------------------- the report's text

def normalise(text: str) -> str:
    """One line of text: typographic quotes straight, dashes as '-', no Markdown bold, single spaces."""
    text = text.replace("\u2019", "'").replace("\u2018", "'").replace("\u201c", '"').replace("\u201d", '"')
    text = re.sub(r"[\u2010-\u2015\u2212]", "-", text)
    text = text.replace("**", "")
    return re.sub(r"\s+", " ", text).strip()


@functools.lru_cache(maxsize=None)
def pdf_text(pdf: Path) -> str:
    with pdfplumber.open(pdf) as document:
        return normalise("\n".join(page.extract_text() or "" for page in document.pages))


# ---------------------------------------------------------------- what the content says

@functools.lru_cache(maxsize=None)
def frameworks() -> dict:
    return yaml.safe_load((CONTENT / "frameworks.yaml").read_text(encoding="utf-8"))


def grade_as_printed(meta: dict, judgement: dict) -> str:
    if judgement.get("wording"):
        return str(judgement["wording"])
    scale = frameworks()["frameworks"][meta["framework"]].get("scale") or {}
    label = scale.get(judgement["grade"]) or frameworks()["grades"][judgement["grade"]]["label"]
    return str(label)


def as_date(value) -> dt.date:
    return value if isinstance(value, dt.date) else dt.date.fromisoformat(str(value))


def date_range_forms(start: dt.date, end: dt.date) -> list[str]:
    """The ways Ofsted prints 'from start to end' (after normalise: dashes are '-')."""
    def full(d: dt.date, pad: bool = False) -> str:
        return f"{d.day:02d} {MONTHS[d.month - 1]} {d.year}" if pad else f"{d.day} {MONTHS[d.month - 1]} {d.year}"

    def day_month(d: dt.date) -> str:
        return f"{d.day} {MONTHS[d.month - 1]}"

    forms = [(full(start), full(end)), (full(start, True), full(end, True))]
    if start.year == end.year:
        forms.append((day_month(start), full(end)))
        if start.month == end.month:
            forms.append((str(start.day), full(end)))
    out = []
    for first, last in forms:
        for joint in (" to ", " - ", "-", " and "):
            out.append(f"{first}{joint}{last}")
    if start == end:
        out.append(full(start))
    return out


def area_patterns(area: str, grade: str) -> list[re.Pattern]:
    """The area with its grade beside it: after it (maybe after ':' or 'is (that it is)'), or
    wrapped into it by a table cell. A trailing '(LSCB)'-style abbreviation may be left out."""
    grade_re = r"\s+".join(re.escape(w) for w in grade.split())
    variants = {area, re.sub(r"\s*\([^)]*\)\s*$", "", area)}
    patterns = []
    for variant in variants:
        words = [re.escape(w) for w in variant.split()]
        if not words:
            continue
        after = r"\s+".join(words) + r"\s*[:\-]?\s*(?:(?:is|are)\s+)?(?:that\s+it\s+is\s+)?(?:judged\s+to\s+be\s+)?" + grade_re
        patterns.append(re.compile(r"(?<![\w])" + after + r"(?![\w])", re.I))
        for cut in range(1, len(words)):
            inside = r"\s+".join(words[:cut]) + r"\s+" + grade_re + r"\s+" + r"\s+".join(words[cut:])
            patterns.append(re.compile(r"(?<![\w])" + inside + r"(?![\w])", re.I))
    return patterns


def overall_sentence(grade: str) -> re.Pattern:
    """SIF reports print the overall judgement as a sentence, not beside 'Overall effectiveness':
    'Children's services in York are good', 'The overall judgement is good',
    'The overall judgement is that children's services are good',
    'Children's services in Peterborough require improvement to be good'."""
    grade_re = r"\s+".join(re.escape(w) for w in grade.split())
    services = r"children's services (?:in [A-Z][\w ,'-]{0,60}? )?"
    verb_then_grade = r"(?:(?:are|is) (?:judged to be )?" + grade_re
    if grade.lower().startswith("requires "):   # "Children's services in Peterborough require improvement to be good"
        verb_then_grade += r"|require\s+" + r"\s+".join(re.escape(w) for w in grade.split()[1:])
    verb_then_grade += ")"
    return re.compile(r"(?:overall judgement is (?:that )?(?:" + services + r"(?:are|is) )?" + grade_re
                      + r"|" + services + verb_then_grade + r")(?![\w])", re.I)


# ---------------------------------------------------------------- the tests

def test_every_report_with_a_local_pdf_is_checked() -> None:
    """A mapping that points at a missing file is a broken test, not a skipped one."""
    for page, _, pdf in CASES:
        assert pdf.is_file(), f"{page}: the report PDF {pdf} is not there; fix tests/content/report_pdfs.yaml"


@pytest.mark.parametrize("page,meta,pdf", CASES, ids=IDS)
def test_lead_inspector(page: Path, meta: dict, pdf: Path) -> None:
    name = meta.get("lead_inspector")
    if not name:
        pytest.skip("no lead inspector recorded")
    text = pdf_text(pdf)
    name_re = r"\s+".join(re.escape(w) for w in str(name).split())
    beside_title = re.compile(
        r"(?:lead|reporting) inspector:?\s*" + name_re + r"(?![\w])"
        r"|(?<![\w])" + name_re + r",?\s+(?:HMI|Her Majesty's Inspector|His Majesty's Inspector)", re.I)
    assert beside_title.search(text), (
        f"{page.name}: lead inspector '{name}' is not printed as lead or reporting inspector in {pdf.name}")


@pytest.mark.parametrize("page,meta,pdf", CASES, ids=IDS)
def test_inspection_dates(page: Path, meta: dict, pdf: Path) -> None:
    start, end = as_date(meta["start"]), as_date(meta["end"])
    assert start <= end, f"{page.name}: start {start} is after end {end}"
    text = pdf_text(pdf)
    forms = date_range_forms(start, end)
    assert any(form in text for form in forms), (
        f"{page.name}: the report {pdf.name} does not print the dates {start} to {end} "
        f"in any usual form (looked for e.g. '{forms[0]}' or '{forms[-2]}')")


@pytest.mark.parametrize("page,meta,pdf", CASES, ids=IDS)
def test_page_name_is_the_start_month(page: Path, meta: dict, pdf: Path) -> None:
    start = as_date(meta["start"])
    assert page.name.startswith(f"{start.year:04d}-{start.month:02d}-"), (
        f"{page.name}: the file name must start with the month the inspection started ({start:%Y-%m})")


@pytest.mark.parametrize("page,meta,pdf", CASES, ids=IDS)
def test_judgements(page: Path, meta: dict, pdf: Path) -> None:
    text = pdf_text(pdf)
    missing = []
    for judgement in meta.get("judgements") or []:
        if judgement.get("grade") == "unknown":
            continue
        grade = grade_as_printed(meta, judgement)
        area = normalise(str(judgement["area"]))
        found = any(p.search(text) for p in area_patterns(area, normalise(grade)))
        if not found and judgement.get("theme") == "overall":
            found = bool(overall_sentence(normalise(grade)).search(text))
        if not found:
            missing.append(f"'{judgement['area']}' graded '{grade}'")
    assert not missing, f"{page.name}: not printed like this in {pdf.name}: " + "; ".join(missing)


@pytest.mark.parametrize("page,meta,pdf", CASES, ids=IDS)
def test_improvements_are_the_reports_words(page: Path, meta: dict, pdf: Path) -> None:
    """'What needs to improve' is quoted, so each item must be in the report word for word."""
    text = pdf_text(pdf).lower()
    squash = lambda s: re.sub(r"[^a-z0-9]+", " ", s.lower()).strip()  # noqa: E731
    squashed = squash(text)
    missing = [item["text"] for item in meta.get("improvements") or []
               if squash(normalise(str(item["text"]))) not in squashed]
    assert not missing, f"{page.name}: not in {pdf.name} word for word: " + " | ".join(m[:60] for m in missing)


def test_date_forms() -> None:
    forms = date_range_forms(dt.date(2012, 3, 19), dt.date(2012, 3, 30))
    assert "19 to 30 March 2012" in forms
    forms = date_range_forms(dt.date(2016, 11, 14), dt.date(2016, 12, 8))
    assert "14 November 2016 - 8 December 2016" in forms
    assert "7 March to 18 March 2022" in date_range_forms(dt.date(2022, 3, 7), dt.date(2022, 3, 18))


def test_overall_sentences() -> None:
    assert overall_sentence("Good").search("Children's services in York are good")
    assert overall_sentence("Good").search("The overall judgement is good")
    assert overall_sentence("Requires improvement to be good").search(
        "Children's services in Peterborough require improvement to be good")
    assert not overall_sentence("Outstanding").search("Children's services in York are good")


def test_wrapped_grade_is_found() -> None:
    text = "The experiences and progress of care Outstanding leavers Overall effectiveness Outstanding"
    assert any(p.search(text) for p in area_patterns("The experiences and progress of care leavers", "Outstanding"))
    assert not any(p.search(text) for p in area_patterns("The experiences and progress of care leavers", "Good"))
