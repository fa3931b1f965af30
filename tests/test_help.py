"""What a reader needs that the reports do not say: help, complaints, records, what follows "inadequate"."""
from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from support import FIXTURES, ROOT
from generator.build import BuildConfig, build
from generator.load import load_site
from generator.urls import github_issues, parse_base_url

textstat = pytest.importorskip("textstat")


@pytest.fixture(scope="module")
def site_dir(real_site: Path) -> Path:
    return real_site


def words(html: str) -> str:
    """The words of some HTML."""
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html)).strip()


def test_the_help_page_cites_a_source_for_every_number_and_route(site_dir: Path) -> None:
    site, _ = load_site(ROOT / "content")
    page = site.pages["help"]
    html = (site_dir / "help" / "index.html").read_text()
    listed = html[html.index('id="sources"'):]
    for sid in page.sources:
        source = site.sources[sid]
        assert f'id="source-{sid}"' in listed, sid
        assert not source.url or f'href="{source.url}"' in listed, sid
    body = html[:html.index('id="sources"')]
    supports = " ".join(site.sources[s].supports for s in page.sources)
    for phone in re.findall(r"\b0\d{3} \d{3} \d{4}\b", words(body)):
        assert phone in supports, f"{phone} on the help page is not in any of its sources"
    for link in re.findall(r'href="(https?://[^"]+)"', body):
        assert any(link == site.sources[s].url for s in page.sources), f"{link} is not one of the page's sources"


def test_the_help_page_says_what_the_issue_asks_in_plain_words(site_dir: Path) -> None:
    html = (site_dir / "help" / "index.html").read_text()
    for part in ("how-to-complain-about-the-council", "if-you-think-an-ofsted-report-is-wrong", "if-this-site-is-wrong",
                 "how-to-see-your-own-records", "after-an-inadequate-grade", "if-you-are-a-parent-or-a-relative",
                 "if-you-are-in-care-or-have-left-care"):
        assert f'<h2 id="{part}">' in html, part
    text = words(html[html.index("<h1>"):html.index('id="sources"')])
    for name in ("Coram Voice", "Family Rights Group", "NYAS", "Childline", "Ombudsman", "subject access request", "25"):
        assert name in text, name
    assert textstat.flesch_reading_ease(text) >= 60


def test_help_is_shown_where_a_reader_needs_it(site_dir: Path) -> None:
    for page in ("york/index.html", "york/2022-03-ilacs-standard/index.html",
                 "peterborough/changes/2015-04-sif--2018-06-ilacs-standard/index.html"):
        box = (site_dir / page).read_text()
        box = box[box.index('aria-labelledby="help"'):]
        assert 'href="/help/"' in box and "Coram Voice" in box and "Family Rights Group" in box, page
    inadequate = (site_dir / "peterborough" / "2023-11-ilacs-standard" / "index.html").read_text()
    assert 'id="after-inadequate"' in inadequate and 'href="/help/#after-an-inadequate-grade"' in inadequate
    good = (site_dir / "york" / "2025-02-ilacs-standard" / "index.html").read_text()
    assert 'id="after-inadequate"' not in good


def test_the_contact_route_defaults_to_a_github_pages_sites_issues() -> None:
    assert github_issues("https://owner.github.io/repo/") == "https://github.com/owner/repo/issues"
    assert github_issues("https://example.org/") == ""
    assert github_issues("") == ""


@pytest.mark.parametrize("base, setting, link", [
    ("/", None, None),
    ("https://owner.github.io/repo/", None, "https://github.com/owner/repo/issues"),
    ("https://example.org/", "https://example.org/contact", "https://example.org/contact"),
])
def test_every_page_says_how_to_tell_us_about_a_mistake(tmp_path: Path, base: str, setting: str | None, link: str | None) -> None:
    content = tmp_path / "content"
    shutil.copytree(FIXTURES / "site", content)
    if setting:
        site_yaml = content / "site.yaml"
        site_yaml.write_text(site_yaml.read_text() + f"contact_url: {setting}\n")
    build(BuildConfig(content, ROOT / "templates", tmp_path / "site", parse_base_url(base), jobs=1))
    footer = (tmp_path / "site" / "index.html").read_text().split('<footer class="site">')[1]
    if link:
        assert f'<a href="{link}">Tell us about a mistake</a>' in footer
    else:
        assert "Tell us about a mistake" not in footer
