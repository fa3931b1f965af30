"""Markdown: safe rendering with markdown-it-py, paragraph citations and glossary links."""
from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from html import escape, unescape
from typing import Any

from markdown_it import MarkdownIt
from markdown_it.rules_inline import StateInline

# [para 12], [paras 12-14], [paras 3, 7], optionally "of <inspection slug>".
CITE = re.compile(r"\[paras? (\d+(?:\s*(?:-|–|to|,|and)\s*\d+)*)(?: of ([a-z0-9-]+))?\]")
# [[term]] or [[shown words|term]]
TERM = re.compile(r"\[\[([^\[\]|\n]+?)(?:\|([^\[\]|\n]+?))?\]\]")
SAFE_SCHEMES = ("http:", "https:", "mailto:", "tel:")


MAX_CITED = 20  # paragraphs one citation may name (real ones name at most 5)
MAX_DIGITS = 6  # a paragraph number is never longer (and int() of a huge one is slow or refused)


@dataclass(frozen=True)
class Ref:
    """A citation or glossary reference found in Markdown text, with its line."""

    kind: str  # "cite" | "term"
    target: str  # inspection slug ("" = this page's report) or glossary term
    numbers: tuple[int, ...]
    line: int
    problem: str = ""  # what is wrong with a citation's numbers, if anything (see cite_problem)


def _cite_parts(spec: str) -> list[list[str]]:
    """'12-14, 3' -> [['12', '14'], ['3']]: each part's numbers, as text."""
    return [[n for n in re.split(r"\s*(?:-|–|to)\s*", part) if n] for part in re.split(r"\s*(?:,|and)\s*", spec)]


def cite_numbers(spec: str) -> tuple[int, ...]:
    """The paragraph numbers of '12-14' or '3, 7' (ranges expanded), never more than MAX_CITED + 1 of them.

    Whatever `cite_problem` reports is cut short here (a range that runs backwards keeps its two
    ends), so a bad citation can never grow into a huge page before the build refuses it.
    """
    numbers: list[int] = []
    for part in _cite_parts(spec):
        bounds = [int(n) for n in part if len(n) <= MAX_DIGITS]
        if len(bounds) == 2 and bounds[0] <= bounds[1]:
            numbers.extend(range(bounds[0], min(bounds[1], bounds[0] + MAX_CITED) + 1))
        else:
            numbers.extend(bounds)
        if len(numbers) > MAX_CITED:
            return tuple(numbers[: MAX_CITED + 1])
    return tuple(numbers)


def cite_problem(spec: str) -> str:
    """What is wrong with a citation's numbers ('' when nothing): a huge number, a backwards range, too many."""
    count = 0
    for part in _cite_parts(spec):
        long = next((n for n in part if len(n) > MAX_DIGITS), None)
        if long is not None:
            return f"the paragraph number {long[:12]}{'...' if len(long) > 12 else ''} is far too large."
        bounds = [int(n) for n in part]
        if len(bounds) == 2 and bounds[0] > bounds[1]:
            return f"the range {bounds[0]}-{bounds[1]} runs backwards."
        count += bounds[1] - bounds[0] + 1 if len(bounds) == 2 else len(bounds)
    if count > MAX_CITED:
        return f"the citation names {count:,} paragraphs; one citation may name at most {MAX_CITED}."
    return ""


def link_problem(shown: str, term: str | None) -> str:
    """What is wrong with a glossary link's order ('' when nothing): [[strategy meeting|strategy meetings]] shows the singular."""
    shown, term = shown.strip(), (term or "").strip()
    if term and term.lower() in (shown.lower() + "s", shown.lower() + "es"):
        return f'"[[{shown}|{term}]]" shows "{shown}" and links "{term}": to show "{term}", write [[{term}|{shown}]].'
    return ""


def find_refs(text: str, first_line: int) -> list[Ref]:
    """Every citation and glossary reference in Markdown text, for validation."""
    if "[para" not in text and "[[" not in text:
        return []
    refs = []
    for match in CITE.finditer(text):
        refs.append((match.start(), Ref("cite", match[2] or "", cite_numbers(match[1]), 0, cite_problem(match[1]))))
    for match in TERM.finditer(text):
        refs.append((match.start(), Ref("term", (match[2] or match[1]).strip(), (), 0, link_problem(match[1], match[2]))))
    refs.sort(key=lambda pair: pair[0])
    out, line, last = [], first_line, 0
    for start, ref in refs:
        line += text.count("\n", last, start)
        last = start
        out.append(Ref(ref.kind, ref.target, ref.numbers, line, ref.problem))
    return out


