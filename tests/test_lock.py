"""One build at a time into one folder: a second build waits for the first (issue 17)."""
from __future__ import annotations

import fcntl
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

from support import FIXTURES, ROOT, tree_digest
from test_build import many_councils
from generator.build import BuildConfig, BuildError, build, lock_path
from generator.urls import parse_base_url


def build_args(content: Path, out: Path, *extra: str) -> list[str]:
    """The command line of a build of `content` into `out`."""
    return [sys.executable, "-m", "generator", "build", "--content", str(content), "--templates", str(ROOT / "templates"),
            "--out", str(out), *extra]


def test_two_builds_at_once_into_one_folder_give_one_whole_site(tmp_path: Path) -> None:
    content = tmp_path / "content"
    shutil.copytree(FIXTURES / "site", content)
    many_councils(content, 30)
    out = tmp_path / "site"
    procs = [subprocess.Popen(build_args(content, out), cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
             for _ in range(2)]
    results = [proc.communicate(timeout=300) for proc in procs]
    assert [proc.returncode for proc in procs] == [0, 0], results
    assert sum("Another build is writing into site/" in err for _, err in results) == 1, results
    assert not [p.name for p in tmp_path.iterdir() if p.name.startswith((".site.new-", ".site.old-"))]
    build(BuildConfig(content, ROOT / "templates", tmp_path / "cold", parse_base_url("/")))
    built = {k: v for k, v in tree_digest(out).items() if not k.startswith("pagefind/")}
    assert built == tree_digest(tmp_path / "cold")
    assert (out / "pagefind" / "pagefind.js").is_file()


def test_a_second_build_says_it_waits_and_goes_on_when_the_first_is_done(tmp_path: Path) -> None:
    out = tmp_path / "site"
    assert subprocess.run(build_args(FIXTURES / "site", out, "--no-search"), cwd=ROOT, capture_output=True).returncode == 0
    before = tree_digest(out)
    fd = os.open(lock_path(out), os.O_RDWR)
    fcntl.flock(fd, fcntl.LOCK_EX)  # this test process is "the other build"
    try:
        proc = subprocess.Popen(build_args(FIXTURES / "site", out, "--no-search", "--base-url", "/other/"), cwd=ROOT,
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        line = proc.stderr.readline()
        assert line.startswith("Another build is writing into site/"), line
        time.sleep(0.5)
        assert proc.poll() is None, "it waits"
        assert tree_digest(out) == before, "nothing is written while the other build runs"
    finally:
        os.close(fd)
    proc.communicate(timeout=120)
    assert proc.returncode == 0
    assert "/other/" in (out / "index.html").read_text()


def test_a_build_gives_up_waiting_with_a_clear_message(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    out = tmp_path / "site"
    config = BuildConfig(FIXTURES / "site", ROOT / "templates", out, parse_base_url("/"))
    build(config)
    before = tree_digest(out)
    monkeypatch.setattr("generator.build.LOCK_WAIT", 0.3)
    fd = os.open(lock_path(out), os.O_RDWR)
    fcntl.flock(fd, fcntl.LOCK_EX)
    try:
        with pytest.raises(BuildError) as caught:
            build(BuildConfig(FIXTURES / "site", ROOT / "templates", out, parse_base_url("/x/")))
    finally:
        os.close(fd)
    (problem,) = caught.value.problems.items
    assert "another build, or a preview, has been using this folder for over 0 seconds" in problem.message
    assert tree_digest(out) == before


def test_a_build_never_swaps_a_site_in_under_a_running_preview(tmp_path: Path) -> None:
    """A preview with --out site writes drafts there as they are saved: a build into site/ waits until it stops."""
    import signal
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    out = tmp_path / "site"
    preview = subprocess.Popen([sys.executable, "-m", "generator", "serve", "--content", str(FIXTURES / "site"),
                                "--templates", str(ROOT / "templates"), "--out", str(out), "--port", str(port)],
                               cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        assert "Preview at" in "".join(iter_until(preview.stdout, "Preview at"))
        proc = subprocess.Popen(build_args(FIXTURES / "site", out, "--no-search"), cwd=ROOT,
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        assert proc.stderr.readline().startswith("Another build is writing into site/, or a preview is using it")
        time.sleep(0.5)
        assert proc.poll() is None, "the build waits for the preview"
    finally:
        preview.send_signal(signal.SIGINT)
        preview.wait(timeout=30)
    proc.communicate(timeout=120)
    assert proc.returncode == 0


def iter_until(stream, needle: str, limit: int = 50):
    """Lines of a stream up to the first holding `needle`."""
    for _ in range(limit):
        line = stream.readline()
        yield line
        if needle in line or not line:
            return
