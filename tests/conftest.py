"""Shared test helpers: the project's folders, a copy of the fixture site, running the CLI."""
from __future__ import annotations

import hashlib
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = ROOT / "tests" / "fixtures"
SHARED = ROOT.parent / "shared"


def tree_digest(folder: Path) -> dict[str, str]:
    """Every file under a folder with the SHA-256 of its bytes."""
    return {p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def run_cli(*args: str, cwd: Path | None = None, timeout: int = 120) -> subprocess.CompletedProcess:
    """Run `python -m generator ARGS` as a curator would, capturing its output."""
    return subprocess.run([sys.executable, "-m", "generator", *args], cwd=cwd or ROOT, capture_output=True,
                          text=True, timeout=timeout)


@pytest.fixture
def fixture_site(tmp_path: Path) -> Path:
    """A fresh copy of the small fixture site's content, in tmp_path/content."""
    target = tmp_path / "content"
    shutil.copytree(FIXTURES / "site", target)
    return target


@pytest.fixture
def templates() -> Path:
    """The project's templates."""
    return ROOT / "templates"
