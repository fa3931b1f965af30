"""Open a PDF and read its text and tables page by page, turning every failure into one clear line."""
from __future__ import annotations

import contextlib
import logging
import os
import pickle
import re
import select
import signal
import stat
import threading
import time
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from .errors import ImportProblem

log = logging.getLogger(__name__)

TABLE_PAGE_RE = re.compile(r"Judgement\s+Grade|Record of main findings|judgements? on areas|Key judgement", re.I)
OFSTED_HINT = "download the report's PDF again from https://reports.ofsted.gov.uk/ and import that"
MEMORY_MB = 2048  # memory one PDF may take to read; the largest real report takes about 220 MB
EXIT_MEMORY = 75  # a reading child's exit status when it ran out of memory


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
    info = path.stat()
    if not stat.S_ISREG(info.st_mode):  # a pipe, socket or device: opening or reading it could wait for ever
        raise ImportProblem(f"{path} is not a file (a pipe, socket or device)", "give the PDF file itself")
    size = info.st_size
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


def read_pdf(path: Path, password: str | None = None, timeout: float | None = 120.0,
             memory_mb: int | None = MEMORY_MB) -> Document:
    """Read a PDF's text (and its judgement tables); raise ImportProblem for any bad input.

    The reading happens in a child process with at most `memory_mb` megabytes of memory and
    `timeout` seconds (None or 0: no limit), so a file built to exhaust the machine, or one that
    crashes the reader, ends in one line about that file and the import goes on with the next.
    """
    path = Path(path)
    check_bytes(path)
    if not hasattr(os, "fork"):  # pragma: no cover - Windows: the time limit only, in this process
        return _read_here(path, password, timeout)
    import pdfplumber  # noqa: F401 - imported once here, not again in every child

    return _read_in_child(path, password, timeout, memory_mb)


def _read_here(path: Path, password: str | None, timeout: float | None) -> Document:
    """Read in this process, with the time limit only."""
    try:
        with time_limit(timeout):
            return _read(path, password)
    except ImportProblem:
        raise
    except Exception as error:  # pdfminer raises many kinds (and wraps ours); each becomes one line
        if not timed_out(error):
            raise classify(error, password) from None
        raise too_slow(timeout) from None


def too_slow(timeout: float | None) -> ImportProblem:
    """The line for a file that took longer than its time limit."""
    return ImportProblem(f"gave up after {timeout or 0:g} seconds: the PDF is too slow to read "
                         "(very large or malformed)", "try --timeout with more seconds, or re-save the PDF")


def too_big(memory_mb: int | None) -> ImportProblem:
    """The line for a file that needed more memory than its limit."""
    return ImportProblem(f"gave up: reading the PDF needed more than {memory_mb} MB of memory (it is malformed, "
                         "or built to exhaust the computer)", f"{OFSTED_HINT}; or try --memory with more megabytes")


def _read_in_child(path: Path, password: str | None, timeout: float | None, memory_mb: int | None) -> Document:
    """Read in a forked child with limits; its Document, or the one line that says why not."""
    reader, writer = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: read, send back, and never return into the caller's code
        os.close(reader)
        os._exit(_child(path, password, timeout, memory_mb, writer))
    os.close(writer)
    payload = None
    try:
        payload = _collect(reader, timeout)
    finally:  # in time, out of time or interrupted (Ctrl-C): no child is left behind
        os.close(reader)
        if payload is None:
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)
        _, status = os.waitpid(pid, 0)
    if payload is None:
        raise too_slow(timeout)
    return _answer(payload, status, memory_mb)


def _answer(payload: bytes, status: int, memory_mb: int | None) -> Document:
    """What a child's exit status and message mean: its Document, or an ImportProblem."""
    if os.WIFSIGNALED(status):
        raise ImportProblem(f"the PDF reader crashed on this file ({_signal_name(os.WTERMSIG(status))}): it is damaged "
                            "or built to break readers", OFSTED_HINT)
    code = os.WEXITSTATUS(status) if os.WIFEXITED(status) else 1
    if code == EXIT_MEMORY:
        raise too_big(memory_mb)
    try:
        kind, value = pickle.loads(payload)
    except Exception:  # noqa: BLE001 - nothing, or half, was sent
        raise ImportProblem(f"the PDF reader stopped without an answer (exit status {code})", OFSTED_HINT) from None
    if kind == "problem":
        raise ImportProblem(*value)
    return value


