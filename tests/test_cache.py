"""Caches: a warm build parses nothing twice and gives the same bytes as a cold one."""
from __future__ import annotations

import shutil
from pathlib import Path

from support import FIXTURES, ROOT, tree_digest
from generator.build import BuildConfig, build
from generator.cache import Caches
from generator.urls import parse_base_url


def config(content: Path, out: Path, cache: Path | None, jobs: int = 0) -> BuildConfig:
    """A build of `content` into `out` with an optional cache folder."""
    return BuildConfig(content, ROOT / "templates", out, parse_base_url("/"), cache_dir=cache, jobs=jobs)


def test_warm_cold_serial_and_parallel_builds_are_byte_identical(tmp_path: Path) -> None:
    content = FIXTURES / "site"
    build(config(content, tmp_path / "cold", None, jobs=1))
    build(config(content, tmp_path / "warm", tmp_path / "cache"))
    caches = Caches.in_folder(tmp_path / "cache")
    assert caches.parse.entries and caches.markdown.entries
    build(config(content, tmp_path / "warm", tmp_path / "cache"), caches)
    assert caches.parse.misses == 0 and caches.markdown.misses == 0, "a warm build parses nothing again"
    digest = tree_digest(tmp_path / "cold")
    assert tree_digest(tmp_path / "warm") == digest


