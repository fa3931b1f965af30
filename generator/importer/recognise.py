"""Which kind of Ofsted report a PDF is, and which council it is about, from its first page."""
from __future__ import annotations

import datetime as dt
import re

from .textutil import clean, slugify

# (kind, pattern on the first page's opening lines joined with spaces). Order matters: first match wins.
KIND_PATTERNS: tuple[tuple[str, str], ...] = (
    ("jtai", r"\bjoint targeted area inspection\b"),
    ("monitoring-visit", r"\bmonitoring visit (?:to|of|at)\b"),
    ("focused-visit", r"\bfocused visit (?:to|of|at)\b"),
    ("sif-reinspection", r"\bre-? ?inspection of services for children in need"),
    ("sif", r"\binspection of services for children in need of help and protection"),
    ("lscb-review", r"\breview of the effectiveness of the local safeguarding children board"),
    ("slac", r"\binspection of safeguarding and looked after children services"),
    ("protection-of-children", r"\barrangements for the protection of children"),
    ("looked-after-children", r"\binspection of (?:services for )?looked after children(?:'s)? services"),
    ("ilacs", r"\binspection of .{0,80}?(?:children's services|children's social care services)"),
    ("ilacs", r"\bjudgement grade\b"),
)
TITLE_NOISE = (
    r"re-? ?inspection of services for children in need of help and protection, children looked after and care leavers",
    r"inspection of services for children in need of help and protection, children looked after and care leavers",
    r"and review of the effectiveness of the local safeguarding children board\s*\d?",
    r"review of the effectiveness of the local safeguarding children board\s*\d?",
    r"inspection of safeguarding and looked after children services",
    r"inspection of local authority arrangements for the protection of children",
    r"inspection of (?:services for )?looked after children(?:'s)? services",
    r"inspection of children's social care services",
)


TITLE_END = re.compile(r"^\s*(?:This letter|Judgement\s+Grade|The overall judgement|Children's services in|"
                       r"Children’s services in|Age group)", re.I)


def opening(page_text: str, lines: int = 14) -> str:
    """The title block of a first page (up to where the report or letter proper starts), as one cleaned string."""
    head = []
    for line in page_text.splitlines()[:lines]:
        if TITLE_END.match(line):
            break
        head.append(line)
    return clean(" ".join(head))


def recognise_kind(first_page: str, start: dt.date | None, end: dt.date | None) -> str | None:
    """The inspection kind, or None when the first page looks like no Ofsted format known."""
    head = opening(first_page, 30).lower()
    for kind, pattern in KIND_PATTERNS:
        if re.search(pattern, head):
            if kind == "ilacs":
                return ilacs_kind(start, end)
            return kind
    if re.search(r"^\s*Judgement\s+Grade\s*$", first_page, re.I | re.M):
        return ilacs_kind(start, end)
    return None


def ilacs_kind(start: dt.date | None, end: dt.date | None) -> str:
    """Short ILACS inspections are one week on site, standard ones two: tell them apart by length."""
    if start and end and (end - start).days <= 8:
        return "ilacs-short"
    return "ilacs-standard"


def council_name(first_page: str, kind: str | None) -> str | None:
    """The council's name as the report prints it."""
    head = opening(first_page, 30)
    patterns = [
        r"(?:focused|monitoring) visit (?:to|of|at) (?:the )?(.+?) (?:local authority )?children's services",
        r"joint targeted area inspection of .+? in (.+?)(?: This letter| Dear |$)",
        r"Inspection of (.+?) (?:local authority )?children's services",
        r"Inspection of (.+?) Inspection dates?",
    ]
    for pattern in patterns:
        m = re.search(pattern, head, re.I)
        if m and _plausible(m.group(1)):
            return _tidy(m.group(1))
    # SIF, SLAC, 2012-13 and early ILACS: the name is printed around the title, before the dates
    before = re.split(r"Inspection dates?|Reporting inspector|Lead inspector", head, maxsplit=1, flags=re.I)[0]
    before = re.sub(r"^(?:FICTIONAL TEST DOCUMENT.*?report\.)", "", before)
    for noise in TITLE_NOISE:
        before = re.sub(noise, " ", before, flags=re.I)
    before = re.sub(r"\s+", " ", before).strip(" ,.")
    return _tidy(before) if _plausible(before) else None


def _plausible(name: str) -> bool:
    """A council name is short and starts with a capital."""
    name = name.strip()
    return 2 <= len(name) <= 70 and name[0].isupper() and "inspection" not in name.lower()


def _tidy(name: str) -> str:
    """Trim footnote marks and stray punctuation from a printed name."""
    return re.sub(r"\s*\d+$", "", name.strip(" ,.:"))


def strip_council(name: str) -> str:
    """'City of Bradford Metropolitan District Council' -> 'Bradford'."""
    text = clean(name)
    text = re.sub(r"^(?:the\s+)?(?:council of the|london borough of|royal borough of|city of|county of|borough of)\s+",
                  "", text, flags=re.I)
    text = re.sub(r"\s+(?:metropolitan borough|metropolitan district|metropolitan|city|county borough|county|borough|"
                  r"district)?\s*council$", "", text, flags=re.I)
    return re.sub(r"\s+(?:metropolitan district|local authority)$", "", text, flags=re.I).strip() or clean(name)


def council_slug(name: str) -> str:
    """'City of Bradford Metropolitan District Council' -> 'bradford'."""
    return slugify(strip_council(name))


def short_name(name: str) -> str:
    """What people call a council: its name without the 'City of ... Council' parts."""
    return strip_council(name)
