"""Browser test fixtures: the real site built under /repo/, served on 127.0.0.1, and Debian's Chromium.

The tools come from `bash scripts/test`: Chromium from apt (/usr/bin/chromium), Playwright from PyPI
(never `playwright install`), axe-core and html-validate from npm into tests/browser/node_modules.
"""
from __future__ import annotations

import shutil
import threading
from collections.abc import Iterator
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest

from browser_support import ARTIFACTS, BASE, CHROMIUM, CHROMIUM_ARGS, NODE_MODULES, PageKind, page_kinds
from support import ROOT
from generator.build import BuildConfig, build
from generator.urls import parse_base_url


class SiteHandler(SimpleHTTPRequestHandler):
    """Serves a built site under BASE only, with its 404.html for anything missing (as GitHub Pages does)."""

    def translate_path(self, path: str) -> str:
        """Map /repo/... to the site folder; anything else maps to nowhere."""
        clean = path.split("?", 1)[0].split("#", 1)[0]
        if not clean.startswith(BASE):
            return str(Path(self.directory) / "no-such-file-outside-the-base-path")
        return super().translate_path("/" + clean[len(BASE):])

    def send_error(self, code: int, message: str | None = None, explain: str | None = None) -> None:
        """Answer a missing page with the site's own 404 page."""
        page = Path(self.directory) / "404.html"
        if code != 404 or not page.is_file():
            super().send_error(code, message, explain)
            return
        body = page.read_bytes()
        self.send_response(404)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def log_message(self, format: str, *args: Any) -> None:
        """Keep the test output quiet."""


@pytest.fixture(scope="session")
def built_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The real content, built once for the browser tests under the base path /repo/, search index included."""
    out = tmp_path_factory.mktemp("browser") / "site"
    build(BuildConfig(ROOT / "content", ROOT / "templates", out, parse_base_url(BASE), after_write=search_step()))
    return out


def search_step() -> tuple[Any, ...]:
    """The build step that writes the search index (issue 6), when the generator has one."""
    try:
        from generator.search import SearchIndexer
    except ImportError:
        return ()
    return (SearchIndexer(),)


@pytest.fixture(scope="session")
def site_origin(built_site: Path) -> Iterator[str]:
    """The built site served on 127.0.0.1 (a free port) from a thread: yields 'http://127.0.0.1:PORT'."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), partial(SiteHandler, directory=str(built_site)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture(scope="session")
def kinds(built_site: Path) -> dict[str, PageKind]:
    """One page of every kind in the real build, by kind name."""
    return {k.name: k for k in page_kinds(built_site)}


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    """Debian's headless Chromium, driven by Playwright; skips with the reason when a tool is missing."""
    if not Path(CHROMIUM).exists():
        pytest.skip(f"{CHROMIUM} is missing: run `bash scripts/test` as root (it installs Debian's chromium)")
    sync_api = pytest.importorskip("playwright.sync_api", reason="Playwright is missing: run `bash scripts/test`")
    with sync_api.sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        try:
            yield chromium
        finally:
            chromium.close()


@pytest.fixture(scope="session")
def axe_source() -> str:
    """axe-core's script, installed by `npm ci` in tests/browser."""
    path = NODE_MODULES / "axe-core" / "axe.min.js"
    if not path.is_file():
        pytest.skip(f"{path} is missing: run `bash scripts/test` (it runs npm ci in tests/browser)")
    return path.read_text(encoding="utf-8")


@pytest.fixture
def context(browser: Any) -> Iterator[Any]:
    """A fresh browser context (no cookies, no cache) at a phone-and-desktop-neutral size."""
    ctx = browser.new_context(viewport={"width": 1280, "height": 900})
    try:
        yield ctx
    finally:
        ctx.close()


@pytest.fixture(scope="session")
def screenshots() -> Path:
    """test-artifacts/screenshots/ (ignored by git), emptied once per run."""
    folder = ARTIFACTS / "screenshots"
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    return folder
