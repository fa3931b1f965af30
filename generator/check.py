"""Checks a curator runs: readability of each inspection page's plain-language text."""
from __future__ import annotations

import re
from dataclasses import dataclass
from html.parser import HTMLParser

import textstat

from .markup import plain_text
from .model import ChangeStory, Inspection, Site

MAIN_TARGET = 60.0  # Flesch reading ease for the page's main text
SUMMARY_TARGET = 70.0  # for the summary written for children and young people
SUMMARY_SECTIONS = ("in-short", "for-you")
# The report's own words, shown as quotes, are not ours to simplify: they are not scored.
QUOTED = re.compile(r'^[ \t]*>.*$|"[^"\n]*"|\u201c[^\u201d\n]*\u201d', re.M)


def own_words(markdown: str) -> str:
    """The plain text of our own words: Markdown without quotes (blockquotes, "quoted words")."""
    return plain_text(QUOTED.sub("", markdown))


@dataclass(frozen=True)
class Readability:
    """Readability of one inspection page."""

    file: str
    main_score: float
    summary_score: float
    sentence_length: float
    words: int
    summary: bool = True  # a page has summary sections held to the higher target; a story has none

    @property
    def ok(self) -> bool:
        """Whether the page meets both targets (a story: the main one)."""
        return self.main_score >= MAIN_TARGET and (not self.summary or self.summary_score >= SUMMARY_TARGET)


def score(text: str) -> tuple[float, float, int]:
    """Flesch reading ease, average sentence length in words, and word count of plain text."""
    words = textstat.lexicon_count(text)
    if not words:
        return 0.0, 0.0, 0
    return round(textstat.flesch_reading_ease(text), 1), round(textstat.words_per_sentence(text), 1), words


def page_readability(inspection: Inspection) -> Readability:
    """The readability of one inspection page: its hardest section, and the harder of its two summary sections.

    Each section must reach its target on its own (a hard section is not saved by easy ones), as the
    content tests require.
    """
    texts = {s.id: own_words(s.markdown) for s in inspection.sections}
    scores = {sid: score(text)[0] for sid, text in texts.items() if text.strip()}
    _, length, words = score("\n\n".join(texts.values()))
    main_score = min(scores.values(), default=0.0)
    summary_score = min((scores[sid] for sid in SUMMARY_SECTIONS if sid in scores), default=0.0)
    return Readability(inspection.file, main_score, summary_score, length, words)


def story_readability(story: ChangeStory) -> Readability:
    """The readability of a "what changed" story: all one section, held to the main target."""
    main_score, length, words = score(own_words(story.markdown))
    return Readability(story.file, main_score, main_score, length, words, summary=False)


def check_readability(site: Site) -> list[Readability]:
    """Readability of every published page with our own words (facts pages have none yet), then every story."""
    pages = [page_readability(i) for i in site.published_inspections() if i.explained]
    return pages + [story_readability(s) for s in sorted(site.stories.values(), key=lambda s: s.file)]


def facts_pages(site: Site) -> int:
    """How many published inspection pages are facts pages: no summary of our own words to score yet."""
    return sum(1 for i in site.published_inspections() if not i.explained)


def format_report(rows: list[Readability], facts_only: int = 0) -> str:
    """A table a curator can read in a terminal."""
    lines = [f"{'page':<62} {'hardest':>7} {'summary':>8} {'words/sentence':>15} {'words':>6}  result"]
    for row in rows:
        result = "ok" if row.ok else (f"a section below {MAIN_TARGET:.0f}" if row.main_score < MAIN_TARGET
                                      else f"summary below {SUMMARY_TARGET:.0f}")
        summary = f"{row.summary_score:>8.1f}" if row.summary else f"{'-':>8}"
        lines.append(f"{row.file:<62} {row.main_score:>7.1f} {summary} {row.sentence_length:>15.1f} {row.words:>6}  {result}")
    lines.append(f"\nFlesch reading ease: higher is easier. Targets: every section {MAIN_TARGET:.0f} or more ('hardest' is the "
                 f"page's hardest section); In short and What this means for you {SUMMARY_TARGET:.0f} or more each "
                 f"('summary' is the harder of the two). A \"what changed\" story is one section: {MAIN_TARGET:.0f} or more.")
    bad = sum(1 for r in rows if not r.ok)
    stories = sum(1 for r in rows if not r.summary)
    lines.append(f"{len(rows) - stories} pages and {stories} stories checked, {bad} below target." if rows
                 else "No inspection pages to check.")
    if facts_only:
        lines.append(f"{facts_only} facts pages have no summary of our own words yet: nothing of theirs to score.")
    return "\n".join(lines)


class _PageWords(HTMLParser):
    """Collects the words of a page's <main>, leaving out quotes and what a reader does not read as prose."""

    SKIP = frozenset({"blockquote", "q", "nav", "script", "style"})
    BLOCKS = frozenset({"p", "li", "dt", "dd", "h1", "h2", "h3", "h4", "td", "th", "caption", "summary", "figcaption"})
    VOID = frozenset({"br", "img", "input", "meta", "link", "hr", "wbr"})

    def __init__(self) -> None:
        super().__init__()
        self.in_main, self.skipping, self.stack, self.parts = False, 0, [], []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        """Enter an element; a quote (or data-quote) is skipped with everything in it."""
        if tag == "main":
            self.in_main = True
        if tag in self.VOID:
            return
        skip = tag in self.SKIP or any(name == "data-quote" for name, _ in attrs)
        self.stack.append(skip)
        self.skipping += skip

    def handle_endtag(self, tag: str) -> None:
        """Leave an element; a block ends a sentence."""
        if tag == "main":
            self.in_main = False
        if tag in self.VOID or not self.stack:
            return
        self.skipping -= self.stack.pop()
        if tag in self.BLOCKS and self.in_main:
            self.parts.append(".\n")

    def handle_data(self, data: str) -> None:
        """Keep the words of <main> outside quotes."""
        if self.in_main and not self.skipping:
            self.parts.append(data)


def page_words(html: str) -> str:
    """The words of a rendered page's <main> a reader reads, without the report's words shown as quotes."""
    parser = _PageWords()
    parser.feed(html)
    lines = (line.strip(" \t.") for line in "".join(parser.parts).splitlines())
    return "\n".join(line + "." for line in lines if line)
