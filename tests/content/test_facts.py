"""The facts on every inspection page match the Ofsted report it cites, read a second way.

Every inspection or visit page whose `report` source is a PDF in ../shared is checked: found by the
source's URL in ../shared/reports/manifest.csv (or, for fixtures and letters, by its id in
tests/content/report_pdfs.yaml). The report is read with poppler's `pdftotext -layout`
(tests/pdfcache.py, cached), not with the importer's reader, so the importer cannot agree with
itself here. Each page must say, as the report prints it:
  - the first and last day of the inspection ('Inspection dates: ...');
  - the lead inspector (or none, when the report names none);
  - the publication date the report prints, or else the manifest's;
  - every graded area, in the report's order, none missing and none added, each with the grade
    printed beside it (a page's `wording`, or its framework's scale, as printed);
    no overall grade for an inspection that started in April 2026 or later;
  - every "what needs to improve" point, word for word;
  - the manifest's URL as its report's URL, with the report first among its sources.
Every failure names the content file, the field, what the page says and what the report prints.
"""
from __future__ import annotations

import csv
import datetime as dt
import functools
import os
import re
import sys
from pathlib import Path

import pytest
import yaml

sys.path.insert(0, str(Path(__file__).resolve().parent))
import report_reading as read  # noqa: E402  (tests/report_reading.py)
from content_helpers import CONTENT, REPO, SHARED, all_sources, inspection_files, split_front_matter  # noqa: E402

HERE = Path(__file__).resolve().parent
MANIFEST = SHARED / "reports" / "manifest.csv"
NO_OVERALL_FROM = dt.date(2026, 4, 1)      # inspections from April 2026 give no overall grade

if not SHARED.is_dir():
    pytest.skip(f"the shared reports folder {SHARED} is not here", allow_module_level=True)


# ---------------------------------------------------------------- finding the PDF of a report

@functools.lru_cache(maxsize=None)
def manifest() -> dict[str, dict]:
    """The manifest's rows by URL (no trailing slash)."""
    if not MANIFEST.exists():
        return {}
    with MANIFEST.open(encoding="utf-8", newline="") as handle:
        return {row["url"].strip().rstrip("/"): row for row in csv.DictReader(handle)}


def listed_pdfs() -> dict[str, str]:
    """Source id -> PDF under ../shared, for reports the manifest does not hold (fixtures, letters)."""
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


def manifest_row(source: dict) -> dict | None:
    """The manifest's row for the source's URL."""
    return manifest().get(str(source.get("url") or "").strip().rstrip("/"))


def pdf_for(source: dict) -> Path | None:
    """The local PDF of a report source, or None."""
    row = manifest_row(source)
    if row:
        return SHARED / "reports" / row["file"] if row.get("is_pdf") == "yes" else None
    relative = listed_pdfs().get(source.get("id", ""))
    return SHARED / relative if relative else None


def shown(page: Path) -> str:
    """The page's path as a curator finds it."""
    try:
        return page.relative_to(REPO).as_posix()
    except ValueError:
        return page.as_posix()


# Drafts are not published and not yet checked: they are left out unless INSPECTIONS_CHECK_DRAFTS=1 (what a
# curator runs after an import, before setting draft: false). Every published page is checked.
CHECK_DRAFTS = os.environ.get("INSPECTIONS_CHECK_DRAFTS") == "1"


def cases() -> list[tuple[Path, Path]]:
    """(page, pdf) for every published inspection page (and drafts, when asked) whose report we hold."""
    out = []
    for page in inspection_files():
        meta, _ = split_front_matter(page)
        if meta.get("draft") is True and not CHECK_DRAFTS:
            continue
        source = report_source(meta)
        pdf = pdf_for(source) if source else None
        if pdf is not None:
            out.append((page, pdf))
    return out


CASES = cases()
IDS = [f"{page.parent.name}/{page.stem}" for page, _ in CASES]


@functools.lru_cache(maxsize=None)
def front_matter(page: Path) -> dict:
    """The page's front matter."""
    return split_front_matter(page)[0]


def as_date(value) -> dt.date | None:
    """A YAML date (or ISO text) as a date."""
    if value is None or isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(str(value))


# ---------------------------------------------------------------- what the content says

@functools.lru_cache(maxsize=None)
def frameworks() -> dict:
    """content/frameworks.yaml."""
    return yaml.safe_load((CONTENT / "frameworks.yaml").read_text(encoding="utf-8"))


