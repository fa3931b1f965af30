"""The site's shape: every page, its template, its context and what it depends on."""
from __future__ import annotations

import datetime as dt
import functools
import json
import re
from pathlib import PurePosixPath
from dataclasses import dataclass, field
from collections.abc import Callable
from typing import Any

from markupsafe import Markup, escape

from . import changes as ch
from . import national
from .load import term_index
from .cache import MarkdownCache
from .markup import make_markdown, resolve, term_link_here
from .model import Council, Event, Inspection, Site
from .names import council_then, predecessor_note
from .quotes import Quoting, anchor_for
from .publish import SITE_FEED_ENTRIES, atom_feed, feed_path, judgements_csv, robots_txt, sitemap_xml
from .urls import Links, changes_path, council_path, inspection_path, sources_path

LATEST_COUNT = 8
ALL_COUNCILS = "councils/"  # every council A to Z
COMPARE = "compare/"  # how councils compare


@dataclass
class Page:
    """One page to write: its site path, template, how to make its context, and what it shows.

    The context is made only when the page is rendered (Markdown is the costly part), so planning
    the whole site is cheap and a rebuild renders only the pages whose `depends_on` or `shows` changed.
    A page is made from its `depends_on` files, its `shows` values, the site-wide files and its template:
    nothing else.
    """

    path: str  # site path, e.g. "york/2022-03-ilacs-standard/" or "404.html"
    template: str
    make_context: Callable[[], dict[str, Any]]
    depends_on: frozenset[str] | None = None  # content files shown on the page; None: all of them
    # What the page shows that is computed from other files (where a council stands among all): the
    # preview compares these values between rebuilds, so an edit that changes none of them leaves the page be.
    shows: Any = None

    def render(self, env: Any) -> bytes:
        """The page's HTML."""
        return env.get_template(self.template).render(self.make_context(), page_path=self.path).encode("utf-8")


@dataclass(frozen=True)
class DataFile:
    """A file made without a template (open data, feeds, the sitemap), only when it is written."""

    path: str
    make_text: Callable[[], str]
    depends_on: frozenset[str] | None = None
    shows: Any = None  # as Page.shows
    template: None = None

    def render(self, env: Any) -> bytes:  # noqa: ARG002 - the same call as Page.render
        """The file's bytes."""
        return self.make_text().encode("utf-8")


