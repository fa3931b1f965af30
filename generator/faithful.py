"""The faithfulness check: each sentence that cites the report, beside the report's own words.

For every sentence (with the uncited sentences just before it in the same paragraph or list item)
that cites paragraphs, it flags a number, count, percentage, month or grade word that the cited
paragraphs do not contain, and a citation of a paragraph the report does not have. It also flags a
section that states such facts but cites nothing. A curator signs off a flagged sentence that is
true to the report in the file's `signoffs:` list (who, and why); a sign-off that matches nothing
is reported too, so the list stays true as the words change.
"""
from __future__ import annotations

import csv
import hashlib
import json
import logging
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from html import escape
from pathlib import Path
from typing import Any

from .markup import CITE, TERM, cite_numbers, split_sections
from .model import Inspection, SignOff, Site
from .problems import Problems
from .quotes import read_words, words_path

log = logging.getLogger(__name__)

NUMBER_WORDS = {w: n for n, w in enumerate("zero one two three four five six seven eight nine ten eleven twelve thirteen "
                                            "fourteen fifteen sixteen seventeen eighteen nineteen twenty".split())}
NUMBER_WORDS.update({"thirty": 30, "forty": 40, "fifty": 50, "hundred": 100, "thousand": 1000})
COUNT_WORDS = {w: n for w, n in NUMBER_WORDS.items() if n >= 2}  # "one" is too common a word to be a count
MONTHS = ("january", "february", "march", "april", "may", "june", "july", "august", "september", "october",
          "november", "december")
GRADES = {"requires improvement": r"requir\w* improvement", "outstanding": r"outstanding", "inadequate": r"inadequate",
          "adequate": r"(?<!in)adequate", "good": r"good"}
# "good" is a grade only where it is used as one ("judged good", "was good", "good" in quotes), not in "good support"
GOOD_AS_GRADE = re.compile(r"(?:\b(?:is|was|were|be|been|are|judged|rated|graded|as|remained|stayed|became)"
                           r"(?: judged| rated)? good\b(?! enough)|\"good\"|\bgood (?:overall|grades?|in (?:all|every|each))\b)")
PERCENT = re.compile(r"(\d+(?:\.\d+)?)(?:\s*(?:%|per ?cent\b)| in (?:every )?100\b)", re.I)
NUMBER = re.compile(r"(?<![\w.])(?<![A-Za-z]-)(\d{1,3}(?:,\d{3})+|\d+)(?![\w%])")
# Words that say how many or how often. The report's own are kept ("the majority", not "most"; "not
# consistently", not "not always"), so a sentence using one its cited paragraphs do not is listed for a
# person to compare. It is not a flag: the same amount can be said in other words.
QUANTITY = ("all", "every", "most", "many", "some", "few", "several", "none", "majority", "minority", "always",
            "never", "often", "usually", "sometimes", "rarely", "regularly", "consistently", "routinely", "mostly",
            "frequently", "generally")
SAME_AMOUNT = {"every": ("each", "all"), "all": ("each", "every"), "regularly": ("regular",), "consistently": ("consistent",),
               "usually": ("usual",), "generally": ("general",), "routinely": ("routine",), "frequently": ("frequent",),
               "often": ("frequently", "frequent"), "sometimes": ("at times", "on occasion"), "several": ("multiple",)}
QUOTED = re.compile(r'"[^"]*"')
SENTENCE_END = re.compile(r"(?<=[.!?])[\"'”’)*_]*\s+(?=[\"“(*_\[]*[A-Z0-9])")


@dataclass(frozen=True)
class Claim:
    """One sentence that cites paragraphs (with the uncited sentences before it), and what the check found."""

    file: str
    line: int
    text: str  # the Markdown words, citations kept
    cites: tuple[tuple[str, int], ...]  # (inspection key, paragraph number), in order, without repeats
    quotes: dict[tuple[str, int], str]  # the cited paragraphs' words (those we have)
    flags: tuple[str, ...]
    signoff: SignOff | None = None
    quantities: tuple[str, ...] = ()  # words of amount the cited paragraphs do not use: to compare


