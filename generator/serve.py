"""The live preview: incremental rebuilds, errors shown in the browser, livereload on 127.0.0.1 only."""
from __future__ import annotations

import contextlib
import dataclasses
import gc
import hashlib
import html
import logging
import mimetypes
import os
import posixpath
import threading
import time
import webbrowser
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import unquote

from .build import MARKER, MARKER_TEXT, BuildConfig, BuildError, asset_files, build, load, output_lock, safe_target
from .cache import Caches
from .pages import DataFile, Page, Words, plan
from .problems import Problem, Problems, shorten
from .render import describe_template_error, make_environment, new_environment
from .urls import output_file
from .watch import Watcher as FileWatcher, ignorable

log = logging.getLogger(__name__)

CODE_INTERVAL = 1.0  # seconds between looks at the generator's own code
SHARED_TEMPLATES = ("base.html", "_macros.html")
# Pages about one council: after an edit these are written first and the browser reloads at once;
# the site-wide pages and data files (home, sources, feeds, open data) follow (see Preview.begin).
COUNCIL_TEMPLATES = ("council.html", "inspection.html", "changes.html")


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
        self.state: dict[str, tuple[int, int]] = {}
        self.problems: list[Problem] = []
        self.env: Any = None
        self.pending: list[Page | DataFile] = []  # chosen by `begin`, not yet written (see `finish`)
        self.pending_files: set[str] = set()
        self.written = threading.Condition(self.lock)  # notified when the pending files are written

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
        finally:
            with self.written:
                self.pending_files = set()
                self.written.notify_all()
        if not isinstance(rendered, dict):
            return rendered
        return Outcome(True, sum(1 for item in pages if item.template), written, 0, time.perf_counter() - started)

    def wait_for(self, relative: str, timeout: float = 10.0) -> None:
        """Wait while a file a request names is still to be written by `finish`."""
        names = {relative, posixpath.join(relative, "index.html") if relative != "." else "index.html"}
        with self.written:
            self.written.wait_for(lambda: not names & self.pending_files, timeout)

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
            self.pending, self.pending_files = later, {output_file(item.path) for item in later}
        written, removed = self.apply(rendered, keep)
        self.problems = []
        return Outcome(True, sum(1 for item in first if item.template), written, removed, time.perf_counter() - started)

    def select(self, pages: list[Page | DataFile], changed: set[str]) -> list[Page | DataFile]:
        """The pages and data files to make again for a set of changed files."""
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
                or (content_changed and (page.depends_on is None or page.depends_on & content_changed))]

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
<link rel="stylesheet" href="{html.escape(base_path)}assets/style.css"></head>
<body><div class="wrap"><main id="main">
<h1>The preview cannot be built: {len(problems)} problem{'s' if len(problems) != 1 else ''} to fix</h1>
<p>Fix these in your files and save. This page will change back to the site by itself.</p>
<ol class="problems">{items}</ol>
</main></div></body></html>
""".encode("utf-8")


class PreviewApp:
    """A WSGI app serving the preview under its base path, or the error page while there are problems.

    livereload adds an inline script that the site's Content-Security-Policy (rightly) blocks, so
    each HTML page also gets livereload's own script as a file from the same address, which the
    policy allows.
    """

    def __init__(self, preview: Preview, port: int = 0) -> None:
        self.preview = preview
        self.base = preview.config.links.base_path
        self.script = f'<script src="/livereload.js?port={port}" defer></script>'.encode() if port else b""

    def __call__(self, environ: dict, start_response: Callable) -> list[bytes]:
        raw = environ.get("PATH_INFO", "/") or "/"
        path = unquote(unquote(raw))
        if "\x00" in path or ".." in path.split("/") or "\\" in path:
            return self.respond(start_response, "400 Bad Request", b"Bad request.", "text/plain")
        if not path.startswith(self.base):
            if path in ("/", ""):
                start_response("302 Found", [("Location", self.base)])
                return [b""]
            return self.not_found(start_response)
        relative = posixpath.normpath(path[len(self.base):] or ".")
        if relative.startswith("..") or relative.startswith("/"):
            return self.respond(start_response, "400 Bad Request", b"Bad request.", "text/plain")
        if relative == "review":  # the faithfulness review: made on request for the curator, never written to the site
            return self.review(start_response)
        self.preview.wait_for(relative)
        with self.preview.lock:
            problems = list(self.preview.problems)
            target = self.find(relative)
            if problems and (target is None or target.suffix == ".html"):
                return self.respond(start_response, "500 Internal Server Error",
                                    self.with_reload(error_page(problems, self.base)), "text/html")
            if target is None:
                return self.not_found(start_response)
            data = target.read_bytes()
        kind = mimetypes.guess_type(target.name)[0] or "application/octet-stream"
        return self.respond(start_response, "200 OK", self.with_reload(data) if kind == "text/html" else data, kind)

    def review(self, start_response: Callable) -> list[bytes]:
        """The faithfulness review page (generator/faithful.py), from the content as it is now."""
        from .faithful import review_page, run_check

        content = self.preview.config.content
        report, problems = run_check(content, Path("../shared/reports"), self.preview.config.out.parent / ".cache" / "faithful")
        if report is None:
            return self.respond(start_response, "500 Internal Server Error",
                                self.with_reload(error_page(problems.sorted(), self.base)), "text/html")
        page = review_page(report, self.base + "assets/style.css").encode("utf-8")
        return self.respond(start_response, "200 OK", self.with_reload(page), "text/html")

    def with_reload(self, page: bytes) -> bytes:
        """A page with livereload's script (as a file) before the end of its head."""
        return page.replace(b"</head>", self.script + b"</head>", 1) if self.script else page

    def find(self, relative: str) -> Path | None:
        """The file a request names (a folder means its index.html), only inside the preview folder."""
        root = self.preview.out
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

    def not_found(self, start_response: Callable) -> list[bytes]:
        """The site's own 404 page."""
        page = self.preview.out / "404.html"
        body = page.read_bytes() if page.is_file() else b"Not found."
        return self.respond(start_response, "404 Not Found", self.with_reload(body), "text/html")

    @staticmethod
    def respond(start_response: Callable, status: str, body: bytes, kind: str) -> list[bytes]:
        """Send a whole response; never cached, so an edit always shows."""
        if kind.startswith("text/") or kind in ("application/json", "application/xml", "application/atom+xml"):
            kind += "; charset=utf-8"
        start_response(status, [("Content-Type", kind), ("Cache-Control", "no-store"), ("Content-Length", str(len(body)))])
        return [body]


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


