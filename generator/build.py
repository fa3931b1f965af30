"""The build: read -> validate -> compute -> render -> write, swapped in atomically."""
from __future__ import annotations

import ctypes
import ctypes.util
import contextlib
import hashlib
import dataclasses
import logging
import os
import re
import pickle
import shutil
import tempfile
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import jinja2

from .ahead import check_ahead
from .cache import Caches, unseal, write_sealed
from .layout import report_links
from .load import IGNORED, load_site
from .model import Site
from .pages import DataFile, Page, Words, plan
from .problems import Problems
from .render import compile_templates, describe_template_error, make_environment, new_environment
from .urls import Links, output_file
from .workers import fork_worker, result

log = logging.getLogger(__name__)

MARKER = ".built-by-inspections-explained"  # marks a folder this generator may replace
ASSETS = "assets"  # the folder of the site that holds the templates' static files
MARKER_TEXT = b"This folder is made by the site generator: every build replaces it whole.\n"
_RENAME_EXCHANGE = 2
PARALLEL_MIN_PAGES = 200  # below this, forking costs more than it saves
LOCK_WAIT = 600.0  # seconds a build waits for another build into the same folder before giving up


class BuildError(Exception):
    """A build that could not finish; `problems` say where and how to fix it."""

    def __init__(self, problems: Problems) -> None:
        super().__init__(f"{len(problems)} problem(s)")
        self.problems = problems


@dataclass(frozen=True)
class BuildConfig:
    """What to build from, where to, and how."""

    content: Path
    templates: Path
    out: Path
    links: Links = field(default_factory=Links)
    drafts: bool = False  # show drafts (the preview); a published build never does
    cache_dir: Path | None = None  # None: no cache is read or written
    jobs: int = 0  # processes that render pages; 0: one per core
    after_write: tuple[Callable[[Path], None], ...] = ()  # steps run on the new folder before it is swapped in
    on_wait: Callable[[str], None] | None = None  # told when the build waits for another build into the same folder
    locked: bool = False  # the caller holds the output folder's lock already (the preview, for as long as it runs)


@dataclass
class BuildResult:
    """What a build wrote, and how long each step took."""

    site: Site
    pages: int
    files: int
    drafts: tuple[str, ...]
    timings: dict[str, float] = field(default_factory=dict)