def plain_text(text: str) -> str:
    """Markdown reduced to the words a reader reads (for readability scores and search).

    Every step takes time in proportion to the text: no regular expression here scans the rest of
    the text again from each bracket or line (200 KB of '[' or of blank lines took minutes).
    """
    text = CITE.sub("", text)
    text = TERM.sub(lambda m: m[1], text)
    text = drop_links(text)
    text = drop_line_marks(text)
    text = re.sub(r"[*_`>|]", "", text)
    return re.sub(r"[ \t]+", " ", text).strip()


def drop_links(text: str) -> str:
    r"""Links and images reduced to their words, as re.sub(r"!?\[([^\]]*)\]\([^)]*\)", r"\1", text) does, in one pass.

    The next ']' and ')' are found once and reused for every '[' before them.
    """
    out: list[str] = []
    done = start = 0  # text[:done] is in `out`; look for '[' from `start`
    close_bracket = close_paren = -2  # the next ']' / ')' found so far (-1: none left)
    while (opening := text.find("[", start)) >= 0:
        if close_bracket != -1 and close_bracket <= opening:
            close_bracket = text.find("]", opening + 1)
        if close_bracket == -1:
            break
        if not text.startswith("(", close_bracket + 1):
            start = opening + 1
            continue
        if close_paren != -1 and close_paren <= close_bracket + 1:
            close_paren = text.find(")", close_bracket + 2)
        if close_paren == -1:
            break
        first = opening - 1 if opening > done and text[opening - 1] == "!" else opening
        out += [text[done:first], text[opening + 1:close_bracket]]
        done = start = close_paren + 1
    out.append(text[done:])
    return "".join(out)


def drop_line_marks(text: str) -> str:
    r"""Heading and list marks removed, as re.sub(r"^\s*(?:#+|[-*+]|\d+[.)])\s+", "", text, flags=re.M) does, in one pass.

    As there, the blank lines before a marked line go with its mark. Every line start inside one
    run of white space gives the same result as the run's first, so only that one is tried.
    """
    out: list[str] = []
    done = line = 0  # text[:done] is in `out`; `line` is the next line start to try
    size = len(text)
    while line < size:
        mark = _skip_space(text, line)
        end = _after_mark(text, mark)
        if end > mark and end < size and text[end].isspace():
            out.append(text[done:line])
            done = _skip_space(text, end)
            line = done if done == 0 or text[done - 1] == "\n" else _next_line(text, done)
        else:
            line = _next_line(text, mark)
    out.append(text[done:])
    return "".join(out)


def _skip_space(text: str, index: int) -> int:
    r"""The first index at or after `index` that is not white space (\s)."""
    while index < len(text) and text[index].isspace():
        index += 1
    return index


def _after_mark(text: str, index: int) -> int:
    """The end of a heading or list mark (#+, -, *, +, 1. or 1)) at `index`; `index` when there is none."""
    if text.startswith("#", index):
        end = index
        while text.startswith("#", end):
            end += 1
        return end
    if index < len(text) and text[index] in "-*+":
        return index + 1
    end = index
    while end < len(text) and text[end].isdecimal():
        end += 1
    return end + 1 if end > index and end < len(text) and text[end] in ".)" else index


def _next_line(text: str, index: int) -> int:
    """The start of the line after the one `index` is on (len(text) when there is none)."""
    found = text.find("\n", index)
    return len(text) if found < 0 else found + 1


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


# Rendered Markdown keeps citations, glossary links and site-root links as placeholders, so the
# expensive parse can be cached by the text alone; `resolve` fills them in for each page.
OPEN, SEP, CLOSE = "\x02", "\x1f", "\x03"
PLACEHOLDER = re.compile("\x02([CTB])([^\x02\x03]*)\x03")


def _render_cite(self: Any, tokens: list, idx: int, options: Any, env: dict) -> str:
    """A citation placeholder: the inspection slug ('' for this page's report) and the numbers."""
    meta = tokens[idx].meta
    return f"{OPEN}C{meta['slug']}{SEP}{','.join(map(str, meta['numbers']))}{CLOSE}"


def _render_term(self: Any, tokens: list, idx: int, options: Any, env: dict) -> str:
    """A glossary-link placeholder: the words shown (escaped) and the term."""
    meta = tokens[idx].meta
    return f"{OPEN}T{escape(meta['shown'])}{SEP}{escape(meta['term'])}{CLOSE}"


def cite_label(numbers: tuple[int, ...]) -> str:
    """'paragraph 3', 'paragraphs 3 to 5' or 'paragraphs 3 and 7'."""
    if not numbers:  # only a citation the build refuses (see cite_problem)
        return "paragraphs"
    if len(numbers) == 1:
        return f"paragraph {numbers[0]}"
    if all(later == earlier + 1 for earlier, later in zip(numbers, numbers[1:])):
        return f"paragraphs {numbers[0]} to {numbers[-1]}"
    return "paragraphs " + ", ".join(map(str, numbers[:-1])) + f" and {numbers[-1]}"


