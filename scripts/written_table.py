"""Writes docs/WRITTEN.md's table: which councils' latest full inspections have plain words, by whom, and when (issue 16).

Usage: python scripts/written_table.py [CONTENT] [DOC]   (defaults: content, docs/WRITTEN.md)
The table is made from the content (each page's `written:`), so it cannot drift: a test compares them.
"""
from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from generator import changes as ch  # noqa: E402
from generator.load import load_site  # noqa: E402
from generator.model import Site  # noqa: E402

START = "<!-- The table below is made from the content: python scripts/written_table.py -->"
END = "<!-- end of the table -->"
REGIONS = ("North East", "Yorkshire and the Humber", "North West", "East Midlands", "West Midlands", "East of England",
           "London", "South East", "South West")


def who(how: str, by: str) -> str:
    """Who wrote a page, as the table says it: the curator, or 'generated then re-read'."""
    return by if how == "curator" else "generated then re-read"


def rows(site: Site) -> list[str]:
    """One table row per council, in the issue's order of regions, then A to Z."""
    order = {name: n for n, name in enumerate(REGIONS)}
    councils = sorted(site.councils.values(), key=lambda c: (order.get(c.region, len(order)), c.short_name.lower()))
    out = []
    for council in councils:
        if council.draft:
            continue
        latest = ch.latest_graded(site, council.slug)
        if latest is None:
            out.append(f"| {council.region} | {council.short_name} | none on the site | | | |")
            continue
        story = next((s for s in site.stories_of(council.slug) if s.after == latest.slug), None)
        w = latest.written
        cells = [council.region, council.short_name, f"`{latest.slug}`",
                 who(w.how, w.by) if w else "not yet (facts only)", w.checked.isoformat() if w else "",
                 f"`{story.before}`" if story else ""]
        out.append("| " + " | ".join(cells) + " |")
    return out


def table(site: Site) -> str:
    """The whole table with its heading row and a count."""
    body = rows(site)
    shown = [c for c in site.councils.values() if not c.draft]
    written = sum(1 for c in shown if (latest := ch.latest_graded(site, c.slug)) is not None and latest.written)
    head = ["| Region | Council | Latest full inspection | Plain words by | Last checked | \"What changed\" story from |",
            "| --- | --- | --- | --- | --- | --- |"]
    return "\n".join([f"{written} of {len(shown)} councils have plain words for their latest full inspection.", "", *head, *body])


def updated(doc: str, site: Site) -> str:
    """The document with its table replaced by one made from the content."""
    before, _, rest = doc.partition(START)
    _, _, after = rest.partition(END)
    return f"{before}{START}\n{table(site)}\n{END}{after}"


def main(argv: list[str]) -> int:
    """Rewrite the table in the document from the content."""
    content = Path(argv[0]) if argv else ROOT / "content"
    doc = Path(argv[1]) if len(argv) > 1 else ROOT / "docs" / "WRITTEN.md"
    site, problems = load_site(content)
    if site is None:
        print("\n".join(p.format() for p in problems.sorted()), file=sys.stderr)
        return 1
    doc.write_text(updated(doc.read_text(encoding="utf-8"), site), encoding="utf-8")
    print(f"{doc}: table written from {content}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
