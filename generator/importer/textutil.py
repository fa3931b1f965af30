"""Small text helpers: normalising, keys for matching, dates and grades as printed."""
from __future__ import annotations

import datetime as dt
import re

MONTHS = {
    "jan": 1, "feb": 2, "mar": 3, "apr": 4, "may": 5, "jun": 6, "jul": 7, "aug": 8,
    "sep": 9, "sept": 9, "oct": 10, "nov": 11, "dec": 12,
}
MONTH_RE = (r"(?:January|February|March|April|May|June|July|August|September|October|November|December"
            r"|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept|Sep|Oct|Nov|Dec)\.?")
DAY_RE = r"(?:[0-3]?\d)(?:st|nd|rd|th)?"
YEAR_RE = r"(?:(?:19|20)\d\d|\d\d)(?!\d)"
DATE_RE = rf"{DAY_RE}\s+{MONTH_RE}\s+{YEAR_RE}"
RANGE_SEP = r"\s*(?:to|and|until|[-–—‐‑‒―−─]|&)\s*"  # ─, a box-drawing line, as a dash: North Lincolnshire 2017
RANGE_RE = re.compile(
    rf"(?P<d1>{DAY_RE})(?:\s+(?P<m1>{MONTH_RE}))?(?:\s+(?P<y1>{YEAR_RE}))?{RANGE_SEP}"
    rf"(?P<d2>{DAY_RE})\s+(?P<m2>{MONTH_RE})\s+(?P<y2>{YEAR_RE})", re.I)
SINGLE_RE = re.compile(rf"(?P<d>{DAY_RE})\s+(?P<m>{MONTH_RE})\s+(?P<y>{YEAR_RE})", re.I)
GRADE_WORDS = r"requires?\s+improvement(?:\s+to\s+be\s+good)?|outstanding|inadequate|adequate|good"
GRADE_RE = re.compile(rf"\b(?:{GRADE_WORDS})\b", re.I)
NUMBERED_GRADE_RE = re.compile(rf"\bgrade\s*([1-4])\s*\(\s*({GRADE_WORDS})\s*\)", re.I)
GRADE_BY_NUMBER = {"1": "outstanding", "2": "good", "3": "adequate", "4": "inadequate"}
QUOTES = str.maketrans({"‘": "'", "’": "'", "‛": "'", "“": '"', "”": '"', "\u00a0": " ", "\u2009": " ",
                        "–": "-", "—": "-", "‐": "-", "‑": "-"})


NUMERIC_DATE_RE = re.compile(r"\b([0-3]?\d)/([01]?\d)/((?:19|20)\d\d)\b")
MONTH_NAMES = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
               "November", "December")


def _month_in_words(m: re.Match) -> str:
    """'12/09/2016' as '12 September 2016' (British day/month order); left as it is when it is no date."""
    day, month, year = int(m[1]), int(m[2]), int(m[3])
    return f"{day} {MONTH_NAMES[month - 1]} {year}" if 1 <= month <= 12 and 1 <= day <= 31 else m[0]


def clean(text: str) -> str:
    """Typographic quotes and dashes made plain, glyph ids dropped, numeric dates in words, whitespace collapsed."""
    text = re.sub(r"\(cid:\d+\)", " ", text.translate(QUOTES))
    text = NUMERIC_DATE_RE.sub(_month_in_words, text)
    return re.sub(r"\s+", " ", text).strip()


def key(text: str) -> str:
    """A matching key: lower case letters and digits only (ignores spacing, wraps, quotes, hyphens)."""
    return re.sub(r"[^a-z0-9]", "", clean(text).lower())


def strip_numbering(text: str) -> str:
    """'2.1 Adoption performance' -> 'Adoption performance'."""
    return re.sub(r"^\s*\d{1,2}(?:\.\d{1,2})*\.?\s+", "", text)


def month_number(name: str) -> int:
    """'Sept' or 'September' -> 9."""
    return MONTHS[name.lower().rstrip(".")[:4] if name.lower().startswith("sept") else name.lower()[:3]]


def year_number(text: str) -> int:
    """'2022' -> 2022; a two-digit '22' -> 2022."""
    value = int(text)
    return value + 2000 if value < 100 else value


def day_number(text: str) -> int:
    """'1st' -> 1."""
    return int(re.match(r"\d+", text).group())


