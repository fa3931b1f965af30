"""The live preview: incremental rebuilds, errors shown in the browser, live reload, on 127.0.0.1 only.

The server is tornado's: files already written are answered at once while a request for a
site-wide page still to be written waits (without holding up the others, and never for long), idle
and slow clients are timed out. Every page says which version of the preview it shows; its script
(a file from the preview's own address, as the pages' Content-Security-Policy requires) asks the
server to say when there is a newer one, and is told at once if there already is: a save made
while a page loads is never lost. Search is indexed by Pagefind in the background.
"""
from __future__ import annotations

import dataclasses
import errno
import gc
import hashlib
import html
import logging
import mimetypes
import os
import posixpath
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import webbrowser
from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from http import HTTPStatus
from pathlib import Path
from typing import Any
from urllib.parse import unquote

import tornado.httpserver
import tornado.locks
import tornado.web
import tornado.websocket
from tornado.escape import url_unescape
from tornado.ioloop import IOLoop
from tornado.netutil import bind_sockets

from .build import MARKER, MARKER_TEXT, BuildConfig, BuildError, asset_files, build, load, output_lock, safe_target
from .cache import Caches
from .pages import DataFile, Page, Words, plan
from .problems import Problem, Problems, shorten
from .render import describe_template_error, make_environment, new_environment
from .search import BUNDLE, SearchIndexer, check_result, pagefind_command
from .search import TIMEOUT as SEARCH_TIMEOUT
from .urls import output_file
from .watch import Watcher as FileWatcher, ignorable

log = logging.getLogger(__name__)

CODE_INTERVAL = 1.0  # seconds between looks at the generator's own code
SHARED_TEMPLATES = ("base.html", "_macros.html")
# Pages about one council: after an edit these are written first and the browser reloads at once;
# the site-wide pages and data files (home, sources, feeds, open data) follow (see Preview.begin).
COUNCIL_TEMPLATES = ("council.html", "inspection.html", "changes.html")


NOT_SHOWN = object()  # what a page not yet written showed: unequal to any value

is_temporary = ignorable  # editor swap, backup and temporary files never trigger a rebuild


def snapshot(folders: Iterable[Path], skip: Path | None = None) -> dict[str, tuple[int, int]]:
    """Every file under the folders with its modification time and size (temporary files left out)."""
    state: dict[str, tuple[int, int]] = {}
    stack = [str(f) for f in folders if f.is_dir()]
    skip_text = str(skip) if skip else None
    while stack:
        folder = stack.pop()
        try:
            entries = list(os.scandir(folder))
        except OSError:
            continue
        for entry in entries:
            if is_temporary(entry.name) or entry.path == skip_text:
                continue
            if entry.is_dir(follow_symlinks=False):
                stack.append(entry.path)
            elif entry.is_file(follow_symlinks=False):
                info = entry.stat(follow_symlinks=False)
                state[entry.path] = (info.st_mtime_ns, info.st_size)
    return state


def changed_paths(before: dict[str, tuple[int, int]], after: dict[str, tuple[int, int]]) -> set[str]:
    """Files added, removed or changed between two snapshots."""
    return {p for p in before.keys() | after.keys() if before.get(p) != after.get(p)}


@dataclass
class Outcome:
    """What one rebuild did."""

    ok: bool
    rendered: int = 0
    written: int = 0
    removed: int = 0
    seconds: float = 0.0
    problems: list[Problem] = field(default_factory=list)

    def then(self, later: "Outcome | None") -> "Outcome":
        """This rebuild's first part followed by its second."""
        if later is None:
            return self
        return Outcome(self.ok and later.ok, self.rendered + later.rendered, self.written + later.written,
                       self.removed + later.removed, self.seconds + later.seconds, later.problems or self.problems)


