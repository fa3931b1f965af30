"""The text of the Ofsted report PDFs as poppler's `pdftotext -layout` reads them, cached on disk.

A second reader, independent of the importer's (pdfminer through pdfplumber): a test that compares
content with a report through this text does not just agree with the importer's own reading.

One cache for every test that reads report text (the facts tests, the faithfulness check). An entry
is keyed by the PDF's sha256 and by poppler's version, so an edited PDF or a new poppler is read
again. The cache lives outside the clone, so a fresh clone on the same machine reuses it, but
nothing needs it: a cold run extracts every missing PDF, one pdftotext process per core.

Where: $INSPECTIONS_PDFTEXT_CACHE, else $XDG_CACHE_HOME/inspections-explained/pdftext,
else ~/.cache/inspections-explained/pdftext.
"""
from __future__ import annotations

import functools
import hashlib
import logging
import os
import re
import shutil
import subprocess
import tempfile
import time
from collections.abc import Iterable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

log = logging.getLogger(__name__)

CACHE_ENV = "INSPECTIONS_PDFTEXT_CACHE"
TIMEOUT_SECONDS = 300
INSTALL_HINT = "install poppler's pdftotext: `sudo apt-get install poppler-utils` (scripts/test does it on Debian)"


def missing_reason() -> str | None:
    """Why the reader cannot run here, or None when pdftotext is on PATH."""
    if shutil.which("pdftotext") is None:
        return f"poppler's pdftotext is not installed, so the reports cannot be read a second way: {INSTALL_HINT}"
    return None


@functools.lru_cache(maxsize=None)
def poppler_version() -> str:
    """pdftotext's version ('22.12.0'), part of every cache key."""
    result = subprocess.run(["pdftotext", "-v"], capture_output=True, text=True, check=False)
    match = re.search(r"version\s+([\w.]+)", result.stderr + result.stdout)
    return match[1] if match else "unknown"


def cache_dir() -> Path:
    """Where the extracted text is kept (see the module's docstring)."""
    if os.environ.get(CACHE_ENV):
        return Path(os.environ[CACHE_ENV])
    base = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache")
    return base / "inspections-explained" / "pdftext"


@functools.lru_cache(maxsize=None)
def sha256(pdf: Path) -> str:
    """The file's sha256, read once per session."""
    digest = hashlib.sha256()
    with pdf.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def cache_path(pdf: Path) -> Path:
    """The cache entry of one PDF."""
    return cache_dir() / f"{sha256(pdf)}-poppler-{poppler_version()}-layout.txt"


def extract(pdf: Path) -> str:
    """Run pdftotext on one PDF (pages separated by form feeds) and store the text in the cache."""
    result = subprocess.run(["pdftotext", "-layout", "-enc", "UTF-8", str(pdf), "-"],
                            capture_output=True, timeout=TIMEOUT_SECONDS, check=False)
    if result.returncode != 0:
        raise RuntimeError(f"pdftotext could not read {pdf}: {result.stderr.decode(errors='replace').strip()}")
    text = result.stdout.decode("utf-8", errors="replace")
    target = cache_path(pdf)
    target.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.NamedTemporaryFile("w", encoding="utf-8", dir=target.parent, delete=False,
                                     suffix=".part") as handle:
        handle.write(text)
    os.replace(handle.name, target)
    return text


@functools.lru_cache(maxsize=None)
def text(pdf: Path) -> str:
    """The layout text of one PDF: from the cache, or read now (kept in memory for the session)."""
    try:
        return cache_path(pdf).read_text(encoding="utf-8")
    except FileNotFoundError:
        return extract(pdf)


def warm(pdfs: Iterable[Path], workers: int | None = None) -> tuple[int, float]:
    """Extract every PDF not in the cache yet, one pdftotext process per core at a time.

    Returns how many were extracted and how long it took (seconds)."""
    missing = sorted({p for p in pdfs if not cache_path(p).exists()})
    began = time.perf_counter()
    if missing:
        with ThreadPoolExecutor(max_workers=workers or os.cpu_count() or 1) as pool:
            list(pool.map(extract, missing))   # each call waits on its own pdftotext process
    elapsed = time.perf_counter() - began
    if missing:
        log.info("pdftotext read %d reports in %.1f s into %s", len(missing), elapsed, cache_dir())
    return len(missing), elapsed


@functools.lru_cache(maxsize=None)
def _pages(pdf: Path) -> tuple[str, ...]:
    """The text page by page, split once."""
    return tuple(text(pdf).split("\f"))


def pages(pdf: Path) -> list[str]:
    """The text page by page."""
    return list(_pages(pdf))
