"""Computing what changed: timelines and theme-by-theme comparisons across frameworks."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from .model import Event, Inspection, Judgement, Site, Vocabulary

# What a comparison row can say. "same-level" is the same rank under another grade name
# ("adequate" became "requires improvement"); "new" and "gone" are themes judged on one side only.
STATUSES = ("better", "same", "same-level", "worse", "new", "gone", "unknown")
INVERSE = {"better": "worse", "worse": "better", "new": "gone", "gone": "new",
           "same": "same", "same-level": "same-level", "unknown": "unknown"}


@dataclass(frozen=True)
class Row:
    """One common theme compared between two inspections."""

    theme: str
    before: Judgement | None
    after: Judgement | None
    status: str
    joined_before: bool  # before, this theme was judged together with another
    joined_after: bool


@dataclass(frozen=True)
class Comparison:
    """Two consecutive graded inspections of a council, compared theme by theme."""

    council: str
    before: Inspection
    after: Inspection
    rows: tuple[Row, ...]
    framework_changed: bool
    renamed_grades: tuple[tuple[str, str], ...]  # (grade no longer used, grade of the same rank now used)
    between: tuple[Inspection | Event, ...]  # ungraded visits and events in between

    @property
    def slug(self) -> str:
        """The comparison's address: <before>--<after>."""
        return f"{self.before.slug}--{self.after.slug}"

    def counts(self) -> dict[str, int]:
        """How many rows have each status."""
        out = {status: 0 for status in STATUSES}
        for row in self.rows:
            out[row.status] += 1
        return out


def judgement_for(inspection: Inspection, common: str, vocab: Vocabulary) -> Judgement | None:
    """The judgement of an inspection compared under a common theme (exact theme first)."""
    exact = [j for j in inspection.judgements if j.theme == common]
    if exact:
        return exact[0]
    mapped = [j for j in inspection.judgements if common in vocab.themes[j.theme].compare_as]
    return mapped[0] if mapped else None


def status_of(before: Judgement | None, after: Judgement | None, vocab: Vocabulary) -> str:
    """Better, same, same level under a new name, worse, new, gone or unknown."""
    if before is None:
        return "new"
    if after is None:
        return "gone"
    if before.grade == "unknown" or after.grade == "unknown":
        return "unknown"
    rank_before, rank_after = vocab.grades[before.grade].rank, vocab.grades[after.grade].rank
    if rank_after < rank_before:
        return "better"
    if rank_after > rank_before:
        return "worse"
    return "same" if before.grade == after.grade else "same-level"


def compare(before: Inspection, after: Inspection, vocab: Vocabulary,
            between: tuple[Inspection | Event, ...] = ()) -> Comparison:
    """Compare two inspections under the common themes both frameworks map to."""
    rows = []
    for common in vocab.common_themes:
        a, b = judgement_for(before, common, vocab), judgement_for(after, common, vocab)
        if a is None and b is None:
            continue
        rows.append(Row(common, a, b, status_of(a, b, vocab),
                        a is not None and a.theme != common and len(vocab.themes[a.theme].compare_as) > 1,
                        b is not None and b.theme != common and len(vocab.themes[b.theme].compare_as) > 1))
    scale_before = vocab.frameworks[before.framework].grade_ids
    scale_after = vocab.frameworks[after.framework].grade_ids
    renamed = tuple((old, new) for old in scale_before if old not in scale_after
                    for new in scale_after if new not in scale_before and vocab.grades[new].rank == vocab.grades[old].rank)
    return Comparison(before.council, before, after, tuple(rows), before.framework != after.framework, renamed, between)


def graded(inspections: list[Inspection] | tuple[Inspection, ...], vocab: Vocabulary) -> list[Inspection]:
    """The graded inspections, oldest first."""
    return sorted((i for i in inspections if vocab.kinds[i.kind].graded and i.judgements), key=lambda i: (i.start, i.slug))


def item_date(item: Inspection | Event) -> dt.date:
    """The date an item stands at on a timeline."""
    return item.start if isinstance(item, Inspection) else item.date.first_day


def timeline(site: Site, council: str) -> list[Inspection | Event]:
    """Every published inspection, visit and event of a council, oldest first."""
    items: list[Inspection | Event] = [*site.by_council.get(council, ()), *site.events_by_council.get(council, ())]
    return sorted(items, key=lambda x: (item_date(x), x.slug))


def comparisons(site: Site, council: str) -> list[Comparison]:
    """A comparison for each pair of consecutive graded inspections of a council."""
    items = timeline(site, council)
    inspections = [i for i in items if isinstance(i, Inspection)]
    ordered = graded(inspections, site.vocab)
    out = []
    for before, after in zip(ordered, ordered[1:]):
        between = tuple(x for x in items if x is not before and x is not after
                        and before.start < item_date(x) <= after.start and x not in ordered)
        out.append(compare(before, after, site.vocab, between))
    return out


def latest_graded(site: Site, council: str) -> Inspection | None:
    """A council's most recent graded inspection."""
    ordered = graded(site.by_council.get(council, ()), site.vocab)
    return ordered[-1] if ordered else None


def headline(inspection: Inspection, vocab: Vocabulary) -> Judgement | None:
    """The judgement that sums an inspection up: overall, else the first strand's overall."""
    for theme in ("overall", "safeguarding/overall", "looked-after/overall"):
        for judgement in inspection.judgements:
            if judgement.theme == theme:
                return judgement
    return None
