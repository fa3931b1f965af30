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
