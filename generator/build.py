"""The build: read -> validate -> compute -> render -> write, swapped in atomically."""
from __future__ import annotations

import ctypes
import dataclasses
import ctypes.util
import logging
import os
import shutil
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

import jinja2

from .load import load_site
from .model import Site
from .pages import plan
from .problems import Problems
from .render import describe_template_error, make_environment, render_page
from .urls import Links, output_file

log = logging.getLogger(__name__)

MARKER = ".built-by-inspections-explained"  # marks a folder this generator may replace
_RENAME_EXCHANGE = 2


class BuildError(Exception):
    """A build that could not finish; `problems` say where and how to fix it."""

    def __init__(self, problems: Problems) -> None:
        super().__init__(f"{len(problems)} problem(s)")
        self.problems = problems


@dataclass(frozen=True)
class BuildConfig:
    """What to build from, where to, and under which base URL."""

    content: Path
    templates: Path
    out: Path
    links: Links = field(default_factory=Links)
    drafts: bool = False  # show drafts (the preview); a published build never does


@dataclass(frozen=True)
class BuildResult:
    """What a build wrote."""

    site: Site
    pages: int
    files: int
    drafts: tuple[str, ...]


def render_site(site: Site, config: BuildConfig) -> dict[str, bytes]:
    """Every output file of the site, by relative path, as bytes."""
    problems = Problems(config.content)
    files: dict[str, bytes] = {}
    try:
        env = make_environment(config.templates, site, config.links)
        pages, data = plan(site, config.links)
        for page in pages:
            files[output_file(page.path)] = render_page(env, page)
    except jinja2.TemplateError as err:
        file, line, message = describe_template_error(err, config.templates)
        problems.add(file, line, message, "correct the template; the error names the template and line.")
        raise BuildError(problems) from err
    for item in data:
        files[item.path] = item.text.encode("utf-8")
    files.update(asset_files(config.templates / "assets"))
    files[MARKER] = b"This folder is made by the site generator: every build replaces it whole.\n"
    return files


def asset_files(folder: Path) -> dict[str, bytes]:
    """Static files (CSS, icons) copied as they are, under assets/."""
    out = {}
    if folder.is_dir():
        for path in sorted(folder.rglob("*")):
            if path.is_file() and not path.name.startswith("."):
                out["assets/" + path.relative_to(folder).as_posix()] = path.read_bytes()
    return out


def build(config: BuildConfig) -> BuildResult:
    """Build the whole site; on any problem raise BuildError and leave the output as it was."""
    check_out_folder(config)
    site, problems = load_site(config.content)
    if site is None:
        raise BuildError(problems)
    if config.drafts:
        site = dataclasses.replace(site, show_drafts=True)
    files = render_site(site, config)
    write_atomically(files, config.out)
    pages = sum(1 for name in files if name.endswith(".html"))
    return BuildResult(site, pages, len(files), site.drafts)


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
    """The path of an output file, refusing anything that would land outside `root`."""
    target = (root / relative).resolve()
    if not target.is_relative_to(root.resolve()) or relative.startswith("/") or ".." in Path(relative).parts:
        raise ValueError(f"refusing to write outside the output folder: {relative!r}")
    return target


def write_atomically(files: dict[str, bytes], out: Path) -> None:
    """Write all files into a new sibling folder, then swap it in for `out` in one step."""
    out = out.absolute()
    out.parent.mkdir(parents=True, exist_ok=True)
    remove_leftovers(out)
    tmp = Path(tempfile.mkdtemp(prefix=f".{out.name}.new-", dir=out.parent))
    try:
        for relative in sorted(files):
            target = safe_target(tmp, relative)
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(files[relative])
        os.chmod(tmp, 0o755)
        swap_in(tmp, out)
    finally:
        if tmp.exists():
            shutil.rmtree(tmp, ignore_errors=True)


def remove_leftovers(out: Path) -> None:
    """Clear what a killed build left beside the output; put back a previous site caught mid-swap."""
    for stale in sorted(out.parent.glob(f".{out.name}.old-*")):
        if not out.exists() and (stale / MARKER).exists():
            os.rename(stale, out)
        else:
            shutil.rmtree(stale, ignore_errors=True)
    for stale in out.parent.glob(f".{out.name}.new-*"):
        shutil.rmtree(stale, ignore_errors=True)


def swap_in(new: Path, out: Path) -> None:
    """Make `new` the output folder: an atomic exchange where the system has one."""
    if not out.exists():
        os.rename(new, out)
        return
    if _exchange(new, out):
        shutil.rmtree(new, ignore_errors=True)  # `new` now holds the previous site
        return
    old = Path(tempfile.mkdtemp(prefix=f".{out.name}.old-", dir=out.parent))
    os.rmdir(old)
    os.rename(out, old)
    os.rename(new, out)
    shutil.rmtree(old, ignore_errors=True)


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
    result = renameat2(at_fdcwd, os.fsencode(a), at_fdcwd, os.fsencode(b), _RENAME_EXCHANGE)
    return result == 0
