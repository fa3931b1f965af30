"""Grades: read from the judgement tables, the text around them, and graded headings; reconciled per format."""
from __future__ import annotations

import difflib
import logging
import re
from dataclasses import dataclass

from .layout import Line
from .pdftext import Document
from .textutil import (GRADE_RE, GRADE_WORDS, NUMBERED_GRADE_RE, clean, grade_id, is_grade_only, key, strip_numbering,
                       without_grade_number)
from .vocab import Area, match_area

log = logging.getLogger(__name__)

SLAC_STRANDS = ["Safeguarding services", "Services for looked after children"]
CPLAC_STRANDS = {"protection-of-children": ["Protection of children"],
                 "looked-after-children": ["Services for looked after children"]}


@dataclass
class Judgement:
    """One grade as found: the area as printed, its theme, the grade id and how the grade was printed."""

    area: str
    theme: str
    grade: str
    printed: str
    strand: str | None = None
    source: str = "table"


@dataclass
class Found:
    """Judgements plus what a curator should check."""

    judgements: list[Judgement]
    warnings: list[str]


def printed_area(printed: str, area: Area) -> str:
    """The area as printed when it is tidy, else the framework's wording."""
    text = clean(strip_numbering(printed))
    return area.area if key(text) == key(area.area) or len(text) > 160 else text


# ---------------------------------------------------------------- tables

def table_rows(doc: Document, pages: list[int]) -> list[tuple[str, str]]:
    """(area text, grade text) for every table row on those pages that holds exactly one grade."""
    rows = []
    for number in pages:
        for table in doc.tables.get(number, []):
            for row in table:
                cells = [clean(c) for c in row if c and clean(c)]
                grades = [c for c in cells if is_grade_only(c)]
                others = [c for c in cells if not is_grade_only(c)]
                if len(grades) == 1 and others:
                    rows.append((" ".join(others), grades[0]))
    return rows


# ---------------------------------------------------------------- text blocks

def zip_block(text_lines: list[str], areas: list[Area]) -> list[tuple[str, str]]:
    """Pair areas and grades in a garbled block by order: wrapped cells keep their order even when lines interleave."""
    lines = [ln for ln in text_lines if not ln.rstrip().endswith("?")]
    text = clean(" ".join(lines))
    grades = [m.group(0) for m in re.finditer(rf"grade\s*[1-4]\s*\(\s*(?:{GRADE_WORDS})\s*\)|\b(?:{GRADE_WORDS})\b",
                                              text, re.I)]
    residual = key(re.sub(rf"grade\s*[1-4]\s*\(\s*(?:{GRADE_WORDS})\s*\)|\b(?:{GRADE_WORDS})\b", " ", text, flags=re.I))
    keys = sorted({key(a.area): a.area for a in areas}.items(), key=lambda kv: -len(kv[0]))
    found, pos = [], 0
    while pos < len(residual):
        for k, name in keys:
            if residual.startswith(k, pos):
                found.append(name)
                pos += len(k)
                break
        else:
            pos += 1
    if len(found) != len(grades):
        log.debug("zip_block: %d areas, %d grades", len(found), len(grades))
        return []
    return list(zip(found, grades))


def graded_headings(lines: list[Line], areas: list[Area]) -> list[tuple[str, str]]:
    """(heading, grade) for headings followed by 'Grade 2 (good)', or printed as 'Heading: good'."""
    out = []
    for i, line in enumerate(lines):
        m = NUMBERED_GRADE_RE.search(line.text)
        if m and not line.text[m.end():].strip(" .") and not re.search(r"\)\s*$", line.text[:m.start()]):
            prefix = line.text[:m.start()].strip()
            for back in range(0, 4):
                parts = [ln.text for ln in lines[max(0, i - back):i]] + ([prefix] if prefix else [])
                if not parts:
                    continue
                found = match_area(" ".join(parts), areas)
                if found:
                    out.append((" ".join(parts), m.group(0)))
                    break
    return out