class Words:
    """Renders Markdown for one site, resolving citations and glossary links."""

    def __init__(self, site: Site, links: Links, cache: MarkdownCache | None = None) -> None:
        self.site, self.links = site, links
        self.cache = cache or MarkdownCache(make_markdown())
        self.terms = term_index(site.glossary)
        self.by_key = {i.key: i for i in site.inspections}
        self._terms_found: re.Pattern[str] | None = None

    def html(self, text: str, used: list[str], council: str = "", inspection: Inspection | None = None,
             here: bool = True, quoted: set[str] | None = None) -> str:
        """Markdown to safe HTML; glossary terms used are added to `used`.

        With `here`, glossary links go to the page's own "Words on this page" box (see base.html);
        without, to the glossary page. With `quoted` (the page's set of paragraphs shown so far), the
        report's words for each cited paragraph are shown under the first block that cites it.
        """
        if not text:
            return ""
        env: dict[str, Any] = {
            "base_path": self.links.base_path,
            "resolve_term": self._term,
            "resolve_cite": lambda slug, numbers: self._cite(council, inspection, slug, numbers, quoted is not None),
            "terms_used": used,
            "terms_here": here,
        }
        html = self.cache.html(text)
        if quoted is not None:
            html = Quoting(lambda slug, n: self._words(council, inspection, slug, n), quoted).add(html)
        return resolve(html, env)

    def _words(self, council: str, page: Inspection | None, slug: str, number: int) -> tuple[Any, str, str, str] | None:
        """A cited paragraph's words, its id on the page, its link into the PDF and whose report it is."""
        inspection = self.by_key.get(f"{council}/{slug}") if slug else page
        words = self.site.words.get(inspection.key) if inspection else None
        if words is None or number not in words.paragraphs:
            return None
        source = self.site.sources.get(inspection.report)
        pdf_page = inspection.paragraphs.get(number)
        href = source.url + (f"#page={pdf_page}" if pdf_page else "") if source and source.url else ""
        own = page is not None and page.slug == inspection.slug
        whose = "the report" if own else f"the {inspection.start:%B %Y} report"
        return words, anchor_for(inspection.slug, number, own), href, whose

    def _term(self, term: str) -> tuple[str, str]:
        """A glossary term's link and id."""
        tid = self.terms.get(term.lower(), "")
        return (self.links.url(f"words/#{tid}"), tid) if tid else ("", "")

    def _cite(self, council: str, page: Inspection | None, slug: str, numbers: tuple[int, ...],
              quoting: bool = False) -> tuple[str, str]:
        """A paragraph citation's link (its words on this page, else the report at the paragraph's page) and whose report it is."""
        inspection = self.by_key.get(f"{council}/{slug}") if slug else page
        if inspection is None:
            return "", ""
        if quoting and numbers and self._words(council, page, slug, numbers[0]) is not None:
            of = f"{inspection.start:%B %Y} report" if slug else ""
            return "#" + anchor_for(inspection.slug, numbers[0], page is not None and page.slug == inspection.slug), of
        source = self.site.sources.get(inspection.report)
        of = f"{inspection.start:%B %Y} report" if slug else ""
        if source is None or not source.url:
            return "", of
        pdf_page = inspection.paragraphs.get(numbers[0]) if numbers else None
        return source.url + (f"#page={pdf_page}" if pdf_page else ""), of

    def quote(self, text: str, used: list[str]) -> Markup:
        """A report's own words, escaped, with the first use on the page of each glossary word linked to its meaning."""
        if self._terms_found is None:
            names = sorted(self.terms, key=len, reverse=True)
            self._terms_found = re.compile(r"\b(" + "|".join(map(re.escape, names)) + r")\b", re.I) if names else None
        if self._terms_found is None:
            return escape(text)

        def link(match: re.Match) -> str:
            tid = self.terms[match[1].lower()]
            if tid in used:
                return str(escape(match[1]))
            used.append(tid)
            return term_link_here(str(escape(match[1])), tid, True)

        out, last = [], 0
        for match in self._terms_found.finditer(text):
            out += [str(escape(text[last:match.start()])), link(match)]
            last = match.end()
        return Markup("".join([*out, str(escape(text[last:]))]))


def glossary_for(site: Site, used: list[str]) -> list[Any]:
    """The glossary entries of the terms used on a page, in order of first use."""
    return [site.glossary[t] for t in used if t in site.glossary]


def help_for(site: Site, council: Council) -> list[Any]:
    """Where to get help: the council's own contacts (from a source) and national help."""
    return [*council.help, *site.settings.national_help]


def plan(site: Site, links: Links, words: Words | None = None) -> tuple[list[Page], list[DataFile]]:
    """Every page and data file of the site, in a fixed order."""
    words = words or Words(site, links)
    published = list(site.shown_councils())
    counts = national.tally(site)
    pages: list[Page] = [home_page(site, published, counts)]
    for council in sorted(published, key=lambda c: c.slug):
        pages.extend(council_pages(site, council, words, counts))
    pages.extend(national_pages(site, published, counts))
    pages.extend(supporting_pages(site, words))
    pages.append(Page("search/", "search.html", dict, frozenset()))
    return pages, data_files(site, links, [p.path for p in pages])


def data_files(site: Site, links: Links, page_paths: list[str]) -> list[DataFile]:
    """Open data, feeds, the sitemap and robots.txt, each with the content files it shows."""
    councils = site.shown_councils()
    shown = {c.slug for c in councils}
    items = [i for i in site.published_inspections() if i.council in shown]
    everything = frozenset(i.file for i in items) | frozenset(c.file for c in councils)
    files = [
        DataFile("data/inspections.json", lambda: inspections_json(site, links), everything),
        DataFile("data/judgements.csv", lambda: judgements_csv(site, links), everything),
        DataFile(feed_path(), lambda: atom_feed(site, links, items, None, SITE_FEED_ENTRIES), everything),
        DataFile("sitemap.xml", lambda: sitemap_xml(page_paths, links), frozenset()),
        DataFile("robots.txt", lambda: robots_txt(links), frozenset()),
    ]
    for council in councils:
        own = list(site.by_council.get(council.slug, ()))
        files.append(DataFile(feed_path(council.slug), lambda own=own, council=council: atom_feed(site, links, own, council),
                              frozenset([council.file, *(i.file for i in own)])))
    return files


