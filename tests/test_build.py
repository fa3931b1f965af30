"""The build: a golden build of the fixture site, determinism, the base path, atomic output."""
from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from support import FIXTURES, ROOT, run_cli, tree_digest
from generator.build import MARKER, BuildConfig, BuildError, build, safe_target
from generator.urls import parse_base_url

GOLDEN = FIXTURES / "golden"
CHECK_LINKS = ROOT / "tests" / "linkcheck.py"


def build_fixture(out: Path, base: str = "/", content: Path = FIXTURES / "site") -> None:
    """Build the fixture site in-process."""
    build(BuildConfig(content, ROOT / "templates", out, parse_base_url(base)))


def test_golden_build_of_the_fixture_site(tmp_path: Path) -> None:
    out = tmp_path / "site"
    build_fixture(out)
    if os.environ.get("UPDATE_GOLDEN"):
        shutil.rmtree(GOLDEN, ignore_errors=True)
        shutil.copytree(out, GOLDEN)
    assert tree_digest(out) == tree_digest(GOLDEN), "the build differs from tests/fixtures/golden (UPDATE_GOLDEN=1 to accept)"


def test_a_build_looks_at_each_template_once_not_once_per_page(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    looked: list[str] = []
    original = os.path.getmtime  # what Jinja calls to see whether a template changed
    monkeypatch.setattr(os.path, "getmtime", lambda path: looked.append(str(path)) or original(path))
    build(BuildConfig(FIXTURES / "site", ROOT / "templates", tmp_path / "site", parse_base_url("/")))  # no cache
    templates = [path for path in looked if path.startswith(str(ROOT / "templates"))]
    assert len(templates) == len(set(templates)), sorted(templates)


def test_two_builds_are_byte_identical(tmp_path: Path) -> None:
    build_fixture(tmp_path / "a")
    build_fixture(tmp_path / "b")
    assert tree_digest(tmp_path / "a") == tree_digest(tmp_path / "b")


def test_the_site_has_every_kind_of_page(tmp_path: Path) -> None:
    out = tmp_path / "site"
    build_fixture(out)
    for path in ("index.html", "northdale/index.html", "northdale/2019-05-ilacs-standard/index.html",
                 "northdale/changes/2019-05-ilacs-standard--2023-06-ilacs-standard/index.html",
                 "northdale/changes/2012-03-slac--2019-05-ilacs-standard/index.html", "grades/index.html",
                 "words/index.html", "sources/index.html", "northdale/sources/index.html", "about/index.html", "data/index.html", "404.html",
                 "data/inspections.json", "assets/style.css"):
        assert (out / path).is_file(), path
    # an event has no page of its own; one graded inspection gives no "what changed" page
    assert not (out / "northdale" / "2021-01-action-plan").exists()
    assert not (out / "southvale" / "changes").exists()


@pytest.mark.parametrize("base", ["/", "/repo/", "https://owner.github.io/repo/"])
def test_every_internal_link_resolves_under_the_base_path(tmp_path: Path, base: str) -> None:
    out = tmp_path / "site"
    build_fixture(out, base)
    path = parse_base_url(base).base_path
    result = subprocess.run([sys.executable, str(CHECK_LINKS), str(out), path], capture_output=True, text=True)
    assert result.returncode == 0, result.stdout
    if path != "/":
        for html in out.rglob("*.html"):
            text = html.read_text()
            assert 'href="/' not in text.replace(f'href="{path}', ""), f"{html}: a link ignores the base path"
            assert 'src="/' not in text.replace(f'src="{path}', "")


def test_full_base_url_gives_canonical_links(tmp_path: Path) -> None:
    out = tmp_path / "site"
    build_fixture(out, "https://owner.github.io/repo/")
    page = (out / "northdale" / "index.html").read_text()
    assert '<link rel="canonical" href="https://owner.github.io/repo/northdale/">' in page


def test_open_data_lists_each_inspection_and_visit(tmp_path: Path) -> None:
    out = tmp_path / "site"
    build_fixture(out, "/repo/")
    rows = json.loads((out / "data" / "inspections.json").read_text())
    assert [(r["council"], r["kind"], r["start"]) for r in rows] == [
        ("eastmere", "ilacs-standard", "2022-10-03"), ("eastmere", "ilacs-standard", "2026-05-11"),
        ("northdale", "slac", "2012-03-05"), ("northdale", "ilacs-standard", "2019-05-13"),
        ("northdale", "focused-visit", "2020-09-08"), ("northdale", "ilacs-standard", "2023-06-05"),
        ("southvale", "ilacs-short", "2019-02-04")]
    first = rows[2]
    assert set(first) == {"council", "council_name", "kind", "framework", "start", "end", "published", "lead_inspector",
                          "judgements", "url", "sources"}
    assert first["council_name"] == "Northdale County Council"  # its name at the time
    assert rows[5]["council_name"] == "Northdale Council"
    assert first["judgements"][0] == {"area": "Overall effectiveness", "theme": "safeguarding/overall", "grade": "adequate"}
    assert first["url"] == "/repo/northdale/2012-03-slac/"
    assert rows[6]["published"] is None and rows[6]["lead_inspector"] is None
    assert rows[4]["judgements"] == []


def test_a_failed_build_leaves_the_previous_site(tmp_path: Path) -> None:
    content = tmp_path / "content"
    shutil.copytree(FIXTURES / "site", content)
    out = tmp_path / "site"
    build_fixture(out, content=content)
    before = tree_digest(out)
    (content / "councils" / "northdale" / "council.yaml").write_text("name: [unclosed\n")
    with pytest.raises(BuildError):
        build_fixture(out, content=content)
    assert tree_digest(out) == before


def many_councils(content: Path, copies: int) -> None:
    """Add copies of the fixture's Northdale (with their own source ids) so a build takes a while."""
    ids = ("northdale-web", "report-2012", "report-2019", "letter-2020", "report-2023", "plan-2021")
    original = content / "councils" / "northdale"
    for n in range(copies):
        folder = content / "councils" / f"copy-{n}"
        shutil.copytree(original, folder)
        for path in folder.rglob("*"):
            if path.is_file():
                text = path.read_text()
                for source_id in ids:
                    text = text.replace(source_id, f"c{n}-{source_id}")
                path.write_text(text)


def test_a_build_killed_at_any_moment_leaves_the_previous_site(tmp_path: Path) -> None:
    """SIGKILL a build at many points of its run; the old site is intact each time and the next build works."""
    content = tmp_path / "content"
    shutil.copytree(FIXTURES / "site", content)
    many_councils(content, 60)
    out = tmp_path / "site"
    args = [sys.executable, "-m", "generator", "build", "--content", str(content), "--templates", str(ROOT / "templates"),
            "--out", str(out), "--no-search", "--no-cache"]
    started = time.monotonic()
    assert subprocess.run(args, cwd=ROOT, capture_output=True).returncode == 0
    duration = time.monotonic() - started
    before = tree_digest(out)
    (content / "pages" / "about.md").write_text("# About\n\nChanged words.\n")
    outcomes = set()
    for fraction in (0.05, 0.2, 0.35, 0.5, 0.6, 0.7, 0.8, 0.9, 0.95):
        proc = subprocess.Popen(args, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        time.sleep(duration * fraction)
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        if any(p.name.startswith(".site.new-") for p in tmp_path.iterdir()):
            outcomes.add("killed while writing")
        now = tree_digest(out)
        if now == before:
            outcomes.add("old")
            continue
        assert now.keys() == before.keys() and "Changed words" in (out / "about" / "index.html").read_text(), \
            f"after a kill at {fraction:.0%} of a build the site is neither the old one nor the new one"
        outcomes.add("new")
        before = now
    assert "killed while writing" in outcomes, f"no kill landed while the new site was being written: {outcomes}"
    result = run_cli("build", "--content", str(content), "--templates", str(ROOT / "templates"), "--out", str(out), "--no-search")
    assert result.returncode == 0, result.stderr
    assert "Changed words" in (out / "about" / "index.html").read_text()
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".site.")]


