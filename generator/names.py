"""What a report's page says about the council it is about, from the council's names, codes and predecessors."""
from __future__ import annotations

import datetime as dt

from .model import Council


def predecessor_note(council: Council, day: dt.date) -> str:
    """Says so when a report is about the council before the present one, from the council's names, codes and predecessors."""
    then = council.name_on(day)
    if then == council.name:
        return taken_over_note(council, day)
    present = next((p for p in council.names if p.value == council.name), None)
    month = f"{present.start:%B %Y}" if present and present.start else ""
    now_code = council.ons_codes[-1].value if council.ons_codes else ""
    if council.ons_code_on(day) != now_code:  # a new council, not only a new name
        return f"This report is about {then}. {council.name} took over from it" + (f" in {month}." if month else ".")
    if month:
        return f"This report is about {then}. It has been called {council.name} since {month}."
    return f"This report is about {then}. It is now called {council.name}."


def taken_over_note(council: Council, day: dt.date) -> str:
    """Says so when a report is from before the council took over from the councils in `predecessors`."""
    before = [p for p in council.predecessors if p.until and day <= p.until]
    if not before:
        return ""
    last = max(p.until for p in before if p.until)
    since = f" in {last + dt.timedelta(days=1):%B %Y}"
    if len(before) == 1:
        who = in_words([council.name, *before[0].shared_with])
        return f"This report is about {before[0].name}. {who} took over from it{since}."
    return f"This report is from before {council.name} took over from {in_words([p.name for p in before])}{since}."


def council_then(council: Council, day: dt.date) -> str:
    """The council a report of that day is about: its name then, or the one council it took over from."""
    before = [p for p in council.predecessors if p.until and day <= p.until]
    return before[0].name if len(before) == 1 and council.name_on(day) == council.name else council.name_on(day)


def in_words(names: list[str]) -> str:
    """Names as a sentence lists them: 'A', 'A and B', 'A, B and C'."""
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]