class Preview:
    """A preview site kept up to date in place: only the pages a change touches are rendered again."""

    def __init__(self, config: BuildConfig) -> None:
        self.config = config
        self.caches = Caches.in_folder(config.cache_dir)
        self.lock = threading.RLock()  # held while files change, so no request sees half a rebuild
        self.digests: dict[str, bytes] = {}
        self.shows: dict[str, Any] = {}  # by output file: the values computed from other files it showed when written
        self.state: dict[str, tuple[int, int]] = {}
        self.problems: list[Problem] = []
        self.env: Any = None
        self.pending: list[Page | DataFile] = []  # chosen by `begin`, not yet written (see `finish`)
        self.pending_files: frozenset[str] = frozenset()  # replaced whole, never changed in place
        self.written = threading.Condition(self.lock)  # notified when the pending files are written
        self.run = secrets.token_hex(4)  # this preview's name: a page served by an earlier one is older
        self.version = 0  # moved on each time what a browser shows changes (see `shown`)

    @property
    def out(self) -> Path:
        """The folder the preview is written to."""
        return self.config.out.absolute()

    def watched(self) -> list[Path]:
        """The folders whose changes rebuild the preview."""
        return [self.config.content, self.config.templates]

    def start(self) -> Outcome:
        """The first, full build."""
        started = time.perf_counter()
        self.state = snapshot(self.watched(), self.out)
        try:
            # The preview changes its folder in place, so it keeps no spare copy (cache_dir=None there);
            # its parse and Markdown caches are passed in.
            # Its Jinja environment, compiled during this build, is kept for the rebuilds.
            self.env = new_environment(self.config.templates)
            result = build(dataclasses.replace(self.config, cache_dir=None), self.caches, self.env)
        except BuildError as err:
            self.problems = err.problems.sorted()
            return Outcome(False, problems=self.problems, seconds=time.perf_counter() - started)
        self.problems = []
        self.digests = {p.relative_to(self.out).as_posix(): _digest(p.read_bytes())
                        for p in self.out.rglob("*") if p.is_file()}
        pages, data = plan(result.site, self.config.links, Words(result.site, self.config.links, self.caches.markdown))
        self.shown_in([*pages, *data])
        # The caches filled by this build live as long as the preview: the garbage collector need not
        # walk them again on every edit (that walk cost 15-45 ms now and then at 153 councils).
        gc.collect()
        gc.freeze()
        return Outcome(True, result.pages, len(self.digests), seconds=time.perf_counter() - started)

    def update(self) -> Outcome | None:
        """Rebuild what changed since the last look, wholly; None when nothing changed."""
        first = self.begin()
        return None if first is None else first.then(self.finish())

    def begin(self) -> Outcome | None:
        """Rebuild the council pages a change shows; the site-wide ones wait for `finish`.

        Until then a request for one of those waits (see `wait_for`), so no old page is served.
        """
        self.finish()
        state = snapshot(self.watched(), self.out)
        changed = changed_paths(self.state, state)
        if not changed:
            return None
        self.state = state
        return self.rebuild(changed)

    def finish(self) -> Outcome | None:
        """Write the site-wide pages and data files `begin` left; None when there were none."""
        if not self.pending:
            return None
        started = time.perf_counter()
        pages, self.pending = self.pending, []
        try:
            rendered = self.render(pages)
            written, _ = self.apply(rendered, None) if isinstance(rendered, dict) else (0, 0)
            if isinstance(rendered, dict):
                self.shown_in(pages)
        finally:
            with self.written:
                self.pending_files = frozenset()
                self.written.notify_all()
        if not isinstance(rendered, dict):
            return rendered
        return Outcome(True, sum(1 for item in pages if item.template), written, 0, time.perf_counter() - started)

    @property
    def shown(self) -> str:
        """The version of the preview a page served now shows (read it with the page, under the lock)."""
        return f"{self.run}-{self.version}"

    def move_on(self) -> None:
        """A new version: every page served before it is told to reload."""
        with self.lock:
            self.version += 1

    def is_pending(self, relative: str) -> bool:
        """Whether a file a request names is still to be written by `finish`."""
        names = {relative, posixpath.join(relative, "index.html") if relative != "." else "index.html"}
        return bool(names & self.pending_files)

    def wait_for(self, relative: str, timeout: float = 10.0) -> bool:
        """Wait while a file a request names is still to be written by `finish`; False if it still is."""
        with self.written:
            return self.written.wait_for(lambda: not self.is_pending(relative), timeout)

    def render(self, pages: list[Page | DataFile]) -> dict[str, bytes] | Outcome:
        """The pages' bytes by output file, or a failed Outcome naming the template error."""
        rendered: dict[str, bytes] = {}
        started = time.perf_counter()
        try:
            for page in pages:
                rendered[output_file(page.path)] = page.render(self.env)
        except Exception as err:  # noqa: BLE001 - a template error must show in the browser, not stop the server
            problems = Problems()
            file, line, message = describe_template_error(err, self.config.templates)
            problems.add(file, line, message, "correct the template; the error names the template and line.")
            self.problems = problems.sorted()
            return Outcome(False, problems=self.problems, seconds=time.perf_counter() - started)
        return rendered

    def rebuild(self, changed: set[str]) -> Outcome:
        """Render the council pages that show a changed file, write what differs, remove what is gone."""
        started = time.perf_counter()
        try:
            site = load(self.config, self.caches, self.state)
        except BuildError as err:
            self.problems = err.problems.sorted()
            return Outcome(False, problems=self.problems, seconds=time.perf_counter() - started)
        self.env = make_environment(self.config.templates, site, self.config.links, reuse=self.env)
        pages, data = plan(site, self.config.links, Words(site, self.config.links, self.caches.markdown))
        outputs = [*pages, *data]
        chosen = self.select(outputs, changed)
        edited = self._councils(changed)
        first = [item for item in chosen if item.template in COUNCIL_TEMPLATES
                 and (edited is None or item.path.split("/", 1)[0] in edited)]
        now = {id(item) for item in first}
        later = [item for item in chosen if id(item) not in now]
        rendered = self.render(first)
        if not isinstance(rendered, dict):
            return rendered
        rendered.update(asset_files(self.config.templates / "assets"))
        rendered[MARKER] = MARKER_TEXT
        keep = {output_file(item.path) for item in outputs} | set(rendered)
        with self.lock:
            self.pending, self.pending_files = later, frozenset(output_file(item.path) for item in later)
        written, removed = self.apply(rendered, keep)
        self.shown_in(first)
        self.problems = []
        return Outcome(True, sum(1 for item in first if item.template), written, removed, time.perf_counter() - started)

    def shown_in(self, pages: list[Page | DataFile]) -> None:
        """Note what each page written shows from other files (see `select`)."""
        for page in pages:
            self.shows[output_file(page.path)] = page.shows

    def select(self, pages: list[Page | DataFile], changed: set[str]) -> list[Page | DataFile]:
        """The pages and data files to make again for a set of changed files.

        A page is made again when a file it shows changed, its template changed, or a value it shows
        that comes from other files (`Page.shows`: where a council stands among all) is not what it
        was when the page was last written: the values are compared, not the files, so an edit that
        changes no council's latest grades leaves the other councils' pages be.
        """
        content = self.config.content
        relative = {self._display(p) for p in changed}
        known = {output_file(p.path) for p in pages}
        if any(self._global(p) for p in changed) or not known <= set(self.digests):
            return pages
        templates_changed = {Path(p).name for p in changed if self._in(p, self.config.templates)}
        if templates_changed & set(SHARED_TEMPLATES):
            return pages
        content_changed = {p for p in relative if self._in(p, content)}
        return [page for page in pages
                if page.template in templates_changed
                or (content_changed and (page.depends_on is None or page.depends_on & content_changed))
                or self.shows.get(output_file(page.path), NOT_SHOWN) != page.shows]

    def _councils(self, changed: set[str]) -> set[str] | None:
        """The councils whose own files changed (their pages come first), or None when something else changed.

        Other councils' pages can show a changed file too (where each council's grade stands among all),
        and follow with the site-wide pages.
        """
        content = self.config.content.absolute() / "councils"
        paths = [Path(p).absolute() for p in changed]
        if not all(p.is_relative_to(content) and len(p.relative_to(content).parts) > 1 for p in paths):
            return None
        return {p.relative_to(content).parts[0] for p in paths}

    def _global(self, path: str) -> bool:
        """A change to this file can alter every page (site-wide content, added or removed files)."""
        if not self._in(path, self.config.content):
            return False
        rel = Path(path).absolute().relative_to(self.config.content.absolute())
        return rel.parts[0] != "councils" or not Path(path).exists() or len(rel.parts) < 3

    @staticmethod
    def _in(path: str, folder: Path) -> bool:
        """Whether a path lies under a folder."""
        return Path(path).absolute().is_relative_to(folder.absolute())

    @staticmethod
    def _display(path: str) -> str:
        """A path as the loader names files (relative to the working folder)."""
        return Problems().display(Path(path))

    def apply(self, files: dict[str, bytes], keep: set[str] | None) -> tuple[int, int]:
        """Write files whose bytes changed (each replaced in one step) and remove files no longer made (not in `keep`)."""
        written = removed = 0
        with self.lock:
            for relative, data in sorted(files.items()):
                digest = _digest(data)
                if self.digests.get(relative) == digest:
                    continue
                target = safe_target(self.out, relative)
                target.parent.mkdir(parents=True, exist_ok=True)
                tmp = target.with_name(f".{target.name}.tmp")
                tmp.write_bytes(data)
                os.replace(tmp, target)
                self.digests[relative] = digest
                written += 1
            for relative in sorted(set(self.digests) - keep) if keep is not None else ():
                if relative.startswith("pagefind/"):
                    continue
                path = safe_target(self.out, relative)
                if path.exists():
                    path.unlink()
                    removed += 1
                    remove_empty_folders(path.parent, self.out)
                del self.digests[relative]
        return written, removed


