"""The one error an import can end with: a bad input, told in one line."""
from __future__ import annotations


class ImportProblem(Exception):
    """A file that cannot be imported; str() is one line: what is wrong, then what to do."""

    def __init__(self, what: str, todo: str) -> None:
        super().__init__(f"{what}; {todo}")
        self.what = what
        self.todo = todo