def colon_headings(lines: list[Line], areas: list[Area]) -> list[tuple[str, str]]:
    """(area, grade) for ILACS body headings like 'The experiences and progress of ...: good' (may wrap)."""
    out = []
    for i, line in enumerate(lines):
        for text in (line.text, " ".join(ln.text for ln in lines[i:i + 2]), " ".join(ln.text for ln in lines[i:i + 3])):
            m = re.fullmatch(rf"(The (?:impact|experiences)[^:]{{10,170}}):\s*({GRADE_WORDS})\.?", text, re.I)
            if m and match_area(m.group(1), areas):
                out.append((m.group(1), m.group(2)))
                break
    return out


# ---------------------------------------------------------------- assigning areas

def to_judgements(pairs: list[tuple[str, str]], areas: list[Area], strands: list[str] | None,
                  source: str) -> list[Judgement]:
    """Match printed areas to known ones; with strands, a repeated area starts the next strand."""
    out: list[Judgement] = []
    index, seen = 0, set()
    for printed, grade_text in pairs:
        grade = grade_id(grade_text)
        if grade is None:
            continue
        if not strands:
            area = match_area(printed, areas)
            if area:
                out.append(Judgement(printed_area(printed, area), area.theme, grade, without_grade_number(clean(grade_text)), None, source))
            else:
                log.debug("unmatched row %r", printed)
            continue
        area = match_area(printed, areas, strands[index])
        later = [(j, match_area(printed, areas, strands[j])) for j in range(index + 1, len(strands))]
        later = [(j, a) for j, a in later if a]
        if later and (area is None or (strands[index], area.theme) in seen):
            index, area = later[0]
        if area is None:
            log.debug("unmatched row %r", printed)
            continue
        seen.add((strands[index], area.theme))
        out.append(Judgement(printed_area(printed, area), area.theme, grade, without_grade_number(clean(grade_text)), strands[index], source))
    return out


def reconcile(primary: list[Judgement], other: list[Judgement], names: tuple[str, str]) -> Found:
    """Keep `primary` (and what only `other` has); warn where the two disagree."""
    warnings = []
    by_theme = {(j.strand, j.theme): j for j in primary}
    extra = []
    for j in other:
        mine = by_theme.get((j.strand, j.theme))
        if mine is None:
            extra.append(j)
        elif mine.grade != j.grade:
            where = f"{j.strand}: " if j.strand else ""
            warnings.append(f"{where}{mine.area}: the {names[0]} says {mine.grade}, the {names[1]} says {j.grade}; "
                            f"kept {mine.grade} ({names[0]}) - check the report")
    return Found(primary + extra, warnings)


# ---------------------------------------------------------------- formats

def ilacs(doc: Document, lines: list[Line], areas: list[Area]) -> Found:
    """ILACS: the 'Judgement | Grade' table on page 1, checked against the graded body headings."""
    table = to_judgements(table_rows(doc, [1, 2]), areas, None, "table")
    if not table:
        table = to_judgements(zip_block(ilacs_block(doc), areas), areas, None, "text")
    headings = to_judgements(colon_headings(lines, areas), areas, None, "heading")
    if not table:
        return Found(headings, ["no judgement table found on page 1: grades come from the section headings"])
    return reconcile(table, headings, ("judgement table", "section heading"))


def fit_to_framework(found: Found, areas: list[Area]) -> Found:
    """ILACS grades read against every ILACS framework's areas, fitted to the one framework the report is under.

    A misprinted area ("children care leavers") can read closest to another framework's area ("children in care
    and care leavers"): it becomes the closest area of this framework not already graded, and a grade the section
    headings repeat for the same area is kept once, in the table's order.
    """
    themes = {a.theme for a in areas}
    out: list[Judgement] = []
    warnings = list(found.warnings)
    for j in found.judgements:
        if j.theme not in themes:
            # free: not graded yet, nor graded elsewhere in the same place (table or headings) as this grade
            taken = {k.theme for k in out} | {k.theme for k in found.judgements if k.source == j.source}
            free = [a for a in areas if a.theme not in taken]
            if not free:
                warnings.append(f'"{j.area}" is not an area of this framework, and every area already has a grade')
                continue
            best = max(free, key=lambda a: difflib.SequenceMatcher(None, key(j.area), key(a.area)).ratio())
            j = Judgement(j.area, best.theme, j.grade, j.printed, j.strand, j.source)
        same = next((k for k in out if k.theme == j.theme), None)
        if same is None:
            out.append(j)
        elif same.grade != j.grade:
            warnings.append(f'"{j.area}" is graded {same.printed} in one place and {j.printed} in another')
    return Found(out, warnings)


