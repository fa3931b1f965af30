"""Work done ahead, on every core: check inspection files and render their Markdown into the caches.

A cold build spends most of its time on two things done file by file: checking each inspection
file and rendering its Markdown. Neither depends on any other file (the checks that span files
are made later, when `load` replays what was found here), so each core takes a share of the files
and the results are merged into the in-memory caches. `load` and the page rendering then only
look them up, exactly as they do in a build with a warm cache; the output is the same bytes.

Nothing here reports a problem: a file with a problem is simply not cached, and `load` checks it
again and reports it with its file, line and fix.
"""
from __future__ import annotations

import logging
import os
from collections.abc import Callable
from pathlib import Path

from .cache import Caches
from .frameworks import load_vocabulary
from .load import Loader, context_digest, ignored
from .problems import Problems
from .workers import fork_worker, result

log = logging.getLogger(__name__)

MIN_FILES = 64  # below this, starting a process costs more than it saves


def inspection_files(root: Path) -> list[tuple[Path, str]]:
    """The inspection files `load_site` will read, with their council folder's name, in its order."""
    council_root = root / "councils"
    if not council_root.is_dir():
        return []
    found = []
    for folder in sorted(p for p in council_root.iterdir() if p.is_dir() and not ignored(p)):
        for path in sorted(folder.iterdir()):
            if path.suffix == ".md" and not ignored(path) and path.is_file():
                found.append((path, folder.name))
    return found


def check_share(root: Path, files: list[tuple[Path, str]], caches: Caches) -> None:
    """Check some inspection files and render their sections, filling `caches` (problems are dropped)."""
    problems = Problems(root)
    loader = Loader(root, problems, caches.parse, context=context_digest(root))
    settings = loader.settings()
    vocab = load_vocabulary(root / "frameworks.yaml", problems, caches.parse)
    if vocab is None:
        return
    for path, council in files:
        item = loader.inspection(path, council, vocab, settings)
        if item is not None:
            for section in item.sections:
                caches.markdown.html(section.markdown)


def check_ahead(root: Path, caches: Caches, jobs: int, meanwhile: Callable[[], None] | None = None) -> None:
    """Share the checking and Markdown of every inspection file among `jobs` processes (this one included).

    `meanwhile` is other work for this process while it waits for the others (it finishes first:
    they also send their results).
    """
    files = inspection_files(root)
    if jobs <= 1 or len(files) < MIN_FILES or not hasattr(os, "fork"):
        return
    shares = [files[i::jobs] for i in range(jobs)]
    children = [_fork(root, share, caches) for share in shares[1:]]
    check_share(root, shares[0], caches)
    if meanwhile:
        meanwhile()
    for pid, reader in children:
        _merge(pid, reader, caches)


def _fork(root: Path, share: list[tuple[Path, str]], caches: Caches) -> tuple[int, int]:
    """Check a share of the files in a child process that sends back its new cache entries."""
    known = (set(caches.parse.entries), set(caches.markdown.entries))

    def work() -> tuple[dict, dict]:
        check_share(root, share, caches)
        # Whole checked inspections only: the front matter parsed on the way is kept by the cache
        # for a later build, but this one never asks for it again (a warm build asks only when
        # site.yaml or frameworks.yaml changed), and sending it costs time on the critical path.
        return ({k: v for k, v in caches.parse.entries.items() if k not in known[0] and isinstance(v, tuple)},
                {k: v for k, v in caches.markdown.entries.items() if k not in known[1]})

    return fork_worker(work)


def _merge(pid: int, reader: int, caches: Caches) -> None:
    """Put a child's entries into the caches; a child that failed only means `load` does its share."""
    sent, _ = result(pid, reader)
    if not isinstance(sent, tuple):
        log.debug("a checking process sent nothing usable; its files are checked in the main process")
        return
    parsed, markdown = sent
    for key, value in parsed.items():
        caches.parse.put(key, value)
    for key, value in markdown.items():
        caches.markdown.put(key, value)