def grade_as_printed(meta: dict, judgement: dict) -> str:
    """The grade as the page shows it: its `wording`, or the framework's scale, or the grade's label."""
    if judgement.get("wording"):
        return str(judgement["wording"])
    framework = frameworks()["frameworks"].get(meta.get("framework"), {})
    grade = judgement.get("grade")
    label = (framework.get("scale") or {}).get(grade) or frameworks()["grades"].get(grade, {}).get("label")
    return str(label or grade)


def page_grade_key(judgement: dict) -> str:
    """The page's grade, in report_reading's terms."""
    return "not-judged" if judgement.get("grade") in ("unknown", "not-graded") else str(judgement.get("grade"))


def without_grade_number(printed: str) -> str:
    """'Inadequate Grade 4' -> 'Inadequate' (the number repeats the word)."""
    return read.clean(printed).removesuffix(" Grade 1").removesuffix(" Grade 2") \
        .removesuffix(" Grade 3").removesuffix(" Grade 4")


def wording_is_printed(wording: str, report: read.Printed, body: str) -> bool:
    """The page's grade words are the table's, or a 'Grade 2 (good)' form the report also prints."""
    if read.squash(wording) == read.squash(without_grade_number(report.grade)):
        return True
    return bool(re.fullmatch(r"Grade \d \(\w+\)", wording.strip())) and read.grade_key(wording.split("(")[1]) == report.key \
        and read.squash(wording) in body


# ---------------------------------------------------------------- the tests

def test_every_manifest_report_has_one_page() -> None:
    """Every report in the manifest (but the saved web pages) is one inspection page's report."""
    cited: dict[str, list[str]] = {}
    for page in inspection_files():
        source = report_source(front_matter(page))
        row = manifest_row(source) if source else None
        if row:
            cited.setdefault(row["file"], []).append(shown(page))
    rows = [row for row in manifest().values() if row.get("is_pdf") == "yes"]
    missing = [row["file"] for row in rows if row["file"] not in cited]
    twice = {file: pages for file, pages in cited.items() if len(pages) > 1}
    assert not missing, (f"{len(missing)} of the {len(rows)} reports in {MANIFEST} are no page's report "
                         f"(no page's report source has their url): " + ", ".join(missing[:20]))
    assert not twice, "reports cited as the report of more than one page: " + "; ".join(
        f"{file}: {', '.join(pages)}" for file, pages in twice.items())


@pytest.mark.parametrize("page", inspection_files(), ids=lambda p: f"{p.parent.name}/{p.stem}")
def test_report_source_is_the_manifests(page: Path) -> None:
    """The report's URL is the manifest's for that file, in the council's folder, listed first."""
    meta = front_matter(page)
    source = report_source(meta)
    if not source or not source.get("url"):
        pytest.skip("no report source with a url")
    row = manifest_row(source)
    if row is None:
        assert "files.ofsted.gov.uk" not in str(source["url"]), (
            f"{shown(page)}: report source url: the page says {source['url']}, which is no report in "
            f"{MANIFEST}; use the url the manifest gives for this report")
        return
    assert row.get("is_pdf") == "yes", (
        f"{shown(page)}: report source url: {source['url']} is {row['file']}, which the manifest marks "
        f"'{row.get('is_pdf')}': Ofsted's 'report not found' page, not a report; leave this inspection out "
        "unless another source gives its facts")
    assert page.parent.name == row["council"], (
        f"{shown(page)}: council: the page is in councils/{page.parent.name}/, but the manifest files its "
        f"report {source['url']} under {row['council']} ({row['file']})")
    sources = meta.get("sources") or []
    first = sources[0].get("id") if sources and isinstance(sources[0], dict) else (sources[0] if sources else None)
    report_id = meta["report"].get("id") if isinstance(meta.get("report"), dict) else meta.get("report")
    assert first == report_id, (
        f"{shown(page)}: sources: the page lists {first!r} first; the report {report_id!r} must come first")


@pytest.mark.parametrize("page,pdf", CASES, ids=IDS)
def test_inspection_dates(page: Path, pdf: Path, report_text) -> None:
    """start and end are the first and last day the report prints."""
    meta = front_matter(page)
    printed = read.inspection_dates(report_text.pages(pdf))
    assert printed, f"{shown(page)}: start/end: the report {pdf.name} prints no 'Inspection dates' this test can read"
    page_dates = (as_date(meta.get("start")), as_date(meta.get("end")))
    assert page_dates == printed, (
        f"{shown(page)}: start/end: the page says {page_dates[0]} to {page_dates[1]}, "
        f"the report {pdf.relative_to(SHARED)} prints {printed[0]} to {printed[1]}")