@dataclass
class Report:
    """Everything the check found."""

    claims: list[Claim] = field(default_factory=list)
    sections: list[Claim] = field(default_factory=list)  # sections with facts and no citation (no cites, no quotes)
    stale: list[tuple[str, SignOff]] = field(default_factory=list)  # sign-offs that match no flag
    missing: list[str] = field(default_factory=list)  # inspections cited whose words we do not have

    @property
    def unsigned(self) -> list[Claim]:
        """Flagged claims and sections nobody has signed off."""
        return [c for c in [*self.claims, *self.sections] if c.flags and c.signoff is None]

    @property
    def to_compare(self) -> list[Claim]:
        """Sentences using a word of amount ("most", "often") that their cited paragraphs do not use."""
        return [c for c in self.claims if c.quantities]

    @property
    def ok(self) -> bool:
        """No unsigned flag and no stale sign-off."""
        return not self.unsigned and not self.stale


# ---- the report's words -------------------------------------------------------------------------------

class Library:
    """The report's words for each inspection: its words file, else its PDF (read once, cached by the PDF's hash)."""

    def __init__(self, site: Site, content: Path, pdfs: Callable[[Inspection], Path | None] | None = None,
                 cache: Path | None = None) -> None:
        self.site, self.content, self.pdfs, self.cache = site, content, pdfs, cache
        self.found: dict[str, dict[int, str] | None] = {}
        self.by_key = {i.key: i for i in site.inspections}
        self.timeline: dict[str, set[tuple[str, str]]] = {}  # council -> the years and months of its inspections and events
        for i in site.inspections:
            self.timeline.setdefault(i.council, set()).update({("number", str(i.start.year)), ("date", MONTHS[i.start.month - 1])})
        for e in site.events:
            self.timeline.setdefault(e.council, set()).add(("number", str(e.date.year)))
            if e.date.month:
                self.timeline[e.council].add(("date", MONTHS[e.date.month - 1]))

    def words(self, key: str) -> dict[int, str] | None:
        """Every paragraph of an inspection's report, or None when we have no way to read it."""
        if key not in self.found:
            self.found[key] = self._read(self.by_key[key]) if key in self.by_key else None
        return self.found[key]

    def _read(self, inspection: Inspection) -> dict[int, str] | None:
        """From the words file, else from the PDF."""
        path = words_path(self.content / "councils" / inspection.council / f"{inspection.slug}.md")
        if path.exists():
            found = read_words(path, Problems())
            return found[1] if found else None
        pdf = self.pdfs(inspection) if self.pdfs else None
        return pdf_words(pdf, self.cache) if pdf else None


def pdf_words(pdf: Path, cache: Path | None) -> dict[int, str] | None:
    """A PDF's numbered paragraphs, through a cache keyed by the file's hash."""
    digest = hashlib.sha256(pdf.read_bytes()).hexdigest()
    cached = cache / f"{digest}.json" if cache else None
    if cached and cached.exists():
        return {int(k): v for k, v in json.loads(cached.read_text(encoding="utf-8")).items()}
    from .importer.errors import ImportProblem
    from .importer.layout import body_lines
    from .importer.pdftext import read_pdf
    from .importer.sections import paragraph_texts

    try:
        texts = paragraph_texts(body_lines(read_pdf(pdf)))
    except ImportProblem as problem:
        log.warning("%s: %s", pdf, problem)
        return None
    if cached:
        cached.parent.mkdir(parents=True, exist_ok=True)
        cached.write_text(json.dumps(texts, ensure_ascii=False), encoding="utf-8")
    return texts


def manifest_pdfs(site: Site, reports: Path) -> Callable[[Inspection], Path | None]:
    """Find an inspection's PDF in a folder of reports by its source's URL (the folder's manifest.csv)."""
    by_url: dict[str, Path] = {}
    manifest = reports / "manifest.csv"
    if manifest.exists():
        with manifest.open(encoding="utf-8", newline="") as handle:
            for row in csv.DictReader(handle):
                if row.get("url") and row.get("file"):
                    by_url[row["url"].strip()] = reports / row["file"]

    def find(inspection: Inspection) -> Path | None:
        source = site.sources.get(inspection.report)
        path = by_url.get(source.url) if source and source.url else None
        return path if path and path.exists() else None
    return find


