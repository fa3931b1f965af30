"""What an Ofsted report prints, read from poppler's layout text (tests/pdfcache.py).

Shared by the facts tests (tests/content/test_facts.py) and the importer tests.

A second reading, written apart from the importer's: it looks only at the printed text (columns
kept by `pdftotext -layout`), never at the importer's code or output. Each function returns what
the report prints, or None when it prints nothing of the kind.
"""
from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections import Counter
from dataclasses import dataclass

MONTHS = ["january", "february", "march", "april", "may", "june", "july", "august",
          "september", "october", "november", "december"]
MONTH_RE = r"(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*"
GRADE_RE = (r"(?:outstanding|good|adequate|inadequate|requires?\s+improvement(?:\s+to\s+be\s+good)?"
            r"|not\s+judged)")
# Words a grade cell of a judgement table is made of (the cell may wrap over lines).
GRADE_WORDS = {"outstanding", "good", "adequate", "inadequate", "requires", "require", "improvement",
               "to", "be", "not", "judged", "grade", "1", "2", "3", "4"}
GRADE_COLUMN = 30          # a grade cell starts at least this far right


def clean(text: str) -> str:
    """Typographic quotes and dashes plain, ligatures split, one space between words."""
    text = unicodedata.normalize("NFKC", text)
    text = text.replace("\u2019", "'").replace("\u2018", "'").replace("\u201c", '"').replace("\u201d", '"')
    text = re.sub(r"[\u2010-\u2015\u2212\u2500]", "-", text)
    return re.sub(r"\s+", " ", text).strip()


def squash(text: str) -> str:
    """Words only, lower case: for comparing wording, not layout or punctuation."""
    return re.sub(r"[^a-z0-9]+", " ", clean(text).lower()).strip()


def grade_key(printed: str) -> str | None:
    """The grade a printed grade means ('Require improvement' -> requires-improvement)."""
    words = squash(printed)
    for key, pattern in (("requires-improvement", r"^requires? improvement"), ("inadequate", r"^inadequate"),
                         ("adequate", r"^adequate"), ("outstanding", r"^outstanding"), ("good", r"^good"),
                         ("not-judged", r"^not judged")):
        if re.match(pattern, words):
            return key
    return None


# ---------------------------------------------------------------- dates

def _date_tokens(text: str) -> list[tuple[int, int | None, int | None]]:
    """Every day (with its month and year where printed) in a date range, in order."""
    tokens = []
    for match in re.finditer(r"(\d{1,2})/(\d{1,2})/(\d{4})|(\d{1,2})(?:st|nd|rd|th)?(?:\s+(" + MONTH_RE
                             + r"))?(?:\s+(\d{4}))?(?![\d/])", text, re.I):
        if match[1]:
            tokens.append((int(match[1]), int(match[2]), int(match[3])))
        else:
            month = next((i + 1 for i, m in enumerate(MONTHS) if m.startswith(match[5].lower()[:3])), None) \
                if match[5] else None
            tokens.append((int(match[4]), month, int(match[6]) if match[6] else None))
    return tokens


def inspection_dates(pages: list[str]) -> tuple[dt.date, dt.date] | None:
    """First and last day of 'Inspection date(s): ...' (which may name two visits, or wrap a line)."""
    match = re.search(r"Inspection dates?\s*:?\s*(.+?)(?:\n\s*\n|Report published|Published|Lead inspector"
                      r"|Reporting inspector|$)", "\n".join(pages[:2]), re.S | re.I)
    if not match:                                       # a letter: 'the focused visit to ... on 1 to 2 August 2023'
        match = re.search(r"findings of the [\w ]*visit to [^.]*? (?:on|between|from) ([^.]*?\d{4})",
                          clean("\n".join(pages[:2])), re.I)
    if not match:
        return None
    tokens = _date_tokens(clean(match[1]))
    if not tokens:
        return None
    filled = []
    month = year = None
    for day, m, y in reversed(tokens):          # "12 to 23 January 2026": month and year come last
        month, year = m or month, y or year
        filled.append((day, month, year))
    filled.reverse()
    try:
        dates = [dt.date(y, m, d) for d, m, y in filled if m and y]
    except ValueError:
        return None
    return (dates[0], dates[-1]) if dates else None


def publication_date(pages: list[str]) -> dt.date | None:
    """'Report published: 8 August 2014' / 'Published: 23 August 2013' / '25/11/2016' on the first page."""
    match = re.search(r"(?:Report\s+)?Published\s*:\s*([^\n]+)", pages[0] if pages else "", re.I)
    if not match:
        return None
    tokens = [t for t in _date_tokens(clean(match[1])) if t[1] and t[2]]
    return dt.date(tokens[0][2], tokens[0][1], tokens[0][0]) if tokens else None


