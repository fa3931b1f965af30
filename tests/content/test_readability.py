"""Every published inspection page reads easily: Flesch reading ease per `##` section.

The bar (issue 3 and the curators' brief): 60 or more for every section, and 70 or more for
"In short" and "What this means for you", the two parts upset readers most need. Only our own
words are scored: the report's words shown as quotes (blockquotes, "quoted words") are not ours
to simplify (issue 15).
"""
from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))
from content_helpers import (  # noqa: E402
    change_files, ensure_syllable_dictionary, inspection_files, own_words, plain_text, sections, split_front_matter)

textstat = pytest.importorskip("textstat")
_why_not = ensure_syllable_dictionary()
if _why_not:
    pytest.skip(_why_not, allow_module_level=True)

DEFAULT_MIN = 60
SECTION_MIN = {"In short": 70, "What this means for you": 70}


def published_pages() -> list[Path]:
    pages = []
    for path in inspection_files():
        meta, _ = split_front_matter(path)
        if not meta.get("draft", False):
            pages.append(path)
    return pages


PAGES = published_pages()


def score(text: str) -> float:
    return textstat.flesch_reading_ease(text)


@pytest.mark.parametrize("path", PAGES, ids=[f"{p.parent.name}/{p.stem}" for p in PAGES])
def test_every_section_reads_easily(path: Path) -> None:
    _, body = split_front_matter(path)
    if not body.strip():
        pytest.skip("a facts page: no summary of our own words yet (tests/test_page_readability.py scores the page)")
    found = sections(body)
    assert found, f"{path}: no '## ' sections found"
    too_hard = []
    for heading, markdown in found.items():
        text = own_words(markdown)
        if not text:
            continue
        need = SECTION_MIN.get(heading, DEFAULT_MIN)
        got = score(text)
        if got < need:
            too_hard.append(f'"{heading}" scores {got:.1f}, needs {need}')
    assert not too_hard, f"{path.relative_to(path.parents[3])}: " + "; ".join(too_hard) + \
        ". Use shorter sentences and shorter words."


STORIES = change_files()


@pytest.mark.parametrize("path", STORIES, ids=[f"{p.parents[1].name}/{p.stem}" for p in STORIES])
def test_every_story_reads_easily(path: Path) -> None:
    """A "what changed" story keeps the pages' rules (issue 16): our own words score 60 or more."""
    _, body = split_front_matter(path)
    got = score(own_words(body))
    assert got >= DEFAULT_MIN, f"{path.relative_to(path.parents[4])}: scores {got:.1f}, needs {DEFAULT_MIN}. Use shorter sentences and shorter words."


def test_plain_text_strips_markup() -> None:
    raw = "Inspectors [[praised|care leaver]] the [[MASH]] team [para 3]. See [paras 4-6 of 2022-03-ilacs-standard].\n- a list item"
    assert plain_text(raw) == "Inspectors praised the MASH team. See.\na list item."


def test_quotes_are_not_scored() -> None:
    raw = 'Inspectors said it had "improved significantly" [para 3].\n> Notwithstanding reconfiguration.\nOur words.'
    assert own_words(raw) == "Inspectors said it had.\n\nOur words."
