"""Shared helpers for the importer tests: where the sample PDFs are, and a cache of imports."""
from __future__ import annotations

import functools
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).parents[2]
SHARED = ROOT.parent / "shared"
CONTENT = ROOT / "content"
EXPECTED = Path(__file__).with_name("expected_reports.yaml")


def expected() -> dict:
    """The hand-written expected facts."""
    return yaml.safe_load(EXPECTED.read_text(encoding="utf-8"))


@pytest.fixture
def shared() -> Path:
    """The shared folder of sample reports, or skip."""
    if not SHARED.is_dir():
        pytest.skip(f"sample reports not found at {SHARED} (the ../shared folder is not here)")
    return SHARED


@functools.lru_cache(maxsize=None)
def imported(relative: str):
    """Import one sample PDF once per test session."""
    from generator.importer import import_pdf

    return import_pdf(SHARED / relative, CONTENT)