def term_link_here(shown: str, term_id: str, first: bool) -> str:
    """A glossary link to the term's plain meaning in "Words on this page", lower on the same page.

    The first use on the page has an id (so the box can link back to it) and takes the plain meaning
    as its description, which screen readers read out with the link.
    """
    tid = escape(term_id)
    if first:
        return f'<a class="term" id="used-{tid}" href="#word-{tid}" aria-describedby="means-{tid}">{shown}</a>'
    return f'<a class="term" href="#word-{tid}">{shown}</a>'


def resolve(html: str, env: dict) -> str:
    """Fill in a rendered text's placeholders for one page (see `make_markdown`)."""
    def fill(match: re.Match) -> str:
        kind, body = match[1], match[2]
        if kind == "B":
            return escape(env.get("base_path", "/"))
        if kind == "C":
            slug, _, nums = body.partition(SEP)
            numbers = tuple(int(n) for n in nums.split(",") if n)
            resolver = env.get("resolve_cite")
            href, of = resolver(slug, numbers) if resolver else ("", "")
            text = f"{of}, {cite_label(numbers)}" if of else cite_label(numbers)
            if href:
                return f'<span class="cite">(<a href="{escape(href)}">{escape(text)}</a>)</span>'
            return f'<span class="cite">({escape(text)})</span>'
        shown, _, term = body.partition(SEP)
        resolver = env.get("resolve_term")
        href, term_id = resolver(unescape(term)) if resolver else ("", "")
        used = env.setdefault("terms_used", [])
        first = bool(term_id) and term_id not in used
        if first:
            used.append(term_id)
        if href and env.get("terms_here"):
            return term_link_here(shown, term_id, first)
        return f'<a class="term" href="{escape(href)}">{shown}</a>' if href else shown
    return PLACEHOLDER.sub(fill, html)


def _validate_link(url: str) -> bool:
    """Only web, mail and phone links, and links within the site; never javascript: or data:."""
    lowered = re.sub(r"[\x00-\x20]", "", url).lower()
    scheme = re.match(r"[a-z][a-z0-9+.-]*:", lowered)
    return scheme is None or scheme.group(0) in SAFE_SCHEMES


def render(md: MarkdownIt, text: str, env: dict) -> str:
    """Render Markdown to HTML with its placeholders filled in for one page."""
    return resolve(md.render(clean(text)), env)


def clean(text: str) -> str:
    """Remove the control characters the placeholders use, so text cannot forge one."""
    return text.translate({0x02: None, 0x03: None, 0x1F: None})


def make_markdown() -> MarkdownIt:
    """A markdown-it parser with raw HTML and images off, tables on, and our two inline rules."""
    md = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False})
    md.enable("table")
    md.enable("strikethrough")
    md.disable("html_inline")
    md.disable("html_block")
    md.validateLink = _validate_link
    md.inline.ruler.before("link", "cite", _cite_rule)
    md.inline.ruler.before("link", "term", _term_rule)
    md.add_render_rule("cite", _render_cite)
    md.add_render_rule("term", _render_term)
    # Images would load from elsewhere (tracking a reader): an image is shown as its words only.
    md.add_render_rule("image", lambda self, tokens, idx, options, env: escape(tokens[idx].content))

    def link_open(self: Any, tokens: list, idx: int, options: Any, env: dict) -> str:
        href = tokens[idx].attrGet("href") or ""
        if href.startswith("/") and not href.startswith("//"):
            tokens[idx].attrSet("href", f"{OPEN}B{CLOSE}" + href.lstrip("/"))
        return self.renderToken(tokens, idx, options, env)

    md.add_render_rule("link_open", link_open)
    return md


HEADING = re.compile(r"^## (?!#)(.*)$", re.M)


def split_sections(body: str, first_line: int) -> tuple[str, list[tuple[str, str, int]]]:
    """Split a body at its `## ` headings: (text before the first, [(heading, text, line)])."""
    if "```" in body or "~~~" in body:
        return _split_sections_with_fences(body, first_line)
    matches = list(HEADING.finditer(body))
    if not matches:
        return body.strip(), []
    parts, line, last = [], first_line, 0
    for index, match in enumerate(matches):
        line += body.count("\n", last, match.start())
        last = match.start()
        end = matches[index + 1].start() if index + 1 < len(matches) else len(body)
        parts.append((match[1].strip().rstrip("#").strip(), body[match.end():end].strip(), line))
    return body[: matches[0].start()].strip(), parts


def _split_sections_with_fences(body: str, first_line: int) -> tuple[str, list[tuple[str, str, int]]]:
    """The line-by-line split, for bodies with code fences (a `##` inside a fence is not a heading)."""
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
