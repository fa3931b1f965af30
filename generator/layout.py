"""Where content may go: no links out of a folder, and no name the site itself already uses.

The site puts each council at `/<council>/` and each prose page at `/<page>/`, beside the pages
and files of the site itself (`/sources/`, `/data/`, `/search/`, `/assets/`, `/pagefind/` ...).
A council or page with one of those names would overwrite it or be overwritten, so the names
taken are worked out from the code that lays out the site (`pages.plan` on a site with no
councils and no pages, and the folders the build adds), never kept as a separate list.
"""
from __future__ import annotations

import dataclasses
import os
from pathlib import Path
from typing import Callable

from .model import Site
from .problems import Problems
from .urls import Links, output_file


def links_under(folder: Path, skip: Callable[[str], bool] = lambda name: False) -> list[tuple[Path, str]]:
    """Every symbolic link under a folder (never followed), with where it points; names `skip` approves are left out."""
    found: list[tuple[Path, str]] = []
    try:
        with os.scandir(folder) as scan:
            entries = sorted(scan, key=lambda e: e.name)
    except OSError:
        return found
    for entry in entries:
        if skip(entry.name):
            continue
        if entry.is_symlink():
            try:
                target = os.readlink(entry.path)
            except OSError:
                target = "?"
            found.append((Path(entry.path), target))
        elif entry.is_dir(follow_symlinks=False):
            found.extend(links_under(Path(entry.path), skip))
    return found


def report_links(folder: Path, problems: Problems, what: str, skip: Callable[[str], bool] = lambda name: False) -> None:
    """A named error for each link under a folder: the build reads only real files and folders."""
    for path, target in links_under(folder, skip):
        problems.add(path, 0, f'this is a link to "{target}"; the build never follows links, so that {what} cannot stay '
                     "outside its folder.", "put the file or folder itself here (a copy, not a link), or remove the link.")


def site_names(site: Site, links: Links) -> dict[str, str]:
    """The top-level names the site itself uses, each with what uses it."""
    from .build import ASSETS, MARKER
    from .pages import plan
    from .search import BUNDLE

    bare = dataclasses.replace(site, councils={}, inspections=(), events=(), stories={}, pages={}, drafts=())
    pages, data = plan(bare, links)
    names: dict[str, str] = {}
    for item in [*pages, *data]:
        names.setdefault(output_file(item.path).split("/")[0], output_file(item.path))
    names.update({ASSETS: "the styles and icons", BUNDLE: "the search index", MARKER: "the build's marker file"})
    names.pop("index.html", None)
    return names


def report_name_clashes(site: Site, links: Links, problems: Problems) -> None:
    """A named error for each council or page whose address is already the site's or another's."""
    taken = site_names(site, links)
    for slug, council in sorted(site.councils.items()):
        if slug in taken:
            problems.add(Path(council.file).parent, 0, f'a council cannot be called "{slug}": the address /{slug}/ is '
                         f"taken by the site itself ({taken[slug]}).", f'rename the folder, e.g. "{slug}-council".')
    for slug, page in sorted(site.pages.items()):
        if slug in taken:
            problems.add(page.file, 0, f'a page cannot be called "{slug}": the address /{slug}/ is taken by the site itself ({taken[slug]}).',
                         f'rename the file, e.g. "about-{slug}.md".')
        elif slug in site.councils:
            problems.add(page.file, 0, f'the page "{slug}" would have the same address (/{slug}/) as the council in '
                         f"{site.councils[slug].file}.", f'rename the page, e.g. "about-{slug}.md".')
