"""The report's own words: paragraph texts kept beside the content, shown under the sentences that cite them.

Each inspection's words live in `councils/<council>/reports/<inspection>.yaml` (made once from the PDF
by the importer, then kept as content): its Crown copyright line and `paragraphs: {number: text}`.
The build reads them, keeps only the paragraphs some page cites, and never fetches anything.
"""
from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from html import escape
from pathlib import Path
from typing import Any

import yaml

from .markup import PLACEHOLDER, SEP, find_refs
from .problems import Problems

FOLDER = "reports"
KEYS = ("copyright", "made_from", "paragraphs")
HEADER = ("# The Ofsted report's own words, paragraph by paragraph, for the inspection page of the same name.\n"
          "# The site shows a paragraph under each sentence that cites it. Made by `python -m generator import-pdf`\n"
          "# from the report's PDF: if a paragraph reads wrongly, correct it here against the PDF.\n")


@dataclass(frozen=True)
class ReportWords:
    """One report's words: its copyright line and the texts of its numbered paragraphs."""

    key: str  # the inspection's council/slug
    copyright: str
    paragraphs: dict[int, str]
    file: str
    numbers: frozenset[int] = frozenset()  # every paragraph the file has (the texts may be only the cited ones)


def words_path(inspection_file: Path) -> Path:
    """Where an inspection file's report words are kept."""
    return inspection_file.parent / FOLDER / f"{inspection_file.stem}.yaml"


def words_text(copyright_line: str, made_from: str, paragraphs: dict[int, str]) -> str:
    """A report-words file as plain YAML a person can read (no anchors, one paragraph to an entry)."""
    data = {"copyright": copyright_line, "made_from": made_from,
            "paragraphs": {n: clean(text) for n, text in sorted(paragraphs.items())}}
    return HEADER + yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=100, default_flow_style=False)


def clean(text: str) -> str:
    """Text without control characters (they would break the page), whitespace collapsed."""
    return re.sub(r"\s+", " ", re.sub(r"[\x00-\x08\x0b-\x1f\x7f]", "", text)).strip()


def parse_words(data: Any, path: Path, problems: Problems) -> tuple[str, dict[int, str]] | None:
    """Check a report-words file's data: (copyright, {number: text}), or None after reporting what is wrong."""
    from .fields import Record

    r = Record(data, path, problems, "the report's words", KEYS, ("copyright", "paragraphs"))
    if not r.ok:
        return None
    copyright_line = r.text("copyright", required=True) or ""
    block = r.data.get("paragraphs")
    if not isinstance(block, dict):
        if "paragraphs" in r.data:
            r.bad("paragraphs", '"paragraphs" should map paragraph numbers to their text.',
                  'write e.g. \'12: "Some children remain ..."\' under "paragraphs:".')
        return None
    out: dict[int, str] = {}
    for number, text in block.items():
        line = block.line_of(number) if hasattr(block, "line_of") else r.line
        if isinstance(number, bool) or not isinstance(number, int) or number < 1:
            problems.add(path, line, f'"{number}" is not a paragraph number.', "write the paragraph's number, e.g. '12:'.")
        elif not isinstance(text, str) or not text.strip():
            problems.add(path, line, f"paragraph {number} has no text.", "copy the paragraph's words from the report, or delete the line.")
        else:
            out[number] = clean(text)
    return copyright_line, dict(sorted(out.items()))


def read_words(path: Path, problems: Problems, read_yaml: Callable[[str, Path], Any] | None = None) -> tuple[str, dict[int, str]] | None:
    """Read and check one report-words file."""
    from .yamlio import read_text

    text = read_text(path, problems)
    return None if text is None else words_of(text, path, problems, read_yaml)