@pytest.mark.parametrize("page,pdf", CASES, ids=IDS)
def test_page_name_is_the_start_month(page: Path, pdf: Path) -> None:
    """The file name starts with the month the inspection started."""
    start = as_date(front_matter(page).get("start"))
    assert start and page.name.startswith(f"{start:%Y-%m}-"), (
        f"{shown(page)}: file name: must start with the month the inspection started ({start:%Y-%m})")


@pytest.mark.parametrize("page,pdf", CASES, ids=IDS)
def test_lead_inspector(page: Path, pdf: Path, report_text) -> None:
    """lead_inspector is the name(s) after 'Lead inspector' / 'Reporting inspector', or null."""
    name = front_matter(page).get("lead_inspector")
    have = read.clean(str(name)) if name else None
    text = report_text.text(pdf)
    printed = read.lead_inspectors(text)
    if printed is None and read.visit_inspectors(text):      # a letter names its inspectors, no lead
        named = read.visit_inspectors(text)
        assert have == named[0], (
            f"{shown(page)}: lead_inspector: the page says {name!r}, the letter {pdf.relative_to(SHARED)} names "
            f"its inspectors {' and '.join(named)!r}: the first named, {named[0]!r}, is the lead")
        return
    want = " and ".join(printed) if printed else None
    assert have == want, (
        f"{shown(page)}: lead_inspector: the page says {name!r}, the report {pdf.relative_to(SHARED)} "
        + (f"prints {want!r} as lead inspector" if want else "names no lead inspector (write null)"))


@pytest.mark.parametrize("page,pdf", CASES, ids=IDS)
def test_publication_date(page: Path, pdf: Path, report_text) -> None:
    """published is the date the report prints, else the manifest's."""
    meta = front_matter(page)
    printed = read.publication_date(report_text.pages(pdf))
    source = report_source(meta) or {}
    row = manifest_row(source)
    want = printed or (as_date(row["published"]) if row else None)
    if want is None:
        pytest.skip("neither the report nor the manifest gives a publication date")
    where = (f"the report {pdf.relative_to(SHARED)} prints {printed}" if printed
             else f"the report prints none, and the manifest says {want}")
    assert as_date(meta.get("published")) == want, f"{shown(page)}: published: the page says {meta.get('published')}, {where}"


def describe(items: list) -> str:
    """A list of judgements, one per line, for a failure message."""
    return "".join(f"\n      {i + 1}. {item}" for i, item in enumerate(items))


@pytest.mark.parametrize("page,pdf", CASES, ids=IDS)
def test_judgements(page: Path, pdf: Path, report_text) -> None:
    """The page's judgements are the report's graded areas: same number, same order, same grades."""
    meta = front_matter(page)
    printed = read.judgements(report_text.pages(pdf))
    unread = [p for p in printed if p.how == "unreadable table" or p.key is None]
    assert not unread, (f"{shown(page)}: judgements: this test could not read the judgement table of "
                        f"{pdf.relative_to(SHARED)}: {unread}")
    page_items = [j for j in meta.get("judgements") or [] if isinstance(j, dict)]
    # An area the report prints as 'Not judged' was not graded: the page may leave it out.
    page_areas = {read.squash(str(j.get("area", ""))) for j in page_items}
    printed = [p for p in printed if p.key != "not-judged" or read.squash(p.area) in page_areas]
    where = f"the report {pdf.relative_to(SHARED)}"
    page_list = describe([f"{j.get('area')}: {grade_as_printed(meta, j)} ({j.get('grade')})" for j in page_items])
    report_list = describe([f"{p.area}: {p.grade}" + ("" if p.how == "table" else f" (as a sentence)") for p in printed])
    assert len(page_items) == len(printed), (
        f"{shown(page)}: judgements: the page has {len(page_items)}, {where} grades {len(printed)} areas."
        f"\n    The page:{page_list}\n    The report:{report_list}")
    problems = []
    body = read.squash(report_text.text(pdf))
    for number, (judgement, report) in enumerate(zip(page_items, printed), start=1):
        area = str(judgement.get("area", ""))
        if report.how == "table" and read.squash(area) != read.squash(report.area):
            problems.append(f"judgements[{number}].area: the page says {area!r}, the report prints {report.area!r} "
                            "(or the page's order differs from the report's)")
        if report.how == "overall sentence" and judgement.get("theme") != "overall":
            problems.append(f"judgements[{number}]: the report's overall judgement ('{report.grade}') comes here; "
                            f"the page has {area!r} (theme {judgement.get('theme')})")
        if report.how == "LSCB sentence" and judgement.get("theme") != "lscb":
            problems.append(f"judgements[{number}]: the report's LSCB judgement ('{report.grade}') comes here; "
                            f"the page has {area!r} (theme {judgement.get('theme')})")
        if page_grade_key(judgement) != report.key:
            problems.append(f"judgements[{number}].grade ({area}): the page says {judgement.get('grade')!r}, "
                            f"the report prints {report.grade!r}")
        elif report.how == "table" and not wording_is_printed(grade_as_printed(meta, judgement), report, body):
            problems.append(f"judgements[{number}].wording ({area}): the page shows {grade_as_printed(meta, judgement)!r}, "
                            f"the report prints {report.grade!r} (set `wording` to the report's words)")
    assert not problems, f"{shown(page)}: compared with {where}:\n    " + "\n    ".join(problems) + \
        f"\n    The page:{page_list}\n    The report:{report_list}"