def home_page(site: Site, councils: list[Council], counts: national.Tally) -> Page:
    """The home page: what the site is, every council by region with its latest grade, the latest news."""
    shown = {c.slug for c in councils}
    items = [i for i in site.published_inspections() if i.council in shown]
    latest_items = sorted(items, key=lambda i: (i.published or i.end, i.key), reverse=True)[:LATEST_COUNT]
    regions = by_region(councils, counts)
    # every council's latest full inspection and the newest reports: the values, not the files they come from
    return Page("", "home.html", lambda: {"regions": regions, "latest": latest_items, "count": len(councils)},
                frozenset(), (regions, latest_items, len(councils)))


def by_region(councils: list[Council], counts: national.Tally) -> list[tuple[str, list[national.Latest]]]:
    """Each region (A to Z) with its councils (A to Z by the name people use: York, not City of York) and their latest full inspections."""
    regions: dict[str, list[national.Latest]] = {}
    for council in sorted(councils, key=lambda c: (c.short_name.lower(), c.slug)):
        regions.setdefault(council.region or national.NO_REGION, []).append(counts.latest[council.slug])
    return sorted(regions.items(), key=lambda pair: pair[0].lower())


def national_pages(site: Site, councils: list[Council], counts: national.Tally) -> list[Page]:
    """The pages about every council together: all councils A to Z, and how councils compare."""
    rows = [counts.latest[c.slug] for c in sorted(councils, key=lambda c: (c.short_name.lower(), c.slug))]
    return [Page(ALL_COUNCILS, "councils.html", lambda: {"rows": rows}, frozenset(), rows),
            Page(COMPARE, "compare.html", lambda: {"tally": counts, "chart": bars(counts.england, counts),
                                                   "no_overall": no_overall_since(site, counts)}, frozenset(), counts)]


def no_overall_since(site: Site, counts: national.Tally) -> list[str]:
    """When the rules that give no overall grade began ('April 2026'), for those the counts hold."""
    frameworks = [site.vocab.frameworks[b.key.split(":", 1)[1]] for b in counts.buckets if b.key.startswith("no-overall:")]
    return [f"{f.start:%B %Y}" for f in frameworks if f.start]


def bars(row: national.Row, counts: national.Tally) -> list[dict[str, Any]]:
    """A row of counts as bars: each bucket, its count, and its share of the row's total in steps of 5 per cent.

    The page's style sets the width of each step (no inline style: the pages' CSP forbids it); a share
    above 0 is at least one step, so no count that is there looks like none.
    """
    return [{"bucket": b, "count": n, "width": bar_width(n, row.total)} for b, n in zip(counts.buckets, row.counts)]


def bar_width(count: int, total: int) -> int:
    """A count's share of a total, in per cent rounded to a step of 5 (5 at least when the count is not 0)."""
    if not count or not total:
        return 0
    return max(5, 5 * round(20 * count / total))


def council_pages(site: Site, council: Council, words: Words, counts: national.Tally) -> list[Page]:
    """A council's timeline page, its inspection pages and its 'what changed' pages."""
    items = ch.timeline(site, council.slug)
    # comparing is the costly part of planning: done when a page that shows it is rendered, once per council
    comparisons = functools.cache(lambda: ch.comparisons(site, council.slug))
    inspections = [i for i in items if isinstance(i, Inspection)]
    events = [e for e in items if isinstance(e, Event)]
    stories = [s.file for s in site.stories_of(council.slug)]
    sources_file = (PurePosixPath(council.file).parent / "sources.yaml").as_posix()
    words_files = [w.file for i in inspections if (w := site.words.get(i.key))]
    files = frozenset([council.file, sources_file, *(i.file for i in inspections), *(e.file for e in events), *stories,
                       *words_files])
    graded = ch.graded(inspections, site.vocab)

    standing = counts.standing(council.slug)

    def context() -> dict[str, Any]:
        used: list[str] = []
        quoted: set[str] = set()
        event_html = {e.slug: words.html(e.summary, used, council.slug, quoted=quoted) for e in events}
        return {"council": council, "items": items, "event_html": event_html, "comparisons": comparisons(),
                "graded": graded, "chart": grade_chart(site, graded), "help": help_for(site, council),
                "standing": standing, "standing_text": national.standing_sentence(standing, council.short_name) if standing else "",
                "counted_on": counts.counted_on,
                "predecessor": {i.slug: predecessor_note(council, i.start) for i in inspections},
                "no_overall": {i.slug: no_overall_rules(site, i) for i in inspections},
                "words_used": glossary_for(site, used)}

    # where its latest grade stands among all councils comes from every council's inspections: the page
    # shows the standing and the date counted, and is made again only when one of them changes
    pages = [Page(council_path(council.slug), "council.html", context, files, (standing, counts.counted_on)),
             Page(sources_path(council.slug), "sources.html", lambda: council_sources(site, council), files)]
    for inspection in inspections:
        pages.append(inspection_page(site, council, inspection, comparisons, words, files))
    for index, (before, after) in enumerate(zip(graded, graded[1:])):  # as ch.comparisons pairs them
        pages.append(changes_page(site, council, (before, after), lambda index=index: comparisons()[index], words, files))
    return pages


