"""Checking ahead on every core: the same site, the same problems, and no work done twice."""
from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from support import FIXTURES, ROOT, tree_digest
from generator import ahead
from generator.build import BuildConfig, BuildError, build
from generator.cache import Caches
from generator.load import Loader, load_site
from generator.urls import parse_base_url


@pytest.fixture(autouse=True)
def check_ahead_even_for_a_small_site(monkeypatch: pytest.MonkeyPatch) -> None:
    """The fixture site has 5 inspection files: below the threshold where checking ahead starts."""
    monkeypatch.setattr(ahead, "MIN_FILES", 1)


def config(content: Path, out: Path, jobs: int) -> BuildConfig:
    """A cold build (no cache folder) of `content` with `jobs` processes."""
    return BuildConfig(content, ROOT / "templates", out, parse_base_url("/"), jobs=jobs)


def test_files_are_listed_in_the_order_load_reads_them() -> None:
    files = ahead.inspection_files(FIXTURES / "site")
    assert [(p.name, c) for p, c in files] == [
        ("2022-10-ilacs-standard.md", "eastmere"), ("2026-05-ilacs-standard.md", "eastmere"),
        ("2012-03-slac.md", "northdale"), ("2019-05-ilacs-standard.md", "northdale"),
        ("2020-09-focused-visit.md", "northdale"), ("2023-06-ilacs-standard.md", "northdale"),
        ("2019-02-ilacs-short.md", "southvale")]


def test_two_cores_build_the_same_bytes_as_one(tmp_path: Path) -> None:
    build(config(FIXTURES / "site", tmp_path / "one", jobs=1))
    build(config(FIXTURES / "site", tmp_path / "two", jobs=2))
    assert tree_digest(tmp_path / "two") == tree_digest(tmp_path / "one") == tree_digest(FIXTURES / "golden")


def test_what_the_other_process_checked_is_not_checked_again(monkeypatch: pytest.MonkeyPatch) -> None:
    caches = Caches.in_folder(None)
    ahead.check_ahead(FIXTURES / "site", caches, jobs=2)
    assert len(caches.markdown.entries) >= 5 * 4, "the sections of every file were rendered ahead"
    checked: list[Path] = []
    original = Loader._inspection
    monkeypatch.setattr(Loader, "_inspection", lambda self, text, path, *a: checked.append(path) or original(self, text, path, *a))
    rendered_before = caches.markdown.misses
    site, problems = load_site(FIXTURES / "site", caches.parse)
    assert site is not None and not problems
    assert checked == [], "every inspection file, both processes' shares, came from the work done ahead"
    assert caches.markdown.misses == rendered_before


def test_problems_in_either_share_are_reported_as_without_it(tmp_path: Path) -> None:
    content = tmp_path / "content"
    shutil.copytree(FIXTURES / "site", content)
    folder = content / "councils" / "northdale"
    for name in ("2012-03-slac.md", "2019-05-ilacs-standard.md"):  # one in each process's share
        path = folder / name
        path.write_text(path.read_text().replace("start: ", "start: 2019-02-30\nx_start: ", 1))
    messages = []
    for jobs in (1, 2):
        with pytest.raises(BuildError) as err:
            build(config(content, tmp_path / f"out{jobs}", jobs=jobs))
        messages.append("\n".join(p.format() for p in err.value.problems.sorted()))
    assert "2012-03-slac.md" in messages[0] and "2019-05-ilacs-standard.md" in messages[0]
    assert messages[1] == messages[0]


def test_a_checking_process_that_dies_costs_only_time(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    parent = os.getpid()
    original = ahead.check_share

    def dies_in_the_child(*args: object) -> None:
        if os.getpid() != parent:
            os._exit(9)
        original(*args)

    monkeypatch.setattr(ahead, "check_share", dies_in_the_child)
    build(config(FIXTURES / "site", tmp_path / "site", jobs=2))
    assert tree_digest(tmp_path / "site") == tree_digest(FIXTURES / "golden")


def test_files_checked_ahead_are_not_read_again(monkeypatch: pytest.MonkeyPatch) -> None:
    from generator import load as load_module
    caches = Caches.in_folder(None)
    stats = ahead.check_ahead(FIXTURES / "site", caches, jobs=2)
    assert stats is not None and len(stats) == 7
    read: list[str] = []
    original = load_module.read_text
    monkeypatch.setattr(load_module, "read_text", lambda path, problems: read.append(path.name) or original(path, problems))
    site, problems = load_site(FIXTURES / "site", caches.parse, stats)
    assert site is not None and not problems
    inspections = {path.name for path, _ in ahead.inspection_files(FIXTURES / "site")}
    assert read and not inspections & set(read), read


def test_a_file_changed_after_it_was_checked_ahead_is_read_again(tmp_path: Path) -> None:
    content = tmp_path / "content"
    shutil.copytree(FIXTURES / "site", content)
    caches = Caches.in_folder(None)
    stats = ahead.check_ahead(content, caches, jobs=2)
    path = content / "councils" / "southvale" / "2019-02-ilacs-short.md"
    path.write_text(path.read_text().replace("start: ", "start: 2019-02-30\nx_start: ", 1))
    assert stats is not None
    stats[str(path)] = (path.stat().st_mtime_ns, path.stat().st_size)  # as a fresh look would see it
    site, problems = load_site(content, caches.parse, stats)
    assert site is None and "2019-02-ilacs-short.md" in problems.sorted()[0].format()