@pytest.mark.parametrize("page,pdf", CASES, ids=IDS)
def test_no_overall_grade_from_april_2026(page: Path, pdf: Path) -> None:
    """Inspections from April 2026 give no overall grade: the page must not show one (nor an older one)."""
    meta = front_matter(page)
    start = as_date(meta.get("start"))
    if not start or start < NO_OVERALL_FROM:
        pytest.skip("inspected before April 2026")
    overall = [j for j in meta.get("judgements") or [] if isinstance(j, dict)
               and (j.get("theme") == "overall" or read.squash(str(j.get("area", ""))) == "overall effectiveness")]
    assert not overall, (f"{shown(page)}: judgements: an inspection that started on {start} has no overall grade, "
                         f"but the page has {overall[0].get('area')!r}: {overall[0].get('grade')!r}")


@pytest.mark.parametrize("page,pdf", CASES, ids=IDS)
def test_improvements_are_the_reports_words(page: Path, pdf: Path, report_text) -> None:
    """'What needs to improve' is quoted, so each point must be in the report word for word."""
    meta = front_matter(page)
    body = read.squash(read.body_text(report_text.pages(pdf)))
    missing = []
    for number, item in enumerate(meta.get("improvements") or [], start=1):
        text = str(item.get("text", "")) if isinstance(item, dict) else str(item)
        words = read.squash(text)
        if words not in body:
            longest = read.longest_prefix_in(words, body)
            missing.append(f"improvements[{number}].text: the page says {text[:90]!r}...; the report's words "
                           f"part after {' '.join(words.split()[:longest])!r} ...")
    assert not missing, (f"{shown(page)}: not in the report {pdf.relative_to(SHARED)} word for word:\n    "
                         + "\n    ".join(missing))


@pytest.mark.parametrize("page,pdf", CASES, ids=IDS)
def test_improvements_none_missing(page: Path, pdf: Path, report_text) -> None:
    """As many points as the report's 'What needs to improve?' list has (ILACS reports)."""
    meta = front_matter(page)
    printed = read.ilacs_improvements(report_text.pages(pdf))
    if printed is None:
        pytest.skip("no ILACS 'What needs to improve?' list in this report")
    items = [str(i.get("text", "")) if isinstance(i, dict) else str(i) for i in meta.get("improvements") or []]
    assert len(items) == len(printed), (
        f"{shown(page)}: improvements: the page has {len(items)}, the report {pdf.relative_to(SHARED)} lists "
        f"{len(printed)} under 'What needs to improve?':" + describe([p[:90] for p in printed]))


@pytest.mark.parametrize("page,pdf", CASES, ids=IDS)
def test_improvements_not_left_out(page: Path, pdf: Path, report_text) -> None:
    """A page with no points to improve, for a SIF or LSCB report that lists some, has lost them."""
    meta = front_matter(page)
    if meta.get("improvements"):
        pytest.skip("the page has points to improve (the word-for-word test checks them)")
    points = read.sif_improvement_points(report_text.pages(pdf))
    if points is None:
        pytest.skip("not a SIF or LSCB report")
    assert not points, (f"{shown(page)}: improvements: the page has none, the report {pdf.relative_to(SHARED)} "
                        f"lists {len(points)} numbered points to improve, from:" + describe([p[:90] for p in points[:3]]))


def test_every_report_pdf_is_there() -> None:
    """A mapping that points at a missing file is a broken test, not a skipped one."""
    for page, pdf in CASES:
        assert pdf.is_file(), f"{shown(page)}: the report PDF {pdf} is not there; fix tests/content/report_pdfs.yaml"
