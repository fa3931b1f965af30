"""Glossary links: on a page with "Words on this page", each term links to its plain meaning on the same
page; the first use carries the meaning as its description for screen readers."""
from __future__ import annotations

from generator.markup import make_markdown, render

ENV = {"base_path": "/repo/", "resolve_term": lambda t: ("/repo/words/#care-leaver", "care-leaver")}


def test_first_use_links_to_the_meaning_on_this_page_and_is_described_by_it() -> None:
    used: list[str] = []
    html = render(make_markdown(), "A [[care leaver]] is ... Each [[care leavers|care leaver]] ...",
                  {**ENV, "terms_used": used, "terms_here": True})
    first = '<a class="term" id="used-care-leaver" href="#word-care-leaver" aria-describedby="means-care-leaver">care leaver</a>'
    again = '<a class="term" href="#word-care-leaver">care leavers</a>'
    assert first in html and again in html
    assert html.count('id="used-care-leaver"') == 1
    assert used == ["care-leaver"]


def test_first_use_is_per_page_not_per_text() -> None:
    used: list[str] = []
    md = make_markdown()
    render(md, "[[care leaver]]", {**ENV, "terms_used": used, "terms_here": True})
    second_text = render(md, "[[care leaver]]", {**ENV, "terms_used": used, "terms_here": True})
    assert 'id="used-' not in second_text and 'href="#word-care-leaver"' in second_text


def test_without_a_words_box_terms_link_to_the_glossary_page() -> None:
    html = render(make_markdown(), "[[care leaver]]", {**ENV, "terms_used": []})
    assert '<a class="term" href="/repo/words/#care-leaver">care leaver</a>' in html
