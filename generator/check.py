"""Checks a curator runs: readability of each inspection page's plain-language text."""
from __future__ import annotations

from dataclasses import dataclass

import textstat

from .markup import plain_text
from .model import Inspection, Site

MAIN_TARGET = 60.0  # Flesch reading ease for the page's main text
SUMMARY_TARGET = 70.0  # for the summary written for children and young people
SUMMARY_SECTIONS = ("in-short", "for-you")


@dataclass(frozen=True)
class Readability:
    """Readability of one inspection page."""

    file: str
    main_score: float
    summary_score: float
    sentence_length: float
    words: int

    @property
    def ok(self) -> bool:
        """Whether the page meets both targets."""
        return self.main_score >= MAIN_TARGET and self.summary_score >= SUMMARY_TARGET


def score(text: str) -> tuple[float, float, int]:
    """Flesch reading ease, average sentence length in words, and word count of plain text."""
    words = textstat.lexicon_count(text)
    if not words:
        return 0.0, 0.0, 0
    return round(textstat.flesch_reading_ease(text), 1), round(textstat.words_per_sentence(text), 1), words


def page_readability(inspection: Inspection) -> Readability:
    """The readability of one inspection page's sections."""
    main = "\n\n".join(plain_text(s.markdown) for s in inspection.sections)
    summary = "\n\n".join(plain_text(s.markdown) for s in inspection.sections if s.id in SUMMARY_SECTIONS)
    main_score, length, words = score(main)
    summary_score, _, _ = score(summary)
    return Readability(inspection.file, main_score, summary_score, length, words)


def check_readability(site: Site) -> list[Readability]:
    """Readability of every published inspection page."""
    return [page_readability(i) for i in site.published_inspections()]


def format_report(rows: list[Readability]) -> str:
    """A table a curator can read in a terminal."""
    lines = [f"{'page':<62} {'main':>6} {'summary':>8} {'words/sentence':>15} {'words':>6}  result"]
    for row in rows:
        result = "ok" if row.ok else (f"main text below {MAIN_TARGET:.0f}" if row.main_score < MAIN_TARGET
                                      else f"summary below {SUMMARY_TARGET:.0f}")
        lines.append(f"{row.file:<62} {row.main_score:>6.1f} {row.summary_score:>8.1f} {row.sentence_length:>15.1f} {row.words:>6}  {result}")
    lines.append(f"\nFlesch reading ease: higher is easier. Targets: main text {MAIN_TARGET:.0f} or more; "
                 f"the summary for children and young people (In short, What this means for you) {SUMMARY_TARGET:.0f} or more.")
    bad = sum(1 for r in rows if not r.ok)
    lines.append(f"{len(rows)} pages checked, {bad} below target." if rows else "No inspection pages to check.")
    return "\n".join(lines)
