"""Fuzzing the importer through its command line: random damage to real PDFs never gives a traceback or a hang.

A short run is part of the normal suite; `pytest -m slow tests/importer/test_fuzz_cli.py` runs for
FUZZ_SECONDS (default 180) over every sample report.
"""
from __future__ import annotations

import os
import random
import subprocess
import sys
import time
from pathlib import Path

import pytest

from importer_support import CONTENT

PER_FILE_LIMIT = 20  # seconds the importer may spend on one file (--timeout)


def damage(data: bytes, rng: random.Random) -> bytes:
    """One random kind of damage: cut, flipped bytes, a removed or repeated slice, junk."""
    kind = rng.randrange(5)
    if kind == 0:
        return data[: rng.randrange(len(data))]
    if kind == 1:
        out = bytearray(data)
        for _ in range(rng.randrange(1, 400)):
            out[rng.randrange(len(out))] = rng.randrange(256)
        return bytes(out)
    start, end = sorted(rng.randrange(len(data)) for _ in range(2))
    if kind == 2:
        return data[:start] + data[end:]
    if kind == 3:
        return data[:end] + data[start:end] + data[end:]
    return data[:start] + rng.randbytes(rng.randrange(1, 4096)) + data[start:]


def import_damaged(source: Path, rng: random.Random, tmp_path: Path) -> None:
    """Damage a PDF, import it with the CLI, and check the outcome is clean and timely."""
    path = tmp_path / "damaged.pdf"
    path.write_bytes(damage(source.read_bytes(), rng))
    began = time.monotonic()
    result = subprocess.run([sys.executable, "-m", "generator", "import-pdf", str(path), "--json", "--content", str(CONTENT),
                             "--timeout", str(PER_FILE_LIMIT)], capture_output=True, text=True, timeout=PER_FILE_LIMIT + 40)
    assert time.monotonic() - began < PER_FILE_LIMIT + 30, "the per-file time limit did not hold"
    assert "Traceback" not in result.stderr + result.stdout, result.stderr
    if result.returncode != 0:
        lines = [line for line in result.stderr.splitlines() if line.strip()]
        assert result.returncode == 1 and len(lines) == 1, result.stderr
        assert ";" in lines[0] or ":" in lines[0], "the line says what is wrong and what to do"


def sample_pdfs(shared: Path) -> list[Path]:
    """Every real report and fixture that is a PDF."""
    good = [*sorted((shared / "reports").rglob("*.pdf")), *sorted((shared / "fixtures").glob("*/*.pdf"))]
    return [p for p in good if p.parent.name != "bad-inputs" and p.read_bytes()[:5] == b"%PDF-"]


@pytest.mark.parametrize("seed", range(3))
def test_short_fuzz_run(seed: int, shared: Path, tmp_path: Path) -> None:
    pdfs = sample_pdfs(shared)
    rng = random.Random(seed)
    import_damaged(rng.choice(pdfs[-3:]), rng, tmp_path)  # the small fixtures keep the normal suite quick


@pytest.mark.slow
def test_long_fuzz_run(shared: Path, tmp_path: Path) -> None:
    pdfs = sample_pdfs(shared)
    rng = random.Random(int(os.environ.get("FUZZ_SEED", "1")))
    deadline = time.monotonic() + float(os.environ.get("FUZZ_SECONDS", "180"))
    runs = 0
    while time.monotonic() < deadline:
        import_damaged(rng.choice(pdfs), rng, tmp_path)
        runs += 1
    print(f"{runs} damaged PDFs imported cleanly")