# ---- finding the facts in words -----------------------------------------------------------------------

def plain(text: str) -> str:
    """Markdown words as a reader reads them, without citations, for matching."""
    text = CITE.sub("", text)
    text = TERM.sub(lambda m: m[1], text)
    text = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", text)
    return normal(re.sub(r"[*_`>#]", "", text))


def normal(text: str) -> str:
    """Lower case, plain quotes and dashes, single spaces."""
    text = text.translate(str.maketrans("‘’“”–—‐‑", "''\"\"----")).lower()
    return re.sub(r"\s+", " ", text).strip()


def facts(text: str) -> list[tuple[str, str]]:
    """The checkable facts in plain words: (what it is, the words), in order, without repeats."""
    found: list[tuple[str, str]] = []
    for m in PERCENT.finditer(text):
        found.append(("percentage", m[0]))
    rest = re.sub(r"\bparagraphs? \d+(?:(?:,| and| to|-) ?\d+)*", " ", PERCENT.sub(" ", text))  # a paragraph's number is no fact
    for m in NUMBER.finditer(rest):
        found.append(("number", m[1]))
    for word in re.findall(r"[a-z]+", rest):
        if word in COUNT_WORDS:
            found.append(("count", word))
        elif word in MONTHS and not (word == "may" and not re.search(r"\bmay \d|\d may\b|in may\b", rest)):
            found.append(("date", word))
    for name, pattern in GRADES.items():
        graded = GOOD_AS_GRADE.search(rest.replace("improvement to be good", "")) if name == "good" else \
            re.search(rf"\b{pattern}\b", rest)
        if graded:
            found.append(("grade word", name))
    return list(dict.fromkeys(found))


def quantity_words(own: str, source: str) -> tuple[str, ...]:
    """The words of amount in our plain words (quotes aside) that the report's words do not use."""
    ours = QUOTED.sub(" ", own)
    return tuple(w for w in QUANTITY if re.search(rf"\b{w}\b", ours)
                 and not any(re.search(rf"\b{x}\b", source) for x in (w, *SAME_AMOUNT.get(w, ()))))


def supported(kind: str, value: str, source: str) -> bool:
    """Whether the report's words contain a fact (a number as digits or as a word)."""
    if kind == "percentage":
        number = re.match(r"[\d.]+", value)[0]
        return bool(re.search(rf"(?<![\d.]){re.escape(number)}\s*(?:%|per ?cent)", source))
    if kind in ("number", "count"):
        number = NUMBER_WORDS.get(value, None) if kind == "count" else int(value.replace(",", ""))
        words = [w for w, n in NUMBER_WORDS.items() if n == number]
        digits = [str(number), f"{number:,}"] if number is not None else []
        return any(re.search(rf"(?<![\d,.]){re.escape(d)}(?![\d])", source) for d in digits) or \
            any(re.search(rf"\b{w}\b", source) for w in words)
    if kind == "grade word":
        return bool(re.search(rf"\b{GRADES[value]}\b", source))
    return bool(re.search(rf"\b{re.escape(value)}\b", source))


# ---- claims -------------------------------------------------------------------------------------------

def blocks(text: str, first_line: int) -> Iterable[tuple[str, int]]:
    """Paragraphs and list items of Markdown text, each with its first line."""
    current: list[str] = []
    start = first_line
    for number, line in enumerate(text.split("\n"), start=first_line):
        item = re.match(r"\s*(?:[-*+]|\d+[.)])\s+", line)
        if re.match(r"\s*#", line):  # a heading is a block of its own, and states nothing to check
            line, item = "", None
        if not line.strip() or item:
            if current:
                yield "\n".join(current), start
            current, start = ([line[item.end():]] if item else []), number
            continue
        if not current:
            start = number
        current.append(line)
    if current:
        yield "\n".join(current), start


