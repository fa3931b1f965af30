"""Limits: inputs that could hang the build, exhaust memory or kill it quietly get a named error instead."""
from __future__ import annotations

import os
import socket
from pathlib import Path

import pytest

from support import ROOT, run_cli, tree_digest


def build_in(tmp: Path, *extra: str):
    """Build tmp/content into tmp/site from tmp (so messages say content/...), with a short time limit."""
    return run_cli("build", "--content", "content", "--templates", str(ROOT / "templates"), "--out", "site", "--no-search",
                   *extra, cwd=tmp, timeout=60)


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="named pipes are POSIX")
def test_a_pipe_or_socket_named_like_content_is_refused_and_never_waited_on(fixture_site: Path) -> None:
    tmp = fixture_site.parent
    assert build_in(tmp).returncode == 0
    before = tree_digest(tmp / "site")
    os.mkfifo(fixture_site / "councils" / "northdale" / "2024-01-ilacs-standard.md")
    (fixture_site / "site.yaml").rename(tmp / "site.yaml")
    os.mkfifo(fixture_site / "site.yaml")  # read for the base URL and the cache key before the build proper
    listener = socket.socket(socket.AF_UNIX)
    try:
        listener.bind(str(fixture_site / "glossary.yaml"))
    except OSError:  # the path is too long for a socket here: the pipes still test the mechanism
        listener.close()
        listener = None
    try:
        result = build_in(tmp)
    finally:
        if listener:
            listener.close()
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert ("content/councils/northdale/2024-01-ilacs-standard.md: this is a named pipe (FIFO), not a file: it cannot be read."
            in result.stderr)
    assert "content/site.yaml: this is a named pipe (FIFO), not a file: it cannot be read." in result.stderr
    if listener:
        assert "content/glossary.yaml: this is a socket, not a file: it cannot be read." in result.stderr
    assert "How to fix: remove it, or put the file you meant in its place" in result.stderr
    assert tree_digest(tmp / "site") == before


def test_a_huge_value_is_quoted_in_a_message_only_in_part(fixture_site: Path) -> None:
    page = fixture_site / "councils" / "northdale" / "2020-09-focused-visit.md"
    page.write_text(page.read_text().replace("kind: focused-visit", "kind: " + "x" * 1_000_000, 1))
    result = build_in(fixture_site.parent)
    assert result.returncode == 1
    assert "characters left out" in result.stderr
    assert len(result.stderr) < 5000


def test_the_importer_reads_frameworks_yaml_with_the_same_limits(tmp_path: Path) -> None:
    from generator.importer.errors import ImportProblem
    from generator.importer.vocab import load_vocab

    (tmp_path / "frameworks.yaml").write_text("a: &x [1, 2]\nb: [*x, *x]\nframeworks: {}\n")
    with pytest.raises(ImportProblem, match=r"frameworks.yaml:2: YAML aliases .* are not allowed"):
        load_vocab(tmp_path)


def test_the_preview_names_too_deep_yaml_instead_of_dying_of_recursion(tmp_path: Path) -> None:
    from generator.build import BuildConfig
    from generator.serve import Preview
    from generator.urls import parse_base_url
    from support import FIXTURES
    import shutil

    shutil.copytree(FIXTURES / "site", tmp_path / "content")
    preview = Preview(BuildConfig(tmp_path / "content", ROOT / "templates", tmp_path / "preview", parse_base_url("/"), drafts=True))
    assert preview.start().ok
    council = tmp_path / "content" / "councils" / "southvale" / "council.yaml"
    council.write_text(council.read_text() + "deep: " + "[" * 300 + "]" * 300 + "\n")
    outcome = preview.update()
    assert outcome is not None and not outcome.ok
    assert [p.message for p in outcome.problems] == ["the YAML is nested too deeply (more than 50 levels)."]


def test_the_preview_watcher_outlives_an_unexpected_error(capsys) -> None:
    from generator.serve import keep_running

    calls = []

    def loop() -> None:
        calls.append(1)
        if len(calls) < 3:
            raise RecursionError("maximum recursion depth exceeded")

    keep_running(loop, pause=0)
    assert len(calls) == 3, "the watcher's loop was started again after each error"
    assert capsys.readouterr().out.count("The preview could not rebuild (RecursionError") == 2


HOSTILE_UNITS = ["[", "\n", " \n", "[a](", "![", "[[", "[para 1,", "# \n", "1.\n\n", "](", "*"]