def ilacs_block(doc: Document) -> list[str]:
    """The lines of page 1 from 'Judgement Grade' to the overall effectiveness row."""
    lines = doc.pages[0].splitlines()
    start = next((i for i, ln in enumerate(lines) if re.match(r"\s*Judgement\s+Grade", ln, re.I)), None)
    if start is None:
        return []
    block = []
    for ln in lines[start + 1:start + 16]:
        block.append(ln)
        if re.match(r"\s*Overall effectiveness", ln, re.I):
            break
    return block


SIF_OVERALL_RE = re.compile(  # 'children's service requires improvement' (Newham 2014) prints the singular
    rf"(?:overall judgement is(?: that)?(?: children's services?)?(?: are| is)?\s+|"
    rf"children's services in .{{2,60}}? (?:are |is )?)(?P<g>{GRADE_WORDS})", re.I)
LSCB_RE = re.compile(
    rf"(?:The effectiveness of the (?:Local Safeguarding Children Board|LSCB)(?: \(LSCB\))?|"
    rf"The Local Safeguarding Children Board(?: \(LSCB\))?)(?: is| are)?(?: judged to be)?\s+(?P<g>{GRADE_WORDS})",
    re.I)
# A review whose opening sentence misprints the board's name ('The Local Safeguarding Children is inadequate',
# Somerset 2015) states the grade again in its summary: 'The LSCB is inadequate because:'.
LSCB_SUMMARY_RE = re.compile(rf"\bThe LSCB is (?:judged to be )?(?P<g>{GRADE_WORDS})\b", re.I)
LSCB_REVIEWED_RE = re.compile(r"(?:Review|Inspection) of the effectiveness of the\s+Local\s+Safeguarding\s+Children"
                              r"\s+Board", re.I)


def sif(doc: Document, lines: list[Line], areas: list[Area], kind: str) -> Found:
    """SIF: the overall sentence, the numbered table on page 1, and the LSCB sentence."""
    warnings: list[str] = []
    found: list[Judgement] = []
    by_theme = {a.theme: a for a in areas}
    first = clean(" ".join(doc.pages[:2]))
    if kind != "lscb-review":
        m = SIF_OVERALL_RE.search(first)
        if m and "overall" in by_theme:
            found.append(Judgement(by_theme["overall"].area, "overall", grade_id(m["g"]), clean(m["g"]), None, "text"))
        sub_areas = [a for a in areas if a.theme not in ("overall", "lscb")]
        rows = to_judgements(table_rows(doc, [1, 2]), sub_areas, None, "table")
        text_rows = to_judgements(zip_block(sif_block(doc), sub_areas), sub_areas, None, "text")
        wrapped = to_judgements(wrapped_cells(sif_table_lines(doc)), sub_areas, None, "text")
        if len(wrapped) > max(len(rows), len(text_rows)):
            text_rows = wrapped
        if len(text_rows) > len(rows):
            rows, text_rows = text_rows, rows
        result = reconcile(rows, text_rows, ("judgement table", "page 1 text"))
        found += result.judgements
        warnings += result.warnings
    whole = clean(" ".join(doc.pages))
    m = LSCB_RE.search(whole) or (LSCB_REVIEWED_RE.search(whole) and LSCB_SUMMARY_RE.search(whole))
    if m and "lscb" in by_theme:
        found.append(Judgement(by_theme["lscb"].area, "lscb", grade_id(m["g"]), clean(m["g"]), None, "text"))
    return Found(found, warnings)


def sif_block(doc: Document) -> list[str]:
    """Page 1 lines from '1. Children who need help' to the grade after 'Leadership, management and governance'."""
    lines = doc.pages[0].splitlines()
    start = next((i for i, ln in enumerate(lines) if re.match(r"\s*1\.?\s+Children who need", ln, re.I)), None)
    if start is None:
        return []
    block = []
    for i, ln in enumerate(lines[start:start + 16]):
        block.append(ln)
        if re.search(r"governance", ln, re.I):
            if not GRADE_RE.search(ln):
                block += lines[start + i + 1:start + i + 3]
            break
    return [ln for ln in block if not re.match(r"\s*(?:The effectiveness|1 Ofsted)", ln)]