def default_jobs() -> int:
    """One rendering process per core this process may use."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # pragma: no cover - not Linux
        return max(1, os.cpu_count() or 1)


def load(config: BuildConfig, caches: Caches, stats: dict | None = None) -> Site:
    """Read and validate the content; BuildError when anything is wrong."""
    site, problems = load_site(config.content, caches.parse, stats)
    if site is None:
        raise BuildError(problems)
    return dataclasses.replace(site, show_drafts=True) if config.drafts else site


def build(config: BuildConfig, caches: Caches | None = None, env: jinja2.Environment | None = None) -> BuildResult:
    """Build the whole site; on any problem raise BuildError and leave the output as it was.

    `env` is a Jinja environment from `new_environment` to use (the preview keeps its compiled templates).
    """
    check_out_folder(config)
    with contextlib.nullcontext() if config.locked else output_lock(config.out.absolute(), config.on_wait):
        return _build(config, caches, env)


def _build(config: BuildConfig, caches: Caches | None, env: jinja2.Environment | None) -> BuildResult:
    """The build itself, while this process alone writes beside the output folder."""
    timings: dict[str, float] = {}
    started = time.perf_counter()
    check_out_folder(config)
    check_templates(config.templates)
    caches = caches or Caches.in_folder(config.cache_dir)
    env = env or new_environment(config.templates, config.cache_dir / "templates" if config.cache_dir else None,
                                 reload=False)
    stats = None
    if not caches.parse.entries:  # nothing known yet (a cold build): check and render on every core first
        stats = check_ahead(config.content, caches, config.jobs or default_jobs(), meanwhile=lambda: compile_templates(env))
    site = load(config, caches, stats)
    timings["read and check"] = time.perf_counter() - started
    env = make_environment(config.templates, site, config.links, reuse=env)
    pages, data = plan(site, config.links, Words(site, config.links, caches.markdown))
    check_one_file_each([*pages, *data])
    out = config.out.absolute()
    out.parent.mkdir(parents=True, exist_ok=True)
    remove_leftovers(out)
    trees = Trees(config.cache_dir / "trees.pickle" if config.cache_dir else None)
    tmp, base = trees.target(out)
    try:
        mark = time.perf_counter()
        extra = asset_files(config.templates / "assets")
        extra[MARKER] = MARKER_TEXT
        made = render_pages([*pages, *data], env, tmp, config, caches, base)
        made.update(write_files(tmp, extra, base))
        remove_stale(tmp, base, made)
        timings["render and write"] = time.perf_counter() - mark
        for step in config.after_write:
            mark = time.perf_counter()
            step(tmp)
            timings[getattr(step, "label", getattr(step, "__name__", "after write"))] = time.perf_counter() - mark
        os.chmod(tmp, 0o755)
        trees.swap_in(tmp, out, made)
    finally:
        if tmp.exists() and not trees.keeps(tmp):
            shutil.rmtree(tmp, ignore_errors=True)
    caches.save()
    timings["total"] = time.perf_counter() - started
    return BuildResult(site, len(pages), len(pages) + len(data) + len(extra), site.drafts, timings)


def render_pages(pages: list[Page | DataFile], env: jinja2.Environment, root: Path, config: BuildConfig, caches: Caches,
                 base: dict[str, bytes]) -> dict[str, bytes]:
    """Render every page into `root` (several processes when there are many); their digests by path."""
    jobs = config.jobs or default_jobs()
    if jobs <= 1 or len(pages) < PARALLEL_MIN_PAGES or not hasattr(os, "fork"):
        return render_chunk(pages, env, root, config.templates, base)
    compile_templates(env)  # once, here, rather than once in each process
    chunks = [pages[i::jobs] for i in range(jobs)]
    children = [fork_renderer(chunk, env, root, config.templates, caches, base) for chunk in chunks[1:]]
    error: BuildError | None = None
    made: dict[str, bytes] = {}
    try:
        made = render_chunk(chunks[0], env, root, config.templates, base)
    except BuildError as err:
        error = err
    for pid, reader in children:
        outcome = collect(pid, reader)
        if isinstance(outcome, BuildError):
            error = error or outcome
        else:
            new, used, digests = outcome
            for key, value in new.items():
                caches.markdown.put(key, value)
            caches.markdown.used |= used
            made.update(digests)
    if error:
        raise error
    return made


def fork_renderer(pages: list[Page | DataFile], env: jinja2.Environment, root: Path, templates: Path,
                  caches: Caches, base: dict[str, bytes]) -> tuple[int, int]:
    """Render pages in a forked child; it sends back new Markdown cache entries or its problems."""
    known = set(caches.markdown.entries)

    def work() -> tuple[str, Any]:
        try:
            digests = render_chunk(pages, env, root, templates, base)
        except BuildError as err:
            return "problems", err.problems.items
        new = {k: v for k, v in caches.markdown.entries.items() if k not in known}
        return "ok", (new, caches.markdown.used, digests)

    return fork_worker(work)


def collect(pid: int, reader: int) -> tuple[dict, set, dict] | BuildError:
    """What a rendering child sent back: new cache entries, or the problems it met."""
    sent, status = result(pid, reader)
    if not isinstance(sent, tuple) or len(sent) != 2:
        problems = Problems()
        problems.add("(build)", 0, f"a rendering process stopped unexpectedly (status {status}).", "run the build again; if it fails again, use --jobs 1 and report the message.")
        return BuildError(problems)
    kind, value = sent
    if kind == "ok":
        return value
    return BuildError(Problems(items=value))


def render_chunk(pages: Iterable[Page | DataFile], env: jinja2.Environment, root: Path, templates: Path,
                 base: dict[str, bytes]) -> dict[str, bytes]:
    """Render pages one by one into `root` (writing only what differs from `base`); their digests."""
    folders = known_folders(root, base)
    digests: dict[str, bytes] = {}
    try:
        for page in pages:
            relative = output_file(page.path)
            digests[relative] = write_file(root, relative, page.render(env), folders, base)
        return digests
    except jinja2.TemplateError as err:
        problems = Problems()
        file, line, message = describe_template_error(err, templates)
        problems.add(file, line, message, "correct the template; the error names the template and line.")
        raise BuildError(problems) from err


def write_files(root: Path, files: dict[str, bytes], base: dict[str, bytes] | None = None) -> dict[str, bytes]:
    """Write files under `root` (only those that differ from `base`); their digests."""
    base = base or {}
    folders = known_folders(root, base)
    return {relative: write_file(root, relative, files[relative], folders, base) for relative in sorted(files)}


def known_folders(root: Path, base: dict[str, bytes]) -> set[Path]:
    """The folders a tree with these files already has."""
    return {root, *((root / relative).parent for relative in base)}


def write_file(root: Path, relative: str, data: bytes, folders: set[Path], base: dict[str, bytes]) -> bytes:
    """Write one file under `root` unless `base` says it already holds these bytes; its digest."""
    digest = file_digest(data)
    if base.get(relative) == digest:
        return digest
    target = safe_target(root, relative)
    if target.parent not in folders:
        target.parent.mkdir(parents=True, exist_ok=True)
        folders.add(target.parent)
    write_bytes(target, data)
    return digest


WRITE_FLAGS = os.O_WRONLY | os.O_CREAT | os.O_TRUNC | getattr(os, "O_CLOEXEC", 0) | getattr(os, "O_BINARY", 0)


def write_bytes(target: Path, data: bytes) -> None:
    """Write a file with the fewest system calls (a build writes thousands; `open` adds three more each)."""
    fd = os.open(target, WRITE_FLAGS, 0o666)
    try:
        view = memoryview(data)
        while view:
            view = view[os.write(fd, view):]
    finally:
        os.close(fd)


def remove_stale(root: Path, base: dict[str, bytes], made: dict[str, bytes]) -> None:
    """Remove what a reused tree holds that this build does not make (and folders left empty)."""
    for relative in sorted(set(base) - set(made), reverse=True):
        target = safe_target(root, relative)
        try:
            target.unlink()
        except FileNotFoundError:
            pass
        folder = target.parent
        while folder != root and not any(folder.iterdir()):
            folder.rmdir()
            folder = folder.parent


def asset_files(folder: Path) -> dict[str, bytes]:
    """Static files (CSS, icons) copied as they are, under assets/; links are never followed (check_templates names them)."""
    out = {}
    for top, folders, files in os.walk(folder):  # os.walk does not go into linked folders
        folders[:] = [name for name in folders if not name.startswith(".")]
        for name in files:
            path = Path(top) / name
            if not name.startswith(".") and not path.is_symlink() and path.is_file():
                data = path.read_bytes()
                out[f"{ASSETS}/" + path.relative_to(folder).as_posix()] = lean_css(data) if name.endswith(".css") else data
    return dict(sorted(out.items()))


def lean_css(data: bytes) -> bytes:
    """A stylesheet without its comments and indenting: every page loads it, on phones and poor connections."""
    text = re.sub(r"/\*.*?\*/", "", data.decode("utf-8"), flags=re.S)
    lines = (line.strip() for line in text.splitlines())
    return ("\n".join(line for line in lines if line) + "\n").encode("utf-8")


def check_one_file_each(outputs: list[Page | DataFile]) -> None:
    """Refuse two pages or files written to one place (the last guard behind layout.report_name_clashes)."""
    seen: dict[str, Page | DataFile] = {}
    problems = Problems()
    for item in outputs:
        target = output_file(item.path)
        if target in seen:
            problems.add("(build)", 0, f"two pages would be written to {target}.",
                         "rename the council folder or page file that has a name the site uses.")
        seen.setdefault(target, item)
    if problems:
        raise BuildError(problems)


def check_templates(templates: Path) -> None:
    """Refuse templates or assets that are links: the build never follows a link out of its folder."""
    problems = Problems()
    report_links(templates, problems, "template or asset", skip=lambda name: bool(IGNORED.search(name)))  # editor lock files
    if problems:
        raise BuildError(problems)


FileState = tuple[int, int, int, int, int]  # device, inode, size, modified and changed times (ns)


def file_state(info: os.stat_result) -> FileState:
    """What identifies one version of a file without reading it (the change time cannot be set by hand)."""
    return info.st_dev, info.st_ino, info.st_size, info.st_mtime_ns, info.st_ctime_ns


def file_digest(data: bytes) -> bytes:
    """The digest the build keeps of each file it writes."""
    return hashlib.blake2b(data, digest_size=16).digest()


class Trees:
    """The output folder and a spare copy beside it, with a record of every file the build wrote in each.

    A build with a cache writes into the spare copy only the files that differ from what it holds
    (nothing at all when nothing changed), then swaps it with the output folder in one step: the
    old site becomes the spare for the next build. The spare is trusted file by file, never as a
    whole: each file must be one the build wrote (same inode, size and times as recorded when it
    was written) or hold exactly the recorded bytes; anything else in it (files edited, added or
    left by hand or by the preview, links, other kinds of file) is removed first and written anew.
    Without a cache, or with no record of the spare, the build writes a new folder from nothing.
    """

    SPARE = ".{}.spare"
    INDEX_FOLDER = "pagefind"  # made by the search step, not listed: removed before a spare is reused

    def __init__(self, path: Path | None) -> None:
        self.path = path
        self.known: dict[str, dict[str, tuple[bytes, FileState]]] = {}  # by folder path: file -> (digest, state)
        if path:
            try:
                known = pickle.loads(unseal(path) or b"")  # only what this program wrote, whole
                self.known = known if isinstance(known, dict) and all(isinstance(k, str) for k in known) else {}
            except Exception:  # noqa: BLE001 - unknown trees are rebuilt from nothing
                self.known = {}

    def target(self, out: Path) -> tuple[Path, dict[str, bytes]]:
        """The folder to build into, and the digests of what it provably holds."""
        spare = out.parent / self.SPARE.format(out.name)
        if self.path and spare.is_dir() and not spare.is_symlink() and (spare / MARKER).is_file():
            record = self.known.pop(str(spare), None)
            self.save()  # from now on the spare is being changed: unknown until it is swapped in
            if record is not None:
                shutil.rmtree(spare / self.INDEX_FOLDER, ignore_errors=True)
                return spare, proven_files(spare, record)
        remove_path(spare)
        return Path(tempfile.mkdtemp(prefix=f".{out.name}.new-", dir=out.parent)), {}

    def keeps(self, folder: Path) -> bool:
        """Whether a folder that was built into is the spare (kept for the next build)."""
        return self.path is not None and folder.name.startswith(".") and folder.name.endswith(".spare")

    def swap_in(self, new: Path, out: Path, made: dict[str, bytes]) -> None:
        """Make `new` the output; keep the old output as the spare when what it holds is recorded."""
        previous = self.known.get(str(out)) if out.is_dir() else None
        spare = out.parent / self.SPARE.format(out.name)
        record = record_files(new, made) if self.path else {}
        kept: dict[str, dict[str, tuple[bytes, FileState]]] = {}
        if not out.exists():
            os.rename(new, out)
        elif _exchange(new, out):
            if previous is not None and self.path:
                if new != spare:
                    os.rename(new, spare)
                kept[str(spare)] = previous
            else:
                shutil.rmtree(new, ignore_errors=True)
        else:
            old = Path(tempfile.mkdtemp(prefix=f".{out.name}.old-", dir=out.parent))
            os.rmdir(old)
            os.rename(out, old)
            os.rename(new, out)
            shutil.rmtree(old, ignore_errors=True)
        kept[str(out)] = record
        self.known = kept
        self.save()

    def save(self) -> None:
        """Write what is known about the trees (nothing without a cache)."""
        if not self.path:
            return
        self.path.parent.mkdir(parents=True, exist_ok=True)
        write_sealed(self.path, pickle.dumps(self.known))


def record_files(root: Path, made: dict[str, bytes]) -> dict[str, tuple[bytes, FileState]]:
    """Each file the build made in `root`, with its digest and its state as it is now."""
    return {relative: (digest, file_state(os.lstat(safe_target(root, relative)))) for relative, digest in made.items()}


def proven_files(root: Path, record: dict[str, tuple[bytes, FileState]]) -> dict[str, bytes]:
    """The digests of the files in `root` that are provably the recorded ones; everything else there is removed."""
    proven: dict[str, bytes] = {}

    def visit(folder: str, prefix: str) -> None:
        with os.scandir(folder) as entries:
            found = list(entries)
        for entry in found:
            relative = prefix + entry.name
            if entry.is_dir(follow_symlinks=False):
                visit(entry.path, relative + "/")
                with os.scandir(entry.path) as inside:
                    if next(inside, None) is None:
                        os.rmdir(entry.path)
                continue
            known = record.get(relative) if entry.is_file(follow_symlinks=False) else None
            if known and (file_state(entry.stat(follow_symlinks=False)) == known[1] or same_bytes(entry.path, known[0])):
                proven[relative] = known[0]
            else:
                log.info("not reusing %s from the spare copy: the build did not write it as it is", relative)
                os.unlink(entry.path)

    visit(str(root), "")
    return proven


def same_bytes(path: str, digest: bytes) -> bool:
    """Whether a file holds exactly the bytes with this digest."""
    try:
        with open(path, "rb") as file:
            return file_digest(file.read()) == digest
    except OSError:
        return False


def remove_path(path: Path) -> None:
    """Remove a folder, file or link (never following a link)."""
    if path.is_symlink() or path.is_file():
        path.unlink()
    elif path.exists():
        shutil.rmtree(path, ignore_errors=True)


def lock_path(out: Path) -> Path:
    """The lock file beside the output folder that one build at a time holds."""
    return out.parent / f".{out.name}-build.lock"


@contextlib.contextmanager
def output_lock(out: Path, on_wait: Callable[[str], None] | None = None, wait: float | None = None) -> Iterator[None]:
    """Hold the output folder's lock: a second build into the same folder waits for the first, then goes on.

    After `wait` seconds (LOCK_WAIT) it gives up with a BuildError. Without fcntl (Windows) there is no lock.
    """
    try:
        import fcntl
    except ImportError:  # pragma: no cover - not POSIX
        yield
        return
    wait = LOCK_WAIT if wait is None else wait
    path = lock_path(out)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_RDWR | os.O_CREAT | getattr(os, "O_CLOEXEC", 0), 0o644)
    try:
        if not _try_lock(fcntl, fd):
            if on_wait:
                on_wait(f"Another build is writing into {out.name}/, or a preview is using it (serve --out); "
                        "waiting for it to finish ...")
            deadline = time.monotonic() + wait
            while not _try_lock(fcntl, fd):
                if time.monotonic() >= deadline:
                    problems = Problems()
                    problems.add(out, 0, f"another build, or a preview, has been using this folder for over {wait:.0f} seconds.",
                                 "wait for it to finish or stop it (Ctrl-C in its window), then build again.")
                    raise BuildError(problems)
                time.sleep(0.1)
        yield
    finally:
        os.close(fd)  # closing the file releases the lock


def _try_lock(fcntl: Any, fd: int) -> bool:
    """Take the lock on an open file without waiting; whether it was taken."""
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        return True
    except BlockingIOError:
        return False


def check_out_folder(config: BuildConfig) -> None:
    """Refuse an output folder that holds something else (content, the project, a home folder)."""
    out = config.out.resolve()
    problems = Problems()
    protected = {config.content.resolve(), config.templates.resolve(), Path.cwd().resolve(), Path.home().resolve(), Path("/")}
    if out in protected or any(p.is_relative_to(out) for p in (config.content.resolve(), config.templates.resolve())):
        problems.add(config.out, 0, "the output folder is, or holds, the content or the templates: the build would replace them.",
                     "choose another folder for --out, such as site/.")
    elif out.exists() and not out.is_dir():
        problems.add(config.out, 0, "the output path is a file, not a folder.", "choose a folder for --out, or remove the file.")
    elif out.is_dir() and any(out.iterdir()) and not (out / MARKER).exists():
        problems.add(config.out, 0, "the output folder has files this generator did not make; a build replaces the folder whole.",
                     "choose an empty or new folder for --out, or empty this one yourself first.")
    if problems:
        raise BuildError(problems)


def safe_target(root: Path, relative: str) -> Path:
    """The path of an output file, refusing anything that could land outside `root`.

    Output paths come from slugs the loader checked (a-z, 0-9, dashes); this is the last guard,
    checked on the text alone because the folder is new and holds no links.
    """
    parts = relative.split("/")
    if (not relative or relative.startswith("/") or "\\" in relative or "\x00" in relative
            or any(part in ("", ".", "..") for part in parts[:-1]) or parts[-1] in ("", ".", "..")):
        raise ValueError(f"refusing to write outside the output folder: {relative!r}")
    return root.joinpath(*parts)


def remove_leftovers(out: Path) -> None:
    """Clear what a killed build left beside the output; put back a previous site caught mid-swap."""
    for stale in sorted(out.parent.glob(f".{out.name}.old-*")):
        if not out.exists() and (stale / MARKER).exists():
            os.rename(stale, out)
        else:
            shutil.rmtree(stale, ignore_errors=True)
    for stale in out.parent.glob(f".{out.name}.new-*"):
        shutil.rmtree(stale, ignore_errors=True)


def _exchange(a: Path, b: Path) -> bool:
    """Swap two folders in one step with Linux's renameat2(RENAME_EXCHANGE); False if unsupported."""
    libc_name = ctypes.util.find_library("c")
    if not libc_name:
        return False
    libc = ctypes.CDLL(libc_name, use_errno=True)
    renameat2 = getattr(libc, "renameat2", None)
    if renameat2 is None:
        return False
    at_fdcwd = -100
    return renameat2(at_fdcwd, os.fsencode(a), at_fdcwd, os.fsencode(b), _RENAME_EXCHANGE) == 0
