"""Reading content files: text decoding, front matter, and YAML that remembers line numbers."""
from __future__ import annotations

import datetime as dt
import os
import re
import stat
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from .problems import Problems

# Content files are small; anything this large is a mistake (a pasted PDF, a log file...).
MAX_FILE_BYTES = 2 * 1024 * 1024
# Content nests a few levels (frameworks -> areas -> a list of mappings); deeper is a mistake or an attack,
# and building it would exhaust Python's stack.
MAX_DEPTH = 50
# A page must stay under 100 KB, and Markdown's link parser slows down badly on some long texts
# (200 KB of '[' takes seconds): a Markdown text longer than this is refused. The longest real one is 12 KB.
MAX_BODY_CHARS = 100_000

try:  # The C loader is several times faster; the pure-Python one gives the same results.
    _BaseLoader = yaml.CSafeLoader  # type: ignore[attr-defined]
except AttributeError:  # pragma: no cover - depends on how PyYAML was built
    _BaseLoader = yaml.SafeLoader


class Mapping(dict):
    """A YAML mapping that knows the line of each of its keys (1-based)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.line = 0
        self.lines: dict[Any, int] = {}

    def line_of(self, key: Any) -> int:
        """The line a key is on, or the mapping's own line."""
        return self.lines.get(key, self.line)


class Seq(list):
    """A YAML sequence that knows the line of each of its items (1-based)."""

    def __init__(self, *args: Any) -> None:
        super().__init__(*args)
        self.line = 0
        self.lines: list[int] = []

    def line_of(self, index: int) -> int:
        """The line an item starts on, or the sequence's own line."""
        return self.lines[index] if 0 <= index < len(self.lines) else self.line


@dataclass(frozen=True)
class BadDate:
    """A value written like a date that is not a real day (2022-02-30)."""

    text: str

    def __str__(self) -> str:
        return self.text


class _LineLoader(_BaseLoader):  # type: ignore[misc, valid-type]
    """A safe loader that records lines, catches duplicate keys and never builds objects."""

    def __init__(self, stream: str, offset: int = 0) -> None:
        super().__init__(stream)
        self.offset = offset
        self.duplicates: list[tuple[str, int, int]] = []

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> Mapping:  # type: ignore[override]
        """Build a Mapping, remembering where each key is and noting keys given twice."""
        self.flatten_mapping(node)
        result = Mapping()
        result.line = node.start_mark.line + 1 + self.offset
        for key_node, value_node in node.value:
            key = self.construct_object(key_node, deep=True)
            try:
                hash(key)
            except TypeError:
                key = str(key)
            line = key_node.start_mark.line + 1 + self.offset
            if key in result.lines:
                self.duplicates.append((str(key), line, result.lines[key]))
            result.lines[key] = line
            result[key] = self.construct_object(value_node, deep=True)
        return result

    def construct_sequence(self, node: yaml.SequenceNode, deep: bool = False) -> Seq:  # type: ignore[override]
        """Build a Seq, remembering where each item is."""
        result = Seq(self.construct_object(child, deep=True) for child in node.value)
        result.line = node.start_mark.line + 1 + self.offset
        result.lines = [child.start_mark.line + 1 + self.offset for child in node.value]
        return result

    def construct_yaml_timestamp(self, node: yaml.ScalarNode) -> Any:  # type: ignore[override]
        """A date, or a BadDate when the text is not a real day; never a crash."""
        try:
            value = super().construct_yaml_timestamp(node)
        except (ValueError, OverflowError):
            return BadDate(str(node.value))
        return value


_LineLoader.add_constructor("tag:yaml.org,2002:map", _LineLoader.construct_mapping)
_LineLoader.add_constructor("tag:yaml.org,2002:seq", _LineLoader.construct_sequence)
_LineLoader.add_constructor("tag:yaml.org,2002:timestamp", _LineLoader.construct_yaml_timestamp)


