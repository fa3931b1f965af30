"""Read content/ and validate it into the model; every problem in every file is collected."""
from __future__ import annotations

import datetime as dt
import difflib
import hashlib
import logging
import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable

from .cache import digest
from .fields import SLUG, Record, check_slug, check_url
from .frameworks import load_vocabulary
from .markup import find_refs, split_sections
from .model import (ChangeStory, Contact, Council, Event, GlossaryTerm, Improvement, Inspection, Judgement,
                    Period, Predecessor, ProsePage, Section, SectionSpec, Settings, Site, Source, SourceNote, Vocabulary, Written)
from .placeholders import report_placeholders
from .layout import report_links, report_name_clashes
from .problems import Problems, did_you_mean, one_of
from .quotes import cited_in, council_words
from .signoffs import read_signoffs
from .urls import Links
from .written import read_written
from .yamlio import MAX_FILE_BYTES, Mapping, load_yaml, read_regular, read_text, split_front_matter

log = logging.getLogger(__name__)

NOT_GRADED = "not-graded"  # a judgement's grade when the report did not grade that area (docs/CONTENT.md)
SOURCE_KINDS = ("report", "letter", "news", "council", "government", "other")
SOURCE_KEYS = ("id", "title", "publisher", "date", "url", "kind", "supports", "note")
INSPECTION_KEYS = ("kind", "framework", "title", "start", "end", "published", "lead_inspector", "report", "draft",
                   "judgements", "improvements", "paragraphs", "sources", "source_notes", "signoffs", "written")
EVENT_KEYS = ("kind", "title", "date", "summary", "points", "sources", "signoffs")
COUNCIL_KEYS = ("draft", "name", "short_name", "region", "ofsted_urn", "dfe_la_code", "names", "ons_codes", "towns",
                "help", "sources", "predecessors")
PREDECESSOR_KEYS = ("name", "until", "ons_code", "dfe_la_code", "shared_with")
IGNORED = re.compile(r"(^\.|~$|\.swp$|\.swo$|\.swx$|\.tmp$|\.bak$|^#.*#$|^4913$|\.orig$)")


def ignored(path: Path) -> bool:
    """Editor temp, swap and hidden files are never content."""
    return bool(IGNORED.search(path.name))


def listing(folder: Path) -> list[tuple[Path, bool]]:
    """A folder's entries, ignored ones left out, sorted by name, each with whether it is a folder.

    One directory read, no stat per entry: the preview reads the whole content folder on every edit.
    """
    try:
        with os.scandir(folder) as entries:
            found = sorted((entry.name, entry.is_dir()) for entry in entries
                           if not IGNORED.search(entry.name) and not entry.is_symlink())  # links: see layout.report_links
    except OSError:
        return []
    return [(folder / name, is_dir) for name, is_dir in found]


@dataclass
class Refs:
    """References to check once everything is read: (file, line, what, target)."""

    sources: list[tuple[Path, int, str]] = field(default_factory=list)
    terms: list[tuple[Path, int, str]] = field(default_factory=list)