# ---------------------------------------------------------------- lead inspector

NAME_RE = r"([A-Z][\w'\u2019.-]*(?:\s+(?:[A-Z][\w'\u2019.-]*|de|van|von|le|la))*)"


def lead_inspectors(text: str) -> list[str] | None:
    """The name(s) after 'Lead inspector(s):' or 'Reporting inspector', without 'HMI' or title."""
    match = re.search(r"(?:Lead|Reporting)\s+inspectors?(?:\s+on\s+site)?\s*:?[ \t]*(.+)(?:\n(.*))?", text)
    if not match:
        return None
    return _names(match)


def visit_inspectors(text: str) -> list[str] | None:
    """A letter's 'His Majesty's Inspectors for this visit were A and B' (it names no lead)."""
    match = re.search(r"Inspectors? for this visit (?:were|was) ([^.]+)\.", clean(text))
    if not match:
        return None
    names = [n.strip() for n in re.split(r",|\band\b", match[1]) if n.strip()]
    return names if all(re.fullmatch(NAME_RE, n) for n in names) else None


def _names(match: re.Match) -> list[str] | None:
    """The names in a 'Lead inspector: ...' match."""
    tail = clean(match[1])
    if re.search(r"(?:,|\band|Majesty.s)$", tail) and match[2]:      # the line wraps
        tail += " " + clean(match[2])
    tail = re.sub(r"\((?:HMI|Senior HMI)\)", "", tail)
    tail = re.sub(r",?\s*(?:Senior\s+)?(?:HMI|Her Majesty's Inspector|His Majesty's Inspector)\b\.?", ",", tail)
    names = []
    for part in re.split(r",|\band\b", tail):
        part = part.strip()
        if not part:
            continue
        named = re.fullmatch(NAME_RE, part)
        if not named:
            break
        names.append(named[1])
        if not re.search(r"Lead\s+inspectors", match[0]) and names:
            break
    return names or None


# ---------------------------------------------------------------- judgements

@dataclass(frozen=True)
class Printed:
    """One graded area as the report prints it."""

    area: str            # the area's words; for a sentence, the sentence
    grade: str           # the grade's words as printed
    how: str             # 'table', 'overall sentence' or 'LSCB sentence'

    @property
    def key(self) -> str | None:
        """The grade meant."""
        return grade_key(self.grade)


def _table_cells(line: str) -> tuple[str, str] | None:
    """A table line split into its left text and its grade-column text (the left may be empty)."""
    gaps = [0] + [m.end() for m in re.finditer(r"\s{2,}", line.rstrip())] if line[:1].isspace() or not line \
        else [m.end() for m in re.finditer(r"\s{2,}", line.rstrip())]
    for start in gaps:
        right = line[start:].strip()
        if start == 0:
            start = len(line) - len(line.lstrip())
        words = right.lower().split()
        if start >= GRADE_COLUMN and words and all(w in GRADE_WORDS for w in words) \
                and not re.fullmatch(r"[\d\s]+", right):
            return line[:start].strip(), right
    return None


GRADE_PHRASES = [["requires", "improvement", "to", "be", "good"], ["require", "improvement", "to", "be", "good"],
                 ["requires", "improvement"], ["require", "improvement"], ["not", "judged"],
                 ["outstanding"], ["good"], ["adequate"], ["inadequate"]]


def split_grades(words: list[str]) -> list[str] | None:
    """Consecutive grade cells' words, split into grades (a cell may wrap over lines), or None."""
    grades, i = [], 0
    while i < len(words):
        for phrase in GRADE_PHRASES:
            if [w.lower() for w in words[i:i + len(phrase)]] == phrase:
                j = i + len(phrase)
                if [w.lower() for w in words[j:j + 1]] == ["grade"] and words[j + 1:j + 2] and words[j + 1].isdigit():
                    j += 2                                  # 'Inadequate Grade 4'
                grades.append(" ".join(words[i:j]))
                i = j
                break
        else:
            return None
    return grades