def remove_empty_folders(folder: Path, root: Path) -> None:
    """Remove a folder left empty by a removed page, and its empty parents, up to the root."""
    while folder != root and folder.is_relative_to(root) and folder.is_dir() and not any(folder.iterdir()):
        folder.rmdir()
        folder = folder.parent


def _digest(data: bytes) -> bytes:
    """A short digest of a file's bytes."""
    return hashlib.blake2b(data, digest_size=16).digest()


def error_page(problems: list[Problem], base_path: str) -> bytes:
    """The page the browser shows while the content has problems."""
    items = "\n".join(
        f"<li><p><strong>{html.escape(p.file)}{':' + str(p.line) if p.line else ''}</strong>: {html.escape(p.message)}</p>"
        f"<p>How to fix: {html.escape(p.hint)}</p></li>" for p in problems)
    return f"""<!doctype html>
<html lang="en-GB"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Preview: {len(problems)} problem{'s' if len(problems) != 1 else ''} to fix</title>
<link rel="stylesheet" href="{html.escape(base_path)}assets/style.css">
<link rel="icon" href="{html.escape(base_path)}assets/favicon.svg" type="image/svg+xml"></head>
<body><div class="wrap"><main id="main">
<h1>The preview cannot be built: {len(problems)} problem{'s' if len(problems) != 1 else ''} to fix</h1>
<p>Fix these in your files and save. This page will change back to the site by itself.</p>
<ol class="problems">{items}</ol>
</main></div></body></html>
""".encode("utf-8")


