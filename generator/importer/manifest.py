"""A manifest of Ofsted reports (manifest.csv beside the PDFs): which council each file is about, its URL
on Ofsted's site and the date Ofsted published it, so that a national import needs no typing per file."""
from __future__ import annotations

import csv
import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from .errors import ImportProblem

COLUMNS = ("council", "file", "published", "url")


@dataclass(frozen=True)
class Row:
    """One report of the manifest."""

    council: str
    file: Path
    published: dt.date | None
    url: str
    is_pdf: bool
    line: int


def read_manifest(path: Path) -> list[Row]:
    """The manifest's rows, with files resolved beside it; a bad manifest raises ImportProblem naming the line."""
    try:
        with path.open(encoding="utf-8", newline="") as f:
            reader = csv.DictReader(f)
            missing = [c for c in COLUMNS if c not in (reader.fieldnames or [])]
            if missing:
                raise ImportProblem(f"{path}:1: the manifest has no column {', '.join(missing)}",
                                    f"its first line must name the columns {', '.join(COLUMNS)}")
            rows = [_row(raw, path, n) for n, raw in enumerate(reader, start=2)]
    except (OSError, UnicodeDecodeError, csv.Error) as problem:
        raise ImportProblem(f"{path}: the manifest cannot be read ({problem})", "check it is a UTF-8 CSV file") from None
    return rows


def _row(raw: dict, path: Path, line: int) -> Row:
    """One manifest line, checked."""
    published = None
    if raw.get("published"):
        try:
            published = dt.date.fromisoformat(raw["published"].strip())
        except ValueError:
            raise ImportProblem(f"{path}:{line}: the published date {raw['published']!r} is not a date",
                                "write it as YYYY-MM-DD") from None
    is_pdf = (raw.get("is_pdf") or "yes").strip().lower().startswith("yes")
    return Row(raw["council"].strip(), path.parent / raw["file"].strip(), published, raw["url"].strip(), is_pdf, line)


def already_imported(folder: Path, url: str) -> Path | None:
    """The file of a council folder that already cites this report's URL, if any (content is never imported twice)."""
    if not url or not folder.is_dir():
        return None
    for path in sorted(folder.rglob("*")):
        if path.suffix in (".md", ".yaml") and path.is_file() and not path.is_symlink():
            try:
                text = path.read_text(encoding="utf-8")
            except (OSError, UnicodeDecodeError):
                continue
            if any(line.strip().endswith(url) and "url:" in line for line in text.splitlines()):
                return path
    return None