def table_rows(lines: list[str], headings_inside: bool = False) -> list[Printed]:
    """The judgement table that starts in `lines`: its areas and grades, in order.

    The areas (left column) and the grades (grade column) are read as two streams, then paired:
    a grade cell may sit above, beside or below its area's first line, and either may wrap.
    An area starts at a blank line, a number ('2.', '2.1') or a capital letter; the table ends at
    the first blank-separated group of lines with nothing in the grade column, once a grade was read
    (unless `headings_inside`: then such a group is a heading within the table, and is skipped)."""
    areas: list[list[str]] = []
    grade_words: list[str] = []
    group_has_grade = False
    group_lines = 0
    new_area = True
    for line in lines + [""]:
        if not line.strip():
            if group_lines and not group_has_grade:        # a heading above the table, or prose after it
                areas = areas[:len(areas) - trailing]
                if grade_words and not headings_inside:
                    break
            group_has_grade, group_lines, new_area, trailing = False, 0, True, 0
            continue
        if group_lines == 0:
            trailing = 0
        group_lines += 1
        cells = _table_cells(line)
        left, right = cells if cells else (line.strip(), "")
        if left.lower() in ("judgement", "judgements") and right.lower() == "grade":
            continue
        if right:
            group_has_grade = True
            grade_words.extend(right.split())
        if left:
            if new_area or re.match(r"\d+(?:\.\d+)*\.?\s+\S", left) or left[:1].isupper():
                areas.append([left])
                trailing += 1
            else:
                areas[-1].append(left)
            new_area = False
    grades = split_grades(grade_words) or [" ".join(grade_words)] if grade_words else []
    names = [re.sub(r"^\d+(?:\.\d+)*\.?\s+", "", clean(" ".join(a))) for a in areas]
    if len(names) != len(grades):
        return [Printed(" | ".join(names), " | ".join(grades), "unreadable table")]
    return [Printed(a, g, "table") for a, g in zip(names, grades)]


def _overall_sentence(text: str) -> Printed | None:
    """SIF: 'The overall judgement is (that children's services are) X' / 'Children's services in Y are X'."""
    flat = clean(text)
    match = re.search(r"(?:The overall judgement is (?:that children's services? (?:in [^.]{1,80}? )?)?"
                      r"|Children's services? (?:in [^.]{1,80}? )?)(?:(?:are|is)\s+)?(?:judged to be\s+)?"
                      r"((?i:" + GRADE_RE + r"))(?![\w-])", flat)
    if not match:
        return None
    grade = match[1]
    return Printed("Overall effectiveness", grade, "overall sentence")


def _lscb_sentence(text: str) -> Printed | None:
    """SIF with an LSCB review: the board's grade, as the report first states it."""
    flat = clean(text)
    match = re.search(r"((?:Local )?Safeguarding Children Board(?: \(LSCB\))?|LSCB\)?)"
                      r"(?: is(?: judged to be)?| requires?)\s+((?i:" + GRADE_RE + r"|improvement(?: to be good)?))"
                      r"(?![\w-])", flat)
    if not match:
        return None
    grade = match[2]
    if grade.lower().startswith("improvement"):
        grade = "requires " + grade
    return Printed("Local Safeguarding Children Board", grade, "LSCB sentence")


def judgements(pages: list[str]) -> list[Printed]:
    """Every graded area the report prints, in the report's order."""
    text = "\f".join(pages)
    record = [m.end() for m in re.finditer(r"(?<![^\n\f])[ \t]*Record of main findings:?[ \t]*$", text, re.M)]
    if record:                                          # 2012-2013: the table at the end
        return table_rows(text[record[-1]:].split("\f")[0].splitlines(), headings_inside=True)
    header = re.search(r"(?<![^\n\f])[ \t]*Judgements?\s{2,}Grade[ \t]*$", "\f".join(pages[:3]), re.M | re.I)
    if header:                                          # ILACS: 'Judgement  Grade' table
        return table_rows(text[header.end():].splitlines())
    # SIF: the overall judgement as a sentence, the table of areas, the LSCB review's grade.
    first = pages[0] if pages else ""
    out: list[Printed] = []
    overall = _overall_sentence(first)
    if overall:
        out.append(overall)
        start = re.search(r"(?:overall judgement is|Children.s services in)", first, re.I)
        lines = first[start.start():].splitlines()[1:] if start else first.splitlines()
    else:
        lines = first.splitlines()
    begin = next((i for i, line in enumerate(lines) if _table_cells(line)), None)
    if begin is not None:
        # the first area's line may come just above its grade cell
        if begin and re.match(r"\s*1\.?\s+\S", lines[begin - 1]):
            begin -= 1
        out.extend(table_rows(lines[begin:]))
        rest = [line for line in (pages[1] if len(pages) > 1 else "").splitlines() if line.strip()]
        if rest and _table_cells(rest[0]):              # the table goes on over the page
            out.extend(table_rows(pages[1].splitlines()))
    # the board's review: combined with the inspection (said on the first page), or a report of its own
    # bound into the same PDF ('Inspection of the effectiveness of the local safeguarding children board')
    if re.search(r"(?:Review|Inspection) of the effectiveness of the\s+Local\s+Safeguarding\s+Children\s+Board",
                 text, re.I):
        lscb = _lscb_sentence(text)
        out.append(lscb or Printed("Local Safeguarding Children Board", "(no grade found)", "LSCB sentence"))
    return out


