"""Import an Ofsted PDF report into a draft inspection page (see docs/CONTENT.md).

The package loads its parts (and pdfplumber) only when they are used, so `build` starts fast.
"""
from __future__ import annotations

from pathlib import Path
from typing import Any


def import_pdf(path: Path, content: Path = Path("content"), council: str | None = None,
               password: str | None = None, timeout: float | None = 120.0, memory_mb: int | None = 2048) -> Any:
    """Read one PDF and return what it says (an Extraction; raises ImportProblem for a bad input)."""
    from .extract import extract
    from .pdftext import read_pdf
    from .vocab import load_vocab

    return extract(read_pdf(Path(path), password, timeout, memory_mb), load_vocab(Path(content)), council)


def __getattr__(name: str) -> Any:
    """`Extraction` on first use."""
    if name == "Extraction":
        from .extract import Extraction

        return Extraction
    raise AttributeError(name)


__all__ = ["Extraction", "import_pdf"]