@dataclass
class Loader:
    """One pass over content/: reads each file, checks it, and keeps what is valid."""

    root: Path
    problems: Problems
    parse: Any = None  # a cache.ParseCache, or None to parse every file
    refs: Refs = field(default_factory=Refs)
    sources: dict[str, Source] = field(default_factory=dict)
    source_files: dict[str, tuple[str, int]] = field(default_factory=dict)
    source_files_line: dict[str, int] = field(default_factory=dict)
    source_order: list[str] = field(default_factory=list)  # ids in the order they were added
    context: str = ""  # a digest of site.yaml and frameworks.yaml: what checking a file also depends on
    stats: dict[str, Any] | None = None  # the preview's (mtime, size) of each file: unchanged files need no reading

    def _yaml(self, text: str | None, path: Path) -> Any:
        """A YAML file's data, through the parse cache when there is one."""
        if text is None:
            return None
        if self.parse is None:
            return load_yaml(text, path, self.problems)
        return self.parse.yaml(text, path, self.problems)

    def read_yaml(self, text: str, path: Path) -> Any:
        """A YAML file's data, through the parse cache when there is one (for other modules)."""
        return self._yaml(text, path)

    def _front(self, text: str, path: Path, required: bool = True) -> Any:
        """Front matter and body, through the parse cache when there is one."""
        if self.parse is None:
            return split_front_matter(text, path, self.problems, required)
        return self.parse.front_matter(text, path, self.problems, required)

    # ---- site-wide files -------------------------------------------------------------------

    def settings(self) -> Settings:
        """Read site.yaml."""
        path = self.root / "site.yaml"
        r = self._record(path, "site.yaml", ("title", "short_title", "description", "language", "base_url", "contact",
                                              "contact_url", "sections", "national_help"), ("title", "description", "sections"))
        specs = []
        for raw, line in r.items("sections"):
            s = Record(raw, path, self.problems, "a section", ("id", "heading", "required"), ("id", "heading"), line=line)
            if s.ok:
                specs.append(SectionSpec(s.text("id") or "", s.text("heading") or "", s.flag("required")))
        help_ = tuple(self._contact(raw, line, path) for raw, line in r.items("national_help"))
        title = r.text("title") or "Inspections explained"
        contact_url = check_url(r.text("contact_url") or "", r, "contact_url")
        return Settings(title, r.text("short_title") or title, r.text("description") or "", r.text("language") or "en-GB",
                        r.text("base_url") or "/", r.text("contact") or "", tuple(specs), help_, contact_url)

    def _record(self, path: Path, what: str, allowed: tuple[str, ...], required: tuple[str, ...]) -> Record:
        """Read a whole YAML file as one record."""
        text = read_text(path, self.problems) if path.exists() else None
        if text is not None:
            report_placeholders(text, path, self.problems)
        if not path.exists():
            self.problems.add(path, 0, f"{what} is missing.", f"create {path.name} (see docs/CONTENT.md).")
        data = self._yaml(text, path)
        if text is not None and data is None and text.strip() == "":
            self.problems.add(path, 1, "the file is empty.", f"write the {what} facts in it, or delete it.")
        if data is None:
            return Record(Mapping(), path, Problems(), what, allowed)
        return Record(data, path, self.problems, what, allowed, required)

    def _contact(self, raw: Any, line: int, path: Path) -> Contact:
        """A help contact."""
        c = Record(raw, path, self.problems, "a help contact", ("name", "phone", "url", "text", "source"), ("name",), line=line)
        source = c.text("source") or ""
        if source:
            self.refs.sources.append((path, c.line_of("source"), source))
        phone = c.text("phone") or ""
        if phone and not re.fullmatch(r"[0-9 +()]{3,20}", phone):
            c.bad("phone", f'the phone number "{phone}" has characters a phone number does not.', 'write digits and spaces only, in quotes: phone: "0800 1111".')
        return Contact(c.text("name") or "", phone, check_url(c.text("url") or "", c, "url"), c.text("text") or "", source)

    def source_list(self, path: Path, council: str) -> None:
        """Read a sources.yaml: a list of sources."""
        if not path.exists():
            return
        text = read_text(path, self.problems)
        if text is not None:
            report_placeholders(text, path, self.problems)
        data = self._yaml(text, path)
        if data is None:
            return
        if not isinstance(data, list):
            self.problems.add(path, getattr(data, "line", 1), "sources.yaml should be a list of sources, each starting with '- id:'.",
                              "see docs/CONTENT.md for an example.")
            return
        for raw, line in zip(data, data.lines):
            self.source(raw, path, line, council)

    def source(self, raw: Any, path: Path, line: int, council: str) -> str:
        """Read one source (from a sources.yaml or inline in an inspection); returns its id."""
        r = Record(raw, path, self.problems, "a source", SOURCE_KEYS, ("id", "title", "publisher", "kind", "supports"), line=line)
        sid = r.text("id") or ""
        if not r.ok or not sid:
            return ""
        if not check_slug(sid, path, self.problems, r.line_of("id"), "source id"):
            return ""
        kind = r.choice("kind", SOURCE_KINDS, "source kind") or "other"
        source = Source(sid, r.text("title") or sid, r.text("publisher") or "", r.date("date"),
                        check_url(r.text("url") or "", r, "url"), kind, r.text("supports") or "",
                        r.text("note") or "", self.problems.display(path), council)
        self._add_source(source, path, r.line_of("id"))
        return sid

    def _add_source(self, source: Source, path: Path, line: int) -> None:
        """Register a source, reporting an id used twice."""
        if source.id in self.sources:
            first, first_line = self.source_files[source.id]
            self.problems.add(path, line, f'the source id "{source.id}" is already used in {first}:{first_line}.',
                              "give this source another id, or use the existing one.")
            return
        self.sources[source.id] = source
        self.source_order.append(source.id)
        self.source_files[source.id] = (self.problems.display(path), line)
        self.source_files_line[source.id] = line

    def glossary(self) -> dict[str, GlossaryTerm]:
        """Read glossary.yaml."""
        path = self.root / "glossary.yaml"
        if not path.exists():
            return {}
        text = read_text(path, self.problems)
        if text is not None:
            report_placeholders(text, path, self.problems)
        data = self._yaml(text, path)
        if data is None:
            return {}
        if not isinstance(data, list):
            self.problems.add(path, getattr(data, "line", 1), "glossary.yaml should be a list of terms, each starting with '- term:'.",
                              "see docs/CONTENT.md for an example.")
            return {}
        terms: dict[str, GlossaryTerm] = {}
        names: dict[str, tuple[str, int]] = {}
        pending_see_also = []
        for raw, line in zip(data, data.lines):
            r = Record(raw, path, self.problems, "a glossary term", ("term", "plain", "more", "aliases", "see_also", "sources"),
                       ("term", "plain"), line=line)
            term = r.text("term") or ""
            if not r.ok or not term:
                continue
            tid = slugify(term)
            for name in (term, *r.texts("aliases")):
                key = name.lower()
                if key in names and names[key][0] != tid:
                    self.problems.add(path, r.line_of("term"), f'"{name}" is already a term or alias (line {names[key][1]}).',
                                      "keep it under one term only.")
                names[key] = (tid, r.line)
            for sid in r.texts("sources"):
                self.refs.sources.append((path, r.line_of("sources"), sid))
            pending_see_also += [(see, r.line_of("see_also")) for see in r.texts("see_also")]
            if tid in terms:
                self.problems.add(path, r.line, f'the term "{term}" is in the glossary twice.', "merge the two entries.")
            terms[tid] = GlossaryTerm(tid, term, r.text("plain") or "", r.text("more") or "", r.texts("aliases"),
                                      r.texts("see_also"), r.texts("sources"))
        for see, line in pending_see_also:
            if see.lower() not in names:
                self.problems.add(path, line, f'"see_also" names "{see}", which is not in the glossary{did_you_mean(see, [n for n in names])}.',
                                  "add that term to the glossary or remove it from see_also.")
        return terms

    def prose_pages(self) -> dict[str, ProsePage]:
        """Read pages/*.md: supporting pages in prose."""
        pages = {}
        folder = self.root / "pages"
        for path in sorted(folder.glob("*.md")) if folder.is_dir() else []:
            if ignored(path) or not check_slug(path.stem, path, self.problems, 0, "page file name"):
                continue
            text = read_text(path, self.problems)
            if text is None or report_placeholders(text, path, self.problems):
                continue
            parsed = self._front(text, path, required=False)
            if parsed is None:
                continue
            r = Record(parsed.meta or Mapping(), path, self.problems, "the page's front matter", ("title", "sources"))
            title = r.text("title") or ""
            sources = r.texts("sources")
            for sid in sources:
                self.refs.sources.append((path, r.line_of("sources"), sid))
            body = parsed.body
            if not title:
                match = re.match(r"\s*# (.+)\n", body)
                if not match:
                    self.problems.add(path, 1, "the page has no title.", "start it with a line '# Title', or give 'title:' in front matter.")
                    continue
                title, body = match[1].strip(), body[match.end():]
            self._scan_refs(path, body, parsed.body_line)
            pages[path.stem] = ProsePage(path.stem, title, body, self.problems.display(path), sources)
        return pages

    # ---- councils -------------------------------------------------------------------------

    def council(self, folder: Path) -> Council | None:
        """Read a council's council.yaml (not again while the preview knows it unchanged, as `inspection`)."""
        path = folder / "council.yaml"
        if not path.exists():
            self.problems.add(folder, 0, f'the council folder "{folder.name}" has no council.yaml.',
                              "add council.yaml with the council's name and codes (see docs/CONTENT.md), or remove the folder.")
            return None
        return self._kept(path, "council", lambda: self._council(folder, path))

    def _kept(self, path: Path, also: str, read: Callable[[], Any]) -> Any:
        """What `read` gives for a file, with the references it registered; not read again while the preview
        knows the file unchanged (its modification time and size) and `also` (what else it depends on) is the same."""
        stat = self.stats.get(str(path)) if self.stats else None
        quick = digest(f"k{self.context}\0{path}\0{stat}\0{also}") if stat and self.parse is not None else None
        memo = self.parse.get(quick) if quick else None
        if memo is not None:
            item, sources, terms = memo
            self.refs.sources.extend(sources)
            self.refs.terms.extend(terms)
            return item
        counts = (len(self.problems), len(self.refs.sources), len(self.refs.terms))
        item = read()
        if quick and item is not None and len(self.problems) == counts[0]:
            self.parse.put(quick, (item, self.refs.sources[counts[1]:], self.refs.terms[counts[2]:]))
        return item

    def _council(self, folder: Path, path: Path) -> Council | None:
        """Read and check a council.yaml."""
        before = len(self.problems)
        r = self._record(path, "council.yaml", COUNCIL_KEYS, ())
        if len(self.problems) > before and not r.data:
            return None
        draft = r.flag("draft")
        required = ("name", "short_name") if draft else ("name", "short_name", "region", "ofsted_urn", "dfe_la_code")
        for key in required:
            if r.ok and key not in r.data:
                self.problems.add(path, r.line or 1, f'council.yaml has no "{key}".', f'add a line "{key}: ...".')
        names = self._periods(r, "names", "name")
        codes = self._periods(r, "ons_codes", "code")
        for sid in r.texts("sources"):
            self.refs.sources.append((path, r.line_of("sources"), sid))
        help_ = tuple(self._contact(raw, line, path) for raw, line in r.items("help"))
        name = r.text("name") or folder.name
        return Council(folder.name, name, r.text("short_name") or name, r.text("region") or "", r.text("ofsted_urn") or "",
                       r.text("dfe_la_code", allow_none=True) or "", names, codes, r.texts("towns"), help_,
                       r.texts("sources"), draft, self.problems.display(path), self._predecessors(r))

    def _predecessors(self, r: Record) -> tuple[Predecessor, ...]:
        """The councils this one took over from, oldest first."""
        out = []
        for raw, line in r.items("predecessors"):
            p = Record(raw, r.path, self.problems, 'an item of "predecessors"', PREDECESSOR_KEYS, ("name", "until"), line=line)
            until = p.date("until")
            if p.ok:
                out.append(Predecessor(p.text("name") or "", until, p.text("ons_code") or "",
                                       p.text("dfe_la_code", allow_none=True) or "", p.texts("shared_with")))
        return tuple(out)

    def _periods(self, r: Record, key: str, value_key: str) -> tuple[Period, ...]:
        """A list of values over time (from/until), checked for order."""
        out = []
        for raw, line in r.items(key):
            p = Record(raw, r.path, self.problems, f'an item of "{key}"', (value_key, "from", "until"), (value_key,), line=line)
            start, until = p.date("from"), p.date("until")
            if start and until and until < start:
                p.bad("until", f'"until: {until}" is before "from: {start}".', "swap or correct the dates.")
            if p.ok:
                out.append(Period(p.text(value_key) or "", start, until))
        return tuple(out)

    def inspection(self, path: Path, council: str, vocab: Vocabulary, settings: Settings) -> Inspection | None:
        """Read and check one inspection or visit file (once per distinct text, with a cache)."""
        stat = self.stats.get(str(path)) if self.stats else None
        quick = digest(f"s{self.context}\0{council}\0{path}\0{stat}") if stat else None
        memo = self.parse.get(quick) if quick and self.parse is not None else None
        if memo is not None:  # the preview knows the file has not changed since it was checked: no need to read it
            return self._replay(memo, path)
        text = read_text(path, self.problems)
        if text is None:
            return None
        key = digest(f"i{self.context}\0{council}\0{path}\0{text}")
        memo = self.parse.get(key) if self.parse is not None else None
        if memo is not None and quick:
            self.parse.put(quick, memo)
        if memo is not None:
            return self._replay(memo, path)
        counts = (len(self.problems), len(self.refs.sources), len(self.refs.terms), len(self.source_order))
        item = self._inspection(text, path, council, vocab, settings)
        if self.parse is not None and item is not None and len(self.problems) == counts[0]:
            inline = [self.sources[sid] for sid in self.source_order[counts[3]:]]
            memo = (item, self.refs.sources[counts[1]:], self.refs.terms[counts[2]:], inline)
            self.parse.put(key, memo)
            if quick:
                self.parse.put(quick, memo)
        return item

    def _replay(self, memo: Any, path: Path) -> Inspection:
        """An inspection checked before: its references and inline sources are registered again."""
        item, sources, terms, inline = memo
        self.refs.sources.extend(sources)
        self.refs.terms.extend(terms)
        for source in inline:
            self._add_source(source, path, self.source_files_line.get(source.id, 1))
        return item

    def _inspection(self, text: str, path: Path, council: str, vocab: Vocabulary, settings: Settings) -> Inspection | None:
        """Check one inspection or visit file's text."""
        if not text.strip():
            self.problems.add(path, 1, "the file is empty.", "write the inspection's facts and summary in it (see docs/CONTENT.md), or delete it.")
            return None
        before = len(self.problems)
        parsed = self._front(text, path)
        if parsed is None or parsed.meta is None:
            if parsed is not None and len(self.problems) == before:
                self.problems.add(path, 2, "the front matter is empty.", "write the facts (kind, framework, start, end ...) between the '---' lines.")
            return None
        r = Record(parsed.meta, path, self.problems, "the front matter", INSPECTION_KEYS,
                   ("kind", "framework", "start", "end", "published", "lead_inspector", "report", "judgements", "sources"))
        if not r.ok:
            return None
        draft = r.flag("draft")
        if not draft:
            report_placeholders(text, path, self.problems)
        kind = r.choice("kind", {k: v for k, v in vocab.kinds.items() if v.category != "event"}, "kind")
        if kind and vocab.kinds[kind].category == "event":
            r.bad("kind", f'"{kind}" is an event, not an inspection or visit with a report.',
                  "write events as .yaml files (see docs/CONTENT.md), or choose an inspection kind.")
            kind = ""
        framework_id = r.choice("framework", vocab.frameworks, "framework")
        framework = vocab.frameworks.get(framework_id)
        start, end = r.date("start", required=True), r.date("end", required=True)
        published = r.date("published", allow_none=True)
        self._check_dates(r, start, end, published)
        if framework and kind and kind not in framework.kinds:
            r.bad("kind", f'a "{kind}" is not part of framework "{framework_id}" (it has: {", ".join(framework.kinds)}).',
                  f"check the kind, or use {suggest_framework(vocab, kind, start) or 'the framework the report names'}.")
        if framework and start and not _in_force(framework, start):
            better = suggest_framework(vocab, kind, start)
            r.bad("framework", f'the inspection started {start.isoformat()}, when framework "{framework_id}" was not in use '
                  f'({_span(framework)}).', f'use framework "{better}".' if better else "check the start date and the framework.")
        self._check_file_name(path, start, r)
        inspector = r.text("lead_inspector", allow_none=True)
        if inspector and re.search(r"\b(HMI|His Majesty|Her Majesty|Inspector)\b", inspector):
            r.bad("lead_inspector", f'"lead_inspector" should be the name only, but it is "{inspector}".',
                  'leave out titles such as "HMI" or "His Majesty\'s Inspector".')
        fits = bool(framework and kind in framework.kinds and start and _in_force(framework, start))
        judgements = self._judgements(r, vocab, framework, kind, draft, check_all=fits and not draft)
        sources = self._sources_of(r, path, council)
        report = r.text("report") or ""
        if report and report not in sources:
            near = difflib.get_close_matches(report, sorted({*sources, *self.sources}), n=1, cutoff=0.6)
            r.bad("report", f'the report "{report}" is not in this page\'s "sources"{did_you_mean(report, near)}.',
                  (f'correct it to "{near[0]}".' if near[0] in sources else f'correct it to "{near[0]}", and add that to sources, first.')
                  if near else f'add "{report}" to sources, first.')
        paragraphs = self._paragraphs(r)
        notes = []
        for raw, line in r.items("source_notes"):
            n = Record(raw, path, self.problems, "a source note", ("text", "sources"), ("text", "sources"), line=line)
            for sid in n.texts("sources"):
                self.refs.sources.append((path, n.line_of("sources"), sid))
            if n.ok:
                notes.append(SourceNote(n.text("text") or "", n.texts("sources")))
        improvements = []
        for raw, line in r.items("improvements"):
            if isinstance(raw, str):
                improvements.append(Improvement(raw.strip()))
                continue
            m = Record(raw, path, self.problems, "an improvement", ("text", "timescale"), ("text",), line=line)
            if m.ok:
                improvements.append(Improvement(m.text("text") or "", m.text("timescale", allow_none=True) or ""))
        sections = self._sections(path, parsed.body, parsed.body_line, settings, draft)
        written = self._written(r, published, bool(sections), draft)
        self._scan_refs(path, parsed.body, parsed.body_line, paragraphs=paragraphs, report=report)
        if not (kind and framework and start and end):
            return None
        return Inspection(council, path.stem, kind, framework_id, r.text("title") or "", start, end, published, inspector or None,
                          report, draft, judgements, tuple(improvements), paragraphs, sources, tuple(notes), sections,
                          self.problems.display(path), read_signoffs(r), written)

    def _written(self, r: Record, published: dt.date | None, explained: bool, draft: bool) -> Written | None:
        """How a full page's words were written: required before it is published; a facts page has none of ours."""
        written = read_written(r, published)
        if r.has("written") and not explained:
            r.bad("written", 'a facts page has no plain words of ours, so "written" says nothing.',
                  'delete the "written" lines, or write the page\'s sections first.')
        elif explained and not draft and not r.has("written"):
            r.problems.add(r.path, 1, "the page has plain words, but does not say how they were written and when they were last checked.",
                           'add to the front matter:\n      written:\n        how: curator          # or: drafted (software, then a second reader)\n'
                           '        by: <your name>       # for how: curator\n        checked: <the day you checked it against the report, YYYY-MM-DD>')
        return written

    def _check_dates(self, r: Record, start: dt.date | None, end: dt.date | None, published: dt.date | None) -> None:
        """End on or after start; publication after the inspection and within two years."""
        if start and end and end < start:
            r.bad("end", f'the inspection ends ({end.isoformat()}) before it starts ({start.isoformat()}).',
                  "check the two dates; the report's first page gives them.")
        elif start and end and (end - start).days > 120:
            r.bad("end", f"the inspection lasts {(end - start).days} days; inspections last days or weeks.", "check the start and end dates.")
        if published and end and published < end:
            r.bad("published", f'the report is published ({published.isoformat()}) before the inspection ended ({end.isoformat()}).',
                  "check the publication date on the report.")
        elif published and end and (published - end).days > 730:
            r.bad("published", f"the report is published {(published - end).days} days after the inspection.", "check the year of the publication date.")

    def _check_file_name(self, path: Path, start: dt.date | None, r: Record) -> None:
        """The file name must be a slug starting with the year and month the inspection started."""
        if not check_slug(path.stem, path, self.problems, 0, "file name"):
            return
        if start and not path.stem.startswith(f"{start:%Y-%m}-"):
            r.bad("start", f'the file name starts "{path.stem[:7]}", but the inspection started in {start:%Y-%m}.',
                  f'rename the file to start "{start:%Y-%m}-", or check the start date.')

    def _judgements(self, r: Record, vocab: Vocabulary, framework: Any, kind: str, draft: bool,
                    check_all: bool = True) -> tuple[Judgement, ...]:
        """The judgements, each checked against the framework's themes and scale (and all there, see _check_required)."""
        before = len(self.problems)
        out = []
        seen: dict[str, int] = {}
        for raw, line in r.items("judgements"):
            j = Record(raw, r.path, self.problems, "a judgement", ("area", "theme", "grade", "wording"), ("area", "theme", "grade"), line=line)
            if not j.ok:
                continue
            theme = j.choice("theme", vocab.themes, "theme")
            grade = j.text("grade") or ""
            if framework and theme and framework.areas and theme not in framework.themes:
                j.bad("theme", f'the theme "{theme}" is not judged under framework "{framework.id}"{did_you_mean(theme, framework.themes)}.',
                      f"use one of: {one_of(framework.themes)}.")
            allowed = (*framework.grade_ids, "unknown", NOT_GRADED) if framework else (*vocab.grades, "unknown", NOT_GRADED)
            if grade not in allowed:
                j.bad("grade", f'unknown grade "{grade}" for framework "{framework.id if framework else "?"}"{did_you_mean(grade, allowed)}.',
                      f"use one of: {', '.join(allowed)} (\"unknown\" when no source gives it, \"{NOT_GRADED}\" when the "
                      "report did not grade this area).")
                grade = ""
            if theme in seen:
                j.bad("theme", f'the theme "{theme}" is judged twice in this report (first on line {seen[theme]}).',
                      "each theme appears once; check the theme of each judgement.")
            seen.setdefault(theme, j.line)
            if theme and grade and grade != NOT_GRADED:  # an area the report did not grade is said nowhere on the site
                out.append(Judgement(j.text("area") or "", theme, grade, j.text("wording") or ""))
        graded = vocab.kinds[kind].graded if kind in vocab.kinds else True
        if kind and graded and not out and not draft and "judgements" in r.data:
            r.bad("judgements", f'a "{kind}" has grades, but no judgements are given.', "add each judgement with its area, theme and grade.")
        elif kind and graded and out and check_all and framework and framework.areas and len(self.problems) == before:
            self._check_required(r, framework, kind, seen)
        if kind and not graded and out:
            r.bad("judgements", f'a "{kind}" gives no grades, but judgements are given.', "write 'judgements: []'; put findings in the text.")
        return tuple(out)

    def _check_required(self, r: Record, framework: Any, kind: str, seen: dict[str, int]) -> None:
        """Every area the framework grades in this kind of report is given: with its grade, or as not graded."""
        areas = {area.theme: area for area in framework.areas}
        missing = [areas[theme] for theme in framework.required_themes(kind) if theme not in seen and theme in areas]
        if missing:
            names = "; ".join(f'"{a.area}"' + (f" ({a.strand})" if a.strand else "") + f" (theme {a.theme})" for a in missing)
            r.bad("judgements", f'every "{kind}" report under framework "{framework.id}" grades {names}, but '
                  f"{'they are' if len(missing) > 1 else 'it is'} missing here.",
                  f'add each with its grade from the report; if this report did not grade it, add it with "grade: {NOT_GRADED}".')

    def _sources_of(self, r: Record, path: Path, council: str) -> tuple[str, ...]:
        """The sources of a page: ids, or whole sources written inline."""
        ids = []
        for raw, line in r.items("sources"):
            if isinstance(raw, dict):
                sid = self.source(raw, path, line, council)
            else:
                sid = str(raw).strip()
                self.refs.sources.append((path, line, sid))
            if sid:
                ids.append(sid)
        if not ids and r.has("sources"):
            r.bad("sources", "the page has no sources.", "list the report's source id (and any other source used).")
        return tuple(ids)

    def _paragraphs(self, r: Record) -> dict[int, int]:
        """The paragraph -> PDF page index."""
        block = r.mapping("paragraphs")
        out = {}
        for key, value in (block or {}).items():
            if not (isinstance(key, int) and isinstance(value, int)) or isinstance(value, bool) or key < 1 or value < 1:
                self.problems.add(r.path, block.line_of(key), f'"paragraphs" should map paragraph numbers to page numbers, but has "{key}: {value}".',
                                  "write e.g. '12: 4' (paragraph 12 is on page 4).")
                continue
            out[key] = value
        return dict(sorted(out.items()))

    def _sections(self, path: Path, body: str, first_line: int, settings: Settings, draft: bool) -> tuple[Section, ...]:
        """The body's `##` sections, checked against site.yaml's list."""
        if not body.strip():  # a facts page: nobody has explained the report in plain words yet
            return ()
        preamble, parts = split_sections(body, first_line)
        by_heading = {s.heading.lower(): s for s in settings.sections}
        headings = [s.heading for s in settings.sections]
        if preamble:
            self.problems.add(path, first_line + body[: body.find(preamble[:20])].count("\n") if preamble[:20] in body else first_line,
                              "there is text before the first section heading.", f'start the text with a heading "## {headings[0]}".')
        out, seen, unknown = [], set(), []
        for heading, text, line in parts:
            spec = by_heading.get(heading.lower())
            if spec is None:
                unknown.append(heading)
                self.problems.add(path, line, f'unknown section "## {heading}"{did_you_mean(heading, headings)}.',
                                  f"use one of: {', '.join(headings)}; use ### for headings inside a section.")
                continue
            if spec.id in seen:
                self.problems.add(path, line, f'the section "## {spec.heading}" is given twice.', "merge the two.")
                continue
            seen.add(spec.id)
            if not text and not draft:
                self.problems.add(path, line, f'the section "## {spec.heading}" is empty.', "write it, or remove the heading if the section is optional.")
            out.append(Section(spec.id, spec.heading, text, line))
        if not draft:
            for spec in settings.sections:
                if spec.required and spec.id not in seen and not did_you_mean(spec.heading, unknown):
                    self.problems.add(path, first_line, f'the section "## {spec.heading}" is missing.', f'add "## {spec.heading}" and its text.')
        order = {s.id: n for n, s in enumerate(settings.sections)}
        return tuple(sorted(out, key=lambda s: order[s.id]))

    def _scan_refs(self, path: Path, text: str, first_line: int, paragraphs: dict[int, int] | None = None, report: str = "",
                   council: str = "", inspections: set[str] | None = None) -> None:
        """Queue glossary references; check paragraph citations against the report's index."""
        for ref in find_refs(text, first_line):
            if ref.kind == "term":
                self.refs.terms.append((path, ref.line, ref.target))
                if ref.problem:
                    self.problems.add(path, ref.line, f"glossary link: {ref.problem}",
                                      "in a link the words shown come first and the term second: [[shown words|term]].")
            elif ref.problem:
                self.problems.add(path, ref.line, f"citation: {ref.problem}",
                                  "cite only the paragraphs that say it, smaller number first, e.g. [paras 12-14]; check them against the report.")
            elif ref.target and inspections is not None and ref.target not in inspections:
                self.problems.add(path, ref.line, f'the citation names "{ref.target}", which is not an inspection of this council'
                                  f'{did_you_mean(ref.target, inspections)}.', "use the inspection's file name without .md.")
            elif not ref.target and inspections is not None:
                self.problems.add(path, ref.line, "a citation here must say which report it is from.",
                                  'write e.g. "[para 12 of 2022-03-ilacs-standard]".')
            elif paragraphs and not ref.target:
                missing = [n for n in ref.numbers if n not in paragraphs]
                if missing:
                    self.problems.add(path, ref.line, f"paragraph {missing[0]} is not in this report's paragraph index.",
                                      'check the number against the report, or add it under "paragraphs".')

    def event(self, path: Path, council: str, vocab: Vocabulary) -> Event | None:
        """Read and check one event file."""
        r = self._record(path, "the event", EVENT_KEYS, ("kind", "title", "date", "summary"))
        if not r.ok or not r.data:
            return None
        kind = r.choice("kind", vocab.kinds, "kind")
        date = r.partial_date("date")
        if date and check_slug(path.stem, path, self.problems, 0, "file name") and not path.stem.startswith(date.iso[:7] if date.month else date.iso):
            r.bad("date", f'the file name starts "{path.stem[:7]}", but the event is dated {date.iso}.',
                  f'rename the file to start "{date.iso[:7]}-", or check the date.')
        sources = r.texts("sources")
        for sid in sources:
            self.refs.sources.append((path, r.line_of("sources"), sid))
        summary = r.text("summary") or ""
        self._scan_refs(path, summary, r.line_of("summary") + 1)
        if not (kind and date):
            return None
        return Event(council, path.stem, kind, r.text("title") or "", date, summary, r.texts("points"), sources,
                     self.problems.display(path), read_signoffs(r))

    def story(self, path: Path, council: str, inspections: set[str]) -> ChangeStory | None:
        """Read one 'what changed' story (not again while the preview knows it and the council's inspections unchanged)."""
        also = "story\0" + council + "\0" + "\0".join(sorted(inspections))
        return self._kept(path, also, lambda: self._story(path, council, inspections))

    def _story(self, path: Path, council: str, inspections: set[str]) -> ChangeStory | None:
        """Read and check one 'what changed' story: changes/<before>--<after>.md."""
        before, sep, after = path.stem.partition("--")
        if not sep:
            self.problems.add(path, 1, f'the file name "{path.name}" should be <earlier inspection>--<later inspection>.md.',
                              'rename it, e.g. "2016-11-sif--2022-03-ilacs-standard.md".')
            return None
        for slug in (before, after):
            if slug not in inspections:
                self.problems.add(path, 1, f'"{slug}" is not an inspection of this council{did_you_mean(slug, inspections)}.',
                                  "use the inspection file names (without .md) of the two inspections.")
                return None
        text = read_text(path, self.problems)
        if text is None or report_placeholders(text, path, self.problems):
            return None
        parsed = self._front(text, path, required=False)
        if parsed is None:
            return None
        if not parsed.body.strip():
            self.problems.add(path, 1, "the story is empty.", "write a few plain paragraphs, or delete the file.")
        self._scan_refs(path, parsed.body, parsed.body_line, council=council, inspections=inspections)
        meta = Record(parsed.meta, path, self.problems, "the story's front matter", ("signoffs", "written")) if parsed.meta else None
        if not (meta and meta.has("written")):
            self.problems.add(path, 1, "the story does not say how it was written and when it was last checked against the reports.",
                              'start the file with front matter:\n      ---\n      written:\n        how: curator          # or: drafted\n'
                              '        by: <your name>\n        checked: <YYYY-MM-DD>\n      ---')
        return ChangeStory(council, before, after, parsed.body.strip(), parsed.body_line, self.problems.display(path),
                           read_signoffs(meta) if meta and meta.ok else (), read_written(meta) if meta and meta.ok else None)

    # ---- cross-file checks ----------------------------------------------------------------

    def check_refs(self, glossary: dict[str, GlossaryTerm]) -> None:
        """Every source id and glossary term referred to must exist."""
        for path, line, sid in self.refs.sources:
            if sid not in self.sources:
                near = did_you_mean(sid, self.sources)
                self.problems.add(path, line, f'unknown source "{sid}"{near}.',
                                  "correct the id, or add it to the council's sources.yaml (or content/sources.yaml)." if near else
                                  "add it to the council's sources.yaml (or content/sources.yaml), or correct the id.")
        names = term_index(glossary)
        for path, line, term in self.refs.terms:
            if term.lower() not in names:
                self.problems.add(path, line, f'"[[{term}]]" is not in the glossary{did_you_mean(term.lower(), names)}.',
                                  "add the term to content/glossary.yaml, or link an existing term: [[shown words|term]].")


