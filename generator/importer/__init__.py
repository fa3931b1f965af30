"""Import an Ofsted PDF report into a draft inspection page (see docs/CONTENT.md)."""
from __future__ import annotations

from pathlib import Path

from .extract import Extraction, extract
from .pdftext import read_pdf
from .vocab import load_vocab


def import_pdf(path: Path, content: Path = Path("content"), council: str | None = None,
               password: str | None = None, timeout: float | None = 120.0) -> Extraction:
    """Read one PDF and return what it says (raises ImportProblem for a bad input)."""
    return extract(read_pdf(Path(path), password, timeout), load_vocab(Path(content)), council)


__all__ = ["Extraction", "import_pdf"]
