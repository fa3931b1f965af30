"""The preview: incremental rebuilds equal to a full build, errors shown, paths outside the site refused."""
from __future__ import annotations

import shutil
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from support import FIXTURES, ROOT, tree_digest
from generator.build import BuildConfig, build
from generator.serve import Preview, PreviewApp, is_temporary
from generator.urls import parse_base_url


@pytest.fixture
def preview(tmp_path: Path) -> Preview:
    """A preview of a copy of the fixture site (content and templates), already built once."""
    shutil.copytree(FIXTURES / "site", tmp_path / "content")
    shutil.copytree(ROOT / "templates", tmp_path / "templates")
    p = Preview(BuildConfig(tmp_path / "content", tmp_path / "templates", tmp_path / "preview", parse_base_url("/repo/"), drafts=True))
    assert p.start().ok
    return p


def full_build(p: Preview, out: Path) -> dict[str, str]:
    """A full build of the same input, for comparison."""
    build(BuildConfig(p.config.content, p.config.templates, out, p.config.links, drafts=True))
    return tree_digest(out)


def edit(path: Path, old: str, new: str) -> None:
    """Change a file as an editor would, and make sure its time stamp moves."""
    text = path.read_text()
    assert old in text
    path.write_text(text.replace(old, new, 1))


def test_an_edit_renders_only_the_pages_that_show_it_and_equals_a_full_build(preview: Preview, tmp_path: Path) -> None:
    page = preview.config.content / "councils" / "southvale" / "2019-02-ilacs-short.md"
    edit(page, "Services are very good.", "Services are very good indeed.")
    outcome = preview.update()
    assert outcome is not None and outcome.ok
    total = len([p for p in preview.out.rglob("*.html")])
    assert 0 < outcome.rendered < total / 2, "an edit to one council's inspection re-renders that council's pages, not all"
    assert "very good indeed" in (preview.out / "southvale" / "2019-02-ilacs-short" / "index.html").read_text()
    assert tree_digest(preview.out) == full_build(preview, tmp_path / "full")


def test_the_first_edit_uses_the_templates_the_first_build_compiled(preview: Preview, monkeypatch: pytest.MonkeyPatch) -> None:
    import jinja2
    compiled: list[str] = []
    original = jinja2.Environment.compile
    monkeypatch.setattr(jinja2.Environment, "compile", lambda self, source, name=None, *a, **k: compiled.append(name) or original(self, source, name, *a, **k))
    edit(preview.config.content / "councils" / "southvale" / "2019-02-ilacs-short.md", "Services are very good.", "Services are good.")
    outcome = preview.update()
    assert outcome is not None and outcome.ok and outcome.rendered > 0
    assert compiled == []


def test_the_first_builds_objects_are_not_walked_by_the_garbage_collector_again(tmp_path: Path) -> None:
    import gc
    gc.unfreeze()
    shutil.copytree(FIXTURES / "site", tmp_path / "content")
    p = Preview(BuildConfig(tmp_path / "content", ROOT / "templates", tmp_path / "preview", parse_base_url("/"), drafts=True))
    assert p.start().ok
    site_objects = [o for o in gc.get_objects() if type(o).__name__ == "Inspection"]
    assert gc.get_freeze_count() > 0 and not site_objects, "the site's inspections are frozen, out of the collector's walk"
    gc.unfreeze()


def test_a_template_edit_renders_the_pages_that_use_it(preview: Preview, tmp_path: Path) -> None:
    edit(preview.config.templates / "changes.html", "Grade by grade", "Grade by grade, theme by theme")
    outcome = preview.update()
    assert outcome is not None and outcome.ok and outcome.rendered == 3  # the fixture has three "what changed" pages
    assert tree_digest(preview.out) == full_build(preview, tmp_path / "full")


def test_adding_and_removing_files_matches_a_full_build(preview: Preview, tmp_path: Path) -> None:
    folder = preview.config.content / "councils" / "northdale"
    (folder / "2020-09-focused-visit.md").unlink()
    assert preview.update().ok
    assert not (preview.out / "northdale" / "2020-09-focused-visit").exists()
    assert tree_digest(preview.out) == full_build(preview, tmp_path / "full")


def test_broken_content_keeps_the_last_good_pages_and_names_the_problem(preview: Preview) -> None:
    page = preview.config.content / "councils" / "southvale" / "2019-02-ilacs-short.md"
    before = tree_digest(preview.out)
    edit(page, "grade: good}", "grade: gud}")
    outcome = preview.update()
    assert outcome is not None and not outcome.ok
    assert 'unknown grade "gud"' in outcome.problems[0].message
    assert tree_digest(preview.out) == before
    app = PreviewApp(preview)
    status, body = call(app, "/repo/southvale/")
    assert status.startswith("500") and b"gud" in body and b"How to fix" in body
    edit(page, "grade: gud}", "grade: good}")
    assert preview.update().ok
    status, body = call(app, "/repo/southvale/")
    assert status.startswith("200") and b"Southvale" in body