# ---------------------------------------------------------------- body text

def body_text(pages: list[str]) -> str:
    """The report's running text: page headers, footers, page numbers and footnote marks left out."""
    edges: Counter[str] = Counter()
    split = [[line for line in page.splitlines()] for page in pages]
    for lines in split:
        filled = [squash(re.sub(r"\d+", "", line)) for line in lines if line.strip()]
        for line in set(filled[:3] + filled[-4:]):
            edges[line] += 1
    repeated = {line for line, count in edges.items() if count >= 3 and line}
    kept = []
    for lines in split:
        filled = [i for i, line in enumerate(lines) if line.strip()]
        edge_lines = set(filled[:3] + filled[-4:])
        for i, line in enumerate(lines):
            if re.fullmatch(r"\s*\d{1,3}\s*", line):
                continue
            if i in edge_lines and squash(re.sub(r"\d+", "", line)) in repeated:
                continue
            kept.append(line)
    return "\n".join(kept)


# Bullets: squares, dots, dashes, and symbol-font glyphs (private use area) that old PDFs print.
BULLET_RE = re.compile(r"^\s*[\u25fc\u25aa\u25a0\u25cf\u2022\u2023\u2043\u2219\u00b7\ue000-\uf8ff-]\s+(.*)$")


def ilacs_improvements(pages: list[str]) -> list[str] | None:
    """The points of an ILACS report's 'What needs to improve?' list, or None when it has none."""
    lines = body_text(pages).splitlines()
    for i, line in enumerate(lines):
        if not re.match(r"\s*What needs to improve[?:]?\s*\d*\s*$", line, re.I):
            continue
        items: list[str] = []
        for line in lines[i + 1:]:
            bullet = BULLET_RE.match(line)
            if bullet:
                items.append(bullet[1].strip())
            elif not line.strip():
                continue
            elif items and line[:1].isspace():
                items[-1] += " " + line.strip()
            else:
                break
        if items:
            return [clean(item) for item in items]
        return None          # a heading with prose under it, not a list: nothing to count
    if re.search(r"(?<![^\n\f])[ \t]*Judgements?\s{2,}Grade[ \t]*$", "\f".join(pages[:3]), re.M | re.I):
        return []            # an ILACS report with no 'What needs to improve?': there are no points
    return None


def longest_prefix_in(words: str, body: str) -> int:
    """How many of `words`' first words appear together in `body` (where a quotation goes wrong)."""
    split = words.split()
    low, high = 0, len(split)
    while low < high:
        mid = (low + high + 1) // 2
        if " ".join(split[:mid]) in body:
            low = mid
        else:
            high = mid - 1
    return low


SIF_LIST_START = re.compile(r"^\s*(?:Recommendations|What does the (?:local authority|LSCB|Local Safeguarding Children"
                            r" Board|board) need to improve\??|Areas for improvement|Priority and immediate action)\s*$",
                            re.I)


def sif_improvement_points(pages: list[str]) -> list[str] | None:
    """The numbered points under a SIF or LSCB report's 'Recommendations', 'Areas for improvement' or
    'What does ... need to improve?' headings (each list ends at the next heading), or None for other
    formats. Their layout varies too much to count exactly; used to see that a list is there."""
    text = "\f".join(pages)
    if re.search(r"Record of main findings", text) or \
            re.search(r"(?<![^\n\f])[ \t]*Judgements?\s{2,}Grade[ \t]*$", "\f".join(pages[:3]), re.M | re.I):
        return None
    lines = body_text(pages).splitlines()
    found: set[int] = set()
    for start, line in enumerate(lines):
        if not SIF_LIST_START.match(line):
            continue
        after_blank = True
        for number in range(start + 1, len(lines)):
            here = lines[number]
            if not here.strip():
                after_blank = True
                continue
            if re.match(r"\s*\d{1,3}\.\s+\S", here):
                found.add(number)
            elif not SIF_LIST_START.match(here) and not here[:1].isspace() and after_blank \
                    and not here.rstrip().endswith((".", ":", ";", ",")):
                break                                       # the next heading
            after_blank = False
    return [clean(lines[n]) for n in sorted(found)]