class NotAFile(OSError):
    """A path that names a pipe, socket, device or folder: reading it could wait for ever."""

    def __init__(self, kind: str) -> None:
        super().__init__(f"it is a {kind}, not a file")
        self.kind = kind


_KINDS = ((stat.S_ISDIR, "folder"), (stat.S_ISFIFO, "named pipe (FIFO)"), (stat.S_ISSOCK, "socket"),
          (stat.S_ISCHR, "device"), (stat.S_ISBLK, "device"))


def _kind(mode: int) -> str:
    """What a non-regular file is, in words."""
    return next((name for test, name in _KINDS if test(mode)), "special file")


def read_regular(path: Path, limit: int) -> bytes:
    """A regular file's bytes, at most `limit` + 1 of them; NotAFile for a pipe, socket or device.

    The type is checked before opening (opening a pipe waits for a writer) and again on the open
    file, which is opened without waiting, so a file swapped in between cannot make it hang.
    """
    info = path.stat()
    if not stat.S_ISREG(info.st_mode):
        raise NotAFile(_kind(info.st_mode))
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0) | getattr(os, "O_BINARY", 0))
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise NotAFile(_kind(info.st_mode))
        with os.fdopen(fd, "rb", closefd=False) as stream:
            return stream.read(limit + 1)
    finally:
        os.close(fd)


def read_text(path: Path, problems: Problems) -> str | None:
    """Read a content file as UTF-8 text (a BOM and Windows line endings are fine)."""
    try:
        data = read_regular(path, MAX_FILE_BYTES)
        if len(data) > MAX_FILE_BYTES:
            size = max(path.stat().st_size, len(data))
            problems.add(path, 1, f"the file is too large ({size // 1024 // 1024} MB; content files are a few KB).",
                         "check this is the file you meant to save here; split or shorten it to under 2 MB.")
            return None
    except NotAFile as err:
        problems.add(path, 0, f"this is a {err.kind}, not a file: it cannot be read.",
                     "remove it, or put the file you meant in its place (saved from your editor).")
        return None
    except OSError as err:
        problems.add(path, 0, f"the file cannot be read ({err.strerror}).", "check that it exists and that you may read it.")
        return None
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        line = data[: err.start].count(b"\n") + 1
        problems.add(path, line, "the file is not UTF-8 text (a character on this line cannot be read).",
                     "save the file as UTF-8 in your editor (\"Save with encoding\" > UTF-8).")
        return None
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return None if has_control_characters(text, path, problems) else text


# Characters no page, feed or data file may hold: control characters (but tab and line ends),
# DEL and the C1 controls, lone surrogates (only YAML escapes make them), and Unicode's non-characters
# (U+FDD0..U+FDEF, U+FFFE, U+FFFF, ... U+10FFFF).
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufdd0-\ufdef"
                      + "".join(chr(plane << 16 | 0xFFFE) + chr(plane << 16 | 0xFFFF) for plane in range(17)) + "]")
_CONTROL_NAMES = {"\x00": "a NUL character", "\x07": "a bell character", "\x1b": "an escape character",
                  "\x0c": "a page break character"}
# The same characters and every character beyond U+FFFF: one range in place of _CONTROL's 34 single
# characters beyond U+FFFF, which make it ten times slower to look through a file that holds none.
_MAYBE_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufdd0-\ufdef\ufffe\uffff\U00010000-\U0010ffff]")
MAX_CONTROL_REPORTS = 5  # lines reported per file: a binary file would list thousands


def has_control_characters(text: str, path: Path, problems: Problems) -> bool:
    """Report each line (the first few) that holds a control or non-character; whether there was one."""
    if not _MAYBE_CONTROL.search(text):  # what almost every file is: looked through quickly
        return False
    lines: dict[int, str] = {}
    for match in _CONTROL.finditer(text):
        line = text.count("\n", 0, match.start()) + 1
        lines.setdefault(line, match.group())
        if len(lines) >= MAX_CONTROL_REPORTS:
            break
    for line, char in lines.items():
        name = _CONTROL_NAMES.get(char, "an invisible control character" if ord(char) < 0xA0 else "a character that is not text")
        shown = f"as ^{chr(ord(char) + 64)} or as a box" if ord(char) < 32 else "as a box or not at all"
        problems.add(path, line, f"this line holds {name} (U+{ord(char):04X}), which a web page or feed cannot show.",
                     f"delete it: it comes with text pasted from a PDF or a terminal, and your editor may show it {shown}.")
    return bool(lines)