def inspection_page(site: Site, council: Council, inspection: Inspection,
                    comparisons: Callable[[], list[ch.Comparison]], words: Words, council_files: frozenset[str]) -> Page:
    """One inspection's page: facts, grades, the plain-language sections, sources."""
    return Page(inspection_path(council.slug, inspection.slug), "inspection.html",
                lambda: inspection_context(site, council, inspection, comparisons(), words), council_files)


def inspection_context(site: Site, council: Council, inspection: Inspection, comparisons: list[ch.Comparison],
                       words: Words) -> dict[str, Any]:
    """The variables of an inspection's page."""
    used: list[str] = []
    quoted: set[str] = set()
    sections = [{"id": s.id, "heading": s.heading, "html": words.html(s.markdown, used, council.slug, inspection, quoted=quoted)}
                for s in inspection.sections]
    # on a facts page the report's own words come next, with their hard words explained
    improvements = [] if inspection.explained else [words.quote(m.text, used) for m in inspection.improvements]
    before = next((c for c in comparisons if c.after is inspection), None)
    after = next((c for c in comparisons if c.before is inspection), None)
    sources = [site.sources[s] for s in inspection.sources]
    notes = [{"text": words.html(n.text, used, council.slug, inspection, quoted=quoted), "sources": [site.sources[s] for s in n.sources]}
             for n in inspection.source_notes]
    return {"council": council, "inspection": inspection, "framework": site.vocab.frameworks[inspection.framework],
            "kind": site.vocab.kinds[inspection.kind], "sections": sections, "sources": sources, "notes": notes,
            "report": site.sources.get(inspection.report), "before": before, "after": after,
            "headline": ch.headline(inspection, site.vocab), "help": help_for(site, council),
            "predecessor": predecessor_note(council, inspection.start), "council_then": council_then(council, inspection.start),
            "no_overall": no_overall_rules(site, inspection),
            "improvements": improvements,
            "words_used": glossary_for(site, used)}


def no_overall_rules(site: Site, inspection: Inspection) -> bool:
    """Whether the inspection was graded under rules that give no overall grade (as from April 2026)."""
    if not site.vocab.kinds[inspection.kind].graded or not inspection.judgements:
        return False
    return national.bucket_of(inspection, site.vocab).key.startswith("no-overall:")


def changes_page(site: Site, council: Council, pair: tuple[Inspection, Inspection],
                 compared: Callable[[], ch.Comparison], words: Words, council_files: frozenset[str]) -> Page:
    """A 'what changed' page between a pair of inspections: the story, the theme-by-theme table, and what happened in between."""

    def context() -> dict[str, Any]:
        comparison = compared()
        used: list[str] = []
        quoted: set[str] = set()
        story = site.stories.get((council.slug, comparison.before.slug, comparison.after.slug))
        # the story first: it comes first on the page, so its glossary links are the first uses
        story_html = words.html(story.markdown, used, council.slug, quoted=quoted) if story else ""
        between_html = {x.slug: words.html(x.summary, used, council.slug, quoted=quoted)
                        for x in comparison.between if isinstance(x, Event)}
        return {"council": council, "c": comparison,
                "story_html": story_html, "story": story,
                "between_html": between_html, "help": help_for(site, council),
                "frameworks": (site.vocab.frameworks[comparison.before.framework], site.vocab.frameworks[comparison.after.framework]),
                "words_used": glossary_for(site, used)}

    return Page(changes_path(council.slug, pair[0].slug, pair[1].slug), "changes.html", context, council_files)