def _collect(reader: int, timeout: float | None) -> bytes | None:
    """All a child sends until it closes the pipe; None when `timeout` seconds pass first."""
    deadline = time.monotonic() + timeout if timeout else None
    chunks = []
    while True:
        wait = None if deadline is None else deadline - time.monotonic()
        if wait is not None and (wait <= 0 or not select.select([reader], [], [], wait)[0]):
            return None
        chunk = os.read(reader, 1 << 16)
        if not chunk:
            return b"".join(chunks)
        chunks.append(chunk)


def _child(path: Path, password: str | None, timeout: float | None, memory_mb: int | None, writer: int) -> int:
    """The child's work: read the PDF under the limits and send back the outcome; its exit status."""
    try:
        signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's to handle: it stops this child
        _limit(timeout, memory_mb)
        try:
            outcome: tuple[str, object] = ("ok", _read(path, password))
        except ImportProblem as problem:
            outcome = ("problem", (problem.what, problem.todo))
        except Exception as error:  # noqa: BLE001 - pdfminer raises many kinds (and wraps others); each becomes one line
            if wraps(error, MemoryError):
                return EXIT_MEMORY
            problem = classify(error, password)
            outcome = ("problem", (problem.what, problem.todo))
        data = pickle.dumps(outcome, protocol=pickle.HIGHEST_PROTOCOL)
        with os.fdopen(writer, "wb") as stream:
            stream.write(data)
        return 0
    except MemoryError:
        return EXIT_MEMORY
    except BaseException:  # noqa: BLE001 - whatever happens, the child ends here
        return 1


def _limit(timeout: float | None, memory_mb: int | None) -> None:
    """Limit this process's memory (its address space grows by at most `memory_mb`) and, as a backstop, its CPU time."""
    import resource

    def lower(which: int, value: int) -> None:
        soft, hard = resource.getrlimit(which)
        value = value if hard == resource.RLIM_INFINITY else min(value, hard)
        if soft == resource.RLIM_INFINITY or value < soft:
            resource.setrlimit(which, (value, hard))

    if memory_mb:
        lower(resource.RLIMIT_AS, _address_space() + memory_mb * 1024 * 1024)
    if timeout:  # the parent stops the child at `timeout`; this is in case the parent itself is gone
        lower(resource.RLIMIT_CPU, int(timeout) + 30)


def _address_space() -> int:
    """This process's virtual memory size in bytes (0 where /proc does not say)."""
    try:
        status = Path("/proc/self/status").read_text()
    except OSError:
        return 0
    match = re.search(r"^VmSize:\s+(\d+) kB", status, re.M)
    return int(match[1]) * 1024 if match else 0


def _signal_name(number: int) -> str:
    """SIGSEGV, SIGKILL...: a signal's name."""
    try:
        return signal.Signals(number).name
    except ValueError:
        return f"signal {number}"


def wraps(error: BaseException | None, kind: type[BaseException], depth: int = 0) -> bool:
    """True when the error is (or wraps) one of `kind`: pdfplumber re-raises errors inside its own."""
    if error is None or depth > 5:
        return False
    if isinstance(error, kind):
        return True
    wrapped = [a for a in getattr(error, "args", ()) if isinstance(a, BaseException)]
    return any(wraps(e, kind, depth + 1) for e in [error.__cause__, error.__context__, *wrapped])


def timed_out(error: BaseException | None) -> bool:
    """True when the error is (or wraps) our TimeLimit."""
    return wraps(error, TimeLimit)


def _read(path: Path, password: str | None) -> Document:
    """Open with pdfplumber and pull text per page and tables where judgements are."""
    import pdfplumber  # imported here: slow to import, and only needed for reading

    with pdfplumber.open(path, password=password or "") as pdf:
        pages: list[str] = []
        tables: dict[int, list] = {}
        follow = False
        for number, page in enumerate(pdf.pages, start=1):
            level_spaces(page.chars)
            text = page_text(page)
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


def page_text(page: object) -> str:
    """A page's text, lines found by baseline and footnotes left out (see `on_baselines`, `without_footnotes`)."""
    from pdfplumber.utils import chars_to_textmap

    chars = without_footnotes(on_baselines(page.chars))
    if not chars:
        return ""
    return chars_to_textmap(chars, layout_bbox=page.bbox, layout_width=page.width,
                            layout_height=page.height).as_string or ""


