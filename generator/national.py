"""How councils compare: counts of latest overall grades, for England and each region, computed from the facts.

The build reads and validates the content into a Site, then `tally` computes these counts once;
the pages that show them (home, councils A to Z, compare, each council page) are given the result.
Every number here is a count of inspections on the site: nothing is estimated or filled in.
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from . import changes as ch
from .model import Council, Framework, Inspection, Site, Vocabulary

ENGLAND = "England"
NO_REGION = "Region not known"
STRAND_OVERALLS = ("safeguarding/overall", "looked-after/overall")


@dataclass(frozen=True)
class Bucket:
    """One column of the counts: a grade, or a kind of 'no overall grade'."""

    key: str  # a grade id, "unknown", "no-overall:<framework id>" or "separate"
    label: str  # as a table heading: "Good", "No overall grade (rules from April 2026)"
    phrase: str  # to finish "councils whose latest ...": "overall grade is good"
    grade: str  # the grade id for the bar's pattern, or "none"
    order: int


@dataclass(frozen=True)
class Latest:
    """A council's latest full inspection and which bucket its overall grade falls in."""

    council: Council
    inspection: Inspection | None
    bucket: Bucket | None  # None when the site has no full inspection of the council


@dataclass(frozen=True)
class Row:
    """Counts for one group (England, a region or a year): how many in each bucket, and in all."""

    name: str
    counts: tuple[int, ...]  # in the order of Tally.buckets
    total: int


@dataclass(frozen=True)
class Standing:
    """Where a council's latest overall grade stands: how many others share it, in England and its region."""

    latest: Latest
    england: int  # councils in England in the same bucket, this one included
    england_total: int
    region: str
    in_region: int
    region_total: int


@dataclass(frozen=True)
class Tally:
    """Everything the compare page and the council pages show about all councils together."""

    counted_on: dt.date | None  # the newest report's publication date: the counts are as of then
    buckets: tuple[Bucket, ...]  # the columns of `england` and `regions`
    year_buckets: tuple[Bucket, ...]  # the columns of `years`
    latest: dict[str, Latest]  # by council slug
    england: Row
    regions: tuple[Row, ...]  # A to Z
    years: tuple[Row, ...]  # oldest first: every full inspection held, by the year it began
    without: int  # councils with no full inspection on the site

    def standing(self, slug: str) -> Standing | None:
        """Where one council's latest overall grade stands, or None when it has no full inspection."""
        latest = self.latest.get(slug)
        if latest is None or latest.bucket is None:
            return None
        region = latest.council.region or NO_REGION
        row = next(r for r in self.regions if r.name == region)
        index = self.buckets.index(latest.bucket)
        return Standing(latest, self.england.counts[index], self.england.total, region, row.counts[index], row.total)


def bucket_of(inspection: Inspection, vocab: Vocabulary) -> Bucket:
    """The bucket an inspection's overall grade falls in (the grade, or why it has none)."""
    framework = vocab.frameworks[inspection.framework]
    overall = next((j for j in inspection.judgements if j.theme == "overall"), None)
    if overall is not None:
        return grade_bucket(overall.grade, vocab)
    return rules_bucket(framework)


def grade_bucket(grade: str, vocab: Vocabulary) -> Bucket:
    """The bucket of an overall grade."""
    if grade not in vocab.grades:
        return Bucket("unknown", "Grade not known", "overall grade is not known to us", "unknown", 90)
    g = vocab.grades[grade]
    order = list(vocab.grades).index(grade)
    return Bucket(grade, g.label, f"overall grade is {g.label.lower()}", grade, order)


def rules_bucket(framework: Framework) -> Bucket:
    """The bucket of a full inspection whose rules give no single overall grade."""
    if any(area.theme in STRAND_OVERALLS for area in framework.areas):
        return Bucket("separate", "Separate grades, no single overall grade",
                      "full inspection gave separate grades and no single overall grade", "none", 100)
    since = f"rules from {framework.start:%B %Y}" if framework.start else f"rules of {framework.short}"
    return Bucket(f"no-overall:{framework.id}", f"No overall grade ({since})",
                  f"full inspection gave no overall grade, because the {since} give none", "none", 110)


def latest_of(site: Site, council: Council) -> Latest:
    """A council's latest full inspection (the latest graded one) and its bucket."""
    inspection = ch.latest_graded(site, council.slug)
    return Latest(council, inspection, bucket_of(inspection, site.vocab) if inspection else None)


def count_row(name: str, buckets: tuple[Bucket, ...], found: Iterable[Bucket]) -> Row:
    """A row of counts: how many of `found` fall in each bucket."""
    found = list(found)
    return Row(name, tuple(sum(1 for b in found if b == bucket) for bucket in buckets), len(found))


def standard_buckets(vocab: Vocabulary, used: set[Bucket]) -> tuple[Bucket, ...]:
    """The buckets to show: the grades today's rules use (even at 0), and any other bucket in use."""
    current = [f for f in vocab.frameworks.values() if f.scale and f.until is None]
    always = {grade_bucket(g, vocab) for f in current for g in f.grade_ids}
    return tuple(sorted(always | used, key=lambda b: (b.order, b.key)))


def tally(site: Site) -> Tally:
    """Count, from the facts, each council's latest overall grade, for England and each region, and every report by year."""
    councils = [c for c in site.shown_councils()]
    latest = {c.slug: latest_of(site, c) for c in councils}
    graded = [i for c in councils for i in ch.graded(site.by_council.get(c.slug, ()), site.vocab)]
    by_inspection = [(i, bucket_of(i, site.vocab)) for i in graded]
    buckets = standard_buckets(site.vocab, {x.bucket for x in latest.values() if x.bucket})
    year_buckets = standard_buckets(site.vocab, {b for _, b in by_inspection})
    counted = [x for x in latest.values() if x.bucket]
    regions = sorted({(x.council.region or NO_REGION) for x in counted}, key=str.lower)
    region_rows = tuple(count_row(r, buckets, (x.bucket for x in counted if (x.council.region or NO_REGION) == r))
                        for r in regions)
    years = sorted({i.start.year for i in graded})
    year_rows = tuple(count_row(str(y), year_buckets, (b for i, b in by_inspection if i.start.year == y)) for y in years)
    shown = [i for c in councils for i in site.by_council.get(c.slug, ())]
    dates = [i.published for i in shown if i.published]
    return Tally(max(dates) if dates else None, buckets, year_buckets, latest,
                 count_row(ENGLAND, buckets, (x.bucket for x in counted)), region_rows, year_rows,
                 sum(1 for x in latest.values() if x.bucket is None))


def standing_sentence(standing: Standing, name: str) -> str:
    """Where a council's latest overall grade stands, in words: 'York is one of 27 councils in England whose ...'."""
    phrase = standing.latest.bucket.phrase if standing.latest.bucket else ""
    if standing.england == 1:
        text = f"{name} is the only council in England whose latest {phrase}."
    else:
        text = f"{name} is one of {standing.england} councils in England whose latest {phrase}."
    if standing.region_total > 1 and standing.region != NO_REGION:
        where = region_name(standing.region)
        if standing.in_region == 1:
            text += f" In {where}, it is the only one of the {standing.region_total} councils with this result."
        else:
            text += f" In {where}, {standing.in_region} of the {standing.region_total} councils have this result."
    return text


def region_name(region: str) -> str:
    """A region as a sentence names it: "the South East", "the East of England", "London"."""
    return f"the {region}" if region.split(" ", 1)[0] in ("North", "South", "East", "West") else region
