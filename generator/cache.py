"""Caches that make a rebuild cheap: parsed files, checked inspections and rendered Markdown, by content hash."""
from __future__ import annotations

import hashlib
import logging
import marshal
import os
import pickle
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import markdown_it
import yaml
from markdown_it import MarkdownIt

from .markup import clean, make_markdown
from .problems import Problems
from .yamlio import FrontMatterFile, load_yaml, read_regular, split_front_matter

log = logging.getLogger(__name__)


def digest(text: str) -> bytes:
    """The key of a text in a cache."""
    return hashlib.blake2b(text.encode("utf-8"), digest_size=16).digest()


SEAL_BYTES = 32
MAX_CACHE_BYTES = 1 << 30  # a cache file larger than this is not one we wrote


def _seal(body: bytes) -> bytes:
    """A digest of a cache file's contents, written in front of them."""
    return hashlib.blake2b(body, digest_size=SEAL_BYTES).digest()


def unseal(path: Path) -> bytes | None:
    """A sealed cache file's contents, or None when it is missing, not a file, or garbled in any way.

    Only bytes this program wrote are ever unpickled or run: a garbled cache is rebuilt, never trusted.
    """
    try:
        data = read_regular(path, MAX_CACHE_BYTES)
    except OSError:
        return None
    body = data[SEAL_BYTES:]
    return body if len(data) > SEAL_BYTES and data[:SEAL_BYTES] == _seal(body) else None


def write_sealed(path: Path, body: bytes) -> None:
    """Write a cache file with its seal, atomically (a file of this process's own, then renamed over)."""
    tmp = path.with_name(f"{path.name}.{os.getpid()}.tmp")
    try:
        tmp.write_bytes(_seal(body) + body)
        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)


class DiskCache:
    """Entries by key, read from a file at start and written back with only the entries used since."""

    VERSION = ""  # what must match for a saved file to be used

    def __init__(self, path: Path | None = None) -> None:
        self.path = path
        self.entries: dict[bytes, Any] = {}
        self.used: set[bytes] = set()  # entries this build asked for: the ones worth keeping
        self.misses = 0
        self.saved_at = 0  # misses when last saved
        if path:
            self.entries = self._read(path)

    def _read(self, path: Path) -> dict[bytes, Any]:
        """The saved entries, or none when the file is missing, old or damaged."""
        body = unseal(path)
        if body is None:
            return {}
        try:
            version, entries = self.loads(body)
        except Exception:  # noqa: BLE001 - any damage to a cache only means a slower build
            return {}
        return entries if version == self.VERSION and isinstance(entries, dict) else {}

    def get(self, key: bytes) -> Any:
        """An entry (None when missing), noted as still in use."""
        found = self.entries.get(key)
        if found is not None:
            self.used.add(key)
        return found

    def put(self, key: bytes, value: Any) -> None:
        """Keep a new entry."""
        self.misses += 1
        self.entries[key] = value
        self.used.add(key)

    def save(self) -> None:
        """Write the entries in use to disk atomically, when there is a file and something changed."""
        if not self.path or (self.misses == self.saved_at and self.used == set(self.entries)):
            return
        self.entries = {k: v for k, v in self.entries.items() if k in self.used}
        self.path.parent.mkdir(parents=True, exist_ok=True)
        write_sealed(self.path, self.dumps((self.VERSION, self.entries)))
        self.saved_at = self.misses

    @staticmethod
    def loads(data: bytes) -> Any:
        """Read the saved file's bytes."""
        raise NotImplementedError

    @staticmethod
    def dumps(value: Any) -> bytes:
        """The bytes to save."""
        raise NotImplementedError


class ParseCache(DiskCache):
    """Front matter, YAML files and whole checked inspections, by their text (pickled)."""

    VERSION = f"{yaml.__version__}/{markdown_it.__version__}/3"
    loads = staticmethod(pickle.loads)
    dumps = staticmethod(lambda value: pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL))

    def front_matter(self, text: str, path: Path, problems: Problems, required: bool = True) -> FrontMatterFile | None:
        """`split_front_matter`, parsed once per distinct text (only parses with no problems are kept)."""
        key = digest(f"{int(required)}{text}")
        found = self.get(key)
        if found is not None:
            return found
        own = Problems(problems.root)
        parsed = split_front_matter(text, path, own, required)
        problems.items.extend(own.items)
        if parsed is not None and not own:
            self.put(key, parsed)
        return parsed

    def yaml(self, text: str, path: Path, problems: Problems) -> Any:
        """`load_yaml`, parsed once per distinct text."""
        key = digest(f"y{text}")
        found = self.get(key)
        if found is not None:
            return found.meta
        own = Problems(problems.root)
        data = load_yaml(text, path, own)
        problems.items.extend(own.items)
        if data is not None and not own:
            self.put(key, FrontMatterFile(data, "", 0))
        return data


class MarkdownCache(DiskCache):
    """Rendered Markdown (with placeholders, see markup.resolve) by the text (marshalled)."""

    VERSION = f"{markdown_it.__version__}/2"  # bump the number after the slash when the rendering rules change
    loads = staticmethod(marshal.loads)
    dumps = staticmethod(marshal.dumps)

    def __init__(self, md: MarkdownIt, path: Path | None = None) -> None:
        super().__init__(path)
        self.md = md

    def html(self, text: str) -> str:
        """The text rendered to HTML with placeholders; parsed only once per distinct text."""
        key = digest(text)
        found = self.get(key)
        if found is None:
            found = self.md.render(clean(text))
            self.put(key, found)
        return found


@dataclass
class Caches:
    """The caches of one build, or of a preview server across its rebuilds."""

    parse: ParseCache
    markdown: MarkdownCache

    @classmethod
    def in_folder(cls, folder: Path | None) -> "Caches":
        """Caches kept in `folder` (None: in memory only, nothing read or written)."""
        return cls(ParseCache(folder / "parsed.pickle" if folder else None),
                   MarkdownCache(make_markdown(), folder / "markdown.marshal" if folder else None))

    def save(self) -> None:
        """Keep the caches for the next build; a cache that cannot be written is only a slower next build."""
        try:
            self.parse.save()
            self.markdown.save()
        except OSError as err:
            log.warning("could not save the build cache (%s); the next build will be slower", err)