RELOAD_PREFIX = "/_preview/"  # the preview's own files (its reload script and socket), outside every site path
WAIT_LIMIT = 10.0  # seconds a request waits for a site-wide page still to be written, at most
INDEX_WAIT_LIMIT = 60.0  # seconds the search page waits for the first search index, at most
IDLE_LIMIT = 30.0  # seconds a client may take to send its request, or stay idle between requests
STALE = "stale"  # the version of a page served before it was written: its script reloads it at once
INDEX_QUIET = 0.5  # seconds without a rebuild before the search index is made again
STOP_WAIT = 10.0  # seconds to wait for the rebuilding and indexing threads when the preview stops
RELOAD_SCRIPT = b"""/* The preview's live reload. The page says which version of the preview it shows; the preview
   tells this script to reload the page when there is a newer one, at once if there already is. */
(function () {
  "use strict";
  var script = document.currentScript;
  var version = script ? script.getAttribute("data-version") : "";
  var address = (window.location.protocol === "https:" ? "wss://" : "ws://") + window.location.host +
    "/_preview/socket?version=" + encodeURIComponent(version || "");
  var delay = 250;

  /* Listen for "reload"; when the preview stops, try again now and then (a new preview reloads the page). */
  function connect() {
    var socket = new WebSocket(address);
    socket.onopen = function () { delay = 250; };
    socket.onmessage = function (event) {
      if (event.data === "reload") {
        window.location.reload();
      }
    };
    socket.onclose = function () {
      window.setTimeout(connect, delay);
      delay = Math.min(delay * 2, 5000);
    };
  }
  connect();
}());
"""


@dataclass(frozen=True)
class Answer:
    """A whole response to one request."""

    status: int
    kind: str
    body: bytes
    location: str | None = None

    @property
    def status_line(self) -> str:
        """The status as WSGI gives it, e.g. '404 Not Found'."""
        return f"{self.status} {HTTPStatus(self.status).phrase}"


class PreviewApp:
    """Answers requests for the preview under its base path, or the error page while there are problems.

    With `live`, each HTML page gets the reload script as a file from the same address (never an
    inline script, which the pages' Content-Security-Policy rightly blocks) and the version it shows.
    It is also a WSGI app.
    """

    def __init__(self, preview: Preview, live: bool = False) -> None:
        self.preview = preview
        self.base = preview.config.links.base_path
        self.live = live

    def __call__(self, environ: dict, start_response: Callable) -> list[bytes]:
        answer = self.answer(environ.get("PATH_INFO", "/") or "/")
        headers = self.headers(answer)
        start_response(answer.status_line, headers)
        return [answer.body]

    def headers(self, answer: Answer) -> list[tuple[str, str]]:
        """The headers of an answer; never cached, so an edit always shows."""
        kind = answer.kind
        if kind.startswith("text/") or kind in ("application/json", "application/xml", "application/atom+xml",
                                                "application/javascript"):
            kind += "; charset=utf-8"
        headers = [("Content-Type", kind), ("Cache-Control", "no-store"), ("Content-Length", str(len(answer.body)))]
        return headers + ([("Location", answer.location)] if answer.location else [])

    def relative(self, path: str) -> str | Answer:
        """The file a request's path names, relative to the site folder; or the answer when it is outside."""
        path = unquote(unquote(path))
        if "\x00" in path or ".." in path.split("/") or "\\" in path:
            return Answer(400, "text/plain", b"Bad request.")
        if not path.startswith(self.base):
            if path in ("/", ""):
                return Answer(302, "text/plain", b"", location=self.base)
            return self.not_found()
        relative = posixpath.normpath(path[len(self.base):] or ".")
        if relative.startswith("..") or relative.startswith("/"):
            return Answer(400, "text/plain", b"Bad request.")
        return relative

    def answer(self, path: str, wait: float = WAIT_LIMIT) -> Answer:
        """The answer to a request for `path` (decoded once, as WSGI's PATH_INFO), after waiting up to
        `wait` seconds for a site-wide page still to be written."""
        relative = self.relative(path)
        if isinstance(relative, Answer):
            return relative
        if relative == "review":  # the faithfulness review: made on request for the curator, never written to the site
            return self.review(self.preview.shown)
        written = self.preview.wait_for(relative, wait) if wait > 0 else not self.preview.is_pending(relative)
        with self.preview.lock:
            shown = self.preview.shown if written else STALE
            problems = list(self.preview.problems)
            target = self.find(relative)
            if problems and (target is None or target.suffix == ".html"):
                return Answer(500, "text/html", self.with_reload(error_page(problems, self.base), shown))
            if target is None:
                return self.not_found(shown)
            data = target.read_bytes()
        kind = mimetypes.guess_type(target.name)[0] or "application/octet-stream"
        return Answer(200, kind, self.with_reload(data, shown) if kind == "text/html" else data)

    def review(self, shown: str) -> Answer:
        """The faithfulness review page (generator/faithful.py), from the content as it is now."""
        from .faithful import review_page, run_check

        content = self.preview.config.content
        report, problems = run_check(content, Path("../shared/reports"), self.preview.config.out.parent / ".cache" / "faithful")
        if report is None:
            return Answer(500, "text/html", self.with_reload(error_page(problems.sorted(), self.base), shown))
        page = review_page(report, self.base + "assets/style.css").encode("utf-8")
        return Answer(200, "text/html", self.with_reload(page, shown))

    def with_reload(self, page: bytes, shown: str) -> bytes:
        """A page with the reload script (a file, told the version the page shows) before the end of its head."""
        if not self.live:
            return page
        script = f'<script src="{RELOAD_PREFIX}reload.js" data-version="{html.escape(shown)}" defer></script>'
        return page.replace(b"</head>", script.encode() + b"</head>", 1)

    def find(self, relative: str) -> Path | None:
        """The file a request names (a folder means its index.html), only inside the preview folder.

        Hidden files (the build's marker, the search index being made) are never served.
        """
        root = self.preview.out
        if any(part.startswith(".") for part in relative.split("/") if part != "."):
            return None
        candidate = root if relative == "." else root / relative
        if candidate.is_dir():
            candidate = candidate / "index.html"
        try:
            resolved = candidate.resolve()
        except OSError:
            return None
        if not resolved.is_relative_to(root.resolve()) or not resolved.is_file() or resolved.name == MARKER:
            return None
        return resolved

    def not_found(self, shown: str | None = None) -> Answer:
        """The site's own 404 page."""
        page = self.preview.out / "404.html"
        body = page.read_bytes() if page.is_file() else b"Not found."
        return Answer(404, "text/html", self.with_reload(body, shown or self.preview.shown))