def test_parallel_rendering_keeps_the_markdown_cache_whole(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setattr("generator.build.PARALLEL_MIN_PAGES", 1)
    build(config(FIXTURES / "site", tmp_path / "a", tmp_path / "cache", jobs=2))
    caches = Caches.in_folder(tmp_path / "cache")
    build(config(FIXTURES / "site", tmp_path / "b", tmp_path / "cache", jobs=1), caches)
    assert caches.markdown.misses == 0, "texts rendered in the forked process were kept"
    assert tree_digest(tmp_path / "a") == tree_digest(tmp_path / "b")


def test_an_edit_is_parsed_again_and_stale_entries_are_dropped(tmp_path: Path) -> None:
    content = tmp_path / "content"
    shutil.copytree(FIXTURES / "site", content)
    build(config(content, tmp_path / "site", tmp_path / "cache"))
    page = content / "councils" / "southvale" / "2019-02-ilacs-short.md"
    page.write_text(page.read_text().replace("Services are very good.", "Services are very good now."))
    caches = Caches.in_folder(tmp_path / "cache")
    before = len(caches.markdown.entries)
    build(config(content, tmp_path / "site", tmp_path / "cache"), caches)
    assert caches.markdown.misses == 1, "only the edited section is rendered again"
    assert "very good now" in (tmp_path / "site" / "southvale" / "2019-02-ilacs-short" / "index.html").read_text()
    assert len(Caches.in_folder(tmp_path / "cache").markdown.entries) == before, "the old text's entry was dropped"


def test_a_damaged_cache_is_ignored(tmp_path: Path) -> None:
    (tmp_path / "cache").mkdir()
    (tmp_path / "cache" / "parsed.pickle").write_bytes(b"not a pickle")
    (tmp_path / "cache" / "markdown.marshal").write_bytes(b"\x00garbage")
    build(config(FIXTURES / "site", tmp_path / "site", tmp_path / "cache"))
    build(config(FIXTURES / "site", tmp_path / "plain", None))
    assert tree_digest(tmp_path / "site") == tree_digest(tmp_path / "plain")


def test_a_build_with_a_cache_writes_only_what_changed_and_equals_a_cold_build(tmp_path: Path) -> None:
    """Builds reuse the spare copy of the site; after edits, removals and additions the site is a cold build's."""
    content = tmp_path / "content"
    shutil.copytree(FIXTURES / "site", content)
    out, cache = tmp_path / "site", tmp_path / "cache"

    def same_as_cold() -> None:
        shutil.rmtree(tmp_path / "cold", ignore_errors=True)
        build(config(content, tmp_path / "cold", None, jobs=1))
        assert tree_digest(out) == tree_digest(tmp_path / "cold")

    build(config(content, out, cache))
    build(config(content, out, cache))  # now the old site is the spare, with known contents
    spare = tmp_path / ".site.spare"
    assert spare.is_dir()
    same_as_cold()
    page = content / "councils" / "southvale" / "2019-02-ilacs-short.md"
    page.write_text(page.read_text().replace("Services are very good.", "Services are very good, still."))
    build(config(content, out, cache))
    same_as_cold()
    (content / "councils" / "northdale" / "2020-09-focused-visit.md").unlink()
    build(config(content, out, cache))
    same_as_cold()
    assert not (out / "northdale" / "2020-09-focused-visit").exists()
    shutil.copyfile(FIXTURES / "site" / "councils" / "northdale" / "2020-09-focused-visit.md",
                    content / "councils" / "northdale" / "2020-09-focused-visit.md")
    build(config(content, out, cache))
    build(config(content, out, cache))
    same_as_cold()
    spare_file = (tmp_path / ".site.spare" / "404.html").stat()
    build(config(content, out, cache))
    now = (out / "404.html").stat()
    assert (now.st_ino, now.st_mtime_ns) == (spare_file.st_ino, spare_file.st_mtime_ns), "an unchanged file was not written again"


def test_a_spare_whose_contents_are_unknown_is_not_trusted(tmp_path: Path) -> None:
    content = FIXTURES / "site"
    out, cache = tmp_path / "site", tmp_path / "cache"
    build(config(content, out, cache))
    build(config(content, out, cache))
    (tmp_path / ".site.spare" / "about" / "index.html").write_text("tampered")
    (cache / "trees.pickle").unlink()
    build(config(content, out, cache))
    build(config(content, out, cache))
    shutil.rmtree(tmp_path / "cold", ignore_errors=True)
    build(config(content, tmp_path / "cold", None))
    assert tree_digest(out) == tree_digest(tmp_path / "cold")


def test_a_killed_build_into_the_spare_copy_leaves_the_site_whole_and_is_not_trusted_after(tmp_path: Path) -> None:
    """SIGKILL while a cached build updates the spare copy: the site is whole, and the next build equals a cold one."""
    import signal
    import subprocess
    import sys
    import time

    from test_build import many_councils

    content = tmp_path / "content"
    shutil.copytree(FIXTURES / "site", content)
    many_councils(content, 40)
    out, cache = tmp_path / "site", tmp_path / "cache"
    args = [sys.executable, "-m", "generator", "build", "--content", str(content), "--templates", str(ROOT / "templates"),
            "--out", str(out), "--no-search", "--cache-dir", str(cache)]
    for _ in range(2):
        assert subprocess.run(args, cwd=ROOT, capture_output=True).returncode == 0
    for n, delay in enumerate((0.3, 0.5, 0.7, 0.9)):
        for page in (content / "councils").glob("*/2019-05-ilacs-standard.md"):
            page.write_text(page.read_text().replace("## In short\n", f"## In short\nEdit {n}.\n", 1))
        before = tree_digest(out)
        proc = subprocess.Popen(args, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        time.sleep(delay)
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        now = tree_digest(out)
        assert now == before or f"Edit {n}." in (out / "northdale" / "2019-05-ilacs-standard" / "index.html").read_text()
    assert subprocess.run(args, cwd=ROOT, capture_output=True).returncode == 0
    build(config(content, tmp_path / "cold", None))
    assert tree_digest(out) == tree_digest(tmp_path / "cold")


def cold_digest(content: Path, tmp_path: Path) -> dict[str, str]:
    """The files of a build from nothing."""
    shutil.rmtree(tmp_path / "cold", ignore_errors=True)
    build(config(content, tmp_path / "cold", None, jobs=1))
    return tree_digest(tmp_path / "cold")


def test_a_preview_into_the_same_folder_never_makes_a_build_publish_a_draft(tmp_path: Path) -> None:
    """Issue 17: draft; build twice; preview with --out site; build twice: the draft must stay unpublished."""
    from generator.serve import Preview

    content = tmp_path / "content"
    shutil.copytree(FIXTURES / "site", content)
    page = content / "councils" / "southvale" / "2019-02-ilacs-short.md"
    page.write_text(page.read_text().replace("\nreport: ", "\ndraft: true\nreport: ", 1))
    out, cache = tmp_path / "site", tmp_path / ".cache"
    build(config(content, out, cache))
    build(config(content, out, cache))
    preview = Preview(BuildConfig(content, ROOT / "templates", out, parse_base_url("/"), drafts=True, cache_dir=cache))
    assert preview.start().ok
    assert (out / "southvale" / "2019-02-ilacs-short" / "index.html").exists(), "the preview shows the draft"
    cold = cold_digest(content, tmp_path)
    for _ in range(3):
        build(config(content, out, cache))
        assert not (out / "southvale" / "2019-02-ilacs-short").exists()
        assert tree_digest(out) == cold


def test_files_changed_by_hand_in_the_site_never_come_back(tmp_path: Path) -> None:
    """Edited, added, deleted files and links in site/ or the spare: every later build equals a cold one."""
    content = FIXTURES / "site"
    out, cache = tmp_path / "site", tmp_path / "cache"
    build(config(content, out, cache))
    build(config(content, out, cache))
    cold = cold_digest(content, tmp_path)
    spare = tmp_path / ".site.spare"
    for folder in (out, spare):
        (folder / "index.html").write_text("edited by hand")
        (folder / "404.html").unlink()
        (folder / "extra.html").write_text("added by hand")
        (folder / "northdale" / "secret").symlink_to("/etc/passwd")
        (folder / "about" / "index.html").unlink()
        (folder / "about" / "index.html").symlink_to(tmp_path / "elsewhere.html")
    (tmp_path / "elsewhere.html").write_text("outside")
    for _ in range(3):
        build(config(content, out, cache))
        assert tree_digest(out) == cold
        assert not (out / "northdale" / "secret").is_symlink() and not (out / "about" / "index.html").is_symlink()
    assert (tmp_path / "elsewhere.html").read_text() == "outside", "nothing is written through a link"


def test_a_file_edited_by_hand_keeping_its_size_and_time_is_still_caught(tmp_path: Path) -> None:
    """Same size, modification time put back: the change time still tells, so the file is checked by its bytes."""
    import os

    content = FIXTURES / "site"
    out, cache = tmp_path / "site", tmp_path / "cache"
    build(config(content, out, cache))
    build(config(content, out, cache))
    cold = cold_digest(content, tmp_path)
    target = out / "index.html"
    info = target.stat()
    data = bytearray(target.read_bytes())
    data[-10] = ord("X") if data[-10] != ord("X") else ord("Y")
    target.write_bytes(bytes(data))
    os.utime(target, ns=(info.st_atime_ns, info.st_mtime_ns))
    build(config(content, out, cache))
    build(config(content, out, cache))
    assert tree_digest(out) == cold


def test_the_steps_of_issue_17_with_the_real_commands(tmp_path: Path) -> None:
    """Draft; build twice; serve --out site and stop it; build twice: no draft, no preview file, the cold site."""
    import signal
    import socket
    import subprocess
    import sys

    content = tmp_path / "content"
    shutil.copytree(FIXTURES / "site", content)
    page = content / "councils" / "southvale" / "2019-02-ilacs-short.md"
    page.write_text(page.read_text().replace("\nreport: ", "\ndraft: true\nreport: ", 1))
    common = ["--content", "content", "--templates", str(ROOT / "templates"), "--out", "site"]

    def build_cli() -> None:
        result = subprocess.run([sys.executable, "-m", "generator", "build", *common, "--no-search"], cwd=tmp_path,
                                capture_output=True, text=True, timeout=300)
        assert result.returncode == 0 and "1 draft not published" in result.stdout, result.stderr

    build_cli()
    build_cli()
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    serve = subprocess.Popen([sys.executable, "-m", "generator", "serve", *common, "--port", str(port)], cwd=tmp_path,
                             stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    for _ in range(50):
        if "Preview at" in serve.stdout.readline():
            break
    serve.send_signal(signal.SIGINT)
    serve.wait(timeout=60)
    build_cli()
    build_cli()
    assert not (tmp_path / "site" / "southvale" / "2019-02-ilacs-short").exists()
    assert tree_digest(tmp_path / "site") == cold_digest(content, tmp_path)
