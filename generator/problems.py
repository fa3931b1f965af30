"""Problems found in content: the one type every check reports through."""
from __future__ import annotations

import difflib
from dataclasses import dataclass, field
from pathlib import Path


@dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong in one file: where it is, what is wrong, and how to fix it."""

    file: str
    line: int
    message: str
    hint: str = ""

    def format(self) -> str:
        """The message a curator reads: `file:line: what` and, on the next line, the fix."""
        where = f"{self.file}:{self.line}" if self.line else self.file
        text = f"{where}: {self.message}"
        if self.hint:
            text += f"\n    How to fix: {self.hint}"
        return text


@dataclass
class Problems:
    """A collector of problems, so that every problem in every file is reported at once."""

    root: Path | None = None
    items: list[Problem] = field(default_factory=list)
    cwd: str = field(default_factory=lambda: str(Path.cwd()) + "/")

    def add(self, file: Path | str, line: int | None, message: str, hint: str = "") -> None:
        """Record a problem in `file` at `line` (a message quoting a huge value is cut short)."""
        self.items.append(Problem(self.display(file), line or 0, shorten(message), shorten(hint)))

    def display(self, file: Path | str) -> str:
        """The file's path as a curator knows it: relative to the working folder when possible."""
        text = file if isinstance(file, str) else file.as_posix()
        return text[len(self.cwd):] if text.startswith(self.cwd) else text

    def __bool__(self) -> bool:
        return bool(self.items)

    def __len__(self) -> int:
        return len(self.items)

    def sorted(self) -> list[Problem]:
        """The problems in file and line order, without repeats."""
        return sorted(set(self.items))


MAX_MESSAGE = 600  # characters: a message quotes what is wrong, and a value may be megabytes long


def shorten(text: str, limit: int = MAX_MESSAGE) -> str:
    """The text, or its start and end around a note of how much was left out."""
    if len(text) <= limit:
        return text
    keep = limit // 2
    return f"{text[:keep]} [... {len(text) - 2 * keep} characters left out ...] {text[-keep:]}"


def did_you_mean(word: str, choices: list[str] | tuple[str, ...] | set[str]) -> str:
    """A ' (did you mean "x"?)' suffix when `word` is close to one of `choices`."""
    close = difflib.get_close_matches(str(word), sorted(choices), n=1, cutoff=0.6)
    return f' (did you mean "{close[0]}"?)' if close else ""


def one_of(choices: list[str] | tuple[str, ...] | set[str], limit: int = 12) -> str:
    """A readable list of allowed values."""
    items = sorted(choices)
    shown = ", ".join(items[:limit])
    return shown + (f" and {len(items) - limit} more" if len(items) > limit else "")
