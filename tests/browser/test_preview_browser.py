"""The live preview in a real browser: an edit on disk shows without touching the browser; errors show and clear."""
from __future__ import annotations

import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from support import ROOT

pytestmark = pytest.mark.browser
PAGE = "york/2022-03-ilacs-standard/"
FILE = Path("councils/york/2022-03-ilacs-standard.md")


def free_port() -> int:
    """A port nothing listens on now."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def preview_server(tmp_path: Path) -> Iterator[tuple[str, Path]]:
    """`python -m generator serve` on a copy of the real content, under /repo/: yields (page URL, content folder)."""
    content = tmp_path / "content"
    shutil.copytree(ROOT / "content", content)
    port = free_port()
    proc = subprocess.Popen([sys.executable, "-m", "generator", "serve", "--content", str(content), "--templates",
                             str(ROOT / "templates"), "--port", str(port), "--base-url", "/repo/", "--out", str(tmp_path / "preview")],
                            cwd=tmp_path, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    url = f"http://127.0.0.1:{port}/repo/{PAGE}"
    deadline = time.time() + 60
    while time.time() < deadline:
        try:
            urllib.request.urlopen(url, timeout=2)
            break
        except (urllib.error.URLError, ConnectionError):
            time.sleep(0.2)
    try:
        yield url, content
    finally:
        proc.send_signal(2)
        proc.communicate(timeout=20)


def change(path: Path, old: str, new: str) -> None:
    """Edit a file on disk as a curator's editor would."""
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_edit_break_and_fix_a_file_while_the_page_is_open(browser: Any, preview_server: tuple[str, Path]) -> None:
    url, content = preview_server
    page = browser.new_page()
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
    page.close()
