"""Sign-offs: a curator's record that a sentence the faithfulness check flags is true to the report."""
from __future__ import annotations

from .fields import Record
from .model import SignOff

KEYS = ("text", "by", "why")


def read_signoffs(r: Record) -> tuple[SignOff, ...]:
    """The `signoffs:` list of a file's front matter (or event), each with the words it covers, who and why."""
    out = []
    for raw, line in r.items("signoffs"):
        s = Record(raw, r.path, r.problems, "a sign-off", KEYS, KEYS, line=line)
        if not s.ok:
            continue
        values = {key: s.text(key, required=True) or "" for key in KEYS}
        if len(values["text"]) < 8:
            s.bad("text", f'the sign-off\'s "text" ("{values["text"]}") is too short to find one sentence.',
                  "copy the flagged sentence's words (at least a few words), as the check shows them.")
            continue
        if all(values.values()):
            out.append(SignOff(values["text"], values["by"], values["why"], s.line))
    return tuple(out)
