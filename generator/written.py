"""How a page's plain words were written, and when they were last checked against the report (issue 16)."""
from __future__ import annotations

import datetime as dt

from .fields import Record
from .model import Written

KEYS = ("how", "by", "checked")
HOW = {
    "curator": "written by the curator named in `by`",
    "drafted": "drafted with software, then checked against the report by a second reader",
}


def read_written(r: Record, published: dt.date | None = None) -> Written | None:
    """The `written:` mapping of a page's (or story's) front matter, or None when it is not given or wrong."""
    raw = r.mapping("written")
    if raw is None:
        return None
    w = Record(raw, r.path, r.problems, '"written"', KEYS, ("how", "checked"), line=r.line_of("written"))
    if not w.ok:
        return None
    how = w.choice("how", HOW, 'way of writing ("how")', required=True)
    by = w.text("by") or ""
    checked = w.date("checked", required=True)
    if how == "curator" and not by:
        w.bad("how", '"written" says a curator wrote the page, but not who ("by").',
              'add "by: " and the curator\'s name, as it should appear on the page.')
        return None
    if checked and published and checked < published:
        w.bad("checked", f'the page was checked against the report on {checked.isoformat()}, before the report was '
              f"published ({published.isoformat()}).", "write the day the words were last checked against the report.")
        return None
    return Written(how, by, checked, w.line) if how and checked else None

