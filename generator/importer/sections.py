"""Facts around the grades: dates, inspector, the improvement list, headline findings, numbered paragraphs."""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from .layout import Line
from .textutil import DATE_RE, GRADE_WORDS, RANGE_RE, clean, later_visits, parse_date, range_dates

BULLET_RE = re.compile(r"^(?:[•■◼▪●◦▸►➢✓\u2023\u2043\ue000-\uf8ff]|-\s|\(cid:\d+\))\s*")
NUMBER_RE = re.compile(r"^(\d{1,3})\.\s+(?=\S)")
TIMESCALE_RE = re.compile(r"^(immediately|within\s+(?:\w+\s+){1,3}(?:months?|weeks?|days?|year))\s*:?$", re.I)
IMPROVE_HEADINGS = re.compile(
    r"^(?:What needs to improve(?: in this area of (?:social work )?practice)?\??\d?"
    r"|What does the (?:local authority|LSCB) need to improve\??|Areas for (?:improvement|priority action)"
    r"|Recommendations|What needs to be improved\??|Priority and immediate action)\s*:?$", re.I)
END_HEADINGS = re.compile(
    r"^(?:Main findings|Headline findings|Summary for children|Information about|Key strengths|The experiences and progress"
    r"|The impact of leaders|Inspection judgements?|The local authority's strengths|Progress since|Section \d"
    r"|Next steps|Ofsted will|Yours sincerely|Key judgement|Safeguarding outcomes|How good are outcomes"
    r"|Outcomes for|Quality of provision|Leadership and management|Ambition and prioritisation|Being healthy)", re.I)
INSPECTOR_TITLE = re.compile(r"\s*(?:,|\(AI\)|\bHMI\b|\b(?:Her|His) Majesty'?s? Inspector.*|\bOfsted Inspector.*"
                             r"|\bSocial Care Regulatory Inspector.*).*$", re.I)
NAME_RE = r"[A-Z][A-Za-z'’\-]+(?:\s+(?:[A-Z][A-Za-z'’\-]+|de|van|von|le|la|du|Mc[A-Z][a-z]+))+"


@dataclass
class Improvement:
    """One thing the report says must improve, and by when where it says so."""

    text: str
    timescale: str | None = None


def inspection_dates(first_pages: str, whole: str) -> tuple[dt.date | None, dt.date | None]:
    """Start and end of the inspection or visit: the first day of its first visit and the last day of its last."""
    visits = inspection_visits(first_pages, whole)
    return (visits[0][0], visits[-1][1]) if visits else (None, None)


def inspection_visits(first_pages: str, whole: str) -> list[tuple[dt.date, dt.date]]:
    """Each visit's first and last day, in order: 'Inspection dates: 8 July 2019 to 12 July 2019 and 7 August 2019
    to 8 August 2019' is two visits. Empty when no date is found."""
    text = clean(first_pages)
    m = re.search(r"Inspection dates?\s*:?\s*(.{0,70})", text, re.I)
    if m:
        found = range_or_day(m.group(1))
        if found:
            first, length = found
            after = text[m.start(1) + length:m.start(1) + length + 120]
            return [first, *later_visits(after, first[1])]
    body = clean(whole)
    for pattern in (r"(?:visit|inspection)[^.]{0,140}? (?:on|from|between|took place)\s+(.{0,60})",
                    r"took place (?:on |from |between )?(.{0,60})", r"(?:was|were) (?:carried out|undertaken) (?:on |from |between )?(.{0,60})"):
        for m in re.finditer(pattern, body, re.I):
            found = range_or_day(m.group(1))
            if found:
                return [found[0]]
    return []


def range_or_day(text: str) -> tuple[tuple[dt.date, dt.date], int] | None:
    """The dates a text starts with (a range, or one day as both start and end), and where they end in the text."""
    for m in RANGE_RE.finditer(text):
        found = range_dates(m)
        if found:
            return found, m.end()
    single = re.match(rf"\s*({DATE_RE})", text)
    day = parse_date(single.group(1)) if single else None
    return ((day, day), single.end()) if day else None


def published_date(first_pages: str, letter: bool) -> tuple[dt.date | None, str | None]:
    """The publication date as printed ('Published: 2 August 2013'); for letters, the date on the letter."""
    text = clean(first_pages)
    m = re.search(rf"(?:Report )?published\s*:?\s*({DATE_RE})", text, re.I)
    if m:
        return parse_date(m.group(1)), None
    if letter:
        for line in first_pages.splitlines()[:40]:
            if re.fullmatch(rf"\s*{DATE_RE}\s*", clean(line)):
                return parse_date(line), "the date on the letter (letters print no publication date)"
    return None, "not printed in this report"