def claims_in(text: str, first_line: int) -> Iterable[tuple[str, int]]:
    """Each citing sentence of Markdown text, with the uncited sentences just before it, and its line."""
    for block, line in blocks(text, first_line):
        if "[para" not in block:
            continue
        pending, offset = "", 0
        position = 0
        for sentence in SENTENCE_END.split(block):
            at = block.find(sentence, position)
            position = at + len(sentence)
            if not pending:
                offset = at
            pending = f"{pending} {sentence}".strip() if pending else sentence
            if CITE.search(sentence):
                yield pending, line + block.count("\n", 0, offset)
                pending = ""


def known(inspection: Inspection | None) -> set[tuple[str, str]]:
    """Facts the page's own front matter gives (checked against the report elsewhere): its dates, grades and their count."""
    if inspection is None:
        return set()
    out: set[tuple[str, str]] = set()
    for day in (inspection.start, inspection.end, inspection.published):
        if day:
            out |= {("number", str(day.year)), ("number", str(day.day)), ("date", MONTHS[day.month - 1])}
    names = {"requires-improvement": "requires improvement", "adequate": "adequate", "good": "good",
             "outstanding": "outstanding", "inadequate": "inadequate"}
    out |= {("grade word", names[j.grade]) for j in inspection.judgements if j.grade in names}
    counts = {len(inspection.judgements), *(sum(1 for j in inspection.judgements if j.grade == g)
                                            for g in {j.grade for j in inspection.judgements})}
    out |= {("count", w) for w, n in COUNT_WORDS.items() if n in counts}
    return out


def check_claim(text: str, own: str, council: str, library: Library, file: str, line: int,
                about: tuple[str, ...] = ()) -> Claim:
    """One claim: its citations, the cited words and what they do not say."""
    cites: list[tuple[str, int]] = []
    for m in CITE.finditer(text):
        key = f"{council}/{m[2] or own}"
        cites += [(key, n) for n in cite_numbers(m[1])]
    cites = list(dict.fromkeys(cites))
    quotes: dict[tuple[str, int], str] = {}
    flags: list[str] = []
    for key, number in cites:
        words = library.words(key)
        if words is None:
            flags.append(f"no words of the report {key} to check against (run import-pdf --words-for)")
        elif number not in words:
            flags.append(f"paragraph {number} is not in the report ({key.split('/')[1]} has paragraphs "
                         f"{min(words)} to {max(words)})" if words else f"the report {key} has no numbered paragraphs")
        else:
            quotes[(key, number)] = words[number]
    source = normal(" ".join(quotes.values()))
    given = set().union(library.timeline.get(council, set()),
                        *(known(library.by_key.get(k)) for k in {*(f"{council}/{a}" for a in about), *(k for k, _ in cites)}))
    amounts: tuple[str, ...] = ()
    if quotes:
        for kind, value in facts(plain(text)):
            if (kind, value) not in given and not supported(kind, value, source):
                flags.append(f'{kind} "{value}" is not in the cited paragraph{"s" if len(quotes) > 1 else ""}')
        amounts = quantity_words(plain(text), source)
    return Claim(file, line, text.strip(), tuple(cites), quotes, tuple(dict.fromkeys(flags)), quantities=amounts)


@dataclass(frozen=True)
class Text:
    """A Markdown text that may cite: where it is, which report a bare citation means, and what else it may state."""

    file: str
    council: str
    own: str  # the inspection a bare [para N] cites ("" in stories and events)
    about: tuple[str, ...]  # inspections whose own dates and grades the text may state without citing
    markdown: str
    line: int
    signoffs: tuple[SignOff, ...]
    sections: tuple[tuple[str, str, int], ...] = ()  # (heading, Markdown, line): checked for facts with no citation


