"""Mutated and truncated copies of a real PDF: never a traceback, always one clear line, bounded time."""
from __future__ import annotations

import random
import time
from pathlib import Path

import pytest

from generator.importer import import_pdf
from generator.importer.errors import ImportProblem
from importer_support import CONTENT

SOURCE = "fixtures/york-2023-focused-visit/york-2023-focused-visit.pdf"


def mutations(data: bytes) -> list[tuple[str, bytes]]:
    """A few damaged versions of a PDF: cut short, bytes flipped, middle removed, junk prepended."""
    rng = random.Random(4)
    flipped = bytearray(data)
    for _ in range(200):
        i = rng.randrange(len(flipped))
        flipped[i] = rng.randrange(256)
    return [
        ("cut-at-10%", data[: len(data) // 10]),
        ("cut-at-90%", data[: len(data) * 9 // 10]),
        ("flipped-bytes", bytes(flipped)),
        ("middle-removed", data[:2000] + data[-2000:]),
        ("junk-prepended", b"\x00" * 4096 + data),
        ("header-only", b"%PDF-1.7\n%%EOF\n"),
    ]


@pytest.mark.parametrize("index", range(6))
def test_mutated_pdf(index: int, shared: Path, tmp_path: Path) -> None:
    """Either it imports, or it fails with one line of ImportProblem, within the time limit."""
    name, data = mutations((shared / SOURCE).read_bytes())[index]
    path = tmp_path / f"{name}.pdf"
    path.write_bytes(data)
    began = time.monotonic()
    try:
        import_pdf(path, CONTENT, timeout=20)
    except ImportProblem as problem:
        assert "\n" not in str(problem) and ";" in str(problem)
    assert time.monotonic() - began < 30


def test_time_limit(shared: Path) -> None:
    """A file that takes longer than --timeout is given up with one clear line."""
    path = shared / "reports/peterborough/2015-09-18-childrens-services-inspection.pdf"
    began = time.monotonic()
    with pytest.raises(ImportProblem, match="gave up after"):
        import_pdf(path, CONTENT, timeout=0.2)
    assert time.monotonic() - began < 5
