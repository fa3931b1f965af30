"""Pages are light: no page is over 100 KB of HTML, CSS and JavaScript before compression (the search
index aside), and every image says its size."""
from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

from browser_support import BASE, write_report

LIMIT = 100_000  # bytes, before compression
SEARCH_BUNDLE = "pagefind/"  # the search index and its code load only when someone searches


class Assets(HTMLParser):
    """Collects a page's stylesheets and scripts, and its images without a width and height."""

    def __init__(self) -> None:
        super().__init__()
        self.files: list[str] = []
        self.unsized: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        """Note each <link rel=stylesheet>, <script src> and <img>."""
        a = dict(attrs)
        if tag == "link" and a.get("rel") == "stylesheet" and a.get("href"):
            self.files.append(a["href"] or "")
        elif tag == "script" and a.get("src"):
            self.files.append(a["src"] or "")
        elif tag == "img" and not (a.get("width") and a.get("height")):
            self.unsized.append(a.get("src") or "?")


def page_weight(site: Path, page: Path) -> tuple[int, list[str]]:
    """A page's bytes with its CSS and JS (each file once), and its unsized images."""
    parser = Assets()
    parser.feed(page.read_text(encoding="utf-8"))
    total = page.stat().st_size
    for href in dict.fromkeys(parser.files):
        path = re.sub(r"[?#].*", "", href)
        assert path.startswith(BASE), f"{page}: {href} is not on the site"
        if path.removeprefix(BASE).startswith(SEARCH_BUNDLE):
            continue
        total += (site / path.removeprefix(BASE)).stat().st_size
    return total, parser.unsized


def test_no_page_is_over_100_kb_and_images_are_sized(built_site: Path) -> None:
    weights, unsized = {}, {}
    for page in sorted(built_site.rglob("*.html")):
        if page.relative_to(built_site).as_posix().startswith(SEARCH_BUNDLE):
            continue
        name = page.relative_to(built_site).as_posix()
        weights[name], images = page_weight(built_site, page)
        if images:
            unsized[name] = images
    write_report("page-weights.json", dict(sorted(weights.items(), key=lambda kv: -kv[1])))
    assert len(weights) > 10
    heavy = {k: v for k, v in weights.items() if v > LIMIT}
    assert not heavy, f"pages over {LIMIT} bytes of HTML+CSS+JS: {heavy}"
    assert not unsized, f"images without width and height: {unsized}"