def serve(content: Path, templates: Path, out: Path | None, links: Any, port: int, open_browser: bool,
          cache_dir: Path | None = None) -> int:
    """Serve the preview with livereload until Ctrl-C."""
    import tempfile

    from livereload import Server
    from livereload.handlers import LiveReloadHandler
    from livereload.watcher import Watcher
    from tornado.ioloop import IOLoop

    out = out or Path(tempfile.mkdtemp(prefix="inspections-preview-")) / "site"
    # While the preview writes into its folder, no build may swap another site in under it (see build.output_lock).
    hold = contextlib.ExitStack()
    hold.enter_context(output_lock(out.absolute(), lambda message: print(message, flush=True)))
    preview = Preview(BuildConfig(content, templates, out, links, drafts=True, cache_dir=cache_dir, locked=True))
    first = preview.start()
    if first.ok:
        print(f"Built {first.rendered} pages in {first.seconds:.1f} s (drafts included, marked).", flush=True)
    else:
        report(first)
    package = Path(__file__).resolve().parent

    class ChangeWatcher(Watcher):
        """Looks at the content and templates every few hundredths of a second, in its own thread."""

        def start(self, callback: Callable) -> bool:  # noqa: ARG002 - livereload's interface
            loop = IOLoop.current()
            code_state, _ = code_changed({}, package)
            files = FileWatcher(preview.watched())

            def run() -> None:
                nonlocal code_state
                looked = time.monotonic()
                while True:
                    if files.changed(CODE_INTERVAL):
                        first = preview.begin()  # the council's pages: the browser reloads at once
                        if first is not None:
                            loop.add_callback(LiveReloadHandler.reload_waiters)
                            later = preview.finish()  # then the site-wide pages (requests for them wait)
                            report(first.then(later))
                            if later is not None and (not later.ok or not first.written):
                                loop.add_callback(LiveReloadHandler.reload_waiters)
                    if time.monotonic() - looked >= CODE_INTERVAL:
                        looked = time.monotonic()
                        code_state, moved = code_changed(code_state, package)
                        if moved:
                            print("The generator's own code changed: stop this preview (Ctrl-C) and start it again "
                                  "to use the new code.", flush=True)

            threading.Thread(target=keep_running, args=(run,), name="preview-watcher", daemon=True).start()
            return True

    class QuietServer(Server):
        """livereload's server without its request log: the console shows rebuilds and problems."""

        def _setup_logging(self) -> None:
            for name in ("livereload", "tornado"):
                logging.getLogger(name).setLevel(logging.ERROR)
                logging.getLogger(name).propagate = False
                logging.getLogger(name).addHandler(logging.NullHandler())

    server = QuietServer(app=PreviewApp(preview, port), watcher=ChangeWatcher())
    address = f"http://127.0.0.1:{port}{links.base_path}"
    print(f"Preview at {address} (Ctrl-C to stop)", flush=True)
    if open_browser:
        threading.Timer(0.5, webbrowser.open, (address,)).start()
    try:
        server.serve(host="127.0.0.1", port=port, debug=False, restart_delay=0)
    except KeyboardInterrupt:
        pass
    preview.caches.save()  # once, at the end: saving after every edit would slow each rebuild
    hold.close()
    print("Preview stopped.", flush=True)
    return 0