def make_date(day: str, month: str, year: str) -> dt.date | None:
    """A date from printed parts, or None when they make no date."""
    try:
        return dt.date(year_number(year), month_number(month), day_number(day))
    except (ValueError, KeyError):
        return None


def parse_range(text: str) -> tuple[dt.date, dt.date] | None:
    """The first printed date range in text ('19 to 30 March 2012', '18 Feb 2014 - 12 March 2014')."""
    for m in RANGE_RE.finditer(clean(text)):
        found = range_dates(m)
        if found:
            return found
    return None


def range_dates(m: re.Match) -> tuple[dt.date, dt.date] | None:
    """The first and last day of a RANGE_RE match, or None when they make no range of at most 120 days."""
    end = make_date(m["d2"], m["m2"], m["y2"])
    start = make_date(m["d1"], m["m1"] or m["m2"], m["y1"] or m["y2"]) if end else None
    if start is None or end is None:
        return None
    if start > end and not m["y1"]:
        start = start.replace(year=start.year - 1)
    return (start, end) if start <= end and (end - start).days <= 120 else None


def later_visits(text: str, first_end: dt.date) -> list[tuple[dt.date, dt.date]]:
    """The visits printed after a first one, each joined by 'and' ('5 to 9 December 2022 and 14 to 15 February
    2023'): `text` starts just after the first visit's dates. Each visit comes after the one before it."""
    visits: list[tuple[dt.date, dt.date]] = []
    last, pos = first_end, 0
    while True:
        joiner = re.match(r"\s*(?:and|&)\s*", text[pos:])
        if not joiner:
            return visits
        pos += joiner.end()
        m = RANGE_RE.match(text, pos)
        span = range_dates(m) if m else None
        if span is None:
            m = SINGLE_RE.match(text, pos)
            day = make_date(m["d"], m["m"], m["y"]) if m else None
            span = (day, day) if day else None
        if span is None or span[0] <= last or (span[1] - first_end).days > 200:
            return visits
        visits.append(span)
        last, pos = span[1], m.end()


def parse_date(text: str) -> dt.date | None:
    """The first printed single date in text ('2 August 2013')."""
    for m in SINGLE_RE.finditer(clean(text)):
        found = make_date(m["d"], m["m"], m["y"])
        if found:
            return found
    return None


def grade_id(printed: str) -> str | None:
    """The grade id for a grade as printed ('Requires improvement to be good', 'Grade 2 (good)')."""
    text = without_grade_number(clean(printed).lower())
    numbered = NUMBERED_GRADE_RE.search(text)
    if numbered:
        return GRADE_BY_NUMBER[numbered.group(1)] if _word_grade(numbered.group(2)) in (
            GRADE_BY_NUMBER[numbered.group(1)], None) else _word_grade(numbered.group(2))
    return _word_grade(text)


def without_grade_number(printed: str) -> str:
    """'Inadequate Grade 4' -> 'Inadequate': a record of main findings may print the grade's number after its word
    (Medway 2013); the number repeats the word."""
    return re.sub(rf"^((?:{GRADE_WORDS}))\s+grade\s*[1-4]$", r"\1", printed.strip(), flags=re.I)


def _word_grade(text: str) -> str | None:
    """The grade id of a grade word or phrase."""
    text = re.sub(r"\s+", " ", text.strip().lower())
    if re.match(r"requires? improvement", text):
        return "requires-improvement"
    return text if text in ("outstanding", "good", "adequate", "inadequate") else None


def is_grade_only(text: str) -> bool:
    """True when the whole text is one grade as printed (and nothing else)."""
    text = without_grade_number(clean(text).strip(" .:"))
    return bool(text) and (re.fullmatch(rf"(?:{GRADE_WORDS})", text, re.I) is not None
                           or re.fullmatch(rf"grade\s*[1-4]\s*\(\s*(?:{GRADE_WORDS})\s*\)", text, re.I) is not None
                           or re.fullmatch(rf"(?:{GRADE_WORDS})\s*\(\s*grade\s*[1-4]\s*\)", text, re.I) is not None)


def slugify(text: str) -> str:
    """'Newcastle upon Tyne' -> 'newcastle-upon-tyne'."""
    text = clean(text).lower().replace("&", " and ").replace("'", "")
    return re.sub(r"[^a-z0-9]+", "-", text).strip("-")