def test_the_build_refuses_to_replace_a_folder_it_did_not_make(tmp_path: Path) -> None:
    out = tmp_path / "precious"
    out.mkdir()
    (out / "notes.txt").write_text("mine")
    with pytest.raises(BuildError) as err:
        build_fixture(out)
    assert "has files this generator did not make" in err.value.problems.sorted()[0].message
    assert (out / "notes.txt").read_text() == "mine"
    build_fixture(tmp_path / "site")
    assert (tmp_path / "site" / MARKER).exists()


def test_the_build_refuses_to_write_over_its_content(tmp_path: Path) -> None:
    with pytest.raises(BuildError):
        build(BuildConfig(FIXTURES / "site", ROOT / "templates", FIXTURES / "site", parse_base_url("/")))


@pytest.mark.parametrize("bad", ["../escape.html", "/etc/passwd", "a/../../b"])
def test_nothing_is_written_outside_the_output_folder(tmp_path: Path, bad: str) -> None:
    with pytest.raises(ValueError):
        safe_target(tmp_path, bad)


def test_drafts_are_listed_but_never_published(tmp_path: Path) -> None:
    content = tmp_path / "content"
    shutil.copytree(FIXTURES / "site", content)
    page = content / "councils" / "southvale" / "2019-02-ilacs-short.md"
    page.write_text(page.read_text().replace("kind: ilacs-short", "kind: ilacs-short\ndraft: true"))
    result = run_cli("build", "--content", str(content), "--templates", str(ROOT / "templates"), "--out", str(tmp_path / "site"))
    assert result.returncode == 0, result.stderr
    assert "1 draft not published" in result.stdout and "2019-02-ilacs-short.md" in result.stdout
    assert not (tmp_path / "site" / "southvale" / "2019-02-ilacs-short").exists()
    assert "southvale" not in (tmp_path / "site" / "data" / "inspections.json").read_text()
    build(BuildConfig(content, ROOT / "templates", tmp_path / "preview", parse_base_url("/"), drafts=True))
    shown = (tmp_path / "preview" / "southvale" / "2019-02-ilacs-short" / "index.html").read_text()
    assert "Draft:" in shown


def test_template_errors_name_the_template_and_line(tmp_path: Path) -> None:
    templates = tmp_path / "templates"
    shutil.copytree(ROOT / "templates", templates)
    (templates / "grades.html").write_text('{% extends "base.html" %}\n{% block content %}\n{{ nonsense.missing }}\n{% endblock %}\n')
    result = run_cli("build", "--content", str(FIXTURES / "site"), "--templates", str(templates), "--out", str(tmp_path / "site"))
    assert result.returncode == 1
    assert "grades.html:3: UndefinedError" in result.stderr
    assert "Traceback" not in result.stderr