def lead_inspector(lines: list[Line], letter: bool) -> str | None:
    """The lead (or reporting) inspector's name, without titles."""
    for i, line in enumerate(lines):
        m = re.match(r"Lead inspectors\s*:?\s*(.*)$", line.text, re.I)
        if m:
            names = several_names(m.group(1), lines[i + 1].text if i + 1 < len(lines) else "")
            if names:
                return names
        m = re.match(r"(?:Lead|Reporting) inspector\s*:?\s*(.*)$", line.text, re.I)
        if m and not re.match(r"Deputy", line.text, re.I):
            name = tidy_name(m.group(1))
            if name:
                return name
    text = clean(" ".join(ln.text for ln in lines))
    patterns = [rf"lead inspector (?:was|for this (?:visit|inspection) was)\s+({NAME_RE})",
                rf"Inspectors? for this (?:visit|inspection) (?:were|was)\s+({NAME_RE})",
                rf"(?:carried out|undertaken|conducted) by (?:Her|His) Majesty's Inspectors?\s*(?:\(HMI\))?,?\s+({NAME_RE})",
                rf"(?:Her|His) Majesty's Inspectors? \(HMI\)\s+({NAME_RE})"]
    if letter:
        for i, line in enumerate(lines):
            if re.match(r"Yours sincerely", line.text, re.I):
                after = [ln.text for ln in lines[i + 1:i + 4]]
                if len(after) >= 2 and re.search(r"Majesty's Inspector|\bHMI\b|Inspector$", " ".join(after[1:2]), re.I):
                    name = tidy_name(after[0])
                    if name:
                        return name
    for pattern in patterns:
        m = re.search(pattern, text)
        if m:
            return tidy_name(re.split(r"\s+and\s+|,", m.group(1))[0])
    return None


def several_names(text: str, next_line: str) -> str | None:
    """'Rebecca Quested, His Majesty's Inspector, and Matthew Reed,' (the line may wrap) -> 'Rebecca Quested and
    Matthew Reed', as a report names two lead inspectors; None unless every part is a name."""
    text = clean(text)
    if re.search(r"(?:,|\band)$", text):
        text = f"{text} {clean(next_line)}"
    text = re.sub(r"\b(?:Senior\s+)?(?:(?:Her|His) Majesty'?s? Inspector|HMI)\b", ",", text)
    parts = [part.strip(" .") for part in re.split(r",|\band\b", text) if part.strip(" .")]
    names = [tidy_name(part) for part in parts]
    return " and ".join(names) if len(names) >= 2 and all(names) else None  # type: ignore[arg-type]


def tidy_name(text: str) -> str | None:
    """'Gary Lamb HMI' -> 'Gary Lamb'; None when nothing like a name is left."""
    name = INSPECTOR_TITLE.sub("", clean(text)).strip(" .,:")
    name = re.sub(r"\s+(?:OBE|MBE|CBE)$", "", name)
    return name if re.fullmatch(NAME_RE, name) and len(name) <= 60 else None


def improvements(lines: list[Line]) -> list[Improvement]:
    """Every 'what needs to improve' list: bullets or numbered items, with 'Immediately:' style timescales."""
    out: list[Improvement] = []
    i = 0
    while i < len(lines):
        if IMPROVE_HEADINGS.match(lines[i].text) and not re.search(r"\.{4,}|\s\d+$", lines[i].text):
            items, i = read_list(lines, i + 1)
            out += [item for item in items if item.text not in {o.text for o in out}]
        else:
            i += 1
    return out