class Live:
    """What the rebuilding thread and the server's loop share: requests waiting, and open pages to reload.

    Made, and its `settle` and sockets used, on the loop's thread; `changed` may be called from any thread.
    """

    def __init__(self, app: PreviewApp, wait_limit: float = WAIT_LIMIT, searchable: bool = False) -> None:
        self.app = app
        self.preview = app.preview
        self.wait_limit = wait_limit
        self.loop = IOLoop.current()
        self.sockets: set[ReloadSocket] = set()
        self.written = tornado.locks.Condition()
        self.searchable = searchable  # whether requests for the search index need not wait for its first run
        self.pool = ThreadPoolExecutor(4, thread_name_prefix="preview-read")  # file reads, off the loop

    def waiting(self, relative: str) -> bool:
        """Whether the file a request names is still to be written (a site-wide page, the first search index)."""
        if self.in_index(relative):
            return not self.searchable
        return self.preview.is_pending(relative)

    @staticmethod
    def in_index(relative: str) -> bool:
        """Whether a file is part of the search index."""
        return relative == BUNDLE or relative.startswith(BUNDLE + "/")

    async def settle(self, relative: str) -> None:
        """Wait, without holding up other requests, until the file is written or the wait limit passes."""
        limit = INDEX_WAIT_LIMIT if self.in_index(relative) else self.wait_limit
        deadline = self.loop.time() + limit
        while self.waiting(relative) and self.loop.time() < deadline:
            await self.written.wait(deadline)

    def changed(self) -> None:
        """Files were written or the version moved on: wake waiting requests, tell older pages to reload."""
        self.loop.add_callback(self._changed)

    def index_ready(self) -> None:
        """The search index was made (or could not be): its requests no longer wait."""
        self.searchable = True
        self.changed()

    def _changed(self) -> None:
        """On the loop: wake the requests, check each open page's version."""
        self.written.notify_all()
        for socket in list(self.sockets):
            socket.check()


class PageHandler(tornado.web.RequestHandler):
    """Every request for the site: waits (alone) for a page still to be written, then reads it off the loop."""

    def initialize(self, live: Live) -> None:
        self.live = live

    async def get(self) -> None:
        """Answer with the page."""
        answer = await self.prepared()
        self.finish(answer.body)

    async def head(self) -> None:
        """Answer with the page's headers only."""
        await self.prepared()
        self.finish()

    async def prepared(self) -> Answer:
        """The answer, its status and headers set."""
        path = url_unescape(self.request.path, plus=False)
        relative = self.live.app.relative(path)
        if not isinstance(relative, Answer):
            await self.live.settle(relative)
        answer = await IOLoop.current().run_in_executor(self.live.pool, self.live.app.answer, path, 0)
        self.set_status(answer.status)
        for name, value in self.live.app.headers(answer):
            self.set_header(name, value)
        return answer

    def compute_etag(self) -> None:
        """No ETag: nothing is cached."""
        return None


class ReloadScript(tornado.web.RequestHandler):
    """The reload script, as a file from the preview's own address."""

    def get(self) -> None:
        """Send the script."""
        self.set_header("Content-Type", "application/javascript; charset=utf-8")
        self.set_header("Cache-Control", "no-store")
        self.finish(RELOAD_SCRIPT)


