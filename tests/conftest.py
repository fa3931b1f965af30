"""Fixtures shared by the tests."""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from support import FIXTURES, ROOT


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