def _best_time(function, text: str, runs: int = 5) -> float:
    """The least CPU time of a few runs of function(text) (CPU time: other processes on the machine do not count)."""
    import time

    best = float("inf")
    for _ in range(runs):
        started = time.thread_time()
        function(text)
        best = min(best, time.thread_time() - started)
    return best


@pytest.mark.parametrize("unit", HOSTILE_UNITS)
def test_plain_text_takes_time_in_proportion_to_the_text(unit: str) -> None:
    from generator.markup import plain_text

    small, large = ("a " + unit * (size // len(unit)) for size in (8_000, 64_000))
    plain_text(large)  # warm up
    ratio = _best_time(plain_text, large) / max(_best_time(plain_text, small), 1e-4)
    # Eight times the text: about eight times the time when linear, sixty-four when quadratic.
    assert ratio < 24, f"{unit!r}: 8x the text took {ratio:.0f}x the time"


def test_plain_text_is_unchanged_by_the_linear_rewrite() -> None:
    import random
    import re

    from generator.markup import drop_line_marks, drop_links

    chars = "[]()!#-*+1.) \n\t\u00a0\u0663ab"
    rng = random.Random(17)
    for _ in range(20_000):
        text = "".join(rng.choice(chars) for _ in range(rng.randrange(14)))
        assert drop_links(text) == re.sub(r"!?\[([^\]]*)\]\([^)]*\)", r"\1", text), text
        assert drop_line_marks(text) == re.sub(r"^\s*(?:#+|[-*+]|\d+[.)])\s+", "", text, flags=re.M), text


def test_a_markdown_text_longer_than_a_page_is_refused(fixture_site: Path) -> None:
    page = fixture_site / "councils" / "southvale" / "2019-02-ilacs-short.md"
    page.write_text(page.read_text().replace("Services are very good.", "Services are very good. " + "[" * 100_000 + "]"))
    prose = fixture_site / "pages" / "long.md"
    prose.write_text("# Long\n\n" + "word " * 25_000)
    result = build_in(fixture_site.parent)
    assert result.returncode == 1
    assert "content/councils/southvale/2019-02-ilacs-short.md:" in result.stderr
    assert result.stderr.count("the text is too long (") == 2
    assert "at most 100,000, as a page must stay under 100 KB" in result.stderr


def test_a_citation_never_expands_beyond_a_few_paragraphs() -> None:
    from generator.markup import MAX_CITED, cite_label, cite_numbers, cite_problem

    assert cite_numbers("12-14, 3") == (12, 13, 14, 3) and cite_problem("12-14, 3") == ""
    for spec in ("1-99999999", ", ".join(["1-19"] * 1000), "14-12", "9" * 5000):
        assert len(cite_numbers(spec)) <= MAX_CITED + 1
        assert cite_problem(spec)
    assert cite_label((1, 99999999)) == "paragraphs 1 and 99999999"  # no list of every number between


def _garble(path: Path, seed: int) -> None:
    """Change a few bytes past a cache file's header, as a failing disk or an interrupted copy might."""
    import random

    data = bytearray(path.read_bytes())
    rng = random.Random(seed)
    for _ in range(3):
        data[rng.randrange(120, len(data))] = rng.randrange(256)
    path.write_bytes(bytes(data))


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_a_garbled_cache_is_rebuilt_and_the_site_is_the_same(fixture_site: Path, seed: int) -> None:
    tmp = fixture_site.parent
    assert build_in(tmp, "--no-cache", "--out", "cold").returncode == 0
    assert build_in(tmp).returncode == 0
    cache = tmp / ".cache"
    garbled = [p for p in sorted(cache.rglob("*")) if p.is_file() and p.stat().st_size > 200]
    assert any(p.parent.name == "templates" for p in garbled), "compiled templates are cached"
    for path in garbled:
        _garble(path, seed)
    for _ in range(2):  # the first build rebuilds the cache, the second uses it
        result = build_in(tmp)
        assert result.returncode == 0, result.stderr
        assert tree_digest(tmp / "site") == tree_digest(tmp / "cold")
    assert all(p.read_bytes() != b"" for p in garbled if p.exists())


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="named pipes are POSIX")
def test_a_pipe_in_place_of_a_cache_file_is_not_waited_on(fixture_site: Path) -> None:
    tmp = fixture_site.parent
    (tmp / ".cache" / "templates").mkdir(parents=True)
    os.mkfifo(tmp / ".cache" / "parsed.pickle")
    result = build_in(tmp)
    assert result.returncode == 0, result.stderr
