"""Caches that make a rebuild cheap: parsed front matter and rendered Markdown, by content hash."""
from __future__ import annotations

import hashlib
import logging
import os
import pickle
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import markdown_it
import yaml

from .markup import MarkdownCache, make_markdown
from .problems import Problems
from .yamlio import FrontMatterFile, load_yaml, split_front_matter

log = logging.getLogger(__name__)
PARSE_VERSION = f"{yaml.__version__}/{markdown_it.__version__}/1"


@dataclass
class ParseCache:
    """Front matter parsed from a file's text, by the text's hash (only parses with no problems)."""

    path: Path | None = None
    entries: dict[bytes, Any] = field(default_factory=dict)
    misses: int = 0
    used: set[bytes] = field(default_factory=set)  # entries this build asked for: the ones worth keeping
    saved_at: int = 0  # misses when last saved

    def load(self) -> None:
        """Read the saved entries; start empty when they are missing, old or damaged."""
        if not self.path:
            return
        try:
            with self.path.open("rb") as handle:
                version, entries = pickle.load(handle)
        except (OSError, EOFError, pickle.UnpicklingError, ValueError, TypeError, AttributeError, ImportError):
            return
        if version == PARSE_VERSION and isinstance(entries, dict):
            self.entries = entries

    def front_matter(self, text: str, path: Path, problems: Problems, required: bool = True) -> FrontMatterFile | None:
        """`split_front_matter`, parsed once per distinct text."""
        key = hashlib.blake2b(f"{int(required)}{text}".encode("utf-8"), digest_size=16).digest()
        found = self.get(key)
        if found is not None:
            return found
        self.misses += 1
        own = Problems(problems.root)
        parsed = split_front_matter(text, path, own, required)
        problems.items.extend(own.items)
        if parsed is not None and not own:
            self.put(key, parsed)
        return parsed

    def get(self, key: bytes) -> Any:
        """An entry, noted as still in use."""
        found = self.entries.get(key)
        if found is not None:
            self.used.add(key)
        return found

    def put(self, key: bytes, value: Any) -> None:
        """Keep an entry."""
        self.entries[key] = value
        self.used.add(key)

    def yaml(self, text: str, path: Path, problems: Problems) -> Any:
        """`load_yaml`, parsed once per distinct text."""
        key = hashlib.blake2b(f"y{text}".encode("utf-8"), digest_size=16).digest()
        found = self.get(key)
        if found is not None:
            return found.meta
        self.misses += 1
        own = Problems(problems.root)
        data = load_yaml(text, path, own)
        problems.items.extend(own.items)
        if data is not None and not own:
            self.put(key, FrontMatterFile(data, "", 0))
        return data

    def save(self) -> None:
        """Write the entries this build used to disk atomically (only when something new was parsed)."""
        if not self.path or (self.misses == self.saved_at and self.used == set(self.entries)):
            return
        self.entries = {k: v for k, v in self.entries.items() if k in self.used}
        self.path.parent.mkdir(parents=True, exist_ok=True)
        tmp = self.path.with_suffix(".tmp")
        with tmp.open("wb") as handle:
            pickle.dump((PARSE_VERSION, self.entries), handle, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(tmp, self.path)
        self.saved_at = self.misses


@dataclass
class Caches:
    """The caches of one build, or of a preview server across its rebuilds."""

    parse: ParseCache
    markdown: MarkdownCache

    @classmethod
    def in_folder(cls, folder: Path | None) -> "Caches":
        """Caches kept in `folder` (None: in memory only, nothing read or written)."""
        parse = ParseCache(folder / "parsed.pickle" if folder else None)
        parse.load()
        return cls(parse, MarkdownCache(make_markdown(), folder / "markdown.marshal" if folder else None))

    def save(self) -> None:
        """Keep the caches for the next build; a cache that cannot be written is only a slower next build."""
        try:
            self.parse.save()
            self.markdown.save()
        except OSError as err:
            log.warning("could not save the build cache (%s); the next build will be slower", err)
