"""Safe rendering: raw HTML off, dangerous links dropped, citations and glossary links resolved."""
from __future__ import annotations

import pytest

from generator.markup import cite_numbers, find_refs, make_markdown, plain_text, render as render_md, split_sections

ENV = {"base_path": "/repo/", "resolve_cite": lambda slug, n: ("https://r.example/report.pdf#page=4", ""),
       "resolve_term": lambda t: ("/repo/words/#x", "x")}


def render(text: str) -> str:
    return render_md(make_markdown(), text, dict(ENV))


def test_control_characters_cannot_forge_a_placeholder() -> None:
    assert "\x02" not in render("a \x02Tx\x1fy\x03 b") and "<a" not in render("a \x02Tx\x1fy\x03 b")


@pytest.mark.parametrize("hostile", [
    "<script>alert(1)</script>", "<img src=x onerror=alert(1)>", '<a href="javascript:alert(1)">x</a>',
    "<iframe src=//evil.example></iframe>", '<div onclick="alert(1)">x</div>'])
def test_raw_html_is_shown_as_text(hostile: str) -> None:
    html = render(hostile)
    assert "<script" not in html and "<img" not in html and "<iframe" not in html and "<div" not in html and "<a " not in html


@pytest.mark.parametrize("link", ["javascript:alert(1)", "JaVaScRiPt:alert(1)", "java\tscript:alert(1)", "data:text/html,x",
                                  "vbscript:msgbox", "file:///etc/passwd"])
def test_dangerous_links_are_dropped(link: str) -> None:
    html = render(f"[click]({link}) <{link}>")
    assert "href" not in html


def test_images_never_load_from_elsewhere() -> None:
    assert "<img" not in render("![tracker](https://evil.example/pixel.png)")


def test_links_from_the_site_root_get_the_base_path() -> None:
    assert '<a href="/repo/york/">York</a>' in render("[York](/york/)")
    assert '<a href="https://example.org/">x</a>' in render("[x](https://example.org/)")


def test_citations_and_glossary_links() -> None:
    html = render("Good [para 12]. Better [paras 3-5]. Also [paras 3, 7]. A [[looked after child]].")
    assert '(<a href="https://r.example/report.pdf#page=4">paragraph 12</a>)' in html
    assert "paragraphs 3 to 5" in html and "paragraphs 3 and 7" in html
    assert '<a class="term" href="/repo/words/#x">looked after child</a>' in html
    assert cite_numbers("3-5") == (3, 4, 5) and cite_numbers("2, 9") == (2, 9)


def test_references_are_found_with_their_lines() -> None:
    refs = find_refs("one [para 3 of 2022-03-x]\ntwo [[care leaver|care leavers]]", 10)
    assert [(r.kind, r.target, r.numbers, r.line) for r in refs] == [("cite", "2022-03-x", (3,), 10), ("term", "care leavers", (), 11)]


def test_sections_split_at_level_two_headings_outside_code() -> None:
    pre, parts = split_sections("## In short\nA\n```\n## not a heading\n```\n### sub\n## What\nB", 7)
    assert pre == "" and [(h, n) for h, _, n in parts] == [("In short", 7), ("What", 13)]


def test_plain_text_drops_markup_for_readability() -> None:
    assert plain_text("The **MASH** works [para 3]. See [[children in care|looked after child]] and [this](http://x).") == \
        "The MASH works . See children in care and this."
