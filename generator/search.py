"""The static search index: Pagefind, run on the newly built folder before it is swapped in.

Pagefind (the `pagefind` package ships its binary) reads the built HTML and writes its index and
its search interface to `pagefind/` in the site. Only what is inside `data-pagefind-body` (the
main text of council, inspection and other pages) is indexed; the search page's script loads the
bundle from the site itself, so search works under any base path, offline, with no request to
anyone else. The output depends only on the HTML, so two builds give the same bytes.
"""
from __future__ import annotations

import logging
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

from .build import BuildError
from .problems import Problems

log = logging.getLogger(__name__)

BUNDLE = "pagefind"  # the folder in the site that holds the index and the search interface
TIMEOUT = 300  # seconds; the real site takes well under one


@dataclass(frozen=True)
class SearchIndexer:
    """A build step (see BuildConfig.after_write): index the folder about to become the site."""

    label: str = "search index"
    command: tuple[str, ...] = (sys.executable, "-m", "pagefind")

    def __call__(self, folder: Path) -> None:
        """Write the index into `folder`/pagefind; raise BuildError when Pagefind fails."""
        run_pagefind(folder, self.command)


def pagefind_command(folder: Path, command: tuple[str, ...], output: Path | None = None) -> list[str]:
    """The command line that indexes `folder` into its `pagefind/` (or into `output`, an absolute path)."""
    where = ["--output-path", str(output)] if output else ["--output-subdir", BUNDLE]
    return [*command, "--site", str(folder), *where, "--silent"]


def run_pagefind(folder: Path, command: tuple[str, ...]) -> None:
    """Run Pagefind on `folder` (from inside it, so no stray config file is read)."""
    args = pagefind_command(folder, command)
    log.debug("running %s", " ".join(args))
    try:
        result = subprocess.run(args, cwd=folder, capture_output=True, text=True, timeout=TIMEOUT, check=False)
    except (OSError, subprocess.TimeoutExpired) as err:
        raise BuildError(failure(str(err))) from err
    check_result(result.returncode, result.stderr or result.stdout, folder / BUNDLE)


def check_result(returncode: int, output: str, bundle: Path) -> None:
    """Raise BuildError unless Pagefind succeeded and wrote its bundle."""
    if returncode != 0 or not (bundle / "pagefind.js").is_file():
        raise BuildError(failure(output.strip() or f"exit status {returncode}"))


def failure(detail: str) -> Problems:
    """The problem to show when the index could not be made."""
    problems = Problems()
    problems.add("(search index)", 0, f"Pagefind could not build the search index: {detail}",
                 "install the project again (pip install -e .), or build without search: build --no-search.")
    return problems
