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


@pytest.fixture(scope="session")
def report_text(request: pytest.FixtureRequest):
    """poppler's reading of the report PDFs (tests/pdfcache.py), or skip when pdftotext is missing.

    On first use it reads every PDF that any collected test is parametrised with and that is not
    in the cache yet, one pdftotext process per core, so a cold run reads them all at once."""
    import pdfcache

    reason = pdfcache.missing_reason()
    if reason:
        pytest.skip(reason)
    wanted = {value for item in request.session.items if hasattr(item, "callspec")
              for value in item.callspec.params.values()
              if isinstance(value, Path) and value.suffix == ".pdf" and value.is_file()}
    count, seconds = pdfcache.warm(wanted)
    if count:
        capture = request.config.pluginmanager.get_plugin("capturemanager")
        with capture.global_and_fixture_disabled():
            request.config.pluginmanager.get_plugin("terminalreporter").write_line(
                f"\npdftotext read {count} report PDFs in {seconds:.0f} s (cache: {pdfcache.cache_dir()})")
    return pdfcache


@pytest.fixture(scope="session")
def real_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The real content built once (as published: no drafts) for the tests that read its pages."""
    from generator.build import BuildConfig, build
    from generator.urls import parse_base_url

    out = tmp_path_factory.mktemp("real") / "site"
    build(BuildConfig(ROOT / "content", ROOT / "templates", out, parse_base_url("/"), jobs=1))
    return out
