"""The national pages: facts pages, predecessor councils, every council by region and A to Z, and how councils compare."""
from __future__ import annotations

import dataclasses
import datetime as dt
import re
import shutil
from html import unescape
from pathlib import Path

import pytest

from support import FIXTURES, ROOT
from generator import national
from generator.build import BuildConfig, build
from generator.load import load_site
from generator.model import Council, Period
from generator.names import council_then, predecessor_note
from generator.pages import Words, bar_width, by_region
from generator.urls import parse_base_url

REGIONS = ("North East", "North West", "Yorkshire and the Humber", "East Midlands", "West Midlands",
           "East of England", "London", "South East", "South West")
LIMIT = 100_000  # bytes of HTML and CSS a page may weigh


@pytest.fixture(scope="module")
def fixture_site() -> object:
    """The fixture content, loaded and checked."""
    site, problems = load_site(FIXTURES / "site")
    assert not problems, problems
    return site


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The fixture site, built."""
    out = tmp_path_factory.mktemp("national") / "site"
    build(BuildConfig(FIXTURES / "site", ROOT / "templates", out, parse_base_url("/")))
    return out


def text_of(page: Path) -> str:
    """A page's main text, without tags, spaces squeezed."""
    main = re.search(r"<main.*?</main>", page.read_text(encoding="utf-8"), re.S)
    assert main
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", main.group(0))).split())


# --- counting -------------------------------------------------------------------------------------

def test_each_council_counts_once_at_its_latest_full_inspection(fixture_site: object) -> None:
    tally = national.tally(fixture_site)
    keys = [b.key for b in tally.buckets]
    assert keys == ["outstanding", "good", "requires-improvement", "inadequate", "no-overall:ilacs-2026"], \
        "today's grades, even at 0, and the buckets in use"
    assert tally.england.total == 3
    assert dict(zip(keys, tally.england.counts)) == {"outstanding": 1, "good": 0, "requires-improvement": 1,
                                                      "inadequate": 0, "no-overall:ilacs-2026": 1}
    assert [(r.name, r.total) for r in tally.regions] == [("Nowhere", 1), ("Somewhere", 2)]


def test_a_2026_report_is_counted_as_no_overall_grade_never_as_the_older_grade(fixture_site: object) -> None:
    latest = national.tally(fixture_site).latest["eastmere"]
    assert latest.inspection and latest.inspection.slug == "2026-05-ilacs-standard"
    assert latest.bucket and latest.bucket.key == "no-overall:ilacs-2026" and latest.bucket.grade == "none"


def test_every_full_inspection_is_counted_by_the_year_it_began(fixture_site: object) -> None:
    tally = national.tally(fixture_site)
    years = {row.name: dict(zip((b.key for b in tally.year_buckets), row.counts)) for row in tally.years}
    assert list(years) == ["2012", "2019", "2022", "2023", "2026"]
    assert years["2019"]["inadequate"] == 1 and years["2019"]["outstanding"] == 1
    assert years["2012"]["separate"] == 1, "old rules with strand grades are not given one overall grade"
    assert years["2026"]["no-overall:ilacs-2026"] == 1 and sum(years["2026"].values()) == 1


def test_the_counts_are_dated_by_the_newest_report_not_the_day_of_the_build(fixture_site: object) -> None:
    assert national.tally(fixture_site).counted_on == dt.date(2026, 7, 3)


def test_where_a_council_stands_in_words(fixture_site: object) -> None:
    tally = national.tally(fixture_site)
    northdale = tally.standing("northdale")
    assert northdale and (northdale.england, northdale.in_region, northdale.region_total) == (1, 1, 1)
    assert national.standing_sentence(northdale, "Northdale") == (
        "Northdale is the only council in England whose latest overall grade is requires improvement to be good.")
    many = dataclasses.replace(northdale, england=27, in_region=3, region_total=12)
    assert national.standing_sentence(many, "Northdale") == (
        "Northdale is one of 27 councils in England whose latest overall grade is requires improvement to be good. "
        "In Nowhere, 3 of the 12 councils have this result.")
    south = dataclasses.replace(many, region="South East", in_region=1)
    assert national.standing_sentence(south, "Northdale").endswith(
        "In the South East, it is the only one of the 12 councils with this result.")
    eastmere = tally.standing("eastmere")
    assert eastmere and national.standing_sentence(eastmere, "Eastmere") == (
        "Eastmere is the only council in England whose latest full inspection gave no overall grade, because the "
        "rules from April 2026 give none. In Somewhere, it is the only one of the 2 councils with this result.")