def texts_of(site: Site) -> Iterable[Text]:
    """Every text that cites or states facts: inspection sections, what-changed stories, events."""
    for i in site.inspections:
        for s in i.sections:
            yield Text(i.file, i.council, i.slug, (i.slug,), s.markdown, s.line + 1, i.signoffs)
        yield Text(i.file, i.council, i.slug, (i.slug,), "", 0, i.signoffs,
                   tuple((s.heading, s.markdown, s.line) for s in i.sections))
    for story in site.stories.values():
        yield Text(story.file, story.council, "", (story.before, story.after), story.markdown, story.line, story.signoffs,
                   (("The story", story.markdown, story.line),))
    for event in site.events:
        yield Text(event.file, event.council, "", (), event.summary, 1, event.signoffs)


def section_flag(file: str, heading: str, markdown: str, line: int, given: set[tuple[str, str]]) -> Claim | None:
    """A section that states facts (other than the page's own dates and grades) but cites nothing."""
    if CITE.search(markdown) or not markdown.strip():
        return None
    found = [fact for fact in facts(plain(markdown)) if fact not in given]
    if not found:
        return None
    listed = ", ".join(f'{kind} "{value}"' for kind, value in found[:6])
    return Claim(file, line, f"## {heading}", (), {}, (f"the section states facts ({listed}) but cites no paragraph",))


def matches(signoff: SignOff, claim: Claim) -> bool:
    """Whether a sign-off covers a claim: its words are found in the claim's words."""
    return normal(signoff.text) in normal(claim.text)


def check(site: Site, library: Library) -> Report:
    """Run the faithfulness check on every published (and draft) text that cites the reports."""
    report = Report()
    used: set[tuple[str, int]] = set()
    for t in texts_of(site):
        found: list[Claim] = [check_claim(text, t.own, t.council, library, t.file, at, t.about)
                              for text, at in claims_in(t.markdown, t.line)]
        given = set().union(library.timeline.get(t.council, set()),
                            *(known(library.by_key.get(f"{t.council}/{slug}")) for slug in t.about))
        for heading, section, at in t.sections:
            flag = section_flag(t.file, heading, section, at, given)
            if flag:
                found.append(flag)
        for claim in found:
            signoff = next((s for s in t.signoffs if claim.flags and matches(s, claim)), None)
            if signoff:
                used.add((t.file, signoff.line))
                claim = replace(claim, signoff=signoff)
            (report.sections if not claim.cites and claim.text.startswith("## ") else report.claims).append(claim)
    for file, signoffs in signoffs_by_file(site).items():
        report.stale += [(file, s) for s in signoffs if (file, s.line) not in used]
    cited = {key for claim in report.claims for key, _ in claim.cites}
    report.missing = sorted(key for key in cited if library.words(key) is None)
    return report


def signoffs_by_file(site: Site) -> dict[str, tuple[SignOff, ...]]:
    """Every file's sign-offs."""
    out: dict[str, tuple[SignOff, ...]] = {}
    for item in [*site.inspections, *site.stories.values(), *site.events]:
        if item.signoffs:
            out[item.file] = item.signoffs
    return out


# ---- showing it ---------------------------------------------------------------------------------------

def wrap(text: str, indent: str, width: int = 100) -> str:
    """Text wrapped for a terminal."""
    import textwrap

    return textwrap.fill(text, width, initial_indent=indent, subsequent_indent=indent)


