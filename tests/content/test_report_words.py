"""Every report-words file says what its report prints, paragraph by paragraph, read a second way.

The words files (content/councils/<council>/reports/<inspection>.yaml) are made by the importer
(pdfminer, through pdfplumber) and then corrected by hand. This test reads each file's report again
with poppler's `pdftotext -layout` (tests/pdfcache.py, cached), not with the importer, and runs on
whatever words files exist: a new one is checked as soon as it is added. The report is found as the
facts test finds it (tests/content/test_facts.py): the inspection page's `report` source, by its URL
in ../shared/reports/manifest.csv or its id in tests/content/report_pdfs.yaml. A file whose report
is not in ../shared is skipped.

How the report is read (independently of the importer's rules):
  - pdftotext sets each page at its own offset, so each page is moved to its margin first: the
    column of its paragraph numbers, else its leftmost line (headers and footers aside); a page of
    lines all in one column that starts mid-sentence or with a full line of prose (70 characters or
    more: not a heading) is a paragraph going on, moved in by 4;
  - footnotes go: near the foot of a page, after a blank line, a line 'N Text' whose N is printed
    earlier as a mark stuck to a word ('improve?1'), or a bare 'N' with its text just right of it on
    the next line, starts the page's footnotes: they and the rest of the page are left out;
  - page furniture goes: running headers and footers, bare page numbers (report_reading.body_text);
  - a numbered paragraph is its line 'N.  text' (or 'N    text', where the full stop is lost) and
    every following line indented further than its number (Ofsted sets paragraphs with a hanging
    indent), across page breaks, until a line that starts at or left of the number (a heading, a
    footnote), paragraph N+1 however indented, or Ofsted's back page ('The Office for Standards in
    Education ...'). Where the number is printed more than once (a numbered list before the
    paragraphs), the span most like the file's is used.

How a paragraph is compared: both texts are normalised (Unicode NFKC, letters lower case, and only
letters, digits and the punctuation . , ; : ? ! ( ) % £ / & kept; so spaces, line breaks, hyphens
and dashes, quotes and bullets do not count). A word broken over a line with a hyphen ('assess-
ment') and a compound ('care-experienced') read the same either way; every word, number and
full stop or comma must be the same and in the same order. The file's paragraph must then equal the
report's span, which catches:
  - a pasted footnote or Ofsted's back-page text (words the span does not have),
  - dropped text, such as a paragraph's sentences at the top of the next page (the span has more),
  - reordered words or punctuation ('service This is ... targeted . intervention').
The only slack: a span whose extra words are all after the file's words and hold no sentence (no
. ? or !: a heading or a line of a table printed inside the indent) still passes. A failure names
the file, the paragraph and shows where the two readings part, with the report's words to copy.
"""
from __future__ import annotations

import difflib
import functools
import re
import sys
import unicodedata
from collections import Counter
from pathlib import Path

import pytest
import yaml

sys.path.insert(0, str(Path(__file__).resolve().parent))
import report_reading as read  # noqa: E402  (tests/report_reading.py)
from content_helpers import CONTENT, REPO, SHARED, split_front_matter  # noqa: E402

if not SHARED.is_dir():
    pytest.skip(f"the shared reports folder {SHARED} is not here", allow_module_level=True)

from test_facts import pdf_for, report_source  # noqa: E402  (the same way to the report's PDF)

NUMBERED = re.compile(r"^( *)(\d{1,3})(?:\.\s+|\s{3,})\S")   # '12.  text' (or '12    text': a full stop lost)
BACK_PAGE = re.compile(r"\s*The Office for Standards in Education")    # Ofsted's back page: who Ofsted is
KEEP = re.compile(r"[^a-z0-9.,;:?!()%£/&]+")


def words_files() -> list[Path]:
    """Every report-words file in the content."""
    return sorted(CONTENT.glob("councils/*/reports/*.yaml"))


def report_pdf(words: Path) -> Path | None:
    """The PDF of the report a words file belongs to (through its inspection page), or None."""
    page = words.parent.parent / f"{words.stem}.md"
    if not page.exists():
        return None
    source = report_source(split_front_matter(page)[0])
    return pdf_for(source) if source else None


def shown(path: Path) -> str:
    """A path as a curator finds it."""
    try:
        return path.relative_to(REPO).as_posix()
    except ValueError:
        return path.as_posix()


CASES = [(words, report_pdf(words)) for words in words_files()]
IDS = [f"{w.parent.parent.name}/{w.stem}" for w, _ in CASES]


