"""Each PDF is read in a child process with a memory and a time limit: a hostile file ends in one line."""
from __future__ import annotations

import faulthandler
import os
import signal
import subprocess
import sys
import time
import zlib
from pathlib import Path

import pytest

from generator.importer import pdftext
from generator.importer.errors import ImportProblem
from importer_support import CONTENT, ROOT

pytestmark = pytest.mark.skipif(not hasattr(os, "fork"), reason="the limits need fork (POSIX)")


def hostile_pdf(ops: bytes, repeat: int, layers: int = 2) -> bytes:
    """A one-page PDF whose content stream is `ops` repeated `repeat` times, deflated `layers` times over.

    Each layer shrinks the repetition about a thousand times: 400 MB of operators fit in a few KB.
    """
    stream = b"".join(_deflate_repeated(ops * 65536, repeat // 65536))
    for _ in range(layers - 1):
        stream = zlib.compress(stream, 9)
    filters = b"[" + b" ".join([b"/FlateDecode"] * layers) + b"]"
    objects = [b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
               b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R >>",
               b"<< /Length %d /Filter %s >>\nstream\n%s\nendstream" % (len(stream), filters, stream)]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1) + b"".join(b"%010d 00000 n \n" % o for o in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


def _deflate_repeated(chunk: bytes, times: int):
    """The deflated bytes of `chunk` repeated `times` times, without holding the whole in memory."""
    packer = zlib.compressobj(9)
    for _ in range(times):
        yield packer.compress(chunk)
    yield packer.flush()


@pytest.fixture
def bomb(tmp_path: Path) -> Path:
    """A 3 KB PDF whose content stream is 400 MB of 'q' (save the graphics state) operators."""
    path = tmp_path / "bomb.pdf"
    path.write_bytes(hostile_pdf(b"q\n", 200_000_000))
    assert path.stat().st_size < 10_000
    return path


def test_a_pdf_that_needs_too_much_memory_ends_in_one_line(bomb: Path) -> None:
    began = time.monotonic()
    with pytest.raises(ImportProblem, match=r"^gave up: reading the PDF needed more than 200 MB of memory .*--memory"):
        pdftext.read_pdf(bomb, timeout=120, memory_mb=200)
    assert time.monotonic() - began < 60


def test_the_command_line_says_so_in_one_line(bomb: Path, tmp_path: Path) -> None:
    result = subprocess.run([sys.executable, "-m", "generator", "import-pdf", str(bomb), "--memory", "200",
                             "--content", str(CONTENT), "--out", str(tmp_path / "out")],
                            cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert result.returncode == 1
    assert result.stderr.count("\n") == 1 and "needed more than 200 MB of memory" in result.stderr, result.stderr
    assert not (tmp_path / "out").exists()


def test_a_reader_that_never_answers_is_stopped_at_the_time_limit(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "slow.pdf"
    path.write_bytes(hostile_pdf(b"q\n", 65536, layers=1))

    def stuck(*_args: object) -> None:  # deaf to the alarm, as a reader stuck in C code would be
        signal.signal(signal.SIGALRM, signal.SIG_IGN)
        time.sleep(600)

    monkeypatch.setattr(pdftext, "_read", stuck)
    began = time.monotonic()
    with pytest.raises(ImportProblem, match=r"^gave up after 0.5 seconds"):
        pdftext.read_pdf(path, timeout=0.5)
    assert time.monotonic() - began < 10


def test_a_reader_that_crashes_is_named_by_its_signal(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "crash.pdf"
    path.write_bytes(hostile_pdf(b"q\n", 65536, layers=1))
    def crash(*_args: object) -> None:
        faulthandler.disable()  # pytest's report of the crash is not what is tested
        os.kill(os.getpid(), signal.SIGSEGV)

    monkeypatch.setattr(pdftext, "_read", crash)
    with pytest.raises(ImportProblem, match=r"^the PDF reader crashed on this file \(SIGSEGV\)"):
        pdftext.read_pdf(path)


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="named pipes are POSIX")
def test_a_pipe_named_like_a_pdf_is_not_waited_on(tmp_path: Path) -> None:
    os.mkfifo(tmp_path / "pipe.pdf")
    with pytest.raises(ImportProblem, match="is not a file"):
        pdftext.read_pdf(tmp_path / "pipe.pdf")
