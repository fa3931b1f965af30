"""In a real browser: official words explained where first used, the grade chart readable without colour and
by a screen reader, and inspection pages that print well."""
from __future__ import annotations

import re
from typing import Any

import pytest

from browser_support import ARTIFACTS, BASE, PageKind

pytestmark = pytest.mark.browser


def open_kind(context: Any, origin: str, kind: PageKind) -> Any:
    """Open a page of the site in a new tab."""
    page = context.new_page()
    page.goto(origin + BASE + kind.path)
    return page


def test_a_word_is_explained_where_first_used(context: Any, site_origin: str, kinds: dict[str, PageKind]) -> None:
    from playwright.sync_api import expect
    page = open_kind(context, site_origin, kinds["inspection"])
    first = page.locator("main a.term").first
    term_id = (first.get_attribute("id") or "").removeprefix("used-")
    assert term_id, "the first glossary link on the page has no id"
    meaning = page.locator(f"#means-{term_id}").inner_text().strip()
    assert len(meaning.split()) >= 4, meaning
    # a screen reader hears the plain meaning with the link
    expect(first).to_have_accessible_description(meaning)
    # a tap or Enter shows the meaning on the same page ...
    first.focus()
    page.keyboard.press("Enter")
    assert page.url.endswith(f"#word-{term_id}")
    word = page.locator(f"#word-{term_id}")
    expect(word).to_be_in_viewport()
    assert word.evaluate("el => el.matches(':target')")
    # ... with a way back to where the reader was
    page.locator(f'a[href="#used-{term_id}"]').click()
    expect(first).to_be_in_viewport()
    # and a link to the full entry in "Words explained"
    more = page.locator(f'dd.word-links a[href$="words/#{term_id}"]')
    assert more.count() == 1


def test_every_word_in_the_box_is_used_and_linked_on_the_page(context: Any, site_origin: str,
                                                              kinds: dict[str, PageKind]) -> None:
    for name in ("council", "inspection", "changes"):
        page = open_kind(context, site_origin, kinds[name])
        box_ids = page.eval_on_selector_all("dl.words dt[id^='word-']", "els => els.map(e => e.id.slice(5))")
        first_ids = page.eval_on_selector_all("main a.term[id^='used-']", "els => els.map(e => e.id.slice(5))")
        assert box_ids == first_ids, f"{name}: the box lists {box_ids}, the text first uses {first_ids}"


def test_the_grade_chart_has_words_patterns_and_a_text_equivalent(context: Any, site_origin: str,
                                                                  kinds: dict[str, PageKind]) -> None:
    page = open_kind(context, site_origin, kinds["council"])
    rows = page.locator("figure ol.chart > li")
    assert rows.count() >= 2
    for i in range(rows.count()):
        row = rows.nth(i)
        assert (row.locator(".year").text_content() or "").strip().rstrip(":").isdigit()
        assert row.locator(".label").is_visible() and row.locator(".label").inner_text().strip()
    # each grade has its own pattern, not only its own colour
    patterns = page.eval_on_selector_all(
        "ol.chart .bar", "els => els.map(e => [e.className, getComputedStyle(e).backgroundImage])")
    by_grade = {cls.split("g-")[1]: image for cls, image in patterns if "g-none" not in cls}
    assert all(image != "none" for image in by_grade.values()), by_grade
    assert len(set(by_grade.values())) == len({g.replace("adequate", "requires-improvement") for g in by_grade})
    # a screen reader reads a list of years with their grades, under the figure's caption
    tree = page.locator("figure:has(ol.chart)").aria_snapshot()
    assert "figure" in tree and "list" in tree, tree
    labels = rows.locator(".label").all_inner_texts()
    years = rows.locator(".year").all_text_contents()
    for year, label in zip(years, labels):
        said = rf"listitem: \"{year.strip().rstrip(':')}\s*:\s*{re.escape(label.strip())}\""
        assert re.search(said, tree), f"{said} not in {tree}"
    assert "img" not in tree, "the bars should be hidden from screen readers; the words carry the grade"


def test_the_timeline_says_what_each_thing_is_in_words(context: Any, site_origin: str,
                                                       kinds: dict[str, PageKind]) -> None:
    page = open_kind(context, site_origin, kinds["council"])
    items = page.locator("ol.timeline > li")
    assert items.count() >= 2
    for text in items.all_inner_texts():
        first_line = text.strip().splitlines()[0]
        assert any(ch.isdigit() for ch in first_line), f"each entry starts with its date: {first_line}"


def test_an_inspection_page_prints_without_menus_and_with_everything_open(browser: Any, site_origin: str,
                                                                          kinds: dict[str, PageKind]) -> None:
    ctx = browser.new_context(viewport={"width": 800, "height": 1000})
    try:
        page = open_kind(ctx, site_origin, kinds["inspection"])
        page.emulate_media(media="print")
        for hidden in ("header.site nav", "a.skip", "nav.crumbs", "footer.site ul", "dd.word-links"):
            for el in page.locator(hidden).all():
                assert not el.is_visible(), f"{hidden} shows in print"
        assert page.locator("main h1").is_visible()
        assert page.locator("aside.help").is_visible(), "where to get help stays on paper"
        for details in page.locator("details").all():
            inner = details.locator(":scope > :not(summary)").first
            assert inner.is_visible(), "the quoted improvements print open"
        cites = page.eval_on_selector_all(".cite a", "els => els.map(e => getComputedStyle(e, '::after').content)")
        assert all(c in ("none", "normal") for c in cites), "no web address after every citation"
        ARTIFACTS.mkdir(exist_ok=True)
        pdf = ARTIFACTS / "inspection-print.pdf"
        page.pdf(path=str(pdf), format="A4")
        assert pdf.stat().st_size > 10_000
    finally:
        ctx.close()