_TAB_HINT = "YAML needs spaces for indenting, not tabs: replace the tab with spaces."


def load_yaml(text: str, path: Path, problems: Problems, offset: int = 0) -> Any:
    """Parse YAML text into Mapping/Seq values with line numbers; report problems, never raise."""
    if not text.strip():
        return None
    loader = _LineLoader(text, offset)
    try:
        node = loader.get_single_node()
        shape = _shape_problem(node, text) if node is not None else None
        if shape:
            line, what, hint = shape
            problems.add(path, line + 1 + offset, what, hint)
            return None
        data = loader.construct_document(node) if node is not None else None
    except RecursionError:  # the pure-Python parser nests deeper than Python's stack before _shape_problem sees it
        problems.add(path, offset + 1, f"the YAML is nested too deeply (more than {MAX_DEPTH} levels).", _DEPTH_HINT)
        return None
    except yaml.MarkedYAMLError as err:
        mark = err.problem_mark or err.context_mark
        line = (mark.line + 1 + offset) if mark else offset + 1
        what = (err.problem or err.context or "the YAML cannot be read").strip()
        hint = "check the indenting and the colons on this line and the one above; quote text that contains ': ' or starts with a special character."
        lines = text.split("\n")
        bad_line = lines[mark.line] if mark and mark.line < len(lines) else ""
        if "\t" in bad_line[: len(bad_line) - len(bad_line.lstrip())] or "\t" in what:
            what, hint = "a tab character is used for indenting.", _TAB_HINT
        elif "constructor" in what or "tag" in what:
            what = "this YAML tag is not allowed (content may only hold text, numbers, dates, lists and mappings)."
            hint = "remove the tag that starts with '!' on this line."
        elif "maximum nesting depth" in what:
            problems.add(path, line, f"the YAML is nested too deeply (more than {MAX_DEPTH} levels).", _DEPTH_HINT)
            return None
        elif "expected a single document" in what or "but found another document" in what:
            what = "there is more than one YAML document in the file (a second '---' line)."
            hint = "remove the extra '---' line, or move the second part into its own file."
        problems.add(path, line, f"YAML syntax: {what}", hint)
        return None
    except yaml.YAMLError as err:  # errors without a position
        problems.add(path, offset + 1, f"YAML cannot be read: {err}", "check the file's syntax.")
        return None
    finally:
        loader.dispose()
    for key, line, first in loader.duplicates:
        problems.add(path, line, f'the key "{key}" is given twice (first on line {first}).',
                     "keep one of them and delete the other.")
    if escaped_control_characters(data, path, problems, offset + 1):
        return None
    return data


def escaped_control_characters(data: Any, path: Path, problems: Problems, line: int) -> bool:
    """Report control characters written as YAML escapes ("\\a", "\\x1b", "\\u0000"); whether there were any."""
    found: dict[int, str] = {}

    def visit(value: Any, where: int) -> None:
        if isinstance(value, str):
            match = _CONTROL.search(value)
            if match and len(found) < MAX_CONTROL_REPORTS:
                found.setdefault(where, match.group())
        elif isinstance(value, Mapping):
            for key, item in value.items():
                visit(key, value.line_of(key))
                visit(item, value.line_of(key))
        elif isinstance(value, Seq):
            for index, item in enumerate(value):
                visit(item, value.line_of(index))

    visit(data, line)
    for where, char in found.items():
        problems.add(path, where, f"this value holds a control character (U+{ord(char):04X}, written as an escape such as "
                     "\"\\a\", \"\\x1b\" or \"\\u0000\"), which a web page or feed cannot show.",
                     "delete the escape: write plain text only.")
    return bool(found)