def context_digest(root: Path) -> str:
    """A digest of the site-wide files that checking an inspection file depends on."""
    hasher = hashlib.blake2b(digest_size=16)
    for name in ("site.yaml", "frameworks.yaml"):
        try:  # never waits on a pipe; a file too large or unreadable is reported when it is read as YAML
            hasher.update(read_regular(root / name, MAX_FILE_BYTES))
        except OSError:
            hasher.update(b"missing")
    return hasher.hexdigest()


def slugify(text: str) -> str:
    """A URL-safe id for a term: 'Looked after child' -> 'looked-after-child'."""
    return re.sub(r"[^a-z0-9]+", "-", text.lower().replace("'", "")).strip("-") or "term"


def term_index(glossary: dict[str, GlossaryTerm]) -> dict[str, str]:
    """Every term and alias, lower-cased, to its term id."""
    index = {}
    for term in glossary.values():
        for name in (term.term, *term.aliases):
            index[name.lower()] = term.id
    return index


def _in_force(framework: Any, day: dt.date) -> bool:
    """Whether a framework was in use on a day."""
    return (framework.start is None or framework.start <= day) and (framework.until is None or day <= framework.until)


def _span(framework: Any) -> str:
    """'used from X until Y' in words."""
    start = framework.start.isoformat() if framework.start else "the start"
    until = framework.until.isoformat() if framework.until else "now"
    return f"used from {start} until {until}"


