"""The draft inspection file (docs/CONTENT.md) and a minimal council.yaml, as text."""
from __future__ import annotations

import datetime as dt

import yaml

from .extract import Extraction
from .textutil import key
from .vocab import Vocab

NOTE = ("**Draft: report text to rewrite in plain words.** The lines below are copied from the Ofsted report "
        "by the importer. Rewrite them for families and young people, and cite paragraphs like [para 12].")


def file_name(ex: Extraction) -> str:
    """'<yyyy-mm>-<kind>.md', by the month the inspection started."""
    return f"{ex.start:%Y-%m}-{ex.kind}.md"


def source_id(ex: Extraction, vocab: Vocab) -> str:
    """An id for the report as a source: ofsted-<council>-<year>, with the kind for ungraded visits."""
    year = (ex.published or ex.start or dt.date.today()).year
    graded = (vocab.data.get("kinds") or {}).get(ex.kind, {}).get("graded", False)
    return f"ofsted-{ex.council}-{year}" + ("" if graded else f"-{ex.kind}")


def report_source(ex: Extraction, vocab: Vocab) -> dict:
    """The report as an inline source mapping (as in sources.yaml)."""
    label = vocab.kind_label(ex.kind)
    when = f"{ex.start:%B %Y}" if ex.start else "undated"
    graded = "every grade and finding" if ex.judgements else "the findings"
    return {
        "id": source_id(ex, vocab),
        "title": f"{label}: {ex.council_name or ex.council}",
        "publisher": "Ofsted",
        "date": ex.published,
        "kind": "letter" if ex.kind in ("focused-visit", "monitoring-visit", "jtai") else "report",
        "supports": f"Dates, inspector, {graded} of the {when} {label[:1].lower() + label[1:] if not label[:2].isupper() else label}.",
        "note": f"Imported from {ex.path.name}; add the report's URL (files.ofsted.gov.uk) before publishing.",
    }


def judgement_entry(j, ex: Extraction, vocab: Vocab) -> dict:
    """One judgement as front matter, with `wording` only when the print differs from the scale's."""
    entry = {"area": j.area, "theme": j.theme, "grade": j.grade}
    wordings = vocab.grade_labels(j.grade)
    if key(j.printed) not in wordings:
        entry["wording"] = j.printed
    return entry


def front_matter(ex: Extraction, vocab: Vocab) -> dict:
    """The facts, in the order docs/CONTENT.md lists them."""
    source = report_source(ex, vocab)
    when = f"{ex.start:%B %Y}" if ex.start else ""
    return {
        "kind": ex.kind,
        "framework": ex.framework,
        "title": f"{vocab.kind_label(ex.kind)}, {when}".strip(", "),
        "start": ex.start,
        "end": ex.end,
        "published": ex.published,
        "lead_inspector": ex.lead_inspector,
        "report": source["id"],
        "draft": True,
        "judgements": [judgement_entry(j, ex, vocab) for j in ex.judgements],
        "improvements": [{"text": i.text, "timescale": i.timescale} for i in ex.improvements],
        "paragraphs": dict(sorted(ex.paragraphs.items())),
        "sources": [source],
    }


def dump(data: object) -> str:
    """YAML, deterministic: keys in the order given, unicode kept, long lines left whole."""
    return yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=100000, default_flow_style=False)


def quote(text: str) -> str:
    """Report text as a Markdown quote."""
    return "> " + text.replace("\n", "\n> ")


def body(ex: Extraction, vocab: Vocab) -> str:
    """The four required sections, pre-filled with report text marked for rewriting."""
    grades = vocab.data.get("grades") or {}
    themes = vocab.data.get("themes") or {}
    good = [j for j in ex.judgements if grades.get(j.grade, {}).get("rank", 9) <= 2]
    weak = [j for j in ex.judgements if grades.get(j.grade, {}).get("rank", 0) >= 3]
    parts = ["## In short", NOTE, ""]
    parts += [quote(p) + "\n" for p in ex.headline] or ["(The importer found no headline findings: write them from the report.)\n"]
    parts += ["## What is going well", NOTE, ""]
    parts += [f"- {themes.get(j.theme, {}).get('label', j.theme)}: {j.printed} (\"{j.area}\")" for j in good] or \
        ["(Write what the report says is going well.)"]
    parts += ["", "## What must get better", NOTE, ""]
    parts += [f"- {themes.get(j.theme, {}).get('label', j.theme)}: {j.printed} (\"{j.area}\")" for j in weak]
    if ex.improvements:
        parts += ["", "What the report says needs to improve:", ""]
        parts += [f"- {i.text}" + (f" ({i.timescale})" if i.timescale else "") for i in ex.improvements]
    parts += ["", "## What this means for you",
              "**Draft: write this yourself**, in plain words, for children, young people and families in the area.",
              ""]
    return "\n".join(parts)


def draft_text(ex: Extraction, vocab: Vocab) -> str:
    """The whole draft file: YAML front matter between '---' lines, then the Markdown body."""
    return f"---\n{dump(front_matter(ex, vocab))}---\n{body(ex, vocab)}"


def council_yaml(ex: Extraction) -> str:
    """A minimal council.yaml for a council the importer started (never published until curated)."""
    from .recognise import short_name

    name = ex.council_name or ex.council or ""
    return dump({"draft": True, "name": name, "short_name": short_name(name) if name else ex.council})