# --- predecessor councils -------------------------------------------------------------------------

def council(names: tuple[Period, ...], codes: tuple[Period, ...]) -> Council:
    """A council with the given names and ONS codes over time."""
    return Council("bucks", "Buckinghamshire Council", "Buckinghamshire", "South East", "1", "825", names, codes,
                   (), (), (), False, "council.yaml")


def test_a_report_about_the_council_before_says_so() -> None:
    bucks = council((Period("Buckinghamshire County Council", None, dt.date(2020, 3, 31)),
                     Period("Buckinghamshire Council", dt.date(2020, 4, 1))),
                    (Period("E10000002", None, dt.date(2020, 3, 31)), Period("E06000060", dt.date(2020, 4, 1))))
    assert predecessor_note(bucks, dt.date(2018, 5, 1)) == (
        "This report is about Buckinghamshire County Council. Buckinghamshire Council took over from it in April 2020.")
    assert predecessor_note(bucks, dt.date(2022, 5, 1)) == ""


def test_a_council_that_was_only_renamed_is_not_said_to_have_been_taken_over() -> None:
    renamed = council((Period("Bucks Council", None, dt.date(2020, 3, 31)), Period("Buckinghamshire Council", dt.date(2020, 4, 1))),
                      (Period("E06000060"),))
    assert predecessor_note(renamed, dt.date(2018, 5, 1)) == (
        "This report is about Bucks Council. It has been called Buckinghamshire Council since April 2020.")


def test_a_report_from_before_a_council_took_over_from_others_says_so() -> None:
    from generator.model import Predecessor
    west = dataclasses.replace(council((), (Period("E06000062"),)), name="West Northamptonshire Council", predecessors=(
        Predecessor("Northamptonshire County Council", dt.date(2021, 3, 31), shared_with=("North Northamptonshire Council",)),))
    assert predecessor_note(west, dt.date(2019, 1, 7)) == (
        "This report is about Northamptonshire County Council. West Northamptonshire Council and North "
        "Northamptonshire Council took over from it in April 2021.")
    assert predecessor_note(west, dt.date(2021, 4, 1)) == ""
    assert council_then(west, dt.date(2019, 1, 7)) == "Northamptonshire County Council"
    assert council_then(west, dt.date(2022, 1, 7)) == "West Northamptonshire Council"
    bcp = dataclasses.replace(west, name="Bournemouth, Christchurch and Poole Council", predecessors=(
        Predecessor("Borough of Poole", dt.date(2019, 3, 31)), Predecessor("Bournemouth Borough Council", dt.date(2019, 3, 31))))
    assert predecessor_note(bcp, dt.date(2018, 1, 7)) == (
        "This report is from before Bournemouth, Christchurch and Poole Council took over from Borough of Poole and "
        "Bournemouth Borough Council in April 2019.")


def test_a_council_that_took_over_names_the_council_before_on_its_pages(built: Path) -> None:
    sentence = ("This report is about Mereshire County Council. Eastmere Council and Westmere Council took over from it "
                "in January 2023.")
    page = text_of(built / "eastmere" / "2022-10-ilacs-standard" / "index.html")
    assert sentence in page and "Council Mereshire County Council" in page
    timeline = text_of(built / "eastmere" / "index.html")
    assert timeline.count(sentence) == 1
    assert ("Took over from Mereshire County Council (until 31 December 2022; Westmere Council also took over from it)"
            in timeline)


def test_the_predecessor_is_named_on_the_inspection_page_and_the_timeline(built: Path) -> None:
    sentence = "This report is about Northdale County Council. Northdale Council took over from it in April 2020."
    assert sentence in text_of(built / "northdale" / "2019-05-ilacs-standard" / "index.html")
    assert text_of(built / "northdale" / "index.html").count(sentence) == 2  # the 2012 and 2019 reports
    assert "This report is about" not in text_of(built / "northdale" / "2023-06-ilacs-standard" / "index.html")


# --- the facts page -------------------------------------------------------------------------------

def test_a_facts_page_shows_the_facts_and_says_once_that_no_summary_is_written(built: Path) -> None:
    page = built / "eastmere" / "2026-05-ilacs-standard" / "index.html"
    text = text_of(page)
    assert text.count("plain-words summary") == 1
    assert "We have not written a plain-words summary of this report yet." in text
    assert "11 to 22 May 2026" in text and "Jo Example" in text
    assert "Requires improvement to be good Not good yet. Nobody is at risk because of it" in text, "each grade's plain meaning"
    assert "These are the report's own words" in text
    html = page.read_text(encoding="utf-8")
    assert "<blockquote" in html and '<a href="https://example.org/reports/eastmere-2026.pdf">Read the full report</a>' in html


