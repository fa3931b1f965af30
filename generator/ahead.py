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
import stat
from collections.abc import Callable
from pathlib import Path

from .cache import Caches
from .frameworks import load_vocabulary
from .load import Loader, context_digest, listing
from .problems import Problems
from .workers import fork_worker, result

log = logging.getLogger(__name__)

MIN_FILES = 64  # below this, starting a process costs more than it saves


Stats = dict[str, tuple[int, int]]  # a file's (modification time in ns, size), as the preview keeps them


def inspection_files(root: Path, stats: Stats | None = None) -> list[tuple[Path, str]]:
    """The inspection files `load_site` will read, with their council folder's name, in its order.

    Each file's (modification time, size) goes into `stats`, if given.
    """
    found = []
    for folder in (entry for entry, is_dir in listing(root / "councils") if is_dir):
        for path in (entry for entry, is_dir in listing(folder) if not is_dir and entry.suffix == ".md"):
            try:
                info = path.stat()
            except OSError:
                continue
            if stat.S_ISREG(info.st_mode):
                found.append((path, folder.name))
                if stats is not None:
                    stats[str(path)] = (info.st_mtime_ns, info.st_size)
    return found


def check_share(root: Path, files: list[tuple[Path, str]], caches: Caches, stats: Stats | None = None) -> None:
    """Check some inspection files and render their sections, filling `caches` (problems are dropped).

    With `stats`, each checked file is also known by its (modification time, size), so `load` need
    not read it again (as in the preview).
    """
    problems = Problems(root)
    loader = Loader(root, problems, caches.parse, context=context_digest(root), stats=stats)
    settings = loader.settings()
    vocab = load_vocabulary(root / "frameworks.yaml", problems, caches.parse)
    if vocab is None:
        return
    for path, council in files:
        item = loader.inspection(path, council, vocab, settings)
        if item is not None:
            for section in item.sections:
                caches.markdown.html(section.markdown)


def check_ahead(root: Path, caches: Caches, jobs: int, meanwhile: Callable[[], None] | None = None) -> Stats | None:
    """Share the checking and Markdown of every inspection file among `jobs` processes (this one included).

    `meanwhile` is other work for this process while it waits for the others (it finishes first:
    they also send their results). Returns the files' stats for `load_site`, None when nothing was
    done ahead.
    """
    stats: Stats = {}
    files = inspection_files(root, stats)
    if jobs <= 1 or len(files) < MIN_FILES or not hasattr(os, "fork"):
        return None
    shares = [files[i::jobs] for i in range(jobs)]
    children = [_fork(root, share, caches, stats) for share in shares[1:]]
    check_share(root, shares[0], caches, stats)
    if meanwhile:
        meanwhile()
    for pid, reader in children:
        _merge(pid, reader, caches)
    return stats


def _fork(root: Path, share: list[tuple[Path, str]], caches: Caches, stats: Stats) -> tuple[int, int]:
    """Check a share of the files in a child process that sends back its new cache entries."""
    known = (set(caches.parse.entries), set(caches.markdown.entries))

    def work() -> tuple[dict, dict]:
        check_share(root, share, caches, stats)
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