def words_of(text: str, path: Path, problems: Problems,
             read_yaml: Callable[[str, Path], Any] | None = None) -> tuple[str, dict[int, str]] | None:
    """Check one report-words file's text: quickly when it is well formed, else line by line for the problems."""
    from .yamlio import load_yaml

    quick = quick_words(text)
    if quick is not None:
        return quick
    data = read_yaml(text, path) if read_yaml else load_yaml(text, path, problems)
    if data is None:
        if not text.strip():
            problems.add(path, 1, "the file is empty.", "import the report's words again (import-pdf --words-for), or delete it.")
        return None
    return parse_words(data, path, problems)


def quick_words(text: str) -> tuple[str, dict[int, str]] | None:
    """A well-formed words file read with libyaml (fast); None when anything is off, to be read again with lines for the problems."""
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    try:
        data = yaml.load(text, Loader=loader)  # noqa: S506 - a safe loader
    except yaml.YAMLError:
        return None
    if not isinstance(data, dict) or not set(data) <= set(KEYS) or not isinstance(data.get("copyright"), str):
        return None
    block = data.get("paragraphs")
    if not data["copyright"].strip() or not isinstance(block, dict) or not isinstance(data.get("made_from", ""), str):
        return None
    if not all(type(n) is int and n >= 1 and isinstance(t, str) and t.strip() for n, t in block.items()):
        return None
    return data["copyright"].strip(), {n: clean(t) for n, t in sorted(block.items())}


def cited(texts: Iterable[tuple[str, str]], memo: Any = None) -> dict[str, set[int]]:
    """The paragraphs cited in some Markdown texts, by inspection slug; each text with the slug its bare citations mean."""
    out: dict[str, set[int]] = {}
    for own, text in texts:
        for target, numbers in citations(text, memo):
            if target or own:
                out.setdefault(target or own, set()).update(numbers)
    return out


def citations(text: str, memo: Any = None) -> tuple[tuple[str, tuple[int, ...]], ...]:
    """Each citation in a text: the inspection it names ('' for the page's own) and its paragraphs.

    `memo` (the build's parse cache) keeps them by the text: the preview looks again after every edit.
    """
    from .cache import digest

    key = digest(f"q\0{text}") if memo is not None else None
    found = memo.get(key) if key is not None else None
    if found is None:
        found = tuple((ref.target, ref.numbers) for ref in find_refs(text, 1) if ref.kind == "cite")
        if key is not None:
            memo.put(key, found)
    return found


def cited_in(inspections: Iterable[Any], events: Iterable[Any], stories: dict[Any, Any], council: str,
             memo: Any = None) -> dict[str, set[int]]:
    """The paragraphs one council's pages cite, by inspection slug (`memo` as in `citations`)."""
    texts = [(i.slug, s.markdown) for i in inspections for s in i.sections]
    texts += [(i.slug, n.text) for i in inspections for n in i.source_notes]
    texts += [("", e.summary) for e in events if e.council == council]
    texts += [("", s.markdown) for s in stories.values() if s.council == council]
    return cited(texts, memo)


def council_words(folder: Path, council: str, inspections: dict[str, Any], wanted: dict[str, set[int]],
                  problems: Problems, read_yaml: Callable[[str, Path], Any] | None = None,
                  memo: Any = None, stats: dict[str, Any] | None = None) -> dict[str, ReportWords]:
    """The report words of one council's inspections, keeping the texts of cited paragraphs only.

    `memo` (the build's parse cache) keeps what a file gave, by its text and the paragraphs wanted,
    so a warm build reads each file but parses none; with `stats` (the preview's (mtime, size) of
    each file) a file the preview knows unchanged is not even read.
    """
    from .cache import digest
    from .load import listing
    from .problems import did_you_mean

    out: dict[str, ReportWords] = {}
    for path, is_dir in listing(folder / FOLDER):
        if is_dir or path.suffix != ".yaml":
            continue
        if path.stem not in inspections:
            problems.add(path, 1, f'"{path.stem}" is not an inspection of this council{did_you_mean(path.stem, inspections)}.',
                         "name the file after the inspection file it belongs to (its name without .md).")
            continue
        keep = wanted.get(path.stem, set())
        stat = stats.get(str(path)) if stats else None
        quick = digest(f"w\0{path}\0{sorted(keep)}\0{stat}") if stat and memo is not None else None
        found = memo.get(quick) if quick else None
        if found is None:
            before = len(problems)
            found = _words_file(path, keep, problems, read_yaml, memo)
            if found is None:
                continue
            if quick and len(problems) == before:
                memo.put(quick, found)
        out[f"{council}/{path.stem}"] = ReportWords(f"{council}/{path.stem}", found[0], found[1],
                                                    problems.display(path), found[2])
    return out


