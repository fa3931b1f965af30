"""frameworks.yaml as the importer needs it: kinds, scales, and the areas each framework judges."""
from __future__ import annotations

import datetime as dt
import difflib
from dataclasses import dataclass
from pathlib import Path

from .errors import ImportProblem
from .textutil import key, strip_numbering


@dataclass(frozen=True)
class Area:
    """One judged area as frameworks.yaml prints it."""

    framework: str
    area: str
    theme: str
    strand: str | None


@dataclass
class Vocab:
    """The parts of frameworks.yaml the importer uses."""

    data: dict

    @property
    def frameworks(self) -> dict:
        """Framework id -> its mapping."""
        return self.data.get("frameworks") or {}

    def kind_label(self, kind: str) -> str:
        """The label of an inspection kind."""
        return str((self.data.get("kinds") or {}).get(kind, {}).get("label", kind))

    def grade_labels(self, grade: str) -> set[str]:
        """Every way a grade is named in frameworks.yaml (labels and scales), as keys."""
        info = (self.data.get("grades") or {}).get(grade, {})
        names = {info.get("label", ""), info.get("short", ""), grade}
        names |= {str((fw.get("scale") or {}).get(grade, "")) for fw in self.frameworks.values()}
        return {key(n) for n in names if n}

    def choose_framework(self, kind: str, start: dt.date | None) -> tuple[str | None, str | None]:
        """The framework for a kind at a date, and a warning when the date is outside its span."""
        candidates = [(fid, fw) for fid, fw in self.frameworks.items() if kind in (fw.get("kinds") or [])]
        if not candidates:
            return None, f"no framework in frameworks.yaml has kind {kind}"
        if start is None:
            return candidates[-1][0], "no start date: framework chosen by kind alone"
        best, best_gap = None, None
        for fid, fw in candidates:
            low, high = _as_date(fw.get("from")), _as_date(fw.get("until"))
            gap = 0
            if low and start < low:
                gap = (low - start).days
            elif high and start > high:
                gap = (start - high).days
            if best_gap is None or gap < best_gap:
                best, best_gap = fid, gap
        warning = None
        if best_gap:
            warning = f"{kind} on {start.isoformat()} is outside every framework's dates; chose {best}, the nearest"
        return best, warning

    def areas(self, frameworks: list[str]) -> list[Area]:
        """The areas of some frameworks, in order."""
        out = []
        for fid in frameworks:
            for entry in self.frameworks.get(fid, {}).get("areas") or []:
                out.append(Area(fid, str(entry["area"]), str(entry["theme"]), entry.get("strand")))
        return out

    def family(self, framework: str) -> list[str]:
        """Frameworks sharing the first kind of `framework` (e.g. every ILACS), the given one first."""
        kinds = self.frameworks.get(framework, {}).get("kinds") or []
        same = [fid for fid, fw in self.frameworks.items() if kinds and kinds[0] in (fw.get("kinds") or [])]
        return [framework] + [fid for fid in same if fid != framework]


def _as_date(value: object) -> dt.date | None:
    """A YAML date (or ISO string) as a date."""
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            return None
    return None


def load_vocab(content: Path) -> Vocab:
    """Read content/frameworks.yaml with the build's own reader (no aliases, bounded size and depth)."""
    from ..problems import Problems
    from ..yamlio import load_yaml, read_text

    path = Path(content) / "frameworks.yaml"
    if not path.exists():
        raise ImportProblem(f"cannot find {path}", "run from the project folder or give --content DIR")
    problems = Problems()
    text = read_text(path, problems)
    data = load_yaml(text, path, problems) if text is not None else None
    if problems:
        first = problems.sorted()[0]
        raise ImportProblem(f"{first.file}:{first.line}: {first.message}", first.hint or "fix frameworks.yaml")
    if not isinstance(data, dict) or not isinstance(data.get("frameworks"), dict):
        raise ImportProblem(f"{path} has no frameworks", "restore content/frameworks.yaml")
    return Vocab(data)


def match_area(printed: str, areas: list[Area], strand: str | None = None) -> Area | None:
    """The known area a printed heading or table cell names (tolerant of case, spacing, quotes, wraps)."""
    text = key(strip_numbering(printed))
    if not text:
        return None
    pool = [a for a in areas if strand is None or a.strand in (None, strand)]
    exact = [a for a in pool if key(a.area) == text]
    if exact:
        return exact[0]
    prefix = sorted((a for a in pool if text.startswith(key(a.area)) and len(key(a.area)) >= 12),
                    key=lambda a: -len(key(a.area)))
    if prefix:
        return prefix[0]
    scored = [(difflib.SequenceMatcher(None, text, key(a.area)).ratio(), i) for i, a in enumerate(pool)]
    if scored:
        ratio, index = max(scored)
        if ratio >= 0.88:
            return pool[index]
    return None
