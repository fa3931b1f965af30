"""The content model: plain, frozen dataclasses, built only by `load` after validation."""
from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any, TypeVar

T = TypeVar("T")


@dataclass(frozen=True)
class Grade:
    """A grade on Ofsted's scales; `rank` 1 is best, equal ranks are one level under two names."""

    id: str
    label: str
    short: str
    rank: int
    plain: str


@dataclass(frozen=True)
class Theme:
    """What a judgement is about; `compare_as` names the common themes it is compared under."""

    id: str
    label: str
    plain: str
    compare_as: tuple[str, ...]


@dataclass(frozen=True)
class Kind:
    """A kind of inspection, visit or event."""

    id: str
    label: str
    plain: str
    category: str  # inspection | visit | event
    graded: bool
    official: str = ""  # Ofsted's own name for it, when the label says it in plainer words


@dataclass(frozen=True)
class Area:
    """A judgement area as a framework's reports print it, and its theme."""

    area: str
    theme: str
    strand: str = ""


@dataclass(frozen=True)
class Framework:
    """One of Ofsted's frameworks: when it was used, its grade scale and its areas."""

    id: str
    name: str
    short: str
    start: dt.date | None
    until: dt.date | None
    kinds: tuple[str, ...]
    plain: str
    scale: tuple[tuple[str, str], ...]  # (grade id, wording as printed), best first
    areas: tuple[Area, ...]
    required: tuple[tuple[str, tuple[str, ...]], ...] = ()  # (kind, themes its reports must give), from frameworks.yaml

    def required_themes(self, kind: str) -> tuple[str, ...]:
        """The themes every report of this kind must give (a grade, or `not-graded`): all of them unless listed."""
        return dict(self.required).get(kind, self.themes)

    @property
    def grade_ids(self) -> tuple[str, ...]:
        """The grades this framework uses, best first."""
        return tuple(grade for grade, _ in self.scale)

    @property
    def themes(self) -> tuple[str, ...]:
        """The themes this framework's areas map to, in order, without repeats."""
        return tuple(dict.fromkeys(area.theme for area in self.areas))

    def wording(self, grade: str) -> str:
        """The grade as this framework's reports print it."""
        return dict(self.scale).get(grade, "")


@dataclass(frozen=True)
class Vocabulary:
    """Grades, themes, kinds and frameworks, as read from frameworks.yaml."""

    grades: dict[str, Grade]
    themes: dict[str, Theme]
    kinds: dict[str, Kind]
    frameworks: dict[str, Framework]
    common_themes: tuple[str, ...]  # the themes inspections are compared under, in order


@dataclass(frozen=True)
class Source:
    """A document that facts on the site come from."""

    id: str
    title: str
    publisher: str
    date: dt.date | None
    url: str
    kind: str
    supports: str
    note: str
    file: str
    council: str = ""  # the council whose folder defines it, or "" for site-wide sources


@dataclass(frozen=True)
class Period:
    """A value (a name, a code) that held from one date until another (either may be open)."""

    value: str
    start: dt.date | None = None
    until: dt.date | None = None

    def holds_on(self, day: dt.date) -> bool:
        """Whether the value held on `day`."""
        return (self.start is None or self.start <= day) and (self.until is None or day <= self.until)


@dataclass(frozen=True)
class Contact:
    """Where to get help: a name, and how to reach it."""

    name: str
    phone: str = ""
    url: str = ""
    text: str = ""
    source: str = ""


@dataclass(frozen=True)
class Predecessor:
    """A council that ran children's services in (part of) the area before this one took over."""

    name: str
    until: dt.date | None
    ons_code: str = ""
    dfe_la_code: str = ""
    shared_with: tuple[str, ...] = ()  # the other councils that took over from it at the same time