def norm(text: str) -> str:
    """Words, numbers and sentence punctuation only, in order (see the module's docstring)."""
    text = unicodedata.normalize("NFKC", text).lower()
    return KEEP.sub("", text)


def furniture(pages: list[str]) -> set[str]:
    """Running headers and footers: lines (digits aside) among the first 3 or last 4 of 3 pages or more."""
    counts: Counter[str] = Counter()
    for page in pages:
        filled = [read.squash(re.sub(r"\d+", "", line)) for line in page.splitlines() if line.strip()]
        counts.update(set(filled[:3] + filled[-4:]))
    return {line for line, count in counts.items() if count >= 3 and line}


def dedent(page: str, skip: set[str]) -> str:
    """A page of layout text moved so that its paragraph numbers start at column 0 (see the module's docstring)."""
    lines = page.splitlines()
    body = [line for line in lines if line.strip()
            and not re.fullmatch(r"\s*\d{1,3}\s*", line) and read.squash(re.sub(r"\d+", "", line)) not in skip]
    indents = [len(line) - len(line.lstrip()) for line in body]
    numbered = [len(m[1]) for m in map(NUMBERED.match, lines) if m]
    if numbered:
        margin = min(numbered)
    elif len(set(indents)) == 1 and re.match(r"\s*(?:[a-z]|.{70})", body[0]):
        margin = indents[0] - 4
    else:
        margin = min(indents, default=0)
    if margin < 0:
        return "\n".join(" " * -margin + line if line.strip() else line for line in lines)
    return "\n".join(line[margin:] if not line[:margin].strip() else line.lstrip() for line in lines)


def without_footnotes(page: str, marks: str) -> str:
    """A page of layout text without its footnotes (see the module's docstring)."""
    lines = page.splitlines()
    filled = [i for i, line in enumerate(lines) if line.strip()]
    for position in range(max(1, len(filled) - 15), len(filled)):
        i = filled[position]
        following = lines[filled[position + 1]] if position + 1 < len(filled) else ""
        match = re.match(r"(\d{1,2}) +[A-Z]", lines[i])
        bare = re.fullmatch(r"( *)\d{1,2}\s*", lines[i])    # the mark on a line of its own, raised above its text
        # its text just right of it; or at the same column, where moving the page to its margin took the spaces
        if bare and re.match(rf"{bare[1]} {{0,4}}[A-Z][a-z]", following) and not lines[i - 1].strip():
            return "\n".join(lines[:i])
        if match and not lines[i - 1].strip() and re.search(rf"[A-Za-z?.,;:)’'\"”]{match[1]}(?!\d)", marks):
            return "\n".join(lines[:i])
    return page


@functools.lru_cache(maxsize=None)
def report_lines(pdf: Path, text: str) -> tuple[str, ...]:
    """The report's running text as layout lines, each page at its margin, furniture and footnotes left out."""
    pages = text.split("\f")
    skip = furniture(pages)
    pages = [dedent(page, skip) for page in pages]
    kept = [without_footnotes(page, "\n".join(pages[:number + 1])) for number, page in enumerate(pages)]
    return tuple(read.body_text(kept).splitlines())


def next_one(line: str, number: int) -> bool:
    """True when the line begins paragraph number + 1 (however far pdftotext indents it)."""
    match = NUMBERED.match(line)
    return bool(match) and int(match[2]) == number + 1


def spans(lines: tuple[str, ...], number: int) -> list[str]:
    """Every reading of paragraph `number`: its 'N.' line and the lines indented under it."""
    out = []
    for i, line in enumerate(lines):
        match = NUMBERED.match(line)
        if not match or int(match[2]) != number:
            continue
        margin = len(match[1])
        taken = [line[match.end(2) + 1:]]
        for below in lines[i + 1:]:
            if below.strip() and (len(below) - len(below.lstrip()) <= margin or next_one(below, number)
                                  or BACK_PAGE.match(below)):
                break
            taken.append(below)
        out.append(" ".join(part.strip() for part in taken if part.strip()))
    return out


def verdict(mine: str, printed: list[str]) -> str | None:
    """None when the file's paragraph reads as one of the printed spans; else what differs."""
    if not printed:
        return "the report has no paragraph with this number that starts a line"
    wanted = norm(mine)
    best = max(printed, key=lambda span: difflib.SequenceMatcher(None, wanted, norm(span), autojunk=False).ratio())
    got = norm(best)
    if got == wanted or (got.startswith(wanted) and not re.search(r"[.?!]", got[len(wanted):])):
        return None
    return where_they_part(mine, best)


