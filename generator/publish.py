"""Files for publishing: the sitemap, robots.txt, Atom feeds and the judgements as CSV.

Every link in them comes from `Links.absolute()`: a full URL when the build was given one
(`--base-url https://owner.github.io/repo/`), else the rooted path (`/repo/york/`). Rooted paths
keep the files well formed and usable from the site itself (a feed reader resolves them against
the feed's own address), but search engines want full URLs: publish with a full base URL.
"""
from __future__ import annotations

import csv
import datetime as dt
import io
import re
import uuid
from typing import Iterable
from xml.etree import ElementTree as ET

from .markup import plain_text
from .model import Council, Inspection, Site
from .urls import Links, inspection_path

ATOM = "http://www.w3.org/2005/Atom"
SITEMAP = "http://www.sitemaps.org/schemas/sitemap/0.9"
# Feed and entry ids are made from this and the item's key, so they never change when the site
# moves (a project site today, a custom domain tomorrow) and feed readers see no duplicates.
ID_NAMESPACE = uuid.uuid5(uuid.NAMESPACE_URL, "https://inspections-explained/ids")
EPOCH = dt.date(1970, 1, 1)  # `updated` of a feed with no entries yet
NOT_IN_SITEMAP = frozenset({"404.html"})
SITE_FEED_ENTRIES = 50  # the whole site's feed carries the newest reports (a council's feed has all of its own)
CSV_FIELDS = ("council", "council_name", "ons_code", "dfe_la_code", "kind", "framework", "start", "end",
              "published", "area", "theme", "grade", "url")


def feed_path(council: str = "") -> str:
    """The site path of the whole site's feed, or of one council's."""
    return f"{council}/feed.xml" if council else "feed.xml"


def stable_id(key: str) -> str:
    """A URI for a feed or an entry that stays the same whatever the site's address."""
    return uuid.uuid5(ID_NAMESPACE, key).urn


# --- sitemap and robots.txt -------------------------------------------------------------------

def sitemap_xml(page_paths: Iterable[str], links: Links) -> str:
    """sitemap.xml: every HTML page but the 404 page, in the order given."""
    root = ET.Element("urlset", xmlns=SITEMAP)
    for path in page_paths:
        if path not in NOT_IN_SITEMAP:
            ET.SubElement(ET.SubElement(root, "url"), "loc").text = links.absolute(path)
    return xml_text(root)


def robots_txt(links: Links) -> str:
    """robots.txt: everything may be read; where the sitemap is, when the site's full address is known.

    Crawlers accept only a full URL on the Sitemap line ("Sitemap: /sitemap.xml" is invalid), so a
    build given only a path writes no Sitemap line at all.
    """
    text = "User-agent: *\nAllow: /\n"
    return text + (f"\nSitemap: {links.absolute('sitemap.xml')}\n" if links.site_url else "")


# --- Atom feeds --------------------------------------------------------------------------------

def feed_order(items: Iterable[Inspection]) -> list[Inspection]:
    """Newest first: by the date the report was published, then the last day of the inspection."""
    return sorted(items, key=lambda i: (i.published or i.end, i.end, i.key), reverse=True)


def atom_date(day: dt.date) -> str:
    """A date as Atom wants it (RFC 3339), at midnight UTC."""
    return f"{day.isoformat()}T00:00:00Z"


def entry_date(inspection: Inspection) -> dt.date:
    """When an entry was last news: the report's date, or the inspection's last day when unknown."""
    return inspection.published or inspection.end