def test_a_2026_report_says_it_has_no_overall_grade_and_shows_no_older_one(built: Path) -> None:
    text = text_of(built / "eastmere" / "2026-05-ilacs-standard" / "index.html")
    assert "The rules used from April 2026 give no overall grade, so this report has none." in text
    assert "Outstanding" not in text, "the 2019 overall grade is never shown in its place"
    assert "Overall effectiveness" not in text


def test_the_reports_words_are_escaped_and_hard_words_explained_from_the_glossary(built: Path) -> None:
    html = (built / "eastmere" / "2026-05-ilacs-standard" / "index.html").read_text(encoding="utf-8")
    assert "&lt;em&gt;quickly&lt;/em&gt;" in html and "<em>quickly" not in html
    assert 'id="used-care-leaver" href="#word-care-leaver"' in html and 'id="word-care-leaver"' in html
    assert html.count('href="#word-looked-after-child"') == 1, "each word is linked at its first use only"


def test_quote_links_a_glossary_word_once_and_escapes_the_rest(fixture_site: object) -> None:
    words = Words(fixture_site, parse_base_url("/"))
    used: list[str] = []
    html = str(words.quote("Care leavers & Children in care; care leavers", used))
    assert html.count('class="term"') == 2 and "&amp;" in html
    assert used == ["care-leaver", "looked-after-child"]
    assert str(words.quote("care leavers", used)) == "care leavers"


def test_the_timeline_marks_a_facts_page(built: Path) -> None:
    text = text_of(built / "eastmere" / "index.html")
    assert text.count("(the facts only: no plain-words summary yet)") == 2
    assert "No overall grade: the rules used from April 2026 give none. 4 other grades" in text
    assert "(the facts only" not in text_of(built / "northdale" / "index.html")


# --- finding your council, and how councils compare -----------------------------------------------

def test_the_home_page_lists_every_council_by_region_with_its_latest_grade(built: Path) -> None:
    text = text_of(built / "index.html")
    assert "Nowhere (1 council) Northdale Council : Requires improvement to be good (2023)" in text
    assert ("Somewhere (2 councils) Eastmere Council : No overall grade (rules from April 2026) (2026) "
            "Southvale Borough Council : Outstanding (2019)") in text


def test_councils_are_in_order_of_the_name_people_use(fixture_site: object) -> None:
    tally = national.tally(fixture_site)
    councils = [dataclasses.replace(c, region="Here") for c in fixture_site.shown_councils()]
    councils[0] = dataclasses.replace(councils[0], name="Aardvark City Council", short_name="Zedmere")
    assert [x.council.slug for x in by_region(councils, tally)[0][1]] == ["northdale", "southvale", "eastmere"]


def test_every_council_from_a_to_z(built: Path) -> None:
    text = text_of(built / "councils" / "index.html")
    assert text.index("Eastmere Council") < text.index("Northdale Council") < text.index("Southvale Borough Council")
    assert "Northdale Council Nowhere 5 June 2023 Requires improvement to be good" in text


def test_the_compare_page_has_a_chart_and_the_same_numbers_in_a_table(built: Path) -> None:
    page = built / "compare" / "index.html"
    html, text = page.read_text(encoding="utf-8"), text_of(page)
    assert "The newest was published on 3 July 2026" in text
    assert "Inspections under the rules used from April 2026 give no overall grade." in text
    assert '<span class="bar g-outstanding w35" aria-hidden="true">' in html and "<figcaption" in html
    assert "Outstanding 1 council" in text and "Good 0 councils" in text
    assert "England 1 0 1 0 1 3" in text and "Nowhere 0 0 1 0 0 1" in text and "Somewhere 1 0 0 0 1 2" in text
    assert "2026 0 0 0 0 0 1 1" in text  # by year: the 2026 report in its own column, after "separate grades"
    assert "Separate grades, no single overall grade" in text  # the 2012 report, under rules with two strands
    assert html.count(" w35\"") == 3 and html.count(" w0\"") == 2  # 1 of 3 councils each; none


def test_a_bar_is_its_share_in_steps_of_5_and_never_hides_a_count() -> None:
    assert [bar_width(n, 153) for n in (0, 1, 27, 76, 153)] == [0, 5, 20, 50, 100]
    assert bar_width(0, 0) == 0