def _baseline(char: dict) -> float | None:
    """Where an upright letter sits (its text matrix's y), or None for rotated or skewed text."""
    matrix = char.get("matrix")
    if not char.get("upright", True) or not matrix or matrix[1] or matrix[2]:
        return None
    return round(matrix[5] * 2) / 2


def on_baselines(chars: list[dict]) -> list[dict]:
    """Letters that share a baseline given one top and bottom, so a line is read as one line.

    pdfplumber groups letters into lines and words by their tops. A full stop or comma set a size
    smaller than the words around it (as some reports print them) has a lower top on the same
    baseline: it was read as a line of its own after the line it belongs to ('service This is ...
    targeted' then '.'). Superscripts (footnote marks) sit on their own raised baseline and keep theirs.
    """
    spans: dict[float, tuple[float, float]] = {}
    for char in chars:
        base = _baseline(char)
        if base is not None:
            top, bottom = spans.get(base, (char["top"], char["bottom"]))
            spans[base] = (min(top, char["top"]), max(bottom, char["bottom"]))
    out = []
    for char in chars:
        base = _baseline(char)
        if base is None or (char["top"], char["bottom"]) == spans[base]:
            out.append(char)
            continue
        top, bottom = spans[base]
        out.append({**char, "top": top, "bottom": bottom, "doctop": char["doctop"] + top - char["top"],
                    "y0": char["y0"] - (bottom - char["bottom"]), "y1": char["y1"] + (char["top"] - top)})
    return out


def without_footnotes(chars: list[dict]) -> list[dict]:
    """A page's letters without its footnotes: they are not the report's running text.

    A footnote is printed below all the page's body text, smaller than the body, and begins with its
    number set smaller still ('¹ The areas for improvement have been cross-referenced ...'). Left in,
    its words landed in the middle of the paragraph that runs on to the next page. The running
    footer (smaller too, but with no such number) goes with it from that page; the page number stays.
    """
    inked = [c for c in chars if not c["text"].isspace()]
    if not inked:
        return chars
    sizes = Counter(round(c["size"], 1) for c in inked)
    body = sizes.most_common(1)[0][0]
    body_bottom = max(c["bottom"] for c in inked if round(c["size"], 1) == body)
    below = [c for c in inked if c["top"] >= body_bottom - 0.5 and c["size"] < body - 0.5]
    start = None
    for row in _rows(below):
        mark, rest = row[0], row[1:]
        if mark["text"].isdigit() and rest and mark["size"] < min(c["size"] for c in rest) - 0.5:
            start = min(c["top"] for c in row)
            break
    if start is None:
        return chars
    return [c for c in chars if c["top"] < start - 0.5 or c["size"] >= body - 0.5]


def _rows(chars: list[dict]) -> list[list[dict]]:
    """Letters grouped into rows (a letter joins a row its height overlaps), top to bottom, each left to right."""
    rows: list[list[dict]] = []
    bottom = 0.0
    for char in sorted(chars, key=lambda c: (c["top"], c["x0"])):
        if rows and char["top"] < bottom - 1:
            rows[-1].append(char)
            bottom = max(bottom, char["bottom"])
        else:
            rows.append([char])
            bottom = char["bottom"]
    return [sorted(row, key=lambda c: c["x0"]) for row in rows]


def level_spaces(chars: list[dict]) -> int:
    """Put a space printed smaller and lower than the two letters it stands between on their line; how many were moved.

    An 8-point space between 12-point words sits about 3 points lower than they do: pdfplumber puts it on a line of
    its own and runs the words together ('includeimproving', Kirklees 2016; 'capacityto', West Berkshire 2025).
    """
    moved = 0
    for before, blank, after in zip(chars, chars[1:], chars[2:]):
        if (blank["text"] == " " and before["text"].strip() and after["text"].strip()
                and abs(before["top"] - after["top"]) < 0.5 and abs(blank["top"] - before["top"]) >= 0.5
                and blank["bottom"] <= before["bottom"] + 1 and abs(blank["x0"] - before["x1"]) < 1
                and abs(after["x0"] - blank["x1"]) < 1):
            blank["top"], blank["bottom"] = before["top"], before["bottom"]
            moved += 1
    return moved


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