def sif_table_lines(doc: Document) -> list[str]:
    """Page 1 lines of the SIF table: from '1. Children who need ...' (and a grade cell's first line just above it)
    to 'Leadership, management and governance' and the grade cell lines just below it."""
    lines = [ln.strip() for ln in doc.pages[0].splitlines()]
    start = next((i for i, ln in enumerate(lines) if re.match(r"1\.?\s+Children who need", ln, re.I)), None)
    if start is None:
        return []
    while start > 0 and grade_fragment(lines[start - 1]):
        start -= 1
    end = next((i for i in range(start, min(start + 20, len(lines))) if re.search(r"governance", lines[i], re.I)), None)
    if end is None:
        return []
    end += 1
    while end < len(lines) and end - start < 24 and grade_fragment(lines[end]) and not GRADE_RE.search(lines[end - 1]):
        end += 1
    return lines[start:end]


FRAGMENT_WORDS = {"requires", "require", "improvement", "to", "be", "good", "outstanding", "adequate", "inadequate"}


def grade_fragment(line: str) -> bool:
    """True when a line holds nothing but a grade cell's words, whole or in part ('Requires', 'improvement')."""
    words = clean(line).lower().split()
    return bool(words) and all(w in FRAGMENT_WORDS for w in words)


def wrapped_cells(lines: list[str]) -> list[tuple[str, str]]:
    """(area, grade) from a two-column table whose cells wrap over lines, read as two streams and paired in order.

    A grade cell may print above, beside or below its area ('Requires' / '1. Children who need help and protection'
    / 'improvement'), and an area may wrap ('2. Children looked after and achieving' / 'Inadequate' / 'permanence').
    A numbered line starts an area; a grade cell's words are collected apart and split into grades. Nothing is
    returned unless every word of the grade column makes a whole grade and there are as many grades as areas.
    """
    areas: list[str] = []
    grade_words: list[str] = []
    for line in lines:
        if grade_fragment(line):
            grade_words.append(line)
            continue
        m = re.search(rf"\s(?P<g>{GRADE_WORDS})$", line, re.I)
        text = line[:m.start()] if m else line
        if m:
            grade_words.append(m["g"])
        if re.match(r"\d+(?:\.\d+)*\.?\s+\S", text) or not areas:
            areas.append(text.strip())
        else:
            areas[-1] = f"{areas[-1]} {text.strip()}"
    stream = clean(" ".join(grade_words))
    grades = [g.group(0) for g in re.finditer(rf"\b(?:{GRADE_WORDS})\b", stream, re.I)]
    if key(" ".join(grades)) != key(stream) or len(grades) != len(areas):
        log.debug("wrapped_cells: %d areas, grades %r", len(areas), stream)
        return []
    return list(zip(areas, grades))


def strands_graded(doc: Document, lines: list[Line], areas: list[Area], strands: list[str]) -> Found:
    """2009-13: the 'Record of main findings' table reconciled with the 'Grade 2 (good)' headings."""
    record = record_pages(doc)
    table = to_judgements(table_rows(doc, record), areas, strands, "table")
    text = to_judgements(zip_block(record_block(lines), areas), areas, strands, "text")
    if len(text) > len(table):
        table = text
    headings = to_judgements(graded_headings(lines, areas), areas, strands, "heading")
    if not table:
        return Found(headings, ["no 'Record of main findings' table read: grades come from the headings"])
    return reconcile(table, headings, ("record of main findings", "heading in the text"))


def record_pages(doc: Document) -> list[int]:
    """Pages holding the 'Record of main findings' (not the contents page), and the page after each."""
    pages = []
    for number, text in enumerate(doc.pages, start=1):
        for ln in text.splitlines():
            if re.match(r"\s*Record of main findings\s*:?\s*$", ln, re.I):
                pages += [number, number + 1]
                break
    return sorted(set(p for p in pages if p <= len(doc.pages)))


def record_block(lines: list[Line]) -> list[str]:
    """The body lines from the 'Record of main findings' heading to the end."""
    for i, line in enumerate(lines):
        if re.fullmatch(r"Record of main findings\s*:?", line.text, re.I):
            return [ln.text for ln in lines[i + 1:]]
    return []
