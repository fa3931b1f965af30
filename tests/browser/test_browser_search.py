"""The search page with results, in a real browser: accessible (axe), keyboard-usable, nothing blocked by the
Content-Security-Policy, no request leaving the site. Skips when the build has no search page."""
from __future__ import annotations

from typing import Any

import pytest

from browser_support import BASE, PageKind, axe_run, describe_violations

pytestmark = pytest.mark.browser
RESULT = ".pagefind-ui__result"


def search_for(context: Any, origin: str, kinds: dict[str, PageKind], words: str,
               requests: list[str], console: list[str]) -> Any:
    """Open the search page for some words and wait for the results."""
    if "search" not in kinds:
        pytest.skip("the build has no search page yet (search/ comes with issue 6)")
    page = context.new_page()
    page.on("request", lambda r: requests.append(r.url))
    page.on("console", lambda m: console.append(m.text))
    page.goto(f"{origin}{BASE}{kinds['search'].path}?q={words}")
    page.locator(RESULT).first.wait_for(timeout=15_000)
    return page


def test_search_results_are_accessible_and_stay_on_the_site(context: Any, site_origin: str,
                                                            kinds: dict[str, PageKind], axe_source: str) -> None:
    requests: list[str] = []
    console: list[str] = []
    page = search_for(context, site_origin, kinds, "York", requests, console)
    assert page.locator(RESULT).count() >= 1
    results = axe_run(page, axe_source)
    assert results["violations"] == [], "\n".join(describe_violations(results))
    outside = [u for u in requests if not u.startswith(site_origin + BASE)]
    assert not outside, f"search asked for something outside the site: {outside}"
    refused = [m for m in console if "Content Security Policy" in m or "Refused to" in m]
    assert not refused, f"the CSP blocked part of search: {refused}"
    assert context.cookies() == []


def test_search_results_can_be_reached_with_the_keyboard(context: Any, site_origin: str,
                                                         kinds: dict[str, PageKind]) -> None:
    page = search_for(context, site_origin, kinds, "York", [], [])
    first_link = page.locator(f"{RESULT} a").first
    href = first_link.get_attribute("href") or ""
    assert href.startswith(BASE), href
    page.locator("input[type=search], input.pagefind-ui__search-input").first.focus()
    for _ in range(20):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.getAttribute('href')") == href:
            break
    else:
        pytest.fail("Tab from the search box never reaches the first result")