def format_terminal(report: Report, everything: bool = False, amounts: bool = False) -> str:
    """The check for a terminal: each flagged sentence beside the cited paragraphs (every sentence with `everything`,
    and with `amounts` each sentence whose words of amount the paragraphs do not use)."""
    out: list[str] = []
    shown = [c for c in [*report.claims, *report.sections]
             if everything or (c.flags and c.signoff is None) or (amounts and c.quantities)]
    for claim in shown:
        state = "signed off" if claim.signoff else ("FLAG" if claim.flags else ("compare" if claim.quantities else "ok"))
        out.append(f"{claim.file}:{claim.line}: {state}")
        out.append(wrap(claim.text, "  | "))
        for flag in claim.flags:
            out.append(f"  ! {flag}")
        if claim.quantities and (amounts or everything):
            words = ", ".join(f'"{w}"' for w in claim.quantities)
            out.append(f"  ? {words}: not the cited paragraphs' word; say how many or how often as the report does")
        if claim.signoff:
            out.append(f"  signed off by {claim.signoff.by}: {claim.signoff.why}")
        for (key, number), words in claim.quotes.items():
            out.append(wrap(f"[{key.split('/')[1]} para {number}] {words}", "    "))
        out.append("")
    for file, signoff in report.stale:
        out.append(f"{file}:{signoff.line}: this sign-off matches no flagged sentence: \"{signoff.text}\"")
        out.append("  How to fix: the sentence changed or is no longer flagged; delete the sign-off, or copy the words again.\n")
    total = len(report.claims)
    flagged = sum(1 for c in report.claims if c.flags)
    signed = sum(1 for c in [*report.claims, *report.sections] if c.flags and c.signoff)
    out.append(f"{total} citing sentences checked: {flagged} flagged, {signed} signed off, "
               f"{len(report.unsigned)} to look at; {len(report.stale)} sign-offs match nothing.")
    out.append(f"{len(report.to_compare)} sentences use a word of amount (\"most\", \"often\") that their cited paragraphs "
               f"do not: {'shown above' if amounts else 'see them with --amounts'}. Compare each with the report's own words.")
    if report.unsigned:
        out.append("Look at each flagged sentence beside the report's words. If the report says something else, correct "
                   "the sentence. If it is true to the report, sign it off in the file's front matter:\n"
                   "  signoffs:\n    - text: <words of the sentence>\n      by: <your name>\n      why: <where the report says it>")
    return "\n".join(out)


def review_page(report: Report, stylesheet: str) -> str:
    """The preview's review page: every citing sentence beside the report's words, flags first."""
    rows = []
    ordered = sorted([*report.claims, *report.sections], key=lambda c: (not (c.flags and not c.signoff), c.file, c.line))
    for c in ordered:
        state = "Signed off" if c.signoff else ("Flagged" if c.flags else "No flag")
        flags = "".join(f"<li>{escape(f)}</li>" for f in c.flags)
        signed = (f"<p>Signed off by {escape(c.signoff.by)}: {escape(c.signoff.why)}</p>" if c.signoff else "")
        quotes = "".join(f"<blockquote><p><strong>{escape(k.split('/')[1])}, paragraph {n}:</strong> {escape(t)}</p></blockquote>"
                         for (k, n), t in c.quotes.items())
        rows.append(f'<tr><td><p><strong>{state}</strong><br>{escape(c.file)}:{c.line}</p><p>{escape(c.text)}</p>'
                    f'{f"<ul>{flags}</ul>" if flags else ""}{signed}</td><td>{quotes or "<p>(no citation)</p>"}</td></tr>')
    stale = "".join(f"<li>{escape(f)}:{s.line}: matches no flagged sentence: {escape(s.text)}</li>" for f, s in report.stale)
    return ("<!doctype html>\n<html lang=\"en-GB\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" "
            "content=\"width=device-width, initial-scale=1\"><meta name=\"robots\" content=\"noindex\">"
            f"<title>Faithfulness review</title><link rel=\"stylesheet\" href=\"{escape(stylesheet)}\"></head>"
            "<body><main class=\"wrap\"><h1>Faithfulness review (preview only)</h1>"
            f"<p>{len(report.unsigned)} flagged sentences to look at, {len(report.stale)} sign-offs that match nothing. "
            "Each sentence that cites the report is shown beside the paragraphs it cites. This page is never published.</p>"
            f"{f'<ul>{stale}</ul>' if stale else ''}"
            "<table><caption>Sentences and the report's words</caption><thead><tr><th scope=\"col\">Our words</th>"
            "<th scope=\"col\">The report's words</th></tr></thead><tbody>"
            + "".join(rows) + "</tbody></table></main></body></html>\n")


def run_check(content: Path, reports: Path | None, cache: Path | None) -> tuple[Report | None, Problems]:
    """Load the content and run the check (the preview shows drafts, so the check reads them too)."""
    from .load import load_site

    site, problems = load_site(content)
    if site is None:
        return None, problems
    pdfs = manifest_pdfs(site, reports) if reports and reports.is_dir() else None
    return check(site, Library(site, content, pdfs, cache)), problems
