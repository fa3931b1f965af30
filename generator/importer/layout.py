"""The report's lines in reading order, with running headers, footers and page numbers taken out."""
from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

from .pdftext import Document
from .textutil import clean


@dataclass(frozen=True)
class Line:
    """One line of body text and the PDF page (1-based) it is on."""

    page: int
    text: str


def _shape(text: str) -> str:
    """A line with its digits blurred, to spot running headers that carry page numbers."""
    return re.sub(r"\d+", "#", clean(text).lower())


def boilerplate(doc: Document) -> set[str]:
    """Shapes of lines repeated at the top or bottom of many pages (running headers and footers)."""
    counts: Counter[str] = Counter()
    for text in doc.pages:
        lines = [ln for ln in text.splitlines() if ln.strip()]
        for ln in set(lines[:2] + lines[-3:]):
            counts[_shape(ln)] += 1
    needed = max(3, int(0.3 * len(doc.pages)))
    return {shape for shape, n in counts.items() if n >= needed and shape not in ("", "#")}


def body_lines(doc: Document) -> list[Line]:
    """Every line of text except running headers, footers and bare page numbers."""
    skip = boilerplate(doc)
    out = []
    for number, text in enumerate(doc.pages, start=1):
        lines = [ln for ln in text.splitlines() if ln.strip()]
        for index, ln in enumerate(lines):
            shape = _shape(ln)
            edge = index < 2 or index >= len(lines) - 3
            if edge and (shape in skip or re.fullmatch(r"#|page # of #", shape)):
                continue
            out.append(Line(number, clean(re.sub(r"^\s*\(cid:\d+\)", "•", ln))))
    return out