def read_list(lines: list[Line], i: int) -> tuple[list[Improvement], int]:
    """Read the items after an improvement heading; return them and where the list ended."""
    bullets = bulleted(lines[i:section_end(lines, i, i + 30)])
    items: list[Improvement] = []
    current: Improvement | None = None
    timescale = None
    skipped = 0
    sub_points = False  # the current numbered item goes on in bullet points ('by ensuring that:' - a, - b)
    number: int | None = None  # the last numbered item's number
    while i < len(lines):
        text = lines[i].text
        upcoming = " ".join(ln.text for ln in lines[i + 1:i + 3])
        scale = TIMESCALE_RE.match(text)
        marker = (BULLET_RE if bullets else NUMBER_RE).match(text)
        sub = None if bullets or current is None else BULLET_RE.match(text)
        if scale:
            timescale, current = scale.group(1).lower(), None
        elif marker and (bullets or not re.search(r"following action|following areas", text, re.I)):
            current, sub_points = Improvement(clean(text[marker.end():]), timescale), False
            items.append(current)
            number = None if bullets else int(marker.group(1))
        elif sub and (sub_points or current.text.endswith(":")):
            current.text = clean(f"{current.text}{'; ' if sub_points else ' '}{text[sub.end():]}")
            sub_points = True
        elif current is not None and (not ends_item(current.text, text, upcoming)
                                      or (not bullets and last_sentence(text, lines[i + 1].text if i + 1 < len(lines) else ""))):
            current.text = join_lines([current.text, text])  # 'pre-' at a line's end and 'proceedings' make one word
        elif not items and skipped < 8 and not (IMPROVE_HEADINGS.match(text) or END_HEADINGS.match(text)):
            skipped += 1
        elif not bullets and items and sub_heading(text, lines[i + 1].text if i + 1 < len(lines) else "", number):
            current = None
        else:
            break
        i += 1
    return [it for it in items if it.text and not NOTHING_TO_IMPROVE.match(it.text)], i


# 'Priority and immediate action' may have none: '18. There are no areas for priority or immediate action.'
NOTHING_TO_IMPROVE = re.compile(r"(?:There (?:are|were) no|The inspection did not find any) (?:areas|recommendations)",
                                re.I)


def bulleted(window: list[Line]) -> bool:
    """True when a list is of bullet points; false when it is numbered, even where a numbered item goes on in bullet
    points of its own (two numbered items or more before the first bullet: Norfolk 2017)."""
    numbered = 0
    for line in window:
        if BULLET_RE.match(line.text):
            return numbered < 2
        numbered += bool(NUMBER_RE.match(line.text))
    return False


def section_end(lines: list[Line], i: int, limit: int) -> int:
    """Where the list that starts at line i can end at the latest: the next heading, or `limit`.

    A numbered list under 'Recommendations' may be followed by the bulleted 'Summary for children and young
    people': those bullets are not the list's (Coventry 2017)."""
    for j in range(i, min(limit, len(lines))):
        if END_HEADINGS.match(lines[j].text) or IMPROVE_HEADINGS.match(lines[j].text):
            return j
    return min(limit, len(lines))


def sub_heading(text: str, following: str, number: int | None) -> bool:
    """True when `text` heads the next part of a numbered list: a short heading ('Quality of Practice', 'Adoption',
    Somerset 2015) followed by the list's next number. A heading that ends lists (END_HEADINGS) is none."""
    after = NUMBER_RE.match(following)
    return (number is not None and bool(after) and int(after.group(1)) == number + 1 and len(text) < 60
            and text[:1].isupper() and not re.search(r"[.:;,?!]$", text)
            and not END_HEADINGS.match(text) and not IMPROVE_HEADINGS.match(text) and not FINDINGS_HEADINGS.match(text))


# Headings of the findings that follow a list and go on with its numbers: never a part of the list.
FINDINGS_HEADINGS = re.compile(r"^(?:Inspection findings|Executive summary|Summary|Key |Findings|Main findings"
                               r"|(?:The )?Local Safeguarding|The LSCB|LSCB|The effectiveness|Inspection judgement)", re.I)


def last_sentence(text: str, following: str) -> bool:
    """True when `text`, after a numbered point's sentence ended, is one more sentence of that point ending on this
    line, before the next point ('... outcomes for children.' / 'Contingency planning and visiting frequency
    should also be detailed.' / '25. Ensure that ...', Bolton 2014)."""
    return bool(re.search(r"\.['’]?$", text)) and text[:1].isupper() and not END_HEADINGS.match(text) \
        and not IMPROVE_HEADINGS.match(text) and bool(NUMBER_RE.match(following))


def ends_item(previous: str, text: str, upcoming: str) -> bool:
    """True when `text` is not a continuation of the current item but the start of what follows the list."""
    if BULLET_RE.match(text) or TIMESCALE_RE.match(text) or IMPROVE_HEADINGS.match(text):
        return True
    if (END_HEADINGS.match(text) and text[:1].isupper()) or re.search(r"Grade\s*[1-4]\s*\(", upcoming + " " + text):
        return True  # a heading starts with a capital: '... whether' / 'outcomes for children have improved.' goes on
    if re.search(rf":\s*(?:{GRADE_WORDS})\.?$", text + " " + upcoming.split(" ")[0], re.I) and text[:1].isupper():
        return True
    previous = previous.rstrip()
    if NUMBER_RE.match(text):
        return True
    return bool(previous) and previous[-1] in ".;)" and text[:1].isupper() and not re.match(r"\(", text)


