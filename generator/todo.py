"""What is still to write: councils whose latest full inspection has no plain words, and "what changed" stories due."""
from __future__ import annotations

from . import changes as ch
from .model import Inspection, Site

# A grade that moved between two graded inspections: a "what changed" story is due for the pair.
MOVED = frozenset({"better", "worse", "mixed"})


def unwritten(site: Site) -> list[Inspection]:
    """Each council's latest full inspection that is still a facts page, A to Z by council."""
    out = []
    for slug in sorted(site.councils):
        latest = ch.latest_graded(site, slug)
        if latest is not None and not latest.explained and not site.councils[slug].draft:
            out.append(latest)
    return out


def stories_due(site: Site) -> list[ch.Comparison]:
    """Pairs whose later inspection is a council's latest and written, whose grades moved, and that have no story."""
    out = []
    for slug in sorted(site.councils):
        latest = ch.latest_graded(site, slug)
        if latest is None or not latest.explained:
            continue
        for comparison in ch.comparisons(site, slug):
            if comparison.after.slug != latest.slug or not {r.status for r in comparison.rows} & MOVED:
                continue
            if not any(s.before == comparison.before.slug and s.after == latest.slug for s in site.stories_of(slug)):
                out.append(comparison)
    return out


def format_todo(site: Site) -> str:
    """What a curator still has to write, as lines for the terminal (empty when nothing is)."""
    lines = []
    pages, stories = unwritten(site), stories_due(site)
    if pages:
        lines.append(f"{len(pages)} councils' latest full inspections have no plain words yet:")
        lines += [f"  {page.file}" for page in pages]
    if stories:
        lines.append(f"{len(stories)} \"what changed\" stories are due (grades moved, no story yet): write each as")
        lines += [f"  content/councils/{c.council}/changes/{c.slug}.md" for c in stories]
    return "\n".join(lines)
