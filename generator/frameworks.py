"""Reading frameworks.yaml: grades, themes, kinds and frameworks, as data."""
from __future__ import annotations

from pathlib import Path
from typing import Any

from .fields import Record
from .model import Area, Framework, Grade, Kind, Theme, Vocabulary
from .problems import Problems, did_you_mean, one_of
from .yamlio import Mapping, load_yaml, read_text

CATEGORIES = ("inspection", "visit", "event")


def load_vocabulary(path: Path, problems: Problems, parse: Any = None) -> Vocabulary | None:
    """Read and check frameworks.yaml; None if it cannot be used at all."""
    text = read_text(path, problems)
    if text is None:
        data = None
    else:
        data = parse.yaml(text, path, problems) if parse is not None else load_yaml(text, path, problems)
    if text is not None and data is None and not problems:
        problems.add(path, 1, "frameworks.yaml is empty.", "restore it from the project's history (git checkout content/frameworks.yaml).")
    top = Record(data, path, problems, "frameworks.yaml", ("grades", "themes", "kinds", "frameworks"),
                 ("grades", "themes", "kinds", "frameworks"))
    if not top.ok:
        return None
    grades = _grades(top, path, problems)
    themes = _themes(top, path, problems)
    kinds = _kinds(top, path, problems)
    frameworks = _frameworks(top, path, problems, grades, themes, kinds)
    common = tuple(dict.fromkeys(c for t in themes.values() for c in t.compare_as))
    for theme in themes.values():
        for common_id in theme.compare_as:
            if common_id not in themes:
                problems.add(path, top.data.get("themes", Mapping()).line_of(theme.id),
                             f'theme "{theme.id}" is compared as "{common_id}", which is not a theme{did_you_mean(common_id, themes)}.',
                             f"use one of: {one_of(themes)}.")
    return Vocabulary(grades, themes, kinds, frameworks, common)


def _entries(top: Record, key: str) -> list[tuple[str, Record]]:
    """The id -> record entries of one of the top-level mappings."""
    block = top.mapping(key) or Mapping()
    return [(str(k), v) for k, v in block.items()]


def _grades(top: Record, path: Path, problems: Problems) -> dict[str, Grade]:
    """The grades, by id."""
    out = {}
    for gid, raw in _entries(top, "grades"):
        r = Record(raw, path, problems, f'grade "{gid}"', ("label", "short", "rank", "plain"), ("label", "rank", "plain"),
                   line=top.data["grades"].line_of(gid))
        rank = r.data.get("rank")
        if r.ok and (not isinstance(rank, int) or isinstance(rank, bool) or rank < 1):
            r.bad("rank", f'grade "{gid}" needs a whole-number rank (1 is best).', "write e.g. 'rank: 2'.")
            rank = 99
        label = r.text("label") or gid
        out[gid] = Grade(gid, label, r.text("short") or label, rank if isinstance(rank, int) else 99, r.text("plain") or "")
    return out


def _themes(top: Record, path: Path, problems: Problems) -> dict[str, Theme]:
    """The themes, by id."""
    out = {}
    for tid, raw in _entries(top, "themes"):
        r = Record(raw, path, problems, f'theme "{tid}"', ("label", "plain", "compare_as"), ("label", "plain"),
                   line=top.data["themes"].line_of(tid))
        out[tid] = Theme(tid, r.text("label") or tid, r.text("plain") or "", r.texts("compare_as"))
    return out


def _kinds(top: Record, path: Path, problems: Problems) -> dict[str, Kind]:
    """The kinds of inspection, visit and event, by id."""
    out = {}
    for kid, raw in _entries(top, "kinds"):
        r = Record(raw, path, problems, f'kind "{kid}"', ("label", "official", "plain", "category", "graded"),
                   ("label", "plain", "category"), line=top.data["kinds"].line_of(kid))
        category = r.choice("category", CATEGORIES, "category") or "event"
        out[kid] = Kind(kid, r.text("label") or kid, r.text("plain") or "", category, r.flag("graded"), r.text("official") or "")
    return out


def _frameworks(top: Record, path: Path, problems: Problems, grades: dict[str, Grade],
                themes: dict[str, Theme], kinds: dict[str, Kind]) -> dict[str, Framework]:
    """The frameworks, by id, each checked against the grades, themes and kinds."""
    out = {}
    for fid, raw in _entries(top, "frameworks"):
        r = Record(raw, path, problems, f'framework "{fid}"',
                   ("name", "short", "from", "until", "kinds", "plain", "scale", "areas", "required"),
                   ("name", "kinds", "scale", "areas"),
                   line=top.data["frameworks"].line_of(fid))
        scale_map = r.mapping("scale") or Mapping()
        scale = []
        for gid, wording in scale_map.items():
            if gid not in grades:
                problems.add(path, scale_map.line_of(gid), f'framework "{fid}" uses unknown grade "{gid}"{did_you_mean(gid, grades)}.',
                             f"use one of: {one_of(grades)}.")
                continue
            scale.append((str(gid), str(wording)))
        for kid, line in r.items("kinds"):
            if kid not in kinds:
                problems.add(path, line, f'framework "{fid}" names unknown kind "{kid}"{did_you_mean(str(kid), kinds)}.', f"use one of: {one_of(kinds)}.")
        areas = []
        for raw_area, line in r.items("areas"):
            a = Record(raw_area, path, problems, f'an area of framework "{fid}"', ("area", "strand", "theme"), ("area", "theme"), line=line)
            theme = a.choice("theme", themes, "theme")
            if a.ok and theme:
                areas.append(Area(a.text("area") or "", theme, a.text("strand") or ""))
        start, until = r.date("from"), r.date("until")
        if start and until and until < start:
            r.bad("until", f'framework "{fid}" ends before it starts.', "check the from and until dates.")
        required = _required(r, fid, path, problems, kinds, tuple(dict.fromkeys(a.theme for a in areas)))
        out[fid] = Framework(fid, r.text("name") or fid, r.text("short") or r.text("name") or fid, start, until,
                             r.texts("kinds"), r.text("plain") or "", tuple(scale), tuple(areas), required)
    return out


def _required(r: Record, fid: str, path: Path, problems: Problems, kinds: dict[str, Kind],
              themes: tuple[str, ...]) -> tuple[tuple[str, tuple[str, ...]], ...]:
    """A framework's `required`: for a kind, the themes each of its reports must give (else all the areas' themes)."""
    block = r.mapping("required") or Mapping()
    out = []
    for kid, listed in block.items():
        line = block.line_of(kid)
        if kid not in r.texts("kinds"):
            problems.add(path, line, f'framework "{fid}" lists required areas for "{kid}", which is not one of its kinds.',
                         f"use one of: {', '.join(r.texts('kinds'))}.")
            continue
        if not isinstance(listed, list) or not all(isinstance(t, str) for t in listed):
            problems.add(path, line, f'"required: {kid}" should be a list of themes.', f"write e.g. '{kid}: [{', '.join(themes[:2])}]'.")
            continue
        unknown = [t for t in listed if t not in themes]
        for theme in unknown:
            problems.add(path, line, f'"required: {kid}" names "{theme}", which is not a theme of framework "{fid}"'
                         f"{did_you_mean(theme, themes)}.", f"use the themes of its areas: {', '.join(themes)}.")
        if not unknown:
            out.append((str(kid), tuple(listed)))
    return tuple(out)
