"""The preview: incremental rebuilds equal to a full build, errors shown, paths outside the site refused."""
from __future__ import annotations

import asyncio
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from tornado.netutil import bind_sockets
from tornado.websocket import websocket_connect

from support import FIXTURES, ROOT, Serving, tree_digest
from generator.build import BuildConfig, build
from generator.serve import (IDLE_LIMIT, WAIT_LIMIT, BackgroundIndex, Live, Preview, PreviewApp, is_temporary, listen,
                             rebuild_and_tell, step)
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


def rendered_paths(preview: Preview, monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The site paths of the pages and files the preview renders from now on, as it renders them."""
    seen: list[str] = []
    render = preview.render
    monkeypatch.setattr(preview, "render", lambda pages: seen.extend(p.path for p in pages) or render(pages))
    return seen


def test_a_grade_that_changes_the_national_counts_rewrites_every_council_page_it_changes(
        preview: Preview, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    northdale = preview.out / "northdale" / "index.html"
    assert "Northdale is the only council in England whose latest overall grade is requires improvement" in northdale.read_text()
    seen = rendered_paths(preview, monkeypatch)
    edit(preview.config.content / "councils" / "southvale" / "2019-02-ilacs-short.md",
         "theme: overall, grade: outstanding}", "theme: overall, grade: requires-improvement}")
    outcome = preview.update()
    assert outcome is not None and outcome.ok
    assert "northdale/" in seen, "another council's page says where its grade stands: it changed, so it is made again"
    assert "Northdale is one of 2 councils in England whose latest overall grade is requires improvement" in northdale.read_text()
    assert tree_digest(preview.out) == full_build(preview, tmp_path / "full")


def test_an_edit_to_words_alone_renders_no_other_councils_pages(
        preview: Preview, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    seen = rendered_paths(preview, monkeypatch)
    edit(preview.config.content / "councils" / "northdale" / "2019-05-ilacs-standard.md",
         "Help for children at risk was not good enough", "Help for children at risk was still not good enough")
    outcome = preview.update()
    assert outcome is not None and outcome.ok
    assert "northdale/2019-05-ilacs-standard/" in seen
    others = [p for p in seen if p.startswith(("eastmere/", "southvale/", "councils/", "compare/"))]
    assert others == [], "no council's latest grade changed, so no other council's page (nor the counts) changes"
    pages = {p for p in seen if p.endswith("/") or p == ""}
    assert {p for p in pages if not p.startswith("northdale/")} <= {"", "sources/"}, "its council's pages, the home page (it lists the newest reports) and the list of sources"
    assert tree_digest(preview.out) == full_build(preview, tmp_path / "full")


def test_an_edit_to_a_council_yaml_is_read_again_after_the_preview_kept_it(preview: Preview, tmp_path: Path) -> None:
    council = preview.config.content / "councils" / "northdale" / "council.yaml"
    edit(preview.config.content / "councils" / "northdale" / "2019-05-ilacs-standard.md", "was not good", "was not yet good")
    assert preview.update().ok  # the preview now knows council.yaml unchanged, and does not read it again
    edit(council, "short_name: Northdale", "short_name: North Dale")
    outcome = preview.update()
    assert outcome is not None and outcome.ok
    assert "North Dale is the only council" in (preview.out / "northdale" / "index.html").read_text()
    assert tree_digest(preview.out) == full_build(preview, tmp_path / "full")


def test_an_edit_to_a_reports_words_is_read_again_after_the_preview_kept_them(preview: Preview, tmp_path: Path) -> None:
    words = preview.config.content / "councils" / "northdale" / "reports" / "2019-05-ilacs-standard.yaml"
    edit(preview.config.content / "councils" / "northdale" / "2019-05-ilacs-standard.md", "was not good", "was not yet good")
    assert preview.update().ok  # the preview now knows the words file unchanged, and does not read it again
    edit(words, "know their children well", "know their children very well")
    outcome = preview.update()
    assert outcome is not None and outcome.ok
    assert "know their children very well" in (preview.out / "northdale" / "2019-05-ilacs-standard" / "index.html").read_text()
    assert tree_digest(preview.out) == full_build(preview, tmp_path / "full")


def test_an_unchanged_story_is_not_read_again_and_an_edited_one_is(preview: Preview, tmp_path: Path,
                                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    from generator import load as load_module
    story = preview.config.content / "councils" / "northdale" / "changes" / "2019-05-ilacs-standard--2023-06-ilacs-standard.md"
    edit(preview.config.content / "councils" / "northdale" / "2019-05-ilacs-standard.md", "was not good", "was not yet good")
    assert preview.update().ok  # the preview now knows the story unchanged
    read: list[str] = []
    original = load_module.read_text
    monkeypatch.setattr(load_module, "read_text", lambda path, *a, **k: read.append(path.name) or original(path, *a, **k))
    edit(preview.config.content / "councils" / "northdale" / "2019-05-ilacs-standard.md", "was not yet good", "was not good")
    assert preview.update().ok
    assert story.name not in read, "an unchanged story is replayed, not read and checked again"
    edit(story, "By 2023 it was better.", "By 2023 it was much better.")
    outcome = preview.update()
    assert outcome is not None and outcome.ok and story.name in read
    assert "By 2023 it was much better." in (preview.out / "northdale" / "changes" / story.stem / "index.html").read_text()
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


def test_serve_binds_to_loopback_only_and_stops_cleanly(tmp_path: Path) -> None:
    shutil.copytree(FIXTURES / "site", tmp_path / "content")
    serving = Serving("--content", str(tmp_path / "content"), "--templates", str(ROOT / "templates"), "--port", "0",
                      "--out", str(tmp_path / "preview"), cwd=tmp_path)
    try:
        port = int(serving.wait_until_serving().split(":")[2].split("/")[0])
        assert urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=30).status == 200
        listening = [line.split() for line in Path("/proc/net/tcp").read_text().splitlines()[1:]]
        ours = [fields[1] for fields in listening if fields[3] == "0A" and int(fields[1].split(":")[1], 16) == port]
        assert ours and all(address.split(":")[0] == "0100007F" for address in ours), ours  # 127.0.0.1 only
    finally:
        output = serving.stop()  # Ctrl-C
    assert serving.proc.returncode == 0, output
    assert "Preview stopped." in output and "Traceback" not in output


@contextmanager
def running(preview: Preview, wait_limit: float = WAIT_LIMIT, idle_limit: float = IDLE_LIMIT,
            searchable: bool = True) -> Iterator[tuple[Live, str]]:
    """The preview's server on a free port, its loop in a thread: yields (what it shares, its origin)."""
    ready, box = threading.Event(), {}

    def main() -> None:
        asyncio.set_event_loop(asyncio.new_event_loop())
        live = Live(PreviewApp(preview, live=True), wait_limit, searchable)
        sockets = bind_sockets(0, "127.0.0.1")
        server = listen(live, sockets, idle_limit)
        box.update(live=live, port=sockets[0].getsockname()[1])
        ready.set()
        live.loop.start()
        server.stop()
        live.loop.close(all_fds=True)

    thread = threading.Thread(target=main, daemon=True)
    thread.start()
    assert ready.wait(10)
    try:
        yield box["live"], f"http://127.0.0.1:{box['port']}"
    finally:
        box["live"].loop.add_callback(box["live"].loop.stop)
        thread.join(10)


def fetch(url: str) -> tuple[int, str, float]:
    """GET a URL: (status, text, seconds taken)."""
    began = time.monotonic()
    try:
        with urllib.request.urlopen(url, timeout=30) as answer:
            return answer.status, answer.read().decode(), time.monotonic() - began
    except urllib.error.HTTPError as err:
        return err.code, err.read().decode(), time.monotonic() - began


class NoIndex:
    """Stands in for the search index in tests that do not need it."""

    def ask(self) -> None:
        """Nothing to do."""


def first_message(origin: str, version: str, timeout: float) -> str | None:
    """What the preview tells a page showing `version` within `timeout` seconds (None: nothing)."""
    async def listen_once() -> str | None:
        socket_url = origin.replace("http://", "ws://") + f"/_preview/socket?version={version}"
        connection = await websocket_connect(socket_url)
        try:
            return await asyncio.wait_for(connection.read_message(), timeout)
        except asyncio.TimeoutError:
            return None
        finally:
            connection.close()

    heard: list[str | None] = []  # in a thread of its own: a test before may have left a loop running in this one
    thread = threading.Thread(target=lambda: heard.append(asyncio.run(listen_once())))
    thread.start()
    thread.join(timeout + 30)
    assert heard, "the socket connected and answered"
    return heard[0]


def shown_version(page: str) -> str:
    """The version a served page says it shows."""
    match = re.search(r'<script src="/_preview/reload.js" data-version="([^"]+)" defer></script></head>', page)
    assert match, "every page loads the reload script as a file, no inline script"
    return match.group(1)


def test_a_page_served_before_a_rebuild_is_told_to_reload_even_if_its_script_connects_after_it(preview: Preview) -> None:
    with running(preview) as (live, origin):
        status, page, _ = fetch(f"{origin}/repo/southvale/2019-02-ilacs-short/")
        assert status == 200 and "<script>" not in page
        version = shown_version(page)
        assert first_message(origin, version, 0.3) is None, "nothing changed: no reload"
        edit(preview.config.content / "councils" / "southvale" / "2019-02-ilacs-short.md",
             "Services are very good.", "Services are very good indeed.")
        rebuild_and_tell(preview, live, NoIndex())  # the reload is sent before this page's script connects
        assert first_message(origin, version, 5) == "reload", "the save made while the page loaded is not lost"
        status, page, _ = fetch(f"{origin}/repo/southvale/2019-02-ilacs-short/")
        assert "very good indeed" in page and shown_version(page) != version
        assert first_message(origin, "an-earlier-preview-3", 5) == "reload", "a page from an earlier preview reloads"
        _, script, _ = fetch(f"{origin}/_preview/reload.js")
        assert "WebSocket" in script and "data-version" in script


def test_a_request_waiting_for_a_site_wide_page_holds_up_no_other(preview: Preview) -> None:
    edit(preview.config.content / "councils" / "southvale" / "2019-02-ilacs-short.md", "lead_inspector: ", "lead_inspector: Dr ")
    assert preview.begin().ok and "data/inspections.json" in preview.pending_files
    with running(preview) as (live, origin):
        answers: dict[str, tuple[int, str, float]] = {}
        waiting = threading.Thread(target=lambda: answers.update(data=fetch(f"{origin}/repo/data/inspections.json")))
        waiting.start()
        waiting.join(0.3)
        assert waiting.is_alive(), "a request for a file still to be written waits"
        for path in ("assets/style.css", "assets/favicon.svg", "southvale/2019-02-ilacs-short/"):
            status, _, seconds = fetch(f"{origin}/repo/{path}")
            assert status == 200 and seconds < 2, (path, seconds)
        assert waiting.is_alive(), "the site-wide file still waits"
        preview.finish()
        live.changed()
        waiting.join(5)
    status, data, _ = answers["data"]
    assert status == 200 and "Dr " in data


def test_the_wait_for_a_site_wide_page_is_bounded_and_the_page_reloads_when_it_is_written(preview: Preview) -> None:
    edit(preview.config.content / "councils" / "southvale" / "2019-02-ilacs-short.md", "lead_inspector: ", "lead_inspector: Dr ")
    assert preview.begin().ok and "index.html" in preview.pending_files
    with running(preview, wait_limit=0.5) as (live, origin):
        status, page, seconds = fetch(f"{origin}/repo/")
        assert status == 200 and 0.4 < seconds < 5
        assert shown_version(page) == "stale"
        assert first_message(origin, "stale", 5) == "reload", "a page served before it was written reloads"


def test_slow_and_idle_clients_are_timed_out(preview: Preview) -> None:
    with running(preview, idle_limit=0.5) as (_, origin):
        port = int(origin.rsplit(":", 1)[1])
        for sent in (b"", b"GET /repo/ HTTP/1.1\r\nHost: 127.0.0.1\r\n"):  # nothing; half a request
            with socket.create_connection(("127.0.0.1", port)) as client:
                client.sendall(sent)
                client.settimeout(5)
                began = time.monotonic()
                assert client.recv(100) == b"", "the server closed the connection"
                assert time.monotonic() - began < 3
        assert fetch(f"{origin}/repo/")[0] == 200, "others are still served"


def ignore_ctrl_c() -> None:
    """In a child: ignore SIGINT, as a process started in the background by a script does."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)


@pytest.mark.parametrize("stop, ignored", [(signal.SIGINT, False), (signal.SIGINT, True), (signal.SIGTERM, False),
                                           (signal.SIGHUP, False)])
def test_the_temporary_preview_folder_is_removed_however_the_preview_stops(tmp_path: Path, stop: int, ignored: bool) -> None:
    shutil.copytree(FIXTURES / "site", tmp_path / "content")
    (tmp_path / "tmp").mkdir()
    serving = Serving("--content", str(tmp_path / "content"), "--templates", str(ROOT / "templates"), "--port", "0",
                      cwd=tmp_path, env={**os.environ, "TMPDIR": str(tmp_path / "tmp")},
                      preexec_fn=ignore_ctrl_c if ignored else None)
    try:
        assert urllib.request.urlopen(serving.wait_until_serving(), timeout=30).status == 200
        assert [p.name for p in (tmp_path / "tmp").iterdir() if p.name.startswith("inspections-preview-")]
    finally:
        output = serving.stop(stop)
    assert serving.proc.returncode == 0 and "Preview stopped." in output and "Traceback" not in output, output
    assert not list((tmp_path / "tmp").iterdir()), "nothing is left behind"


def test_the_temporary_preview_folder_is_removed_after_an_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from generator import serve as serving

    shutil.copytree(FIXTURES / "site", tmp_path / "content")
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    monkeypatch.setattr(serving.Preview, "start", lambda self: 1 / 0)
    with pytest.raises(ZeroDivisionError):
        serving.serve(tmp_path / "content", ROOT / "templates", None, parse_base_url("/"), 0, False)
    assert not [p for p in tmp_path.iterdir() if p.name.startswith("inspections-preview-")]


def test_a_busy_port_is_named_with_how_to_choose_another(tmp_path: Path) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        began = time.monotonic()
        result = subprocess.run([sys.executable, "-m", "generator", "serve", "--content", str(FIXTURES / "site"),
                                 "--templates", str(ROOT / "templates"), "--port", str(port)],
                                cwd=tmp_path, capture_output=True, text=True, timeout=60,
                                env={**os.environ, "TMPDIR": str(tmp_path)})
    said = result.stdout + result.stderr
    assert result.returncode != 0
    assert f"Port {port} is busy" in said and "--port" in said, said
    assert "Preview at" not in said and "Built" not in said and "Traceback" not in said and "error:" not in said, said
    assert time.monotonic() - began < 20, "said before building anything"
    assert not [p for p in tmp_path.iterdir() if p.name.startswith("inspections-preview-")]


def test_search_is_indexed_in_the_background_after_the_first_build_and_again_after_edits(preview: Preview) -> None:
    bundle = preview.out / "pagefind"
    with running(preview, searchable=False) as (live, origin):
        runs = threading.Semaphore(0)
        index = BackgroundIndex(preview, lambda: (runs.release(), live.index_ready()), quiet=0.2)
        asking: dict[str, tuple[int, str, float]] = {}
        early = threading.Thread(target=lambda: asking.update(ui=fetch(f"{origin}/repo/pagefind/pagefind-ui.js")))
        early.start()  # the search page asks before the first index is made: it waits for it
        index.start(now=True)
        try:
            assert runs.acquire(timeout=60)
            early.join(10)
            assert asking["ui"][0] == 200 and (bundle / "pagefind-entry.json").is_file()
            before = sorted(p.name for p in bundle.rglob("*"))
            edit(preview.config.content / "councils" / "southvale" / "2019-02-ilacs-short.md",
                 "Services are very good.", "Services are very good. Zebrafinch.")
            assert preview.update().ok
            index.ask()
            index.ask()  # a second edit at once: one index for both
            assert runs.acquire(timeout=60)
            assert sorted(p.name for p in bundle.rglob("*")) != before, "the index changed with the edit"
            assert not runs.acquire(timeout=1), "edits close together are indexed once"
            second = set(index.previous)
            edit(preview.config.content / "councils" / "southvale" / "2019-02-ilacs-short.md", "Zebrafinch.", "Kingfisher.")
            assert preview.update().ok
            index.ask()
            assert runs.acquire(timeout=60)
            files = {p.relative_to(bundle).as_posix() for p in bundle.rglob("*") if p.is_file()}
            assert files == second | index.previous, "the index before stays one run longer (for an open search page), no more"
            assert fetch(f"{origin}/repo/pagefind/pagefind-entry.json")[0] == 200
            assert fetch(f"{origin}/repo/.pagefind-new/")[0] == 404, "the index being made is never served"
        finally:
            index.stop()
    assert not [p for p in preview.out.iterdir() if p.name.startswith(".pagefind")], "no half-made index is left"


def test_a_rebuild_that_fails_unforeseen_is_shown_and_the_preview_goes_on(preview: Preview, monkeypatch: pytest.MonkeyPatch) -> None:
    page = preview.config.content / "councils" / "southvale" / "2019-02-ilacs-short.md"
    with running(preview) as (live, origin):
        with monkeypatch.context() as patched:
            patched.setattr(Preview, "rebuild", lambda self, changed: (_ for _ in ()).throw(RecursionError("too deep")))
            edit(page, "Services are very good.", "Services are very good indeed.")
            step(preview, live, NoIndex())  # does not raise: the watching thread lives on
        status, body, _ = fetch(f"{origin}/repo/southvale/")
        assert status == 500 and "could not rebuild" in body and "RecursionError" in body and "Traceback" not in body
        edit(page, "very good indeed.", "very good indeed!")
        step(preview, live, NoIndex())
        status, body, _ = fetch(f"{origin}/repo/southvale/2019-02-ilacs-short/")
        assert status == 200 and "very good indeed!" in body
    assert tree_digest(preview.out) == full_build(preview, preview.out.parent / "full")
