"""Helpers for the browser tests: where the tools are, which pages to visit, and checks run in the page."""
from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ARTIFACTS = HERE.parents[1] / "test-artifacts"  # ignored by git: screenshots and reports for a person
NODE_MODULES = HERE / "node_modules"
BASE = "/repo/"  # the site is served under a subpath, as on GitHub Pages
CHROMIUM = "/usr/bin/chromium"  # Debian's chromium; never `playwright install`
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22a", "wcag22aa"]
PHONE, DESKTOP = 390, 1280


@dataclass(frozen=True)
class PageKind:
    """One kind of page and the site path of an example of it."""

    name: str
    path: str  # under BASE, e.g. "york/"
    status: int = 200


def page_kinds(site: Path) -> list[PageKind]:
    """One page of every kind in a built site, chosen from what the build holds."""
    rows = json.loads((site / "data" / "inspections.json").read_text(encoding="utf-8"))
    facts = [r for r in rows if r["judgements"] and is_facts_page(site, r)]
    explained = [r for r in rows if r["judgements"] and r not in facts]
    council = next((r["council"] for r in explained if (site / r["council"] / "changes").is_dir()),
                   next(r["council"] for r in rows if (site / r["council"] / "changes").is_dir()))
    mine = [r for r in explained if r["council"] == council] or [r for r in rows if r["council"] == council and r["judgements"]]
    visits = [r for r in rows if not r["judgements"]]
    changes = sorted(p.name for p in (site / council / "changes").iterdir())
    kinds = [
        PageKind("home", ""),
        PageKind("council", f"{council}/"),  # the council page is the timeline page
        PageKind("inspection", mine[-1]["url"].removeprefix(BASE)),
        PageKind("changes", f"{council}/changes/{changes[-1]}/"),
        PageKind("grades", "grades/"),
        PageKind("glossary", "words/"),
        PageKind("sources", "sources/"),
        PageKind("council-sources", f"{council}/sources/"),
        PageKind("data", "data/"),
        PageKind("404", "no-such-page/", 404),
    ]
    if visits:
        kinds.insert(3, PageKind("visit", visits[-1]["url"].removeprefix(BASE)))
    if facts:  # an inspection nobody has explained yet: the facts only (the latest, as 2026 reports are)
        kinds.append(PageKind("facts", max(facts, key=lambda r: (r["start"], r["url"]))["url"].removeprefix(BASE)))
    for name, path in (("about", "about/"), ("search", "search/"), ("councils", "councils/"), ("compare", "compare/")):
        if (site / path / "index.html").is_file():
            kinds.append(PageKind(name, path))
    return kinds


def is_facts_page(site: Path, row: dict[str, Any]) -> bool:
    """Whether an inspection's page shows the facts only (nobody has explained the report yet)."""
    page = site / row["url"].removeprefix(BASE) / "index.html"
    return 'id="not-written-yet"' in page.read_text(encoding="utf-8")


def write_report(name: str, data: Any) -> None:
    """Save a JSON report in test-artifacts/ for a person to read."""
    ARTIFACTS.mkdir(exist_ok=True)
    (ARTIFACTS / name).write_text(json.dumps(data, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")


# Every control a keyboard user can reach, and whether each is visible.
FOCUSABLE_JS = """() => {
  const sel = 'a[href], button, input, select, textarea, summary, [tabindex]:not([tabindex="-1"])';
  const list = [...document.querySelectorAll(sel)]
    .filter(el => !el.disabled && el.getClientRects().length > 0 && getComputedStyle(el).visibility !== 'hidden'
                  && !el.closest('details:not([open]) > :not(summary)'));
  window.testFocusable = list;
  return list.map(el => el.outerHTML.slice(0, 120));
}"""

# The focused element: what it is and whether a focus indicator shows (outline or ring of 2px or more).
FOCUS_JS = """() => {
  const el = document.activeElement;
  if (!el || el === document.body) return null;
  const s = getComputedStyle(el);
  const outline = s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) >= 2;
  const ring = s.boxShadow && s.boxShadow !== 'none';
  const r = el.getBoundingClientRect();
  const onScreen = r.bottom > 0 && r.right > 0 && r.top < innerHeight && r.left < innerWidth;
  return {index: window.testFocusable.indexOf(el), html: el.outerHTML.slice(0, 120), indicator: outline || ring, onScreen, cls: el.className,
          matches: el.matches(':focus-visible')};
}"""

# Targets that are not inline in a sentence, smaller than 24 by 24 CSS pixels.
SMALL_TARGETS_JS = """() => {
  const sel = 'a[href], button, input, select, textarea, summary';
  const blockOf = el => { let p = el.parentElement;
    while (p && getComputedStyle(p).display.startsWith('inline')) p = p.parentElement; return p; };
  const words = t => (t || '').replace(/\\s+/g, ' ').trim();
  const small = [];
  for (const el of document.querySelectorAll(sel)) {
    if (!el.getClientRects().length || el.closest('details:not([open]) > :not(summary)')) continue;
    const inline = getComputedStyle(el).display === 'inline';
    const block = blockOf(el);
    const inSentence = inline && block && words(block.textContent) !== words(el.textContent);
    if (inSentence || el.closest('.visually-hidden')) continue;
    const r = el.getBoundingClientRect();
    if (r.width < 24 || r.height < 24) small.push({html: el.outerHTML.slice(0, 100), w: r.width, h: r.height});
  }
  return small;
}"""

SCROLL_JS = """() => { const e = document.scrollingElement; return {scroll: e.scrollWidth, client: e.clientWidth}; }"""


def axe_run(page: Any, source: str) -> dict[str, Any]:
    """Run axe-core in the page (WCAG 2.0, 2.1 and 2.2, A and AA) and return its results."""
    page.evaluate(source)  # evaluated by the test driver, so the page's CSP does not block it
    return page.evaluate("tags => axe.run(document, {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']})",
                         AXE_TAGS)


def describe_violations(results: dict[str, Any]) -> list[str]:
    """axe violations as short lines: rule, impact, and the first few elements."""
    lines = []
    for v in results["violations"]:
        targets = ", ".join(" ".join(n["target"]) for n in v["nodes"][:3])
        lines.append(f"{v['id']} ({v['impact']}): {v['help']} - {len(v['nodes'])} element(s): {targets}")
    return lines