def test_nothing_changed_means_no_rebuild(preview: Preview) -> None:
    assert preview.update() is None


def call(app: PreviewApp, path: str) -> tuple[str, bytes]:
    """Call the WSGI app as a server would."""
    seen: dict[str, str] = {}

    def start_response(status: str, headers: list) -> None:
        seen["status"] = status

    body = b"".join(app({"PATH_INFO": path}, start_response))
    return seen["status"], body


def test_the_council_pages_come_first_and_a_request_for_a_site_wide_page_waits_for_the_rest(preview: Preview, tmp_path: Path) -> None:
    page = preview.config.content / "councils" / "southvale" / "2019-02-ilacs-short.md"
    edit(page, "lead_inspector: ", "lead_inspector: Dr ")  # shown on its page and in the open data
    edit(page, "Services are very good.", "Services are very good indeed.")
    first = preview.begin()
    assert first is not None and first.ok and first.rendered >= 2
    assert "very good indeed" in (preview.out / "southvale" / "2019-02-ilacs-short" / "index.html").read_text()
    assert "data/inspections.json" in preview.pending_files and "index.html" in preview.pending_files
    assert "Dr " not in (preview.out / "data" / "inspections.json").read_text(), "not written yet"
    app, answers = PreviewApp(preview), {}
    asking = threading.Thread(target=lambda: answers.update(data=call(app, "/repo/data/inspections.json")))
    asking.start()
    asking.join(0.3)
    assert asking.is_alive(), "a request for a file still to be written waits"
    assert call(app, "/repo/southvale/2019-02-ilacs-short/")[0].startswith("200"), "a written page is served meanwhile"
    later = preview.finish()
    asking.join(5)
    assert later is not None and later.ok and later.written >= 1
    assert answers["data"][0].startswith("200") and b"Dr " in answers["data"][1]
    assert not preview.pending_files and preview.finish() is None
    assert tree_digest(preview.out) == full_build(preview, tmp_path / "full")


def test_a_template_error_in_a_site_wide_page_shows_in_the_browser(preview: Preview) -> None:
    edit(preview.config.templates / "home.html", "{% block content %}", "{% block content %}{{ nothing.here }}")
    first = preview.begin()
    assert first is not None and first.ok and first.rendered == 0
    later = preview.finish()
    assert later is not None and not later.ok and "home.html" in later.problems[0].file
    status, body = call(PreviewApp(preview), "/repo/")
    assert status.startswith("500") and b"home.html" in body


@pytest.mark.parametrize("path", ["/repo/../../etc/passwd", "/repo/%2e%2e/%2e%2e/etc/passwd", "/repo/..%2f..%2fetc%2fpasswd",
                                  "/repo/%252e%252e/%252e%252e/etc/passwd", "/repo/a\\..\\..\\x", "/repo/%00"])
def test_paths_outside_the_site_are_refused(preview: Preview, path: str) -> None:
    status, body = call(PreviewApp(preview), path)
    assert status.startswith(("400", "404")) and b"root:" not in body


def test_the_preview_serves_under_its_base_path_only(preview: Preview) -> None:
    app = PreviewApp(preview)
    assert call(app, "/repo/")[0].startswith("200")
    assert call(app, "/")[0].startswith("302")
    assert call(app, "/northdale/")[0].startswith("404")
    status, body = call(app, "/repo/no-such-page/")
    assert status.startswith("404") and b"cannot find that page" in body


@pytest.mark.parametrize("name, temporary", [(".council.yaml.swp", True), ("notes.md~", True), ("#draft.md#", True),
                                             ("4913", True), (".#lock", True), ("2022-03-ilacs-standard.md", False)])
def test_editor_temporary_files_are_ignored(name: str, temporary: bool) -> None:
    assert is_temporary(name) is temporary


def free_port() -> int:
    """A port nothing listens on now."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_serve_binds_to_loopback_only_and_stops_cleanly(tmp_path: Path) -> None:
    shutil.copytree(FIXTURES / "site", tmp_path / "content")
    port = free_port()
    proc = subprocess.Popen([sys.executable, "-m", "generator", "serve", "--content", str(tmp_path / "content"),
                             "--templates", str(ROOT / "templates"), "--port", str(port), "--out", str(tmp_path / "preview")],
                            cwd=tmp_path, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        deadline = time.time() + 30
        while time.time() < deadline:
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=2)
                break
            except (urllib.error.URLError, ConnectionError):
                time.sleep(0.2)
        listening = [line.split() for line in Path("/proc/net/tcp").read_text().splitlines()[1:]]
        ours = [fields[1] for fields in listening if fields[3] == "0A" and int(fields[1].split(":")[1], 16) == port]
        assert ours and all(address.split(":")[0] == "0100007F" for address in ours), ours  # 127.0.0.1 only
    finally:
        proc.send_signal(2)  # Ctrl-C
        output, _ = proc.communicate(timeout=20)
    assert proc.returncode == 0, output
    assert "Preview stopped." in output and "Traceback" not in output
