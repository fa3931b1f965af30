"""Publishing the real content: links under the base path, 404, sitemap, robots.txt, feeds, open data."""
from __future__ import annotations

import csv
import json
import re
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlsplit
from xml.etree import ElementTree as ET

import pytest

from generator.publish import SITE_FEED_ENTRIES

from support import ROOT
from generator.build import BuildConfig, build
from generator.load import load_site
from generator.urls import parse_base_url

CHECK_LINKS = ROOT / "tests" / "linkcheck.py"
A = "{http://www.w3.org/2005/Atom}"
SM = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
PROJECT = "https://owner.github.io/repo/"
DOMAIN = "https://example.org/"
BASES = ["/repo/", PROJECT, DOMAIN]


@pytest.fixture(scope="module")
def sites(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """The real content built once for each base URL (no search index: test_search.py covers it)."""
    out = {}
    for base in BASES:
        folder = tmp_path_factory.mktemp("publish") / "site"
        build(BuildConfig(ROOT / "content", ROOT / "templates", folder, parse_base_url(base)))
        out[base] = folder
    return out


@pytest.fixture(scope="module")
def site_model():
    """The real content as the model."""
    site, problems = load_site(ROOT / "content")
    assert site is not None, problems
    return site


class Refs(HTMLParser):
    """Every href and src in a page, and the head's feed links."""

    def __init__(self) -> None:
        super().__init__()
        self.refs: list[str] = []
        self.feeds: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        self.refs += [a[k] for k in ("href", "src") if a.get(k)]
        if tag == "link" and a.get("rel") == "alternate" and a.get("type") == "application/atom+xml":
            self.feeds.append(a["href"] or "")


def refs(page: Path) -> Refs:
    """The links of a built page."""
    parser = Refs()
    parser.feed(page.read_text(encoding="utf-8"))
    return parser


def html_pages(site: Path) -> set[str]:
    """The site path of every HTML page in a build ('york/' for york/index.html)."""
    return {re.sub(r"(^|/)index\.html$", r"\1", p.relative_to(site).as_posix()) for p in site.rglob("*.html")}


@pytest.mark.parametrize("base", BASES)
def test_every_internal_link_and_asset_resolves(sites: dict[str, Path], base: str) -> None:
    path = parse_base_url(base).base_path
    result = subprocess.run([sys.executable, str(CHECK_LINKS), str(sites[base]), path], capture_output=True, text=True)
    assert result.returncode == 0, result.stdout


@pytest.mark.parametrize("base", BASES)
def test_the_404_page_has_only_links_that_work_at_any_depth(sites: dict[str, Path], base: str) -> None:
    """GitHub Pages serves 404.html for any missing address, however deep: no relative links."""
    path = parse_base_url(base).base_path
    found = refs(sites[base] / "404.html").refs
    assert found
    for ref in found:
        assert ref.startswith((path, "#")) or urlsplit(ref).scheme in ("http", "https"), ref
    assert 'rel="canonical"' not in (sites[base] / "404.html").read_text(encoding="utf-8")


@pytest.mark.parametrize("base", BASES)
def test_the_sitemap_lists_every_page_but_404_with_absolute_urls(sites: dict[str, Path], base: str) -> None:
    site, links = sites[base], parse_base_url(base)
    root = ET.parse(site / "sitemap.xml").getroot()
    assert root.tag == f"{SM}urlset"
    locs = [loc.text or "" for loc in root.iter(f"{SM}loc")]
    assert len(locs) == len(set(locs))
    prefix = links.site_url or links.base_path
    assert all(loc.startswith(prefix) for loc in locs)
    assert {loc.removeprefix(prefix) for loc in locs} == html_pages(site) - {"404.html"}


@pytest.mark.parametrize("base", BASES)
def test_robots_txt_points_to_the_sitemap(sites: dict[str, Path], base: str) -> None:
    links = parse_base_url(base)
    lines = (sites[base] / "robots.txt").read_text(encoding="utf-8").splitlines()
    assert "User-agent: *" in lines
    sitemaps = [line.removeprefix("Sitemap: ") for line in lines if line.startswith("Sitemap")]
    if links.site_url:
        assert sitemaps == [links.site_url + "sitemap.xml"]
    else:
        assert sitemaps == [], "crawlers reject a Sitemap line without a full address"


def read_feed(path: Path) -> ET.Element:
    """A feed, parsed."""
    root = ET.parse(path).getroot()
    assert root.tag == f"{A}feed"
    return root


def entries(feed: ET.Element) -> list[dict[str, str]]:
    """A feed's entries as id, link, updated and title."""
    return [{"id": e.findtext(f"{A}id"), "link": e.find(f"{A}link[@rel='alternate']").get("href"),
             "updated": e.findtext(f"{A}updated"), "title": e.findtext(f"{A}title"),
             "summary": e.findtext(f"{A}summary")} for e in feed.findall(f"{A}entry")]


@pytest.mark.parametrize("base", [PROJECT, DOMAIN])
def test_the_site_feed_lists_every_inspection_newest_first_with_absolute_links(sites: dict[str, Path], base: str,
                                                                              site_model) -> None:
    site = sites[base]
    feed = read_feed(site / "feed.xml")
    items = entries(feed)
    rows = json.loads((site / "data" / "inspections.json").read_text(encoding="utf-8"))
    assert len(items) == min(len(rows), SITE_FEED_ENTRIES), "the site's feed carries the newest reports"
    assert all(i["link"].startswith(base) for i in items)
    assert {urlsplit(i["link"]).path for i in items} <= {r["url"] for r in rows}
    for item in items:  # every entry's page exists in the build
        assert (site / item["link"].removeprefix(base) / "index.html").is_file()
    assert all(i["summary"] and i["title"] for i in items)
    dates = [i["updated"] for i in items]
    assert dates == sorted(dates, reverse=True)
    assert feed.findtext(f"{A}updated") == dates[0]  # the newest item's date, never the build's time
    self_link = feed.find(f"{A}link[@rel='self']").get("href")
    assert self_link == base + "feed.xml"
    assert len({i["id"] for i in items}) == len(items)


def test_newest_first_means_by_publication_date_then_end_date(sites: dict[str, Path], site_model) -> None:
    items = entries(read_feed(sites[PROJECT] / "feed.xml"))
    by_url = {f"{i.council}/{i.slug}/": i for i in site_model.published_inspections()}
    keys = [(lambda x: (x.published or x.end, x.end))(by_url[i["link"].removeprefix(PROJECT)]) for i in items]
    assert keys == sorted(keys, reverse=True)


def test_feed_ids_do_not_change_when_the_site_moves(sites: dict[str, Path]) -> None:
    """A parent who follows a council must not see every report again after a move to a new domain."""
    for path in ["feed.xml", "york/feed.xml", "north-yorkshire/feed.xml"]:
        ids = {base: [i["id"] for i in entries(read_feed(sites[base] / path))] for base in BASES}
        assert ids[PROJECT] == ids[DOMAIN] == ids["/repo/"]
        assert all(i.startswith("urn:uuid:") for i in ids[PROJECT])
        assert read_feed(sites[PROJECT] / path).findtext(f"{A}id") == read_feed(sites[DOMAIN] / path).findtext(f"{A}id")


def test_each_council_has_a_feed_of_its_own_reports(sites: dict[str, Path], site_model) -> None:
    site = sites[PROJECT]
    newest = {i["id"]: i for i in entries(read_feed(site / "feed.xml"))}
    seen = []
    for council in site_model.shown_councils():
        feed = read_feed(site / council.slug / "feed.xml")
        items = entries(feed)
        assert all(i["link"].startswith(f"{PROJECT}{council.slug}/") for i in items)
        assert all(newest[i["id"]] == i for i in items if i["id"] in newest)  # the same entry as in the site's feed
        assert feed.find(f"{A}link[@rel='alternate']").get("href") == f"{PROJECT}{council.slug}/"
        seen += [i["id"] for i in items]
    assert set(newest) <= set(seen), "every entry of the site's feed is in its council's feed"
    assert len(seen) == len(set(seen)) == len(site_model.published_inspections()), "every report, once"


def test_with_only_a_path_the_feeds_still_parse_and_use_rooted_paths(sites: dict[str, Path]) -> None:
    feed = read_feed(sites["/repo/"] / "york" / "feed.xml")
    links = [i["link"] for i in entries(feed)]
    assert links and all(link.startswith("/repo/york/") for link in links)
    assert feed.find(f"{A}link[@rel='self']").get("href") == "/repo/york/feed.xml"


@pytest.mark.parametrize("base", BASES)
def test_page_heads_name_the_site_feed_and_the_councils_feed(sites: dict[str, Path], base: str) -> None:
    site, links = sites[base], parse_base_url(base)
    prefix = links.site_url or links.base_path
    assert refs(site / "index.html").feeds == [prefix + "feed.xml"]
    for page in ["york/index.html", "york/2022-03-ilacs-standard/index.html"]:
        assert refs(site / page).feeds == [prefix + "feed.xml", prefix + "york/feed.xml"]


def test_the_csv_agrees_with_the_json_row_for_row(sites: dict[str, Path], site_model) -> None:
    site = sites[PROJECT]
    rows = json.loads((site / "data" / "inspections.json").read_text(encoding="utf-8"))
    with open(site / "data" / "judgements.csv", encoding="utf-8", newline="") as stream:
        table = list(csv.DictReader(stream))
    expected = [(r, j) for r in rows for j in r["judgements"]]
    assert len(table) == len(expected) > 0
    for line, (row, judgement) in zip(table, expected):
        council = site_model.councils[row["council"]]
        assert line["council"] == row["council"] and line["council_name"] == row["council_name"]
        assert (line["kind"], line["framework"], line["start"], line["end"]) == (row["kind"], row["framework"], row["start"], row["end"])
        assert line["published"] == (row["published"] or "")
        assert (line["area"], line["theme"], line["grade"]) == (judgement["area"], judgement["theme"], judgement["grade"])
        assert line["url"] == "https://owner.github.io" + row["url"]  # the JSON's path, made absolute
        assert line["dfe_la_code"] == council.dfe_la_code


def test_the_csv_gives_the_ons_code_of_the_day_of_the_inspection(sites: dict[str, Path]) -> None:
    """North Yorkshire's code changed when it became a unitary council on 1 April 2023."""
    with open(sites[PROJECT] / "data" / "judgements.csv", encoding="utf-8", newline="") as stream:
        table = list(csv.DictReader(stream))
    codes = {(r["council"], r["start"][:4]): r["ons_code"] for r in table}
    assert codes[("north-yorkshire", "2014")] == "E10000023"
    assert codes[("north-yorkshire", "2023")] == "E06000065"
    assert codes[("north-yorkshire", "2023")] != codes[("north-yorkshire", "2018")]


def test_the_data_page_documents_every_csv_column(sites: dict[str, Path]) -> None:
    site = sites[PROJECT]
    page = (site / "data" / "index.html").read_text(encoding="utf-8")
    with open(site / "data" / "judgements.csv", encoding="utf-8", newline="") as stream:
        header = next(csv.reader(stream))
    for column in header:
        assert f"<code>{column}</code>" in page, column
    assert 'href="/repo/data/judgements.csv"' in page and 'href="/repo/feed.xml"' in page


def test_a_custom_domain_serves_the_site_at_the_root(sites: dict[str, Path]) -> None:
    page = (sites[DOMAIN] / "york" / "index.html").read_text(encoding="utf-8")
    assert '<link rel="canonical" href="https://example.org/york/">' in page
    assert 'href="/assets/style.css"' in page and "/repo/" not in page


def test_a_council_with_no_reports_yet_still_has_a_valid_feed(site_model) -> None:
    """Its `updated` comes from its own (no) entries, never from the build time or other councils."""
    from generator.publish import atom_feed

    council = site_model.councils["york"]
    feed = ET.fromstring(atom_feed(site_model, parse_base_url(PROJECT), [], council).encode("utf-8"))
    assert feed.findall(f"{A}entry") == []
    assert feed.findtext(f"{A}updated") == "1970-01-01T00:00:00Z"
    assert feed.findtext(f"{A}id", "").startswith("urn:uuid:")


def test_the_site_feed_carries_the_newest_reports_only(site_model) -> None:
    from generator.publish import atom_feed
    from generator.urls import parse_base_url

    feed = ET.fromstring(atom_feed(site_model, parse_base_url(DOMAIN), list(site_model.published_inspections()), None, limit=3))
    got = [e.findtext(f"{A}updated") for e in feed.findall(f"{A}entry")]
    assert len(got) == 3 and got == sorted(got, reverse=True)


def test_no_cell_of_the_csv_can_run_as_a_spreadsheet_formula(tmp_path: Path) -> None:
    """Text that starts like a formula (=, +, -, @, tab, CR) is kept as text: a leading quote (OWASP)."""
    import shutil

    from support import FIXTURES

    content = tmp_path / "content"
    shutil.copytree(FIXTURES / "site", content)
    page = content / "councils" / "northdale" / "2012-03-slac.md"
    text = page.read_text()
    for old, new in (("{area: Overall effectiveness, theme: safeguarding/overall",
                      "{area: '=HYPERLINK(\"https://evil.example/\",\"Click\")', theme: safeguarding/overall"),
                     ("{area: Capacity for improvement, theme: safeguarding/capacity", "{area: '+1+1', theme: safeguarding/capacity"),
                     ("{area: Overall effectiveness, theme: looked-after/overall", "{area: '@SUM(A1)', theme: looked-after/overall"),
                     ("{area: Capacity for improvement, theme: looked-after/capacity", "{area: \"-2\\tx\", theme: looked-after/capacity")):
        assert old in text
        text = text.replace(old, new)
    page.write_text(text)
    build(BuildConfig(content, ROOT / "templates", tmp_path / "site", parse_base_url(PROJECT)))
    with open(tmp_path / "site" / "data" / "judgements.csv", encoding="utf-8", newline="") as stream:
        table = list(csv.DictReader(stream))
    areas = [row["area"] for row in table if row["start"] == "2012-03-05"]
    assert areas == ["'=HYPERLINK(\"https://evil.example/\",\"Click\")", "'+1+1", "'@SUM(A1)", "'-2\tx"]
    cells = [cell for row in table for cell in row.values()]
    assert not [cell for cell in cells if cell[:1] in ("=", "+", "-", "@", "\t", "\r")]
