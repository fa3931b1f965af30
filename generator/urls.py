"""Where pages live: the base URL, and the one place that turns a site path into a link."""
from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import urlsplit


class BaseUrlError(ValueError):
    """A --base-url that cannot be used, with what to write instead."""


@dataclass(frozen=True)
class Links:
    """Makes every link of the site from its base path (and its full URL, when known)."""

    base_path: str = "/"  # always starts and ends with "/"
    site_url: str = ""  # "https://owner.github.io/repo/" or "" when only a path is known

    def url(self, path: str = "") -> str:
        """A link to a site path ('york/' -> '/repo/york/'), never ignoring the base path."""
        return self.base_path + path.lstrip("/")

    def absolute(self, path: str = "") -> str:
        """A full URL when the site's address is known, else the rooted path."""
        return (self.site_url + path.lstrip("/")) if self.site_url else self.url(path)


def parse_base_url(value: str) -> Links:
    """Read --base-url: a full URL (https://owner.github.io/repo/) or a path (/repo/)."""
    value = (value or "/").strip()
    if re.search(r"[\x00-\x1f\x7f-\x9f]", value):
        raise BaseUrlError(f"the base URL {value!r} has a control character in it; type it again, like /repo/ or https://owner.github.io/repo/.")
    if re.search(r"[\s\"'<>\\]", value):
        raise BaseUrlError(f'the base URL "{value}" has spaces or quotes in it; write it like /repo/ or https://owner.github.io/repo/.')
    if "://" in value:
        parts = urlsplit(value)
        if parts.scheme not in ("http", "https") or not parts.netloc:
            raise BaseUrlError(f'the base URL "{value}" should start with https:// (or be a path such as /repo/).')
        if parts.query or parts.fragment:
            raise BaseUrlError(f'the base URL "{value}" should not have "?" or "#" in it.')
        path = _clean_path(parts.path)
        return Links(path, f"{parts.scheme}://{parts.netloc}{path}")
    if value.startswith("//") or ":" in value or "?" in value or "#" in value:
        raise BaseUrlError(f'the base URL "{value}" is neither a path (/repo/) nor a full URL (https://owner.github.io/repo/).')
    return Links(_clean_path(value))


def _clean_path(path: str) -> str:
    """'/repo' or 'repo/' -> '/repo/'; '' -> '/'; refuses '..' parts."""
    parts = [p for p in path.split("/") if p]
    if any(p in (".", "..") for p in parts):
        raise BaseUrlError(f'the base path "{path}" may not contain "." or ".." parts.')
    return "/" + "".join(p + "/" for p in parts)


def github_issues(site_url: str) -> str:
    """The issues page of the repository a GitHub Pages project site comes from; "" for any other address.

    https://owner.github.io/repo/ -> https://github.com/owner/repo/issues
    """
    match = re.fullmatch(r"https://([A-Za-z0-9-]+)\.github\.io/([A-Za-z0-9._-]+)/", site_url)
    return f"https://github.com/{match[1]}/{match[2]}/issues" if match else ""


def council_path(council: str) -> str:
    """A council's page (with its timeline)."""
    return f"{council}/"


def inspection_path(council: str, slug: str) -> str:
    """An inspection's page."""
    return f"{council}/{slug}/"


def sources_path(council: str = "") -> str:
    """The page listing a council's sources, or ("") the sources about inspections in general."""
    return f"{council}/sources/" if council else "sources/"


def changes_path(council: str, before: str, after: str) -> str:
    """A 'what changed' page."""
    return f"{council}/changes/{before}--{after}/"


def output_file(path: str) -> str:
    """The file a site path is written to: 'york/' -> 'york/index.html'."""
    return path + "index.html" if path == "" or path.endswith("/") else path
