"""The draft inspection file (docs/CONTENT.md) and a minimal council.yaml, as text."""
from __future__ import annotations

import datetime as dt

import yaml

from ..placeholders import NO_HEADLINE, NOTE, NOTHING_GOING_WELL, SOURCE_URL, WRITE_YOURSELF
from .extract import Extraction
from .manifest import Row
from .textutil import key
from .vocab import Vocab


def file_name(ex: Extraction) -> str:
    """'<yyyy-mm>-<kind>.md', by the month the inspection started."""
    return f"{ex.start:%Y-%m}-{ex.kind}.md"


def source_id(ex: Extraction, vocab: Vocab) -> str:
    """An id for the report as a source, unique site-wide: ofsted-<council>-<yyyy-mm>-<kind> (the file's name)."""
    return f"ofsted-{ex.council}-{file_name(ex)[:-3]}"


def publication_date(ex: Extraction, report: Row | None) -> dt.date | None:
    """The date the report prints wins; otherwise the date Ofsted published it, from the manifest."""
    return ex.published or (report.published if report else None)


def report_source(ex: Extraction, vocab: Vocab, report: Row | None = None) -> dict:
    """The report as an inline source mapping (as in sources.yaml)."""
    when = f"{ex.start:%B %Y}" if ex.start else "undated"
    graded = "every grade and finding" if ex.judgements else "the findings"
    source = {
        "id": source_id(ex, vocab),
        "title": f"Ofsted's report of the {when} inspection: {ex.council_name or ex.council}",
        "publisher": "Ofsted",
        "date": publication_date(ex, report),
        "kind": "letter" if ex.kind in ("focused-visit", "monitoring-visit", "jtai") else "report",
        "supports": f"Dates, inspector, {graded} of this inspection.",
    }
    if report is not None and report.url:
        source["url"] = report.url
        source["note"] = "Crown copyright. Ofsted reports may be reproduced for non-commercial purposes with the source and date stated."
    else:
        source["note"] = f"Imported from {ex.path.name}; {SOURCE_URL}."
    return source


def judgement_entry(j, ex: Extraction, vocab: Vocab) -> dict:
    """One judgement as front matter, with `wording` only when the print differs from the scale's."""
    entry = {"area": j.area, "theme": j.theme, "grade": j.grade}
    wordings = vocab.grade_labels(j.grade)
    if key(j.printed) not in wordings:
        entry["wording"] = j.printed
    return entry


def front_matter(ex: Extraction, vocab: Vocab, report: Row | None = None) -> dict:
    """The facts, in the order docs/CONTENT.md lists them."""
    source = report_source(ex, vocab, report)
    return {
        "kind": ex.kind,
        "framework": ex.framework,
        "start": ex.start,
        "end": ex.end,
        "published": publication_date(ex, report),
        "lead_inspector": ex.lead_inspector,
        "report": source["id"],
        "draft": True,
        "judgements": [judgement_entry(j, ex, vocab) for j in ex.judgements],
        "improvements": [{"text": i.text, "timescale": i.timescale} for i in ex.improvements],
        "paragraphs": dict(sorted(ex.paragraphs.items())),
        "sources": [source],
    }


class PlainDumper(yaml.SafeDumper):
    """YAML as a person writes it: a value used twice is written twice, never as an anchor and alias."""

    def ignore_aliases(self, data: object) -> bool:
        """Never write anchors."""
        return True


def dump(data: object) -> str:
    """YAML, deterministic: keys in the order given, unicode kept, long lines left whole, no anchors."""
    return yaml.dump(data, Dumper=PlainDumper, sort_keys=False, allow_unicode=True, width=100000,
                     default_flow_style=False)


def is_draft(text: str) -> bool:
    """Whether an inspection file's front matter says draft: true (what the importer may overwrite)."""
    head = text.split("\n---", 1)[0]
    return any(line.strip().replace(" ", "") in ("draft:true", "draft:yes") for line in head.splitlines())


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
    parts += [quote(p) + "\n" for p in ex.headline] or [NO_HEADLINE + "\n"]
    parts += ["## What is going well", NOTE, ""]
    parts += [f"- {themes.get(j.theme, {}).get('label', j.theme)}: {j.printed} (\"{j.area}\")" for j in good] or \
        [NOTHING_GOING_WELL]
    parts += ["", "## What must get better", NOTE, ""]
    parts += [f"- {themes.get(j.theme, {}).get('label', j.theme)}: {j.printed} (\"{j.area}\")" for j in weak]
    if ex.improvements:
        parts += ["", "What the report says needs to improve:", ""]
        parts += [f"- {i.text}" + (f" ({i.timescale})" if i.timescale else "") for i in ex.improvements]
    parts += ["", "## What this means for you",
              f"{WRITE_YOURSELF}, in plain words, for children, young people and families in the area.",
              ""]
    return "\n".join(parts)


def draft_text(ex: Extraction, vocab: Vocab, report: Row | None = None, facts_only: bool = False) -> str:
    """The whole draft file: YAML front matter between '---' lines, then the Markdown body (none for facts only)."""
    return f"---\n{dump(front_matter(ex, vocab, report))}---\n" + ("" if facts_only else body(ex, vocab))


def council_yaml(ex: Extraction) -> str:
    """A minimal council.yaml for a council the importer started (never published until curated)."""
    from .recognise import short_name

    name = ex.council_name or ex.council or ""
    return dump({"draft": True, "name": name, "short_name": short_name(name) if name else ex.council})
