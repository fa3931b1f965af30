"""The importer's placeholder text: written into drafts, never allowed on a published page.

The importer (importer/draft.py) writes these into the drafts it makes, and the loader refuses
any file that is to be published while it still holds one of them. Both use this module, so a
new placeholder is added in one place.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from .problems import Problems

REWRITE = "**Draft: report text to rewrite in plain words.**"
NOTE = (f"{REWRITE} The lines below are copied from the Ofsted report "
        "by the importer. Rewrite them for families and young people, and cite paragraphs like [para 12].")
WRITE_YOURSELF = "**Draft: write this yourself**"
NO_HEADLINE = "(The importer found no headline findings: write them from the report.)"
NOTHING_GOING_WELL = "(Write what the report says is going well.)"
SOURCE_URL = "add the report's URL (files.ofsted.gov.uk) before publishing"


@dataclass(frozen=True)
class Placeholder:
    """One kind of placeholder: the words that give it away, and what the curator must do."""

    words: str  # matched case-insensitively, whatever the spaces, line breaks or Markdown around them
    fix: str


PLACEHOLDERS = (
    Placeholder("Draft: report text to rewrite in plain words",
                "rewrite the report text below it in plain words, then delete this draft note."),
    Placeholder("Draft: write this yourself", "write this section yourself, then delete the draft note."),
    Placeholder("(The importer found no headline findings", "write the headline findings from the report in plain words."),
    Placeholder("(Write what the report says", "write what the report says, in plain words, in place of this line."),
    Placeholder("add the report's URL", "put the report's address in the source's url: (files.ofsted.gov.uk) "
                "and replace this note with one of your own, or delete it."),
)


def _pattern(words: str) -> str:
    """A regular expression for words, allowing any spacing and Markdown emphasis between them."""
    return r"[\s*_]+".join(re.escape(word) for word in words.split())


_FIND = re.compile("|".join(f"({_pattern(p.words)})" for p in PLACEHOLDERS), re.IGNORECASE)


def report_placeholders(text: str, path: Path, problems: Problems, first_line: int = 1) -> bool:
    """Report each placeholder left in a text that is to be published; whether there was one."""
    found = False
    for match in _FIND.finditer(text):
        placeholder = PLACEHOLDERS[match.lastindex - 1]
        line = first_line + text.count("\n", 0, match.start())
        problems.add(path, line, f'the importer\'s placeholder "{placeholder.words}" is still here, and the page is to be '
                     "published (it is not marked draft: true).", f"{placeholder.fix} Until then, keep 'draft: true'.")
        found = True
    return found