def paragraph_pages(lines: list[Line]) -> dict[int, int]:
    """Numbered paragraph -> PDF page, following the longest run of numbers that count up."""
    chains: list[list[tuple[int, int]]] = []
    for line in lines:
        m = NUMBER_RE.match(line.text)
        if not m:
            continue
        number = int(m.group(1))
        best = None
        for chain in reversed(chains):  # most recently extended first: a restart wins ties
            gap = number - chain[-1][0]
            if 1 <= gap <= 3 and (best is None or gap < number - best[-1][0]):
                best = chain
        if best is not None:
            best.append((number, line.page))
            chains.remove(best)
            chains.append(best)
        elif number <= 3:
            chains.append([(number, line.page)])
    if not chains:
        return {}
    longest = max(chains, key=len)
    return {number: page for number, page in longest} if len(longest) >= 3 else {}


def headline(lines: list[Line], kind: str) -> list[str]:
    """The report's headline findings, as paragraphs of report text."""
    if kind.startswith("ilacs"):
        for i, line in enumerate(lines[:60]):
            if re.match(r"Judgement\s+Grade", line.text, re.I):
                j = i + 1
                while j < len(lines) and lines[j].page <= 2 and (
                        len(lines[j].text) < 70 or re.search(rf"(?:{GRADE_WORDS})$", lines[j].text, re.I)):
                    j += 1
                return paragraphs_from(lines, j, 3)
    starts = [r"Headline findings$", r"Executive summary$", r"Summary of (?:key )?findings$"]
    for pattern in starts:
        for i, line in enumerate(lines):
            if re.match(pattern, line.text, re.I):
                return paragraphs_from(lines, i + 1, 3, heading_first=False)
    for i, line in enumerate(lines[:80]):
        if re.match(r"Overall effectiveness(?:\s+(?:" + GRADE_WORDS + r"))?$", line.text, re.I) and line.page == 1:
            return paragraphs_from(lines, i + 1, 3)
    for i, line in enumerate(lines):
        if re.search(r"Grade\s*[1-4]\s*\(", line.text) and i > 20:
            return paragraphs_from(lines, i + 1, 1)
    return []


def paragraphs_from(lines: list[Line], i: int, count: int, heading_first: bool = True) -> list[str]:
    """Up to `count` prose paragraphs from line i, stopping at the next heading or list."""
    paras: list[str] = []
    current: list[str] = []
    while i < len(lines) and len(paras) < count:
        text = lines[i].text
        if IMPROVE_HEADINGS.match(text) or END_HEADINGS.match(text) or BULLET_RE.match(text):
            break
        if not current and len(text) < 60 and not re.search(r"[.,;:]$", text) and (heading_first or paras):
            break
        current.append(NUMBER_RE.sub("", text) if not current else text)
        if text.endswith((".", ".’", ".'")) and (i + 1 >= len(lines) or len(lines[i].text) < 70
                                                  or NUMBER_RE.match(lines[i + 1].text)):
            paras.append(clean(" ".join(current)))
            current = []
        i += 1
    if current:
        paras.append(clean(" ".join(current)))
    return [p for p in paras if len(p) > 30]


PARA_END = re.compile(r"(?:[.!?:;)]|[.!?][’'\"”])$")
NOT_BODY = re.compile(r"^(?:©|Crown copyright|Ofsted has published|Information about|This (?:report|letter) is available"
                      r"|If you are not happy|Yours sincerely|Next steps|Record of main findings"
                      r"|The Office for Standards in Education"  # Ofsted's back page: who Ofsted is, printed after the report
                      r"|The graded judge?ment (?:about|for) )")  # a SIF section's one-line grade, after its paragraphs
GRADE_HEADING = re.compile(rf"^(?:[A-Za-z].*(?::\s*(?:{GRADE_WORDS})|Grade\s*[1-4]\s*\(\w+\))|Grade\s*[1-4]\s*\(\w+\))$", re.I)
JUDGEMENT_HEADING = re.compile(r"^(?:The experiences and progress of|The impact of leaders on|Overall effectiveness\b)")
MAX_PARAGRAPH = 6000  # characters: a paragraph longer than this has run into what follows it