def _words_file(path: Path, keep: set[int], problems: Problems, read_yaml: Callable[[str, Path], Any] | None,
                memo: Any) -> tuple[str, dict[int, str], frozenset[int]] | None:
    """One words file read: its copyright line, the kept paragraphs' texts and every paragraph number; None when unusable."""
    from .cache import digest
    from .yamlio import read_text

    text = read_text(path, problems)
    if text is None:
        return None
    key = digest(f"w\0{path}\0{sorted(keep)}\0{text}")
    found = memo.get(key) if memo is not None else None
    if found is None:
        before = len(problems)
        parsed = words_of(text, path, problems, read_yaml)
        if parsed is None:
            return None
        copyright_line, paragraphs = parsed
        found = (copyright_line, {n: t for n, t in paragraphs.items() if n in keep}, frozenset(paragraphs))
        if memo is not None and len(problems) == before:
            memo.put(key, found)
    return found


# ---- on the page ---------------------------------------------------------------------------------------

BLOCK_END = re.compile(r"</p>|</li>|</td>|</th>|</h[3-6]>")


@dataclass
class Quoting:
    """What one page needs to show the report's words: how to find them, and which it has shown already."""

    lookup: Callable[[str, int], tuple[ReportWords, str, str, str] | None]  # (slug, n) -> (words, anchor, pdf link, whose)
    shown: set[str]

    def add(self, html: str) -> str:
        """Rendered Markdown (with its citation placeholders) with the words of each newly cited paragraph under its block."""
        if "\x02C" not in html:
            return html
        out, last = [], 0
        pending: list[str] = []
        for match in re.finditer(r"\x02C([^\x02\x03]*)\x03|" + BLOCK_END.pattern, html):
            if match[0].startswith("\x02"):
                slug, _, nums = match[1].partition(SEP)
                pending += [self.box(slug, int(n)) for n in nums.split(",") if n]
                continue
            boxes = "".join(b for b in pending if b)
            pending = []
            if not boxes:
                continue
            at = match.end() if match[0] == "</p>" or match[0].startswith("</h") else match.start()
            out.append(html[last:at])
            out.append(boxes)
            last = at
        out.append(html[last:])
        tail = "".join(b for b in pending if b)
        return "".join(out) + tail

    def box(self, slug: str, number: int) -> str:
        """The report's words for one paragraph, once per page; '' when shown already or not kept."""
        found = self.lookup(slug, number)
        if found is None:
            return ""
        words, anchor, href, whose = found
        if anchor in self.shown:
            return ""
        self.shown.add(anchor)
        page = re.search(r"#page=(\d+)$", href)
        where = f"PDF, page {page[1]}" if page else "PDF"
        link = f'<a href="{escape(href)}">In the full report ({where})</a>. ' if href else ""
        return (f'<details class="quote" id="{anchor}"><summary>What {whose} says: paragraph {number}</summary>'
                f'<blockquote><p>{escape(words.paragraphs[number], quote=False)}</p></blockquote>'
                f'<p class="muted">{link}{escape(words.copyright)}.</p></details>\n')


def anchor_for(slug: str, number: int, own: bool = False) -> str:
    """The id of a quoted paragraph on a page: short for the page's own report (pages stay light), else with the report's slug."""
    return f"p{number}" if own else f"p-{slug}-{number}"


def strip_placeholders(html: str) -> str:
    """Rendered Markdown without its placeholders (for tests)."""
    return PLACEHOLDER.sub("", html)
