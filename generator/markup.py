"""Markdown: safe rendering with markdown-it-py, paragraph citations and glossary links."""
from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from html import escape
from typing import Any

from markdown_it import MarkdownIt
from markdown_it.rules_inline import StateInline

# [para 12], [paras 12-14], [paras 3, 7], optionally "of <inspection slug>".
CITE = re.compile(r"\[paras? (\d+(?:\s*(?:-|–|to|,|and)\s*\d+)*)(?: of ([a-z0-9-]+))?\]")
# [[term]] or [[shown words|term]]
TERM = re.compile(r"\[\[([^\[\]|\n]+?)(?:\|([^\[\]|\n]+?))?\]\]")
SAFE_SCHEMES = ("http:", "https:", "mailto:", "tel:")


@dataclass(frozen=True)
class Ref:
    """A citation or glossary reference found in Markdown text, with its line."""

    kind: str  # "cite" | "term"
    target: str  # inspection slug ("" = this page's report) or glossary term
    numbers: tuple[int, ...]
    line: int


def cite_numbers(spec: str) -> tuple[int, ...]:
    """The paragraph numbers of '12-14' or '3, 7' (ranges expanded, at most 200)."""
    numbers: list[int] = []
    for part in re.split(r"\s*(?:,|and)\s*", spec):
        bounds = [int(n) for n in re.split(r"\s*(?:-|–|to)\s*", part) if n]
        if len(bounds) == 2 and bounds[0] <= bounds[1] and bounds[1] - bounds[0] < 200:
            numbers.extend(range(bounds[0], bounds[1] + 1))
        else:
            numbers.extend(bounds)
    return tuple(numbers)


def find_refs(text: str, first_line: int) -> list[Ref]:
    """Every citation and glossary reference in Markdown text, for validation."""
    refs = []
    for number, line in enumerate(text.split("\n"), start=first_line):
        for match in CITE.finditer(line):
            refs.append(Ref("cite", match[2] or "", cite_numbers(match[1]), number))
        for match in TERM.finditer(line):
            refs.append(Ref("term", (match[2] or match[1]).strip(), (), number))
    return refs


def plain_text(text: str) -> str:
    """Markdown reduced to the words a reader reads (for readability scores and search)."""
    text = CITE.sub("", text)
    text = TERM.sub(lambda m: m[1], text)
    text = re.sub(r"!?\[([^\]]*)\]\([^)]*\)", r"\1", text)
    text = re.sub(r"^\s*(?:#+|[-*+]|\d+[.)])\s+", "", text, flags=re.M)
    text = re.sub(r"[*_`>|]", "", text)
    return re.sub(r"[ \t]+", " ", text).strip()


def _cite_rule(state: StateInline, silent: bool) -> bool:
    """Inline rule: [para N] citations."""
    if state.src[state.pos] != "[" or not state.src.startswith("[para", state.pos):
        return False
    match = CITE.match(state.src, state.pos)
    if not match:
        return False
    if not silent:
        token = state.push("cite", "", 0)
        token.meta = {"numbers": cite_numbers(match[1]), "slug": match[2] or "", "text": match[0]}
    state.pos = match.end()
    return True


def _term_rule(state: StateInline, silent: bool) -> bool:
    """Inline rule: [[term]] and [[words|term]] glossary links."""
    if not state.src.startswith("[[", state.pos):
        return False
    match = TERM.match(state.src, state.pos)
    if not match:
        return False
    if not silent:
        token = state.push("term", "", 0)
        token.meta = {"shown": match[1].strip(), "term": (match[2] or match[1]).strip()}
    state.pos = match.end()
    return True


def _render_cite(self: Any, tokens: list, idx: int, options: Any, env: dict) -> str:
    """A citation: a link to the report's page for that paragraph, when known."""
    meta = tokens[idx].meta
    numbers = meta["numbers"]
    label = f"paragraph {numbers[0]}" if len(numbers) == 1 else (
        f"paragraphs {numbers[0]} to {numbers[-1]}" if list(numbers) == list(range(numbers[0], numbers[-1] + 1))
        else "paragraphs " + ", ".join(map(str, numbers[:-1])) + f" and {numbers[-1]}")
    resolve: Callable[[str, tuple[int, ...]], tuple[str, str]] | None = env.get("resolve_cite")
    href, of = resolve(meta["slug"], numbers) if resolve else ("", "")
    text = f"{of}, {label}" if of else label
    if href:
        return f'<span class="cite">(<a href="{escape(href)}">{escape(text)}</a>)</span>'
    return f'<span class="cite">({escape(text)})</span>'


def _render_term(self: Any, tokens: list, idx: int, options: Any, env: dict) -> str:
    """A glossary link; the first use of each term on a page is noted for 'words on this page'."""
    meta = tokens[idx].meta
    resolve: Callable[[str], tuple[str, str]] | None = env.get("resolve_term")
    href, term_id = resolve(meta["term"]) if resolve else ("", "")
    used = env.setdefault("terms_used", [])
    if term_id and term_id not in used:
        used.append(term_id)
    if not href:
        return escape(meta["shown"])
    return f'<a class="term" href="{escape(href)}">{escape(meta["shown"])}</a>'


def _validate_link(url: str) -> bool:
    """Only web, mail and phone links, and links within the site; never javascript: or data:."""
    lowered = re.sub(r"[\x00-\x20]", "", url).lower()
    scheme = re.match(r"[a-z][a-z0-9+.-]*:", lowered)
    return scheme is None or scheme.group(0) in SAFE_SCHEMES


def make_markdown() -> MarkdownIt:
    """A markdown-it parser with raw HTML and images off, tables on, and our two inline rules."""
    md = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False})
    md.enable("table")
    md.enable("strikethrough")
    md.disable("image")
    md.disable("html_inline")
    md.disable("html_block")
    md.validateLink = _validate_link
    md.inline.ruler.before("link", "cite", _cite_rule)
    md.inline.ruler.before("link", "term", _term_rule)
    md.add_render_rule("cite", _render_cite)
    md.add_render_rule("term", _render_term)

    def link_open(self: Any, tokens: list, idx: int, options: Any, env: dict) -> str:
        href = tokens[idx].attrGet("href") or ""
        if href.startswith("/") and not href.startswith("//"):
            tokens[idx].attrSet("href", env.get("base_path", "/") + href.lstrip("/"))
        return self.renderToken(tokens, idx, options, env)

    md.add_render_rule("link_open", link_open)
    return md


def split_sections(body: str, first_line: int) -> tuple[str, list[tuple[str, str, int]]]:
    """Split a body at its `## ` headings: (text before the first, [(heading, text, line)])."""
    preamble: list[str] = []
    sections: list[tuple[str, list[str], int]] = []
    fence = ""
    for number, line in enumerate(body.split("\n"), start=first_line):
        stripped = line.strip()
        if stripped.startswith(("```", "~~~")):
            marker = stripped[:3]
            fence = "" if fence == marker else (fence or marker)
        if not fence and re.match(r"## (?!#)", line):
            sections.append((line[3:].strip().rstrip("#").strip(), [], number))
            continue
        (sections[-1][1] if sections else preamble).append(line)
    return "\n".join(preamble).strip(), [(h, "\n".join(lines).strip(), n) for h, lines, n in sections]