def suggest_framework(vocab: Vocabulary, kind: str, day: dt.date | None) -> str:
    """The framework that covers a kind of inspection on a day, if exactly one does."""
    fits = [f.id for f in vocab.frameworks.values() if kind in f.kinds and (day is None or _in_force(f, day))]
    return fits[0] if len(fits) == 1 else ""


def consecutive_pairs(inspections: list[Inspection], vocab: Vocabulary) -> list[tuple[Inspection, Inspection]]:
    """Consecutive graded inspections of one council, oldest first."""
    graded = sorted((i for i in inspections if vocab.kinds[i.kind].graded and i.judgements), key=lambda i: (i.start, i.slug))
    return list(zip(graded, graded[1:]))


def load_site(root: Path, parse: Any = None, stats: dict[str, Any] | None = None) -> tuple[Site | None, Problems]:
    """Read and validate all of content/; the Site only when there are no problems."""
    problems = Problems(root)
    if not root.is_dir():
        problems.add(root, 0, f'the content folder "{root}" does not exist.', "run the command from the project folder, or give --content.")
        return None, problems
    report_links(root, problems, "content", skip=lambda name: bool(IGNORED.search(name)))
    if not (root / "councils").is_dir():
        problems.add(root / "councils", 0, "the councils folder is missing: the site would have no councils and would replace "
                     "the whole site.", "run the command from the project folder, or give --content the folder that holds councils/.")
    elif not any(is_dir for _, is_dir in listing(root / "councils")):
        problems.add(root / "councils", 0, "the councils folder has no council in it: the site would have no councils.",
                     "give --content the folder that holds your councils, or add a council (see docs/CONTENT.md).")
    if problems:  # nothing behind a link is ever read
        return None, problems
    loader = Loader(root, problems, parse, context=context_digest(root), stats=stats)
    settings = loader.settings()
    vocab = load_vocabulary(root / "frameworks.yaml", problems, parse)
    if vocab is None:
        return None, problems
    loader.source_list(root / "sources.yaml", "")
    glossary = loader.glossary()
    pages = loader.prose_pages()
    councils: dict[str, Council] = {}
    inspections: list[Inspection] = []
    events: list[Event] = []
    stories: dict[tuple[str, str, str], ChangeStory] = {}
    words: dict[str, Any] = {}
    council_root = root / "councils"
    folders = [path for path, is_dir in listing(council_root) if is_dir]
    for folder in folders:
        if not check_slug(folder.name, folder, problems, 0, "council folder name"):
            continue
        council = loader.council(folder)
        loader.source_list(folder / "sources.yaml", folder.name)
        own: list[Inspection] = []
        problems_before = len(problems)
        entries = listing(folder)
        files = [path for path, is_dir in entries if not is_dir]
        for path in files:
            if path.name in ("council.yaml", "sources.yaml"):
                continue
            if path.suffix == ".md":
                item = loader.inspection(path, folder.name, vocab, settings)
                if item:
                    own.append(item)
            elif path.suffix == ".yaml":
                event = loader.event(path, folder.name, vocab)
                if event:
                    events.append(event)
            elif path.suffix in (".yml", ".markdown", ".txt"):
                problems.add(path, 0, f'files ending "{path.suffix}" are not read.', "name inspections .md and events .yaml.")
        _check_duplicates(own, problems)
        clean = len(problems) == problems_before
        slugs = {p.stem for p in files if p.suffix == ".md"}
        story_folder = folder / "changes"
        published = [i for i in own if not i.draft]
        pairs = {(a.slug, b.slug) for a, b in consecutive_pairs(published, vocab)}
        has_stories = (story_folder, True) in entries
        for path in [p for p, is_dir in listing(story_folder) if not is_dir and p.suffix == ".md"] if has_stories else []:
            story = loader.story(path, folder.name, slugs)
            if story and clean and (story.before, story.after) not in pairs:
                problems.add(path, 1, f'"{story.before}" and "{story.after}" are not consecutive graded inspections.',
                             "name two graded inspections with none graded in between: " +
                             (", ".join(f"{a}--{b}.md" for a, b in sorted(pairs)) or "this council has none yet") + ".")
            elif story:
                stories[(folder.name, story.before, story.after)] = story
        if council:
            councils[council.slug] = council
            inspections.extend(own)
            if (folder / "reports", True) in entries:  # the report's words, shown under citations (quotes.py)
                words.update(council_words(folder, folder.name, {p.stem: p for p in files if p.suffix == ".md"},
                                           cited_in(own, events, stories, folder.name, loader.parse), problems, loader.read_yaml,
                                           loader.parse, stats))
    loader.check_refs(glossary)
    drafts = tuple(i.file for i in inspections if i.draft or councils[i.council].draft)
    if problems:
        return None, problems
    inspections.sort(key=lambda i: (i.council, i.start, i.slug))
    events.sort(key=lambda e: (e.council, e.date.first_day, e.slug))
    site = Site(settings, vocab, councils, tuple(inspections), tuple(events), stories, glossary, loader.sources, pages, drafts,
                words=words)
    report_name_clashes(site, Links(), problems)
    return (None if problems else site), problems


def _check_duplicates(items: list[Inspection], problems: Problems) -> None:
    """Two files for one inspection (same kind and start date) are an error."""
    seen: dict[tuple[str, dt.date], Inspection] = {}
    for item in items:
        key = (item.kind, item.start)
        if key in seen:
            problems.add(item.file, 1, f"this is the same inspection as {seen[key].file} (same kind, same start date).",
                         "keep one file for each inspection: merge them and delete the other.")
        seen.setdefault(key, item)