class ReloadSocket(tornado.websocket.WebSocketHandler):
    """One open page: told to reload as soon as the preview's version is not the one the page shows."""

    def initialize(self, live: Live) -> None:
        self.live = live
        self.version = ""
        self.told = False

    def open(self, *args: str, **kwargs: str) -> None:
        """The page's script connected: tell it at once if the preview moved on since the page was served."""
        self.version = self.get_argument("version", "")
        self.live.sockets.add(self)
        self.check()

    def check(self) -> None:
        """Tell the page to reload if the preview shows a newer version than the page."""
        if not self.told and self.version != self.live.preview.shown:
            self.told = True
            try:
                self.write_message("reload")
            except tornado.websocket.WebSocketClosedError:
                self.live.sockets.discard(self)

    def on_message(self, message: str | bytes) -> None:
        """Pages say nothing."""

    def on_close(self) -> None:
        """The page went away."""
        self.live.sockets.discard(self)


def listen(live: Live, sockets: list[socket.socket], idle_limit: float = IDLE_LIMIT) -> tornado.httpserver.HTTPServer:
    """Serve the preview on bound sockets from the current loop; slow and idle clients are timed out."""
    routes = [
        (f"{RELOAD_PREFIX}reload\\.js", ReloadScript),
        (f"{RELOAD_PREFIX}socket", ReloadSocket, {"live": live}),
        (r".*", PageHandler, {"live": live}),
    ]
    app = tornado.web.Application(routes, websocket_ping_interval=15, websocket_ping_timeout=30,
                                  log_function=lambda handler: None)
    server = tornado.httpserver.HTTPServer(app, idle_connection_timeout=idle_limit, body_timeout=idle_limit,
                                          max_body_size=64 * 1024)
    server.add_sockets(sockets)
    return server


