"""Search in a real browser: the real content with its Pagefind index, served under /repo/ on 127.0.0.1.

Uses the `browser` fixture (Debian's chromium through Playwright) from this folder's conftest.py.
"""
from __future__ import annotations

import threading
from collections.abc import Iterator
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest

from browser_support import BASE
from support import ROOT
from generator.build import BuildConfig, build
from generator.search import SearchIndexer
from generator.urls import parse_base_url

pytestmark = pytest.mark.browser
RESULT = ".pagefind-ui__result-link"


class UnderBase(SimpleHTTPRequestHandler):
    """Serves the site under BASE, as GitHub Pages serves a project site."""

    def translate_path(self, path: str) -> str:
        """Map /repo/... to the site folder; anything else to a file that does not exist."""
        clean = path.split("?", 1)[0].split("#", 1)[0]
        if not clean.startswith(BASE):
            return str(Path(self.directory) / "outside-the-base-path")
        return super().translate_path("/" + clean[len(BASE):])

    def log_message(self, format: str, *args: Any) -> None:
        """Keep the test output quiet."""


@pytest.fixture(scope="module")
def origin(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The real content built with its search index, served from a thread: 'http://127.0.0.1:PORT'."""
    out = tmp_path_factory.mktemp("search-browser") / "site"
    build(BuildConfig(ROOT / "content", ROOT / "templates", out, parse_base_url(BASE), after_write=(SearchIndexer(),)))
    server = ThreadingHTTPServer(("127.0.0.1", 0), partial(UnderBase, directory=str(out)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


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
    ("remarkable improvements", "york/2025-02-ilacs-standard/"),  # words from an inspection's summary
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