def atom_feed(site: Site, links: Links, items: list[Inspection], council: Council | None, limit: int | None = None) -> str:
    """An Atom 1.0 feed of inspections and visits, newest first (the newest `limit`), with no build time in it."""
    items = feed_order(items)[:limit]
    updated = entry_date(items[0]) if items else EPOCH  # from its own entries only, so it depends on nothing else
    feed = ET.Element("feed", {"xmlns": ATOM, "xml:lang": site.settings.language})
    if council:
        title, page, key = f"{council.name}: new inspection reports", links.absolute(f"{council.slug}/"), f"feed:{council.slug}"
    else:
        title, page, key = f"{site.settings.short_title}: new inspection reports", links.absolute(""), "feed:site"
    add_text(feed, "title", title)
    add_text(feed, "subtitle", site.settings.description)
    add_text(feed, "id", stable_id(key))
    add_text(feed, "updated", atom_date(updated))
    ET.SubElement(feed, "link", rel="self", type="application/atom+xml",
                  href=links.absolute(feed_path(council.slug if council else "")))
    ET.SubElement(feed, "link", rel="alternate", type="text/html", href=page)
    add_text(ET.SubElement(feed, "author"), "name", site.settings.short_title)
    for inspection in items:
        feed.append(atom_entry(site, links, inspection))
    return xml_text(feed)


def atom_entry(site: Site, links: Links, inspection: Inspection) -> ET.Element:
    """One inspection or visit as an Atom entry: its page, dates and the 'In short' words."""
    council = site.councils[inspection.council]
    kind = site.vocab.kinds[inspection.kind].label if inspection.kind in site.vocab.kinds else inspection.kind
    entry = ET.Element("entry")
    add_text(entry, "title", f"{council.short_name}: {inspection.title or f'{kind}, {inspection.start:%B %Y}'}")
    add_text(entry, "id", stable_id(inspection.key))
    add_text(entry, "updated", atom_date(entry_date(inspection)))
    if inspection.published:
        add_text(entry, "published", atom_date(inspection.published))
    ET.SubElement(entry, "link", rel="alternate", type="text/html",
                  href=links.absolute(inspection_path(inspection.council, inspection.slug)))
    ET.SubElement(entry, "category", term=inspection.kind, label=kind)
    add_text(entry, "summary", entry_summary(site, inspection, kind))
    return entry


def entry_summary(site: Site, inspection: Inspection, kind: str) -> str:
    """Plain text for an entry: what it was, when, and the 'In short' section without markup."""
    council = site.councils[inspection.council]
    first = inspection.sections[0].markdown if inspection.sections else ""
    text = re.sub(r"\s+([.,;:])", r"\1", " ".join(plain_text(first).split()))  # no gap where a citation was
    return f"{kind} of {council.name_on(inspection.start)}. {text}".strip()


def add_text(parent: ET.Element, tag: str, text: str) -> ET.Element:
    """A child element holding text."""
    child = ET.SubElement(parent, tag)
    child.text = text
    return child


def xml_text(root: ET.Element) -> str:
    """An XML document with a declaration, indented, ending in a newline."""
    ET.indent(root)
    return '<?xml version="1.0" encoding="utf-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"


# --- open data: one row per judgement -------------------------------------------------------------

def judgement_rows(site: Site, links: Links) -> list[dict[str, str]]:
    """Every judgement of every published inspection, in the same order as inspections.json."""
    rows = []
    for i in site.published_inspections():
        council = site.councils[i.council]
        for j in i.judgements:
            rows.append({
                "council": i.council, "council_name": council.name_on(i.start),
                "ons_code": council.ons_code_on(i.start), "dfe_la_code": council.dfe_la_code,
                "kind": i.kind, "framework": i.framework, "start": i.start.isoformat(), "end": i.end.isoformat(),
                "published": i.published.isoformat() if i.published else "",
                "area": j.area, "theme": j.theme, "grade": j.grade,
                "url": links.absolute(inspection_path(i.council, i.slug)),
            })
    return rows


def judgements_csv(site: Site, links: Links) -> str:
    """data/judgements.csv: UTF-8, a header row, then one row per judgement."""
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=CSV_FIELDS, lineterminator="\n")
    writer.writeheader()
    writer.writerows({name: spreadsheet_safe(value) for name, value in row.items()} for row in judgement_rows(site, links))
    return out.getvalue()


FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_safe(value: str) -> str:
    """A cell a spreadsheet shows as text, never runs: one that starts like a formula gets a leading quote (OWASP)."""
    return "'" + value if value.startswith(FORMULA_START) else value