def where_they_part(mine: str, printed: str) -> str:
    """The first place the file's words and the report's differ, in words a curator can find."""
    a, b = mine.split(), printed.split()
    ops = [op for op in difflib.SequenceMatcher(None, [norm(w) for w in a], [norm(w) for w in b],
                                                  autojunk=False).get_opcodes()
           if norm("".join(a[op[1]:op[2]])) != norm("".join(b[op[3]:op[4]]))]   # not only a line-end hyphen
    if not ops:
        return f"the words match but not the punctuation; the report prints: {printed}"
    tag, i1, i2, j1, j2 = ops[0]
    file_side = " ".join(a[max(0, i1 - 6):i2 + 6])
    report_side = " ".join(b[max(0, j1 - 6):j2 + 6])
    what = {"insert": "the file leaves out words the report has", "delete": "the file has words the report "
            "does not have here", "replace": "the file's words differ from the report's"}[tag]
    return (f"{what} ({len(ops)} place(s)); first at\n    file:   ...{file_side}...\n"
            f"    report: ...{report_side}...\n  the report's paragraph reads:\n    {printed}")


@pytest.mark.parametrize("words, pdf", CASES, ids=IDS)
def test_words_read_as_the_report_prints_them(words: Path, pdf: Path | None, report_text) -> None:
    """Each paragraph in the file has the report's words, no more and no fewer, in the report's order."""
    if pdf is None or not pdf.is_file():
        pytest.skip(f"{shown(words)}: its report's PDF is not in {SHARED}")
    data = yaml.safe_load(words.read_text(encoding="utf-8")) or {}
    lines = report_lines(pdf, report_text.text(pdf))
    problems = []
    for number, text in sorted((data.get("paragraphs") or {}).items()):
        why = verdict(str(text), spans(lines, int(number)))
        if why:
            problems.append(f"paragraph {number}: {why}")
    assert not problems, (f"{shown(words)} does not read as its report {shown(pdf)} prints it "
                          f"(correct the file against the PDF):\n" + "\n".join(problems))


def test_made_from_names_the_report(report_text) -> None:
    """`made_from` names the PDF the words were read from: the inspection page's report."""
    wrong = [f"{shown(w)}: made_from is {(yaml.safe_load(w.read_text(encoding='utf-8')) or {}).get('made_from')!r}, "
             f"its report is {pdf.name}" for w, pdf in CASES
             if pdf is not None and (yaml.safe_load(w.read_text(encoding="utf-8")) or {}).get("made_from") != pdf.name]
    assert not wrong, "\n".join(wrong)


REPORTS = SHARED / "reports"
FAULTS = [  # (report, paragraph, how the words went wrong): issue 16's findings, made again from the report's own words
    ("durham/2025-05-13", 6, lambda s: s.replace("out-of-hours and daytime", "out-of-hours 1 The areas for improvement "
                                                 "have been cross-referenced with the outcomes, enablers or principles "
                                                 "in the Children's Social Care: National Framework. and daytime")),
    ("middlesbrough/2026-07-28", 73, lambda s: s + " The Office for Standards in Education, Children's Services and "
                                                 "Skills (Ofsted) regulates and inspects to achieve excellence."),
    ("northumberland/2024-07-12", 43, lambda s: s[:s.index("The response to health")]),
    ("durham/2025-05-13", 26, lambda s: s.replace("service. This", "service This").replace("targeted intervention",
                                                                                          "targeted . intervention")),
    ("hartlepool/2024-05-16", 12, lambda s: s.replace("reducing, they", "reducing they").replace("to escalate",
                                                                                               "to , escalate")),
]


@pytest.mark.parametrize("report, number, fault", FAULTS,
                         ids=["footnote", "back-page", "dropped", "full-stop-moved", "comma-moved"])
def test_the_reading_catches_each_kind_of_fault(report: str, number: int, fault, report_text) -> None:
    """The report's own paragraph passes; the same words with a pasted footnote or back page, a dropped
    sentence or a full stop or comma out of place fail."""
    pdf = REPORTS / f"{report}-childrens-services-inspection.pdf"
    printed = spans(report_lines(pdf, report_text.text(pdf)), number)
    right = max(printed, key=len)
    wrong = fault(right)
    assert wrong != right
    assert verdict(right, printed) is None
    assert verdict(wrong, printed) is not None
