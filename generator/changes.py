"""Computing what changed: timelines and theme-by-theme comparisons across frameworks."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from .model import Event, Inspection, Judgement, Site, Vocabulary

# What a comparison row can say. "same-level" is the same rank under another grade name
# ("adequate" became "requires improvement"); "new" and "gone" are themes judged on one side only;
# "mixed" is a row where one side has two grades (the two parts of a 2009-2012 inspection) that
# moved in different directions.
STATUSES = ("better", "same", "same-level", "worse", "mixed", "new", "gone", "unknown")
INVERSE = {"better": "worse", "worse": "better", "new": "gone", "gone": "new",
           "same": "same", "same-level": "same-level", "mixed": "mixed", "unknown": "unknown"}
# Common themes that sum an inspection (or one of its parts) up rather than judge one part of services.
SUMMING_UP = ("overall", "leadership")


@dataclass(frozen=True)
class Row:
    """One common theme compared between two inspections.

    A side holds every judgement of that inspection compared under the theme: usually one, two
    when an inspection in two parts (2009-2012) graded each part's overall effectiveness, none
    when the theme was not judged.
    """

    theme: str
    befores: tuple[Judgement, ...]
    afters: tuple[Judgement, ...]
    status: str
    joined_before: bool  # before, one grade was given for this theme together with another
    joined_after: bool

    @property
    def before(self) -> Judgement | None:
        """The first judgement before (None when the theme was not judged)."""
        return self.befores[0] if self.befores else None

    @property
    def after(self) -> Judgement | None:
        """The first judgement after (None when the theme was not judged)."""
        return self.afters[0] if self.afters else None

    def sides(self) -> tuple[tuple[str, str], ...]:
        """The single grades this row rests on, by side and theme (a side with two grades rests on neither alone)."""
        return tuple((side, js[0].theme) for side, js in (("before", self.befores), ("after", self.afters)) if len(js) == 1)


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
        """How many changes have each status, counting judgements as the reports make them.

        Children in care and care leavers judged together (2018 to 2022) are two rows of the table
        but one judgement: rows with the same status that rest on the same single grade count once.
        """
        out = {status: 0 for status in STATUSES}
        for status, _rows in _changes(self.rows):
            out[status] += 1
        return out


def _changes(rows: tuple[Row, ...]) -> list[tuple[str, list[Row]]]:
    """The rows grouped into changes: rows with one status that share a single grade are one change."""
    groups: list[tuple[str, list[Row], set[tuple[str, str]]]] = []
    for row in rows:
        sides = set(row.sides())
        joined = [g for g in groups if g[0] == row.status and g[2] & sides]
        merged = (row.status, [row], sides)
        for g in joined:
            groups.remove(g)
            merged = (row.status, g[1] + merged[1], g[2] | merged[2])
        groups.append(merged)
    return [(status, members) for status, members, _ in groups]


def judgements_for(inspection: Inspection, common: str, vocab: Vocabulary) -> tuple[Judgement, ...]:
    """Every judgement of an inspection compared under a common theme (the exact theme alone, if judged).

    An inspection with no single overall grade (2009-2012: one for each of its two parts) gives
    both parts' overall grades under "overall", and both parts' leadership grades under "leadership".
    """
    exact = tuple(j for j in inspection.judgements if j.theme == common)
    if exact:
        return exact[:1]
    return tuple(j for j in inspection.judgements if common in vocab.themes[j.theme].compare_as)


def judgement_for(inspection: Inspection, common: str, vocab: Vocabulary) -> Judgement | None:
    """The first judgement of an inspection compared under a common theme, or None."""
    found = judgements_for(inspection, common, vocab)
    return found[0] if found else None


def pair_status(before: Judgement, after: Judgement, vocab: Vocabulary) -> str:
    """Better, same, same level under a new name, worse or unknown, for one pair of judgements."""
    if before.grade == "unknown" or after.grade == "unknown":
        return "unknown"
    rank_before, rank_after = vocab.grades[before.grade].rank, vocab.grades[after.grade].rank
    if rank_after < rank_before:
        return "better"
    if rank_after > rank_before:
        return "worse"
    return "same" if before.grade == after.grade else "same-level"


def status_of(before: Judgement | tuple[Judgement, ...] | None, after: Judgement | tuple[Judgement, ...] | None,
              vocab: Vocabulary) -> str:
    """Better, same, same level under a new name, worse, mixed, new, gone or unknown."""
    befores, afters = _as_tuple(before), _as_tuple(after)
    if not befores:
        return "new"
    if not afters:
        return "gone"
    # part with the same part when both inspections had the same parts, else every grade with every grade
    pairs = [(b, a) for b in befores for a in afters if b.theme == a.theme] or [(b, a) for b in befores for a in afters]
    found = {pair_status(b, a, vocab) for b, a in pairs}
    if "unknown" in found:
        return "unknown"
    if len(found) == 1:
        return found.pop()
    return "same-level" if found <= {"same", "same-level"} else "mixed"


def _as_tuple(side: Judgement | tuple[Judgement, ...] | None) -> tuple[Judgement, ...]:
    """One judgement, several or none, as a tuple."""
    if side is None:
        return ()
    return side if isinstance(side, tuple) else (side,)


def _joined(side: tuple[Judgement, ...], common: str, vocab: Vocabulary) -> bool:
    """Whether a side is one grade given for this theme together with other parts of services.

    A part's overall grade compared under Overall (or its leaders' grade under Leaders) sums that
    part up: it is not "judged together" with anything.
    """
    if len(side) != 1 or side[0].theme == common:
        return False
    parts = [c for c in vocab.themes[side[0].theme].compare_as if c not in SUMMING_UP]
    return len(parts) > 1 and common in parts


def compare(before: Inspection, after: Inspection, vocab: Vocabulary,
            between: tuple[Inspection | Event, ...] = ()) -> Comparison:
    """Compare two inspections under the common themes both frameworks map to."""
    rows = []
    for common in vocab.common_themes:
        a, b = judgements_for(before, common, vocab), judgements_for(after, common, vocab)
        if not a and not b:
            continue
        rows.append(Row(common, a, b, status_of(a, b, vocab), _joined(a, common, vocab), _joined(b, common, vocab)))
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
    """The judgement that sums an inspection up: overall, else the first part's overall."""
    return judgement_for(inspection, "overall", vocab)
