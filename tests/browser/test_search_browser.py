"""Search in a real browser finds what readers type: a town, a former name, a council, words of a summary.

Uses this folder's conftest.py: the real content built with its Pagefind index, served under /repo/ on
127.0.0.1, and Debian's chromium through Playwright. test_browser_search.py checks the results'
accessibility; this file checks that the right pages are found.
"""
from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest

from browser_support import BASE

pytestmark = pytest.mark.browser
RESULT = ".pagefind-ui__result-link"


@pytest.fixture(scope="module")
def origin(site_origin: str, built_site: Path) -> str:
    """The real content with its search index (conftest.py builds it), served under /repo/."""
    assert (built_site / "pagefind" / "pagefind-ui.js").is_file(), "the browser tests' build has no search index"
    return site_origin


class Watched:
    """A page with every request and console message it made recorded."""

    def __init__(self, page: Any) -> None:
        self.page, self.requests, self.console = page, [], []
        page.on("request", lambda r: self.requests.append(r.url))
        page.on("console", lambda m: self.console.append(f"{m.type}: {m.text}"))

    def results(self) -> list[str]:
        """The links of the search results, once there are some."""
        self.page.wait_for_selector(RESULT, timeout=15000)
        return [a.get_attribute("href") for a in self.page.query_selector_all(RESULT)]


@pytest.fixture
def watched(browser: Any) -> Iterator[Watched]:
    """A fresh page in a fresh context."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    try:
        yield Watched(context.new_page())
    finally:
        context.close()


def test_the_home_page_search_box_finds_a_council_by_town(origin: str, watched: Watched) -> None:
    page = watched.page
    page.goto(f"{origin}{BASE}")
    page.fill("#search-words", "Harrogate")
    page.press("#search-words", "Enter")
    page.wait_for_url(f"{origin}{BASE}search/?q=Harrogate")
    assert f"{BASE}north-yorkshire/" in watched.results()


@pytest.mark.parametrize("words, expected", [
    ("North Yorkshire County Council", "north-yorkshire/"),  # a former name
    ("Peterborough", "peterborough/"),  # a council's name
    # words from an inspection's summary, as a phrase: unquoted, pages that use one of the words more often
    # (Bexley's "remarkable level of support", three times) rank first, as the summaries of 153 councils grow
    ('"remarkable improvements"', "york/2025-02-ilacs-standard/"),
])
def test_typing_in_the_search_page_finds_it(origin: str, watched: Watched, words: str, expected: str) -> None:
    page = watched.page
    page.goto(f"{origin}{BASE}search/")
    page.fill(".pagefind-ui__search-input", words)
    assert f"{BASE}{expected}" in watched.results()


def test_search_asks_nothing_of_anyone_else_and_breaks_no_rule(origin: str, watched: Watched) -> None:
    watched.page.goto(f"{origin}{BASE}search/?q={quote('care leavers')}")
    assert watched.results()
    assert watched.requests and all(url.startswith(f"{origin}{BASE}") for url in watched.requests), watched.requests
    assert not [m for m in watched.console if "Content Security Policy" in m or m.startswith("error")
                and "favicon" not in m and "404" not in m], watched.console
    assert not watched.page.is_visible("#search-needs-js") and not watched.page.is_visible("#search-broken")


def test_without_javascript_the_search_page_says_it_needs_it(origin: str, browser: Any) -> None:
    context = browser.new_context(java_script_enabled=False)
    try:
        page = context.new_page()
        page.goto(f"{origin}{BASE}search/")
        assert page.is_visible("#search-needs-js")
        assert "Search needs JavaScript" in page.inner_text("#search-needs-js")
    finally:
        context.close()
