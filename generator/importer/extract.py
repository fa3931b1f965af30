"""From a read PDF to an Extraction: every fact the importer can find, and what it could not."""
from __future__ import annotations

import argparse
import datetime as dt
import logging
from dataclasses import dataclass, field
from pathlib import Path

from . import judgements as jmod
from . import sections
from .errors import ImportProblem
from .layout import body_lines
from .pdftext import Document
from .recognise import council_name, council_slug, recognise_kind
from .vocab import Vocab

log = logging.getLogger(__name__)

LETTER_KINDS = ("focused-visit", "monitoring-visit", "jtai")


@dataclass
class Extraction:
    """What one Ofsted PDF says, as plain data."""

    path: Path
    pages: int
    council: str | None
    council_name: str | None
    kind: str
    framework: str | None
    start: dt.date | None
    end: dt.date | None
    published: dt.date | None
    lead_inspector: str | None
    judgements: list[jmod.Judgement] = field(default_factory=list)
    improvements: list[sections.Improvement] = field(default_factory=list)
    paragraphs: dict[int, int] = field(default_factory=dict)
    texts: dict[int, str] = field(default_factory=dict)  # numbered paragraph -> its words
    copyright: str = "© Crown copyright"
    headline: list[str] = field(default_factory=list)
    not_found: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    def as_json(self) -> dict:
        """The extraction as the --json object."""
        return {
            "file": str(self.path),
            "council": self.council,
            "council_name": self.council_name,
            "kind": self.kind,
            "framework": self.framework,
            "start": iso(self.start),
            "end": iso(self.end),
            "published": iso(self.published),
            "lead_inspector": self.lead_inspector,
            "judgements": [{"area": j.area, "theme": j.theme, "grade": j.grade} for j in self.judgements],
            "improvements": [{"text": i.text, "timescale": i.timescale} for i in self.improvements],
            "paragraphs": {str(k): v for k, v in sorted(self.paragraphs.items())},
            "not_found": self.not_found,
            "warnings": self.warnings,
        }


def iso(value: dt.date | None) -> str | None:
    """A date as ISO text, or None."""
    return value.isoformat() if value else None


def council_folder_checked(council: str) -> None:
    """Refuse a council that is not a folder name (`../..`, `York<script>`): it names where the draft is written."""
    from .args import council_folder

    try:
        council_folder(council)
    except argparse.ArgumentTypeError as error:
        raise ImportProblem(str(error), "give --council as the council's folder name") from None


def extract(doc: Document, vocab: Vocab, council: str | None = None) -> Extraction:
    """Recognise the format and pull out every fact; raise ImportProblem if it is no Ofsted format known."""
    lines = body_lines(doc)
    first = "\n".join(doc.pages[:2])
    visits = sections.inspection_visits(first, "\n".join(doc.pages))
    start, end = (visits[0][0], visits[-1][1]) if visits else (None, None)
    kind = recognise_kind(doc.pages[0], *(visits[0] if visits else (None, None)))  # a short inspection's first visit is short
    if kind is None:
        raise ImportProblem("not an Ofsted report this importer knows: the first page names no inspection or visit "
                            "format", "check it is an Ofsted children's services report or letter")
    letter = kind in LETTER_KINDS
    name = council_name(doc.pages[0], kind)
    if council is not None:
        council_folder_checked(council)
    slug = council or (council_slug(name) if name else None)
    framework, fw_warning = vocab.choose_framework(kind, start)
    published, published_note = sections.published_date(first, letter)
    out = Extraction(doc.path, doc.page_count, slug, name, kind, framework, start, end, published,
                     sections.lead_inspector(lines, letter))
    if fw_warning:
        out.warnings.append(fw_warning)
    found = find_judgements(doc, lines, vocab, kind, framework)
    out.judgements, out.warnings = found.judgements, out.warnings + found.warnings
    out.improvements = sections.improvements(lines)
    out.paragraphs = sections.paragraph_pages(lines)
    out.texts = sections.paragraph_texts(lines, out.paragraphs)
    out.copyright = sections.copyright_line(doc.pages, published)
    out.headline = sections.headline(lines, kind)
    note_gaps(out, vocab, published_note)
    return out


def find_judgements(doc: Document, lines: list, vocab: Vocab, kind: str, framework: str | None) -> jmod.Found:
    """Run the grade reader for the report's format family."""
    if framework is None or not (vocab.data.get("kinds") or {}).get(kind, {}).get("graded", False):
        return jmod.Found([], [])
    if kind in ("ilacs-standard", "ilacs-short"):
        return jmod.fit_to_framework(jmod.ilacs(doc, lines, vocab.areas(vocab.family(framework))),
                                     vocab.areas([framework]))
    if kind in ("sif", "sif-reinspection", "lscb-review"):
        return jmod.sif(doc, lines, vocab.areas([framework]), kind)
    areas = vocab.areas([framework])
    if kind == "slac":
        return jmod.strands_graded(doc, lines, areas, jmod.SLAC_STRANDS)
    strands = jmod.CPLAC_STRANDS.get(kind, [])
    return jmod.strands_graded(doc, lines, [a for a in areas if a.strand in strands], strands)


def note_gaps(out: Extraction, vocab: Vocab, published_note: str | None) -> None:
    """Record what could not be found, for the curator."""
    if not out.council:
        out.not_found.append("council name (give --council SLUG)")
    if not out.start:
        out.not_found.append("inspection dates")
    if published_note and not out.published:
        out.not_found.append(f"publication date ({published_note})")
    elif published_note:
        out.warnings.append(f"published is {published_note}")
    if not out.lead_inspector:
        out.not_found.append("lead inspector's name")
    graded = (vocab.data.get("kinds") or {}).get(out.kind, {}).get("graded", False)
    if graded:
        missing = expected_areas(out, vocab)
        if missing:
            out.not_found.append("grade for: " + "; ".join(missing))
    if not out.improvements:
        out.not_found.append("the 'what needs to improve' list")
    if not out.paragraphs:
        out.not_found.append("numbered paragraphs")
    if not out.headline:
        out.not_found.append("headline findings")


def expected_areas(out: Extraction, vocab: Vocab) -> list[str]:
    """Areas the framework judges that no grade was found for."""
    if not out.framework:
        return ["every area (no framework)"]
    have = {(j.strand, j.theme) for j in out.judgements}
    themes = {j.theme for j in out.judgements}
    missing = []
    for area in vocab.areas([out.framework]):
        if out.kind == "slac" or (out.kind in jmod.CPLAC_STRANDS and area.theme.endswith("/overall")
                                  and area.strand in jmod.CPLAC_STRANDS[out.kind]):
            if (area.strand, area.theme) not in have:
                missing.append(f"{area.strand}: {area.area}" if area.strand else area.area)
        elif out.kind.startswith("ilacs") or out.kind == "sif" or out.kind == "sif-reinspection":
            if area.theme == "lscb" or area.theme in themes:
                continue
            if area.theme in ("in-care", "care-leavers") and "in-care-and-care-leavers" in themes:
                continue
            missing.append(area.area)
    return missing