class BackgroundIndex:
    """Pagefind, run in its own thread after the first build and again after edits (once they pause).

    The index is made beside the site (in a hidden folder) and swapped in whole; a rebuild and its
    reload never wait for it.
    """

    def __init__(self, preview: Preview, done: Callable[[], None], quiet: float = INDEX_QUIET,
                 command: tuple[str, ...] = SearchIndexer.command) -> None:
        self.preview = preview
        self.done = done  # called after each run, whatever its outcome
        self.quiet = quiet
        self.command = command
        self.asked = threading.Condition()
        self.due: float | None = None  # when to index next (monotonic seconds); None: not asked
        self.stopping = False
        self.process: subprocess.Popen | None = None
        self.said = ""  # the last thing told to the curator, so it is said once
        self.previous: set[str] = set()  # the files of the index before the last one (see `swap_in`)
        self.thread = threading.Thread(target=self.run, name="preview-search", daemon=True)

    def start(self, now: bool) -> None:
        """Start the thread; index at once if `now`."""
        if now:
            self.due = time.monotonic()
        self.thread.start()

    def ask(self) -> None:
        """Index again once the edits pause for `quiet` seconds."""
        with self.asked:
            self.due = time.monotonic() + self.quiet
            self.asked.notify()

    def stop(self) -> None:
        """Stop indexing (ending a running Pagefind) and wait for the thread."""
        with self.asked:
            self.stopping = True
            self.asked.notify()
            if self.process is not None and self.process.poll() is None:
                self.process.kill()
        if self.thread.is_alive():
            self.thread.join(STOP_WAIT)

    def run(self) -> None:
        """Index whenever asked, until stopped."""
        while self.wait_until_due():
            try:
                self.index()
            except Exception as err:  # noqa: BLE001 - search failing must not stop the preview
                log.debug("search index failed", exc_info=True)
                self.tell(f"Search does not work in this preview: {type(err).__name__}: {err}")
            finally:
                self.done()

    def wait_until_due(self) -> bool:
        """Wait until asked and the edits paused; False when stopping."""
        with self.asked:
            while not self.stopping:
                if self.due is None:
                    self.asked.wait()
                elif (left := self.due - time.monotonic()) > 0:
                    self.asked.wait(left)
                else:
                    self.due = None
                    return True
            return False

    def index(self) -> None:
        """Run Pagefind on the preview folder into a hidden folder, then swap it in as `pagefind/`."""
        out = self.preview.out
        fresh = out / f".{BUNDLE}-new"
        shutil.rmtree(fresh, ignore_errors=True)
        started = time.perf_counter()
        try:
            output = self.pagefind(out, fresh)
            if output is None:  # stopping
                return
            check_result(self.process.returncode if self.process else 1, output, fresh)
        except BuildError as err:
            with self.asked:
                again = self.due is not None  # a rebuild during this run (a page removed, say): try again first
            if not again:
                self.tell(f"Search does not work in this preview: {err.problems.sorted()[0].message}")
            return
        finally:
            if not (fresh / "pagefind.js").is_file() or self.stopping:
                shutil.rmtree(fresh, ignore_errors=True)
        self.swap_in(fresh)
        self.tell(f"Search is ready (indexed in {time.perf_counter() - started:.1f} s).")

    def swap_in(self, fresh: Path) -> None:
        """Move the new index into `pagefind/`, all at once for requests (they read under the lock).

        The files of the index before stay until the next one: a search page that loaded the older
        index's entry file can still fetch the parts it names (they are named by their content).
        """
        bundle = self.preview.out / BUNDLE
        names = {path.relative_to(fresh).as_posix() for path in fresh.rglob("*") if path.is_file()}
        with self.preview.lock:
            for name in sorted(names):
                target = bundle / name
                target.parent.mkdir(parents=True, exist_ok=True)
                os.replace(fresh / name, target)
            keep = names | self.previous
            for path in [p for p in bundle.rglob("*") if p.is_file()]:
                if path.relative_to(bundle).as_posix() not in keep:
                    path.unlink()
        self.previous = names
        shutil.rmtree(fresh, ignore_errors=True)

    def pagefind(self, site: Path, output: Path) -> str | None:
        """Run Pagefind (at a lower priority) on the site into `output`; what it said, None when stopping."""
        args = [*_lower_priority(), *pagefind_command(site, self.command, output)]
        with self.asked:
            if self.stopping:
                return None
            self.process = subprocess.Popen(args, cwd=site, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        try:
            said, _ = self.process.communicate(timeout=SEARCH_TIMEOUT)
        except subprocess.TimeoutExpired:
            self.process.kill()
            said, _ = self.process.communicate()
            said = f"Pagefind took more than {SEARCH_TIMEOUT} s"
        return None if self.stopping else said

    def tell(self, message: str) -> None:
        """Say something about search in the console, once (not after every edit)."""
        if message.split(" (")[0] != self.said.split(" (")[0]:
            print(message, flush=True)
        self.said = message


def _lower_priority() -> list[str]:
    """A prefix that runs a command at a lower priority, so rebuilds keep the processor first."""
    nice = shutil.which("nice")
    return [nice, "-n", "10"] if nice else []


def report(outcome: Outcome | None) -> None:
    """Tell the curator in the console what the rebuild did."""
    if outcome is None:
        return
    if outcome.ok:
        print(f"Rebuilt {outcome.rendered} page{'s' if outcome.rendered != 1 else ''}, wrote {outcome.written} "
              f"file{'s' if outcome.written != 1 else ''} in {outcome.seconds * 1000:.0f} ms.", flush=True)
    else:
        for problem in outcome.problems:
            print(problem.format(), flush=True)
        print(f"{len(outcome.problems)} problem(s): the browser shows them until they are fixed.", flush=True)


def code_changed(before: dict[str, tuple[int, int]], package: Path) -> tuple[dict[str, tuple[int, int]], bool]:
    """Whether the generator's own Python files changed since the last look."""
    state = {p: s for p, s in snapshot([package]).items() if p.endswith(".py")}
    return state, bool(before) and state != before


def keep_running(loop: Callable[[], None], pause: float = 0.5) -> None:
    """Run the watcher's loop; an unexpected error is told in the console and the loop starts again.

    Content errors are reported as problems; this is for the rest (a bug), so the preview never
    stops updating without a word.
    """
    while True:
        try:
            loop()
            return
        except Exception as err:  # noqa: BLE001 - the watcher must outlive any one rebuild
            log.debug("the preview's watcher failed", exc_info=True)
            print(f"The preview could not rebuild ({type(err).__name__}: {shorten(str(err))}). It keeps watching: "
                  "save the file again once it is fixed. If this happens again, tell the developers.", flush=True)
            time.sleep(pause)


def step(preview: Preview, live: Live, index: BackgroundIndex) -> None:
    """One rebuild after a save; whatever goes wrong is shown, and the preview goes on following saves."""
    try:
        rebuild_and_tell(preview, live, index)
    except Exception as err:  # noqa: BLE001 - the preview must keep following the curator's saves
        unexpected(preview, err)
        preview.move_on()
        live.changed()


def rebuild_and_tell(preview: Preview, live: Live, index: BackgroundIndex) -> None:
    """One rebuild after a save: the council's pages (open pages reload at once), then the site-wide ones."""
    first = preview.begin()
    if first is None:
        return
    preview.move_on()
    live.changed()
    later = preview.finish()  # requests for the site-wide pages wait for this
    live.changed()  # wakes them
    report(first.then(later))
    if later is not None and (not later.ok or not first.written):
        preview.move_on()
        live.changed()
    if first.ok and (later is None or later.ok):
        index.ask()


def unexpected(preview: Preview, err: Exception) -> None:
    """A rebuild failed in a way no check foresaw: say so in the console and the browser, keep following."""
    log.debug("rebuild failed", exc_info=True)
    problems = Problems()
    problems.add("(preview)", 0, f"the preview could not rebuild ({type(err).__name__}: {err}).",
                 "undo your last change and save again; if this stays, stop the preview (Ctrl-C), start it "
                 "again, and tell the developers.")
    with preview.lock:
        preview.problems = problems.sorted()
        preview.pending, preview.pending_files = [], frozenset()
        preview.state = {}  # the next save rebuilds every page
    report(Outcome(False, problems=preview.problems))


def follow(preview: Preview, live: Live, index: BackgroundIndex, stop: threading.Event) -> None:
    """The rebuilding thread: wait for saves, rebuild, tell the browser; also notice changes to our own code."""
    package = Path(__file__).resolve().parent
    code_state, _ = code_changed({}, package)
    files = FileWatcher(preview.watched())
    looked = time.monotonic()
    try:
        while not stop.is_set():
            if files.changed(CODE_INTERVAL) and not stop.is_set():
                step(preview, live, index)
            if time.monotonic() - looked >= CODE_INTERVAL:
                looked = time.monotonic()
                code_state, moved = code_changed(code_state, package)
                if moved:
                    print("The generator's own code changed: stop this preview (Ctrl-C) and start it again "
                          "to use the new code.", flush=True)
    finally:
        files.close()


def port_problem(port: int, err: OSError) -> str:
    """What to tell the curator when the preview cannot listen on the port."""
    other = free_port_near(port)
    choose = f"choose another port, for example: serve --port {other}" if other else "choose another port with --port"
    if err.errno == errno.EADDRINUSE:
        return (f"Port {port} is busy: another program (perhaps another preview) is using it.\n"
                f"Stop that program, or {choose}")
    if err.errno == errno.EACCES:
        return f"This computer does not let the preview use port {port}: {choose} (from 1024 to 65535)."
    return f"The preview cannot listen on 127.0.0.1 port {port} ({err.strerror or err}): {choose}"


def free_port_near(port: int) -> int | None:
    """A port from 8000 up (or just above `port`) that nothing listens on now; None if none is found quickly."""
    start = port + 1 if 1024 <= port < 65500 else 8000
    for candidate in range(start, start + 20):
        with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
            try:
                probe.bind(("127.0.0.1", candidate))
            except OSError:
                continue
            return candidate
    return None


def stop_on_signals() -> Callable[[], None]:
    """Make Ctrl-C, SIGTERM and SIGHUP stop the preview (so it cleans up); returns the undo.

    SIGINT too: a process started in the background by a script inherits it ignored, and would
    then never stop on `kill -INT`.
    """
    def stop(signum: int, frame: Any) -> None:
        raise KeyboardInterrupt

    previous: dict[int, Any] = {}
    for name in ("SIGINT", "SIGTERM", "SIGHUP"):
        number = getattr(signal, name, None)
        if number is not None:
            try:
                previous[number] = signal.signal(number, stop)
            except ValueError:  # not the main thread
                pass
    return lambda: [signal.signal(number, handler) for number, handler in previous.items()] and None


def serve(content: Path, templates: Path, out: Path | None, links: Any, port: int, open_browser: bool,
          cache_dir: Path | None = None) -> int:
    """Serve the preview with live reload until Ctrl-C (or SIGTERM); 1 when the port cannot be used.

    The port is taken before the first build, so a busy port is said at once. A temporary folder
    made for the preview is removed however the preview stops.
    """
    try:
        sockets = bind_sockets(port, "127.0.0.1")
    except OSError as err:
        print(port_problem(port, err), file=sys.stderr, flush=True)
        return 1
    scratch: Path | None = None
    restore = stop_on_signals()
    try:
        if out is None:
            scratch = Path(tempfile.mkdtemp(prefix="inspections-preview-"))
            out = scratch / "site"
        # While the preview (and its search index) writes into its folder, no build may swap another
        # site in under it (see build.output_lock).
        with output_lock(out.absolute(), lambda message: print(message, flush=True)):
            preview = Preview(BuildConfig(content, templates, out, links, drafts=True, cache_dir=cache_dir, locked=True))
            port = sockets[0].getsockname()[1]  # the one chosen when asked for 0
            run(preview, sockets, f"http://127.0.0.1:{port}{links.base_path}", open_browser)
    except KeyboardInterrupt:
        pass
    except BuildError as err:  # the folder stayed busy
        for problem in err.problems.sorted():
            print(problem.format(), file=sys.stderr, flush=True)
        return 1
    finally:
        for bound in sockets:
            bound.close()
        if scratch is not None:
            shutil.rmtree(scratch, ignore_errors=True)
        restore()
    print("Preview stopped.", flush=True)
    return 0


def run(preview: Preview, sockets: list[socket.socket], address: str, open_browser: bool) -> None:
    """Build, then serve and follow saves until the loop stops (Ctrl-C raises KeyboardInterrupt)."""
    first = preview.start()
    if first.ok:
        print(f"Built {first.rendered} pages in {first.seconds:.1f} s (drafts included, marked).", flush=True)
    else:
        report(first)
    live = Live(PreviewApp(preview, live=True), searchable=not first.ok)
    index = BackgroundIndex(preview, live.index_ready)
    server = listen(live, sockets)
    stop = threading.Event()
    follower = threading.Thread(target=keep_running, args=(lambda: follow(preview, live, index, stop),),
                                name="preview-watcher", daemon=True)
    follower.start()
    index.start(now=first.ok)
    print(f"Preview at {address} (Ctrl-C to stop)", flush=True)
    if open_browser:
        threading.Timer(0.5, webbrowser.open, (address,)).start()
    try:
        live.loop.start()
    finally:
        stop.set()
        index.stop()
        follower.join(STOP_WAIT)
        server.stop()
        live.pool.shutdown(wait=False)
        preview.caches.save()  # once, at the end: saving after every edit would slow each rebuild