def paragraph_texts(lines: list[Line], pages: dict[int, int] | None = None) -> dict[int, str]:
    """Numbered paragraph -> its text, for the paragraphs `paragraph_pages` indexes (the same run of numbers)."""
    pages = paragraph_pages(lines) if pages is None else pages
    if not pages:
        return {}
    starts: dict[int, int] = {}
    wanted = sorted(pages)
    for index, line in enumerate(lines):
        m = NUMBER_RE.match(line.text)
        if m and int(m.group(1)) in pages and int(m.group(1)) not in starts and line.page >= pages[int(m.group(1))]:
            number = int(m.group(1))
            if not starts or number > max(starts):
                starts[number] = index
    bounds = sorted(starts.items(), key=lambda pair: pair[1])
    out: dict[int, str] = {}
    for position, (number, index) in enumerate(bounds):
        end = bounds[position + 1][1] if position + 1 < len(bounds) else len(lines)
        chunk = [lines[index].text[NUMBER_RE.match(lines[index].text).end():], *(ln.text for ln in lines[index + 1:end])]
        text = join_lines(trim_paragraph(chunk))
        if text:
            out[number] = text[:MAX_PARAGRAPH]
    return {n: out[n] for n in wanted if n in out}


def trim_paragraph(chunk: list[str]) -> list[str]:
    """The paragraph's own lines: stop at a heading, a grade line or the report's closing matter after a sentence ends.

    A line that ends a sentence short of the paragraph's width, then a capital, is where a paragraph
    may end and a heading begin; but a full-width line of prose after it, with another full-width
    line or the end of a sentence after that, is the paragraph going on (on the same page or the
    next), not a heading. A heading is a short line that ends no sentence, or a line or two with a
    short one after it that ends no sentence, or a line with nothing after it, or a judgement's
    heading ('The impact of leaders on ... requires improvement to be good.'). A paragraph's own list
    of actions ('... should take the following action.' then 'Immediately:' and its bullets) goes on.
    """
    width = 0  # the paragraph's own width so far: what comes after it (a wider summary, a table) does not count
    for i in range(1, len(chunk)):
        previous, text = chunk[i - 1].rstrip(), chunk[i].strip()
        width = max(width, len(previous))
        ended = bool(PARA_END.search(previous))
        heading = (len(text) < 0.6 * width and not PARA_END.search(text)) or JUDGEMENT_HEADING.match(text)
        listed = TIMESCALE_RE.match(text) and i + 1 < len(chunk) and BULLET_RE.match(chunk[i + 1].strip())
        if NOT_BODY.match(text) or GRADE_HEADING.match(text) or (
                ended and not BULLET_RE.match(text) and not text[:1].islower() and not listed
                and (heading or (len(previous) < 0.8 * width and not goes_on(chunk[i:i + 2], width)))):
            chunk = chunk[:i]
            break
    last = max((i for i, text in enumerate(chunk) if PARA_END.search(text.rstrip())), default=len(chunk) - 1)
    return chunk[:last + 1]  # lines after the last sentence that end no sentence are a heading


def goes_on(lines: list[str], width: int) -> bool:
    """True when these two lines read as prose going on: the first full width, the second too or ending a sentence."""
    if len(lines) < 2:
        return False
    first, second = lines[0].strip(), lines[1].strip()
    return len(first) >= 0.8 * width and (len(second) >= 0.8 * width or bool(re.search(r"[.!?][’'\"”]?$", second)))


def join_lines(chunk: list[str]) -> str:
    """Wrapped lines as one paragraph: a line ending in a hyphen joins the next without a space."""
    text = ""
    for line in chunk:
        line = line.strip()
        if not line:
            continue
        if text.endswith("-") and (line[:1].islower() or line[:1].isdigit()) and not text.endswith(" -"):
            text += line
        else:
            text = f"{text} {line}" if text else line
    return clean(text)


def copyright_line(pages: list[str], published: dt.date | None) -> str:
    """The report's Crown copyright line as printed ('© Crown copyright 2022'), or a plain one when none is printed."""
    for text in reversed(pages):
        m = re.search(r"©?\s*Crown copyright\s*((?:19|20)\d\d)?", text)
        if m:
            return f"© Crown copyright {m.group(1)}".strip() if m.group(1) else "© Crown copyright"
    return "© Crown copyright"
