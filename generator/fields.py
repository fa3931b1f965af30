"""Typed, line-aware reading of one YAML mapping, reporting every problem with a fix."""
from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import Any

from .model import PartialDate
from .problems import Problems, did_you_mean, one_of
from .yamlio import BadDate, Mapping, Seq, iso_date

SLUG = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
_MISSING = object()


def type_name(value: Any) -> str:
    """How a curator would describe a YAML value's type."""
    if isinstance(value, bool):
        return "yes/no"
    if isinstance(value, (int, float)):
        return "a number"
    if isinstance(value, (dt.date, BadDate)):
        return "a date"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a mapping (keys and values)"
    if value is None:
        return "empty"
    return "text"


class Record:
    """One mapping from a content file: checks its keys, then hands out typed values."""

    def __init__(self, data: Any, path: Path, problems: Problems, what: str,
                 allowed: tuple[str, ...], required: tuple[str, ...] = (), line: int = 0) -> None:
        self.path, self.problems, self.what = path, problems, what
        self.ok = isinstance(data, dict)
        self.data: Mapping = data if isinstance(data, Mapping) else Mapping()
        self.line = getattr(data, "line", 0) or line
        if not self.ok:
            problems.add(path, self.line or line, f"{what} should be a mapping of keys and values, but it is {type_name(data)}.",
                         f"write it as 'key: value' lines; the keys are: {', '.join(allowed)}.")
            return
        meant = set()
        for key in self.data:
            if key not in allowed:
                suggestion = did_you_mean(key, allowed)
                meant.update(k for k in allowed if suggestion == f' (did you mean "{k}"?)')
                problems.add(path, self.data.line_of(key), f'unknown key "{key}" in {what}{suggestion}.',
                             f"use one of: {', '.join(allowed)}; or delete the line.")
        for key in required:
            if key not in self.data and key not in meant:
                problems.add(path, self.line, f'{what} has no "{key}".', f'add a line "{key}: ..." to {what}.')

    def line_of(self, key: str) -> int:
        """The line of a key, or of the record."""
        return self.data.line_of(key) if key in self.data else self.line

    def has(self, key: str) -> bool:
        """Whether the key is given (even if empty)."""
        return key in self.data

    def bad(self, key: str, message: str, hint: str) -> None:
        """Report a problem with the value of `key`."""
        self.problems.add(self.path, self.line_of(key), message, hint)

    def text(self, key: str, default: str = "", required: bool = False, allow_none: bool = False) -> str | None:
        """A text value; numbers are accepted as text (codes such as 816)."""
        value = self.data.get(key, _MISSING)
        if value is _MISSING or (value is None and allow_none):
            return None if (allow_none and value is None) else default
        if isinstance(value, bool) or not isinstance(value, (str, int)):
            self.bad(key, f'"{key}" should be text, but it is {type_name(value)}.', f'write "{key}: " followed by the text.')
            return default
        value = str(value).strip()
        if required and not value:
            self.bad(key, f'"{key}" is empty.', f'write the {key.replace("_", " ")} after "{key}:".')
        return value

    def flag(self, key: str, default: bool = False) -> bool:
        """A yes/no value."""
        value = self.data.get(key, default)
        if value is None:
            return default
        if not isinstance(value, bool):
            self.bad(key, f'"{key}" should be true or false, but it is {type_name(value)}.', f'write "{key}: true" or "{key}: false".')
            return default
        return value

    def date(self, key: str, required: bool = False, allow_none: bool = False) -> dt.date | None:
        """A full date (YYYY-MM-DD)."""
        value = self.data.get(key, _MISSING)
        if value is _MISSING or value is None:
            if required and not (allow_none and value is None):
                if value is None:
                    self.bad(key, f'"{key}" is empty.', f'write the date as YYYY-MM-DD, e.g. "{key}: 2022-03-07".')
            return None
        return self.check_date(value, key, self.line_of(key))

    def check_date(self, value: Any, key: str, line: int) -> dt.date | None:
        """Turn a YAML value into a date, or report why it is not one."""
        if isinstance(value, BadDate):
            self.problems.add(self.path, line, f'"{key}: {value}" is not a real date.',
                              "check the day and the month (months have 28 to 31 days; write YYYY-MM-DD).")
            return None
        day = iso_date(value)
        if day is None:
            self.problems.add(self.path, line, f'"{key}" should be a date written YYYY-MM-DD, but it is "{value}".',
                              f'write it like "{key}: 2022-03-07".')
            return None
        if not dt.date(1990, 1, 1) <= day <= dt.date(2100, 12, 31):
            self.problems.add(self.path, line, f'"{key}: {day.isoformat()}" is not a believable date.', "check the year.")
            return None
        return day

    def partial_date(self, key: str) -> PartialDate | None:
        """A date known to the day, month (YYYY-MM) or year (YYYY)."""
        value = self.data.get(key, _MISSING)
        if value is _MISSING or value is None:
            return None
        if isinstance(value, dt.date) or isinstance(value, BadDate):
            day = self.check_date(value, key, self.line_of(key))
            return PartialDate(day.year, day.month, day.day) if day else None
        text = str(value).strip()
        match = re.fullmatch(r"(\d{4})(?:-(\d{2}))?(?:-(\d{2}))?", text)
        if not match:
            self.bad(key, f'"{key}" should be a date (YYYY-MM-DD, or "YYYY-MM" or "YYYY" when only that is known), but it is "{text}".',
                     f'write it like "{key}: 2022-07-28" or "{key}: \\"2018-11\\"".')
            return None
        year, month, day = int(match[1]), int(match[2] or 0), int(match[3] or 0)
        try:
            PartialDate(year, month, day).first_day
            if day:
                dt.date(year, month, day)
        except ValueError:
            self.bad(key, f'"{key}: {text}" is not a real date.', "check the day and the month.")
            return None
        if month and not 1 <= month <= 12:
            self.bad(key, f'"{key}: {text}" has no such month.', "months are 01 to 12.")
            return None
        return PartialDate(year, month, day)

    def choice(self, key: str, choices: dict[str, Any] | tuple[str, ...], what: str, required: bool = False) -> str:
        """A value that must be one of a closed set of ids."""
        value = self.text(key)
        if value is None or value == "":
            if required and key in self.data:
                self.bad(key, f'"{key}" is empty.', f"use one of: {one_of(choices)}.")
            return ""
        if value not in choices:
            self.bad(key, f'unknown {what} "{value}"{did_you_mean(value, tuple(choices))}.', f"use one of: {one_of(choices)}.")
            return ""
        return value

    def items(self, key: str) -> list[tuple[Any, int]]:
        """The items of a list value with their lines ([] when missing or empty)."""
        value = self.data.get(key)
        if value is None:
            return []
        if not isinstance(value, list):
            self.bad(key, f'"{key}" should be a list, but it is {type_name(value)}.', f'write each item on its own line, starting "- ", under "{key}:".')
            return []
        lines = value.lines if isinstance(value, Seq) else [self.line_of(key)] * len(value)
        return list(zip(value, lines))

    def texts(self, key: str) -> tuple[str, ...]:
        """A list of texts (a single text is taken as a list of one)."""
        value = self.data.get(key)
        if isinstance(value, (str, int)) and not isinstance(value, bool):
            return (str(value).strip(),)
        out = []
        for item, line in self.items(key):
            if isinstance(item, bool) or not isinstance(item, (str, int)):
                self.problems.add(self.path, line, f'each item of "{key}" should be text, but one is {type_name(item)}.',
                                  'write it as "- some text".')
                continue
            out.append(str(item).strip())
        return tuple(out)

    def mapping(self, key: str) -> Mapping | None:
        """A nested mapping value, or None."""
        value = self.data.get(key)
        if value is None:
            return None
        if not isinstance(value, dict):
            self.bad(key, f'"{key}" should be a mapping of keys and values, but it is {type_name(value)}.', 'indent "key: value" lines under it.')
            return None
        return value


def check_slug(slug: str, path: Path, problems: Problems, line: int, what: str) -> bool:
    """Whether a slug is safe for a URL and a file name; reports it if not."""
    if SLUG.fullmatch(slug):
        return True
    problems.add(path, line, f'the {what} "{slug}" may only use small letters a-z, digits and single dashes.',
                 f'rename it, e.g. "{re.sub(r"[^a-z0-9]+", "-", slug.lower()).strip("-") or "name"}".')
    return False


def check_url(url: str, record: Record, key: str) -> str:
    """A web address that must be http(s); anything else is reported and dropped."""
    if not url:
        return ""
    if not re.match(r"https?://[^\s/$.?#][^\s]*$", url, re.I):
        record.bad(key, f'"{key}" should be a web address starting https:// or http://, but it is "{url}".',
                   "copy the full address from the browser's address bar.")
        return ""
    return url
