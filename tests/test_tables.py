"""The generated tables on the real content: what the reports graded, counted as they graded it."""
from __future__ import annotations

import re
from pathlib import Path

import pytest

from support import ROOT
from generator.build import BuildConfig, build
from generator.changes import comparisons
from generator.load import load_site
from generator.urls import parse_base_url


@pytest.fixture(scope="module")
def site_dir(real_site: Path) -> Path:
    return real_site


def text(html: str) -> str:
    """The words of some HTML, one space between them."""
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html)).strip()


def table_rows(html: str, table_id: str) -> dict[str, list[str]]:
    """A table's rows by their heading: the words of each cell."""
    table = html[html.index(f'id="{table_id}"'):]
    table = table[:table.index("</table>")]
    rows = {}
    for row in re.findall(r"<tr>(.*?)</tr>", table, re.S):
        head = re.search(r'<th scope="row">(.*?)</th>', row, re.S)
        if head:
            rows[text(head[1])] = [text(c) for c in re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)]
    return rows


def test_york_2012_overall_and_leaders_are_the_grades_the_report_gave(site_dir: Path) -> None:
    page = (site_dir / "york" / "changes" / "2012-03-slac--2016-11-sif" / "index.html").read_text()
    rows = table_rows(page, "compare-table")
    for theme in ("Overall", "Leaders"):
        before, _, change = rows[theme]
        assert before.startswith("Good") and "both parts" in before, rows[theme]
        assert change == "The same"
    council = (site_dir / "york" / "index.html").read_text()
    assert table_rows(council, "grades-table")["Overall"][0].startswith("Good")


def test_the_chart_shows_the_tables_overall_row(site_dir: Path) -> None:
    for council in ("york", "peterborough", "north-yorkshire"):
        page = (site_dir / council / "index.html").read_text()
        chart = page[page.index('class="chart"'):page.index("</ol>", page.index('class="chart"'))]
        bars = [re.findall(r'class="bar r\d g-([\w-]+)"', col) for col in chart.split('<li class="col">')[1:]]
        table = page[page.index('id="grades-table"'):]
        overall_row = re.search(r'<th scope="row">Overall</th>(.*?)</tr>', table, re.S)[1]
        cells = [sorted(set(re.findall(r'class="grade g-([\w-]+)"', c))) for c in re.findall(r"<td[^>]*>(.*?)</td>", overall_row, re.S)]
        assert [sorted(set(b)) or ["none"] for b in bars] == cells, council


def test_the_counts_count_one_shared_grade_once(site_dir: Path) -> None:
    page = text((site_dir / "peterborough" / "index.html").read_text())
    assert "From 13 April 2015 to 25 June 2018 : 4 better, 0 the same, 0 worse" in page
    assert "From 25 June 2018 to 27 November 2023 : 0 better, 0 the same, 4 worse" in page


def test_in_between_never_claims_what_the_story_tells_of(site_dir: Path) -> None:
    site, _ = load_site(ROOT / "content")
    for council in site.councils:
        for c in comparisons(site, council):
            page = text((site_dir / council / "changes" / c.slug / "index.html").read_text())
            assert "We know of no" not in page
            if not c.between:
                assert "No other visits or plans between these two inspections are listed on this site." in page


def test_each_grade_has_one_name_on_every_page(site_dir: Path) -> None:
    """The Grades page lists each framework's own wording; everywhere else a grade has one name."""
    names: dict[str, set[str]] = {}
    for page in site_dir.rglob("*.html"):
        if page.parent.name == "grades":
            continue
        for grade, words in re.findall(r'<span class="grade g-([\w-]+)">([^<]*)</span>', page.read_text()):
            names.setdefault(grade, set()).add(words)
    # "none" is not a grade: it says why there is none ("No grade for this", or the 2026 rules' missing overall grade)
    assert names and all(len(n) == 1 for grade, n in names.items() if grade != "none"), names