@dataclass(frozen=True)
class Council:
    """A council with children's services, its names and codes over time."""

    slug: str
    name: str
    short_name: str
    region: str
    ofsted_urn: str
    dfe_la_code: str
    names: tuple[Period, ...]
    ons_codes: tuple[Period, ...]
    towns: tuple[str, ...]
    help: tuple[Contact, ...]
    sources: tuple[str, ...]
    draft: bool
    file: str
    predecessors: tuple[Predecessor, ...] = ()

    def name_on(self, day: dt.date) -> str:
        """The council's name on a given day."""
        for period in self.names:
            if period.holds_on(day):
                return period.value
        return self.name

    def ons_code_on(self, day: dt.date) -> str:
        """The council's ONS code on a given day ("" when unknown)."""
        for period in self.ons_codes:
            if period.holds_on(day):
                return period.value
        return self.ons_codes[-1].value if self.ons_codes else ""

    @property
    def former_names(self) -> tuple[str, ...]:
        """Names the council had before its present one."""
        return tuple(dict.fromkeys(p.value for p in self.names if p.value != self.name))


@dataclass(frozen=True)
class Judgement:
    """One judgement in a report: the area as printed, its theme and its grade."""

    area: str
    theme: str
    grade: str  # a grade id, or "unknown"
    wording: str = ""  # the grade as printed, when it differs from the scale's wording


@dataclass(frozen=True)
class Improvement:
    """One thing the report says must improve, in its words."""

    text: str
    timescale: str = ""


@dataclass(frozen=True)
class SourceNote:
    """Where sources disagree: what each says and which the site follows."""

    text: str
    sources: tuple[str, ...]


@dataclass(frozen=True)
class SignOff:
    """A curator's word that a sentence the faithfulness check flags is true to the report: who, and why."""

    text: str  # words of the flagged sentence (or "## Heading" for a section), enough to find it
    by: str
    why: str
    line: int = 0


@dataclass(frozen=True)
class Section:
    """A `##` section of a Markdown body."""

    id: str
    heading: str
    markdown: str
    line: int


@dataclass(frozen=True)
class Inspection:
    """An inspection or visit with a report: its facts, and the plain-language summary."""

    council: str
    slug: str
    kind: str
    framework: str
    title: str
    start: dt.date
    end: dt.date
    published: dt.date | None
    lead_inspector: str | None
    report: str
    draft: bool
    judgements: tuple[Judgement, ...]
    improvements: tuple[Improvement, ...]
    paragraphs: dict[int, int]
    sources: tuple[str, ...]
    source_notes: tuple[SourceNote, ...]
    sections: tuple[Section, ...]
    file: str
    signoffs: tuple[SignOff, ...] = ()
    written: Written | None = None

    @property
    def key(self) -> str:
        """The inspection's unique key: council/slug."""
        return f"{self.council}/{self.slug}"

    @property
    def explained(self) -> bool:
        """Whether a curator has written the plain-words sections; without them the page shows the facts only."""
        return bool(self.sections)


@dataclass(frozen=True, order=True)
class PartialDate:
    """A date known to the day, the month or only the year."""

    year: int
    month: int = 0
    day: int = 0

    @property
    def first_day(self) -> dt.date:
        """The earliest day the date can mean, for ordering."""
        return dt.date(self.year, self.month or 1, self.day or 1)

    @property
    def iso(self) -> str:
        """The date as ISO text to its precision: 2019, 2018-11 or 2022-07-28."""
        if self.day:
            return f"{self.year:04d}-{self.month:02d}-{self.day:02d}"
        if self.month:
            return f"{self.year:04d}-{self.month:02d}"
        return f"{self.year:04d}"


@dataclass(frozen=True)
class Event:
    """Something else on a council's timeline: an action plan, a visit with no report of ours."""

    council: str
    slug: str
    kind: str
    title: str
    date: PartialDate
    summary: str
    points: tuple[str, ...]
    sources: tuple[str, ...]
    file: str
    signoffs: tuple[SignOff, ...] = ()


@dataclass(frozen=True)
class Written:
    """How a page's plain words were written (by a named curator, or drafted with software then re-read) and when last checked."""

    how: str  # "curator" or "drafted"
    by: str  # the curator's name; for "drafted", who re-read it (optional)
    checked: dt.date  # the day the words were last checked against the report
    line: int = 0


@dataclass(frozen=True)
class ChangeStory:
    """The plain story between two graded inspections, written by a curator."""

    council: str
    before: str  # inspection slug
    after: str
    markdown: str
    line: int
    file: str
    signoffs: tuple[SignOff, ...] = ()
    written: Written | None = None