_DEPTH_HINT = "content nests only a few levels: check the brackets and the indenting from this line on."
_ALIAS_HINT = "write the value out in full where it is needed, and remove the '&name' and '*name' marks."


def _shape_problem(root: yaml.Node, text: str) -> tuple[int, str, str] | None:
    """(0-based line, what, hint) when the parsed YAML repeats a value by alias or nests too deeply; else None.

    Aliases (`*name`, repeating a value marked `&name`) let a few lines stand for billions of
    values; curators never need them, so none is allowed. Walks each node once, without recursion.
    """
    seen: set[int] = set()
    stack: list[tuple[yaml.Node, int]] = [(root, 1)]
    while stack:
        node, depth = stack.pop()
        if id(node) in seen:
            return (_alias_line(text, node), "YAML aliases ('*name', repeating a value marked '&name') are not allowed in content.",
                    _ALIAS_HINT)
        seen.add(id(node))
        if isinstance(node, yaml.ScalarNode):
            continue
        if depth > MAX_DEPTH:
            return node.start_mark.line, f"the YAML is nested too deeply (more than {MAX_DEPTH} levels).", _DEPTH_HINT
        children = [part for pair in node.value for part in pair] if isinstance(node, yaml.MappingNode) else node.value
        stack.extend((child, depth + 1) for child in reversed(children))
    return None


def _alias_line(text: str, node: yaml.Node) -> int:
    """The line (0-based) of the first alias in the text, else the line of the value it repeats."""
    try:
        for event in yaml.parse(text, Loader=_BaseLoader):
            if isinstance(event, yaml.AliasEvent):
                return event.start_mark.line
    except yaml.YAMLError:
        pass
    return node.start_mark.line


_FRONT = re.compile(r"\A---[ \t]*\n(.*?)^(?:---|\.\.\.)[ \t]*(?:\n|\Z)", re.S | re.M)


@dataclass(frozen=True)
class FrontMatterFile:
    """A Markdown file split into its YAML front matter and its body."""

    meta: Any
    body: str
    body_line: int  # the line in the file where the body starts


def split_front_matter(text: str, path: Path, problems: Problems, required: bool = True) -> FrontMatterFile | None:
    """Split `---` front matter from the Markdown body and parse it."""
    match = _FRONT.match(text)
    if not match:
        if required:
            first = text.lstrip("\n")[:3]
            if first == "---":
                problems.add(path, 1, "the front matter is not closed.", "add a line with only '---' after the facts, before the text.")
            else:
                problems.add(path, 1, "the file does not start with front matter (the facts between two '---' lines).",
                             "put a line '---' first, then the facts (kind, dates, ...), then another '---' line.")
            return None
        return None if _too_long(text, path, 1, problems) else FrontMatterFile(Mapping(), text, 1)
    meta = load_yaml(match.group(1), path, problems, offset=1)
    body = text[match.end():]
    body_line = text[: match.end()].count("\n") + 1
    return None if _too_long(body, path, body_line, problems) else FrontMatterFile(meta, body, body_line)


def _too_long(body: str, path: Path, line: int, problems: Problems) -> bool:
    """Report a Markdown text longer than a page can hold; whether it is."""
    if len(body) <= MAX_BODY_CHARS:
        return False
    problems.add(path, line, f"the text is too long ({len(body):,} characters; at most {MAX_BODY_CHARS:,}, as a page must "
                 "stay under 100 KB).", "shorten it: a plain-words summary is a few thousand characters.")
    return True


def iso_date(value: Any) -> dt.date | None:
    """A date from a YAML date or an ISO 'YYYY-MM-DD' string; None otherwise."""
    if isinstance(value, dt.datetime):
        return None
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str) and re.fullmatch(r"\d{4}-\d{2}-\d{2}", value.strip()):
        try:
            return dt.date.fromisoformat(value.strip())
        except ValueError:
            return None
    return None