def grade_chart(site: Site, graded: list[Inspection]) -> dict[str, Any]:
    """The grades over time: a column per graded inspection, a row per common theme judged.

    The bars (each inspection's overall grades) are the table's Overall row: one function gives both.
    """
    rows = []
    for common in site.vocab.common_themes:
        cells = [ch.judgements_for(i, common, site.vocab) for i in graded]
        if any(cells):
            rows.append({"theme": common, "cells": cells})
    overall = next((row["cells"] for row in rows if row["theme"] == "overall"), [() for _ in graded])
    return {"columns": graded, "rows": rows, "headlines": overall}


def supporting_pages(site: Site, words: Words) -> list[Page]:
    """Grades explained, words explained, sources, open data, prose pages and the 404 page."""
    pages = [Page("grades/", "grades.html", dict, frozenset()), Page("data/", "data.html", dict, frozenset())]

    def glossary() -> dict[str, Any]:
        return {"terms": [{"term": term, "more": words.html(term.more, [], here=False)}
                          for term in sorted(site.glossary.values(), key=lambda t: t.term.lower())]}

    def sources() -> dict[str, Any]:
        published = site.published_sources()
        shown = {c.slug for c in site.shown_councils()}
        listed = sorted({s.council for s in published if s.council in shown},
                        key=lambda slug: (site.councils[slug].short_name.lower(), slug))
        return {"items": newest_first(s for s in published if not s.council),
                "with_sources": [site.councils[slug] for slug in listed]}

    pages.append(Page("words/", "glossary.html", glossary, frozenset()))
    pages.append(Page("sources/", "sources.html", sources, None))
    for page in sorted(site.pages.values(), key=lambda p: p.slug):
        pages.append(Page(f"{page.slug}/", "prose.html", lambda page=page: prose_context(site, page, words), frozenset([page.file])))
    pages.append(Page("404.html", "404.html", dict, frozenset()))
    return pages


def newest_first(sources: Any) -> list[Any]:
    """Sources, the newest first."""
    return sorted(sources, key=lambda s: (s.date or dt.date.min, s.id), reverse=True)


def council_sources(site: Site, council: Council) -> dict[str, Any]:
    """The variables of a council's sources page: the documents its own facts come from."""
    return {"council": council, "items": newest_first(s for s in site.published_sources() if s.council == council.slug)}


def prose_context(site: Site, page: Any, words: Words) -> dict[str, Any]:
    """The variables of a prose page."""
    used: list[str] = []
    html = heading_ids(words.html(page.markdown, used))
    return {"page": page, "html": html, "words_used": glossary_for(site, used)}


def heading_ids(html: str) -> str:
    """Give each <h2> of a prose page an id from its words, so other pages can link to that part."""
    def with_id(match: re.Match) -> str:
        slug = re.sub(r"[^a-z0-9]+", "-", re.sub(r"&[a-z]+;|<[^>]+>", "", match[1]).lower()).strip("-")
        return f'<h2 id="{slug}">{match[1]}</h2>' if slug else match[0]
    return re.sub(r"<h2>(.*?)</h2>", with_id, html)


def inspections_json(site: Site, links: Links) -> str:
    """data/inspections.json: one object per published inspection or visit, one to a line."""
    rows = []
    for i in site.published_inspections():
        council = site.councils[i.council]
        rows.append({
            "council": i.council,
            "council_name": council.name_on(i.start),
            "kind": i.kind,
            "framework": i.framework,
            "start": i.start.isoformat(),
            "end": i.end.isoformat(),
            "published": i.published.isoformat() if i.published else None,
            "lead_inspector": i.lead_inspector,
            "judgements": [{"area": j.area, "theme": j.theme, "grade": j.grade} for j in i.judgements],
            "url": links.url(inspection_path(i.council, i.slug)),
            "sources": [source_json(site.sources[s]) for s in i.sources],
        })
    # One object to a line: readable, and json's fast C encoder (indent= would use the slow one).
    return "[\n" + ",\n".join(json.dumps(row, ensure_ascii=False) for row in rows) + "\n]\n"


def source_json(source: Any) -> dict[str, Any]:
    """A source as open data."""
    return {"id": source.id, "title": source.title, "publisher": source.publisher,
            "date": source.date.isoformat() if source.date else None, "url": source.url or None, "supports": source.supports}