@dataclass(frozen=True)
class GlossaryTerm:
    """An official word and what it means in plain words."""

    id: str
    term: str
    plain: str
    more: str
    aliases: tuple[str, ...]
    see_also: tuple[str, ...]
    sources: tuple[str, ...]


@dataclass(frozen=True)
class ProsePage:
    """A supporting page written in Markdown (about ...)."""

    slug: str
    title: str
    markdown: str
    file: str
    sources: tuple[str, ...] = ()  # the sources of what the page says, listed under it


@dataclass(frozen=True)
class SectionSpec:
    """A section that inspection pages have, as site.yaml names it."""

    id: str
    heading: str
    required: bool


@dataclass(frozen=True)
class Settings:
    """Site-wide settings from site.yaml."""

    title: str
    short_title: str
    description: str
    language: str
    base_url: str
    contact: str
    sections: tuple[SectionSpec, ...]
    national_help: tuple[Contact, ...]
    contact_url: str = ""  # where readers tell us about a mistake (e.g. the repository's issues page)


@dataclass(frozen=True)
class Site:
    """Everything the content says, validated: the input to every later step."""

    settings: Settings
    vocab: Vocabulary
    councils: dict[str, Council]
    inspections: tuple[Inspection, ...]
    events: tuple[Event, ...]
    stories: dict[tuple[str, str, str], ChangeStory]
    glossary: dict[str, GlossaryTerm]
    sources: dict[str, Source]
    pages: dict[str, ProsePage]
    drafts: tuple[str, ...] = field(default=())  # files of drafts, listed for curators
    words: dict[str, Any] = field(default_factory=dict)  # inspection key -> quotes.ReportWords (cited paragraphs only)
    show_drafts: bool = False  # the preview shows drafts (marked); a build never does

    def published_inspections(self) -> tuple[Inspection, ...]:
        """Inspections shown on the site: drafts only in the preview."""
        return self._shown

    @cached_property
    def _shown(self) -> tuple[Inspection, ...]:
        """Computed once: the Site is frozen."""
        if self.show_drafts:
            return self.inspections
        return tuple(i for i in self.inspections if not i.draft and not self.councils[i.council].draft)

    @cached_property
    def by_council(self) -> dict[str, tuple[Inspection, ...]]:
        """The inspections shown, by council (oldest first, as `inspections` is sorted)."""
        return _grouped(self._shown, lambda i: i.council)

    @cached_property
    def _stories_by_council(self) -> dict[str, tuple[ChangeStory, ...]]:
        """The what-changed stories, by council (in the order `stories` holds them)."""
        return _grouped(self.stories.values(), lambda s: s.council)

    def stories_of(self, council: str) -> tuple[ChangeStory, ...]:
        """One council's what-changed stories."""
        return self._stories_by_council.get(council, ())

    @cached_property
    def events_by_council(self) -> dict[str, tuple[Event, ...]]:
        """The events, by council."""
        return _grouped(self.events, lambda e: e.council)

    def published_sources(self) -> tuple[Source, ...]:
        """Sources the sources page lists: none that only an unpublished draft (or draft council) brings."""
        if self.show_drafts:
            return tuple(self.sources.values())
        unpublished = set(self.drafts)
        draft_councils = {slug for slug, council in self.councils.items() if council.draft}
        used = {sid for i in self._shown for sid in (*i.sources, *(s for note in i.source_notes for s in note.sources))}
        return tuple(s for s in self.sources.values()
                     if s.id in used or (s.file not in unpublished and s.council not in draft_councils))

    def shown_councils(self) -> tuple[Council, ...]:
        """Councils shown on the site, by slug: draft councils only in the preview."""
        return tuple(c for _, c in sorted(self.councils.items()) if self.show_drafts or not c.draft)


def _grouped(items: Iterable[T], key: Callable[[T], str]) -> dict[str, tuple[T, ...]]:
    """Items by a key, each group in the items' own order."""
    out: dict[str, list[T]] = {}
    for item in items:
        out.setdefault(key(item), []).append(item)
    return {k: tuple(group) for k, group in out.items()}
