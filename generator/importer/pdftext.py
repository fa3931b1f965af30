"""Open a PDF and read its text and tables page by page, turning every failure into one clear line."""
from __future__ import annotations

import contextlib
import logging
import re
import signal
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from .errors import ImportProblem

log = logging.getLogger(__name__)

TABLE_PAGE_RE = re.compile(r"Judgement\s+Grade|Record of main findings|judgements? on areas|Key judgement", re.I)
OFSTED_HINT = "download the report's PDF again from https://reports.ofsted.gov.uk/ and import that"


@dataclass
class Document:
    """The text (and, for the pages that hold judgements, the tables) of one PDF."""

    path: Path
    pages: list[str]
    tables: dict[int, list[list[list[str | None]]]] = field(default_factory=dict)
    metadata: dict[str, str] = field(default_factory=dict)

    @property
    def page_count(self) -> int:
        """How many pages the PDF has."""
        return len(self.pages)


class TimeLimit(Exception):
    """Raised inside the reader when a file takes longer than its time limit."""


@contextlib.contextmanager
def time_limit(seconds: float | None) -> Iterator[None]:
    """Raise TimeLimit after `seconds` (POSIX main thread only; elsewhere no limit)."""
    usable = bool(seconds) and hasattr(signal, "setitimer") and threading.current_thread() is threading.main_thread()
    if not usable:
        yield
        return

    def _alarm(_signum: int, _frame: object) -> None:
        raise TimeLimit()

    previous = signal.signal(signal.SIGALRM, _alarm)
    signal.setitimer(signal.ITIMER_REAL, seconds, 0.5)  # repeats, in case a reader swallows the first
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def check_bytes(path: Path) -> None:
    """Reject what is plainly not a whole PDF before pdfminer sees it."""
    if not path.exists():
        raise ImportProblem(f"no such file: {path}", "check the path")
    if path.is_dir():
        raise ImportProblem(f"{path} is a folder", "give a PDF file, or the folder on its own to import every PDF in it")
    size = path.stat().st_size
    if size == 0:
        raise ImportProblem("empty file (0 bytes): not a PDF", OFSTED_HINT)
    with path.open("rb") as handle:
        head = handle.read(2048)
        handle.seek(max(0, size - 2048))
        tail = handle.read()
    if b"%PDF-" not in head[:1024]:
        raise ImportProblem(f"not a PDF: {describe_non_pdf(head)}", OFSTED_HINT)
    if b"%%EOF" not in tail and b"startxref" not in tail:
        raise ImportProblem(f"truncated PDF: it stops after {size} bytes with no end-of-file marker "
                            "(an interrupted download?)", OFSTED_HINT)


def describe_non_pdf(head: bytes) -> str:
    """Say what a file that is not a PDF seems to be."""
    text = head.lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if text.startswith((b"<!doctype html", b"<html")) or b"<html" in text[:512]:
        return "it is a web page (HTML) saved with a .pdf name, not the report itself"
    if text.startswith(b"<?xml"):
        return "it is an XML file saved with a .pdf name"
    if text.startswith(b"pk\x03\x04"):
        return "it is a ZIP or Word/Office file saved with a .pdf name"
    if all(32 <= b < 127 or b in (9, 10, 13) or b >= 128 for b in head[:512]):
        return "it is a plain text file saved with a .pdf name (no %PDF- header)"
    return "it has no %PDF- header"


def read_pdf(path: Path, password: str | None = None, timeout: float | None = 120.0) -> Document:
    """Read a PDF's text (and its judgement tables); raise ImportProblem for any bad input."""
    path = Path(path)
    check_bytes(path)
    try:
        with time_limit(timeout):
            return _read(path, password)
    except ImportProblem:
        raise
    except Exception as error:  # pdfminer raises many kinds (and wraps ours); each becomes one line
        if not timed_out(error):
            raise classify(error, password) from None
        raise ImportProblem(f"gave up after {timeout:g} seconds: the PDF is too slow to read "
                            "(very large or malformed)", "try --timeout with more seconds, or re-save the PDF") from None


def timed_out(error: BaseException | None, depth: int = 0) -> bool:
    """True when the error is (or wraps) our TimeLimit: pdfplumber re-raises errors inside its own."""
    if error is None or depth > 5:
        return False
    if isinstance(error, TimeLimit):
        return True
    wrapped = [a for a in getattr(error, "args", ()) if isinstance(a, BaseException)]
    return any(timed_out(e, depth + 1) for e in [error.__cause__, error.__context__, *wrapped])


def _read(path: Path, password: str | None) -> Document:
    """Open with pdfplumber and pull text per page and tables where judgements are."""
    import pdfplumber  # imported here: slow to import, and only needed for reading

    with pdfplumber.open(path, password=password or "") as pdf:
        pages: list[str] = []
        tables: dict[int, list] = {}
        follow = False
        for number, page in enumerate(pdf.pages, start=1):
            text = page.extract_text() or ""
            pages.append(text)
            wanted = TABLE_PAGE_RE.search(text)
            if number <= 2 or wanted or follow:
                tables[number] = page.extract_tables() or []
            follow = bool(wanted and "record of main findings" in text.lower())
            page.flush_cache()
        metadata = {str(k): str(v) for k, v in (pdf.metadata or {}).items()}
    if not pages:
        raise ImportProblem("the PDF has no pages", OFSTED_HINT)
    if sum(len(t.strip()) for t in pages) < 20 * len(pages):
        raise ImportProblem(f"no text layer: this PDF is a scan (images only, {len(pages)} pages)",
                            "run it through OCR first (e.g. `ocrmypdf in.pdf out.pdf`), or find the original PDF on "
                            "https://reports.ofsted.gov.uk/")
    return Document(path, pages, tables, metadata)


def classify(error: Exception, password: str | None) -> ImportProblem:
    """Turn a pdfminer/pdfplumber error into one clear line."""
    names = f"{type(error).__name__} {error!r}"
    log.debug("PDF error: %s", names)
    if "PDFPasswordIncorrect" in names or "PDFEncryptionError" in names or "password" in names.lower():
        if password:
            return ImportProblem("encrypted PDF: the password given does not open it", "check the --password")
        return ImportProblem("encrypted PDF: it is password-protected", "give the password with --password PW, "
                             "or download an unprotected copy from https://reports.ofsted.gov.uk/")
    if "EOF" in names:
        return ImportProblem("truncated PDF: the file ends too early", OFSTED_HINT)
    if "No /Root" in names or "PDFSyntaxError" in names:
        return ImportProblem("damaged PDF: its structure cannot be read", OFSTED_HINT)
    return ImportProblem(f"unreadable PDF ({type(error).__name__})", OFSTED_HINT)