def test_a_council_page_says_where_its_latest_grade_stands(built: Path) -> None:
    text = text_of(built / "northdale" / "index.html")
    assert "Northdale is the only council in England whose latest overall grade is requires improvement to be good." in text


def test_each_council_has_its_own_sources_page_and_the_sources_page_stays_short(built: Path) -> None:
    general = text_of(built / "sources" / "index.html")
    assert "Childline" in general and "Northdale Council website" not in general
    assert "About each council Each council's page of sources" in general and "Northdale Council" in general
    own = text_of(built / "northdale" / "sources" / "index.html")
    assert "Northdale Council website" in own and "Childline" not in own
    html = (built / "northdale" / "index.html").read_text(encoding="utf-8")
    assert 'href="/northdale/sources/#source-plan-2021"' in html, "an event's source links to its council's sources page"
    assert 'href="/northdale/sources/">Where the facts about Northdale come from' in html


# --- at national size -----------------------------------------------------------------------------

def national_content(tmp: Path, count: int = 153) -> Path:
    """The fixture content with `count` councils, each a copy of Northdale under a long name, in 9 regions."""
    content = tmp / "content"
    shutil.copytree(FIXTURES / "site", content)
    source = content / "councils" / "northdale"
    for n in range(count):
        folder = content / "councils" / f"council-number-{n:03d}"
        shutil.copytree(source, folder)
        for file in (f for f in folder.rglob("*") if f.is_file()):  # source ids are site-wide: make each council's its own
            text = re.sub(r"\b(report-\d+|letter-\d+|plan-\d+|northdale-web)\b", rf"\1-{n}", file.read_text(encoding="utf-8"))
            file.write_text(text, encoding="utf-8")
        yaml = (folder / "council.yaml").read_text(encoding="utf-8")
        yaml = yaml.replace("name: Northdale Council", f"name: The Royal Borough of Longname Number {n:03d} Council")
        yaml = yaml.replace("region: Nowhere", f"region: {REGIONS[n % len(REGIONS)]}")
        (folder / "council.yaml").write_text(yaml, encoding="utf-8")
    return content


def test_the_pages_about_every_council_stay_light_at_national_size(tmp_path: Path) -> None:
    out = tmp_path / "site"
    build(BuildConfig(national_content(tmp_path), ROOT / "templates", out, parse_base_url("/repo/")))
    css = (out / "assets" / "style.css").stat().st_size
    for page in ("index.html", "councils/index.html", "compare/index.html", "council-number-000/index.html",
                 "sources/index.html"):
        size = (out / page).stat().st_size + css
        assert size < LIMIT, f"{page}: {size} bytes with its CSS"
    home = (out / "index.html").read_text(encoding="utf-8")
    assert home.count("<details") == len(REGIONS) + 2  # the 9 regions, and the fixture's own two
    assert "156 councils, by region" in text_of(out / "index.html")


# --- the preview ----------------------------------------------------------------------------------

def test_a_grade_edited_in_the_preview_moves_every_council_standing_as_a_full_build_would(tmp_path: Path) -> None:
    from generator.serve import Preview
    from support import tree_digest
    shutil.copytree(FIXTURES / "site", tmp_path / "content")
    shutil.copytree(ROOT / "templates", tmp_path / "templates")
    config = BuildConfig(tmp_path / "content", tmp_path / "templates", tmp_path / "preview", parse_base_url("/"), drafts=True)
    preview = Preview(config)
    assert preview.start().ok
    page = tmp_path / "content" / "councils" / "northdale" / "2023-06-ilacs-standard.md"
    text = page.read_text(encoding="utf-8")
    page.write_text(text.replace("theme: overall\n    grade: requires-improvement", "theme: overall\n    grade: outstanding"),
                    encoding="utf-8")
    first = preview.begin()
    assert first is not None and first.ok
    assert "southvale/index.html" in preview.pending_files, "another council's page follows the edited council's"
    assert "northdale/index.html" not in preview.pending_files
    assert preview.finish() is not None
    assert "Southvale is one of 2 councils in England whose latest overall grade is outstanding." in \
        text_of(tmp_path / "preview" / "southvale" / "index.html")
    build(BuildConfig(config.content, config.templates, tmp_path / "full", config.links, drafts=True))
    assert tree_digest(tmp_path / "preview") == tree_digest(tmp_path / "full")
