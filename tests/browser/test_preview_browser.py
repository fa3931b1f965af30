"""The live preview in a real browser: an edit on disk shows without touching the browser; errors show and clear."""
from __future__ import annotations

import shutil
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from support import ROOT, Serving

pytestmark = pytest.mark.browser
PAGE = "york/2022-03-ilacs-standard/"
FILE = Path("councils/york/2022-03-ilacs-standard.md")


@pytest.fixture
def preview_server(tmp_path: Path) -> Iterator[tuple[str, Path]]:
    """`python -m generator serve` on a copy of the real content, under /repo/: yields (page URL, content folder)."""
    content = tmp_path / "content"
    shutil.copytree(ROOT / "content", content)
    serving = Serving("--content", str(content), "--templates", str(ROOT / "templates"), "--port", "0",
                      "--base-url", "/repo/", "--out", str(tmp_path / "preview"), cwd=tmp_path)
    try:
        address = serving.wait_until_serving()
        yield f"{address}{PAGE}", content
    finally:
        output = serving.stop()
    assert "Traceback" not in output, output


def change(path: Path, old: str, new: str) -> None:
    """Edit a file on disk as a curator's editor would."""
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_edit_break_and_fix_a_file_while_the_page_is_open(browser: Any, preview_server: tuple[str, Path]) -> None:
    url, content = preview_server
    page = browser.new_page()
    console = Console(page)
    page.goto(url)
    heading = page.locator("h1")
    assert "York" in heading.inner_text()

    change(content / FILE, "## In short\n", "## In short\nA sentence written while the page was open.\n")
    page.get_by_text("A sentence written while the page was open.").wait_for(timeout=15000)

    change(content / FILE, "kind: ilacs-standard", "kind: ilacs-standart")
    page.get_by_text("The preview cannot be built").wait_for(timeout=15000)
    body = page.locator("main").inner_text()
    assert "2022-03-ilacs-standard.md:2" in body and 'did you mean "ilacs-standard"' in body and "How to fix" in body

    change(content / FILE, "kind: ilacs-standart", "kind: ilacs-standard")
    page.get_by_text("A sentence written while the page was open.").wait_for(timeout=15000)
    assert "cannot be built" not in page.locator("main").inner_text()
    assert console.errors == [], "no script is blocked by the page's Content-Security-Policy"
    page.close()


class Console:
    """Every console error and uncaught script error of a page (a blocked inline script is one).

    The error page is sent with status 500 on purpose: the browser's note of that is not an error here.
    """

    def __init__(self, page: Any) -> None:
        self.errors: list[str] = []
        page.on("console", self.seen)
        page.on("pageerror", lambda e: self.errors.append(str(e)))

    def seen(self, message: Any) -> None:
        """Keep an error message, unless it is the error page's own status."""
        if message.type == "error" and not ("status of 500" in message.text and message.location["url"].endswith(PAGE)):
            self.errors.append(f"{message.text} ({message.location['url']})")


def slow_network(page: Any, latency: int = 300) -> None:
    """Every request of the page takes `latency` ms longer, as on a slow phone or a busy computer."""
    session = page.context.new_cdp_session(page)
    session.send("Network.enable")
    session.send("Network.emulateNetworkConditions",
                 {"offline": False, "latency": latency, "downloadThroughput": -1, "uploadThroughput": -1})


def test_every_save_shows_even_one_made_right_after_the_page_loads(browser: Any, preview_server: tuple[str, Path]) -> None:
    url, content = preview_server
    page = browser.new_page()
    console = Console(page)
    slow_network(page)  # the page shows its text well before its script can hear of a rebuild
    page.goto(url)
    previous = "## In short\n"
    for n in range(10):
        sentence = f"Save number {n}, made the moment the page had loaded."
        # Saved as soon as the last save shows: the reloaded page's script has not yet reached the server.
        change(content / FILE, previous, f"## In short\n{sentence}\n" if n == 0 else sentence)
        page.get_by_text(sentence).wait_for(timeout=15000)
        previous = sentence
    assert console.errors == []
    page.close()


def search_results(page: Any, url: str) -> list[str]:
    """The links the preview's search page finds for its ?q= words, once it has answered."""
    page.goto(url)
    page.locator(".pagefind-ui__result-link, .pagefind-ui__message:has-text('Nothing found')").first.wait_for(timeout=30000)
    return [a.get_attribute("href") for a in page.query_selector_all(".pagefind-ui__result-link")]


def test_search_works_in_the_preview_and_finds_what_was_just_saved(browser: Any, preview_server: tuple[str, Path]) -> None:
    url, content = preview_server
    search = url.split(PAGE)[0] + "search/?q="
    page = browser.new_page()
    console = Console(page)
    assert search_results(page, search + "York"), "the first index is made in the background after the first build"
    page.goto(url)  # before the save: the save reloads the page open then
    change(content / FILE, "## In short\n", "## In short\nA word no page had before: quokkaberry.\n")
    page.get_by_text("quokkaberry").wait_for(timeout=15000)
    # The index is made again in the background once the edits pause (the reload did not wait for it):
    # ask until it is there, for a bounded time.
    deadline = time.monotonic() + 30
    while not (found := search_results(page, search + "quokkaberry")) and time.monotonic() < deadline:
        page.wait_for_timeout(500)
    assert f"/repo/{PAGE}" in found
    assert console.errors == []
    page.close()
