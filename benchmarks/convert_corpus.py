#!/usr/bin/env python3
"""Convert the shared synthetic corpus (../shared/bench/gen_corpus.py) into our content format.

usage: python benchmarks/convert_corpus.py CORPUS_DIR OUT_DIR

Same councils, inspections and words. The corpus is synthetic, so its inspection types are mapped
onto our kinds: standard and short inspections are graded (SIF before 2018, ILACS after; the
corpus's areas that a framework judges become judgements, the rest stay in the text); every
other type becomes an ungraded visit of the framework in force (focused visit from 2018,
joint targeted area inspection from 2016, otherwise a monitoring visit). The body's sections
are laid into our four required sections in order, keeping their headings as `###`.
Frameworks, glossary and templates come from the project.
"""
from __future__ import annotations

import datetime as dt
import re
import shutil
import sys
from pathlib import Path

import yaml

PROJECT = Path(__file__).resolve().parents[1]
SECTIONS = ["In short", "What is going well", "What must get better", "What this means for you"]
AREA_THEMES = {
    "sif-2013": {"overall effectiveness": "overall", "impact of leaders": "leadership", "help and protection": "help-and-protection",
                 "children in care": "in-care", "care leavers": "care-leavers", "fostering and adoption": "adoption"},
    "ilacs-2018": {"overall effectiveness": "overall", "impact of leaders": "leadership", "help and protection": "help-and-protection",
                   "children in care": "in-care-and-care-leavers"},
    "ilacs-2023": {"overall effectiveness": "overall", "impact of leaders": "leadership", "help and protection": "help-and-protection",
                   "children in care": "in-care", "care leavers": "care-leavers"},
}
GRADES = {"outstanding": "outstanding", "good": "good", "requires improvement": "requires-improvement", "inadequate": "inadequate"}


def kind_and_framework(itype: str, day: dt.date) -> tuple[str, str]:
    """Our kind and framework for a corpus inspection type on a date."""
    framework = "sif-2013" if day < dt.date(2018, 1, 1) else ("ilacs-2018" if day < dt.date(2023, 1, 1) else "ilacs-2023")
    if itype in ("standard inspection", "short inspection"):
        if framework == "sif-2013":
            return "sif", framework
        return ("ilacs-standard" if itype == "standard inspection" else "ilacs-short"), framework
    if itype == "joint targeted area inspection" and day >= dt.date(2016, 1, 1):
        return "jtai", "jtai"
    if itype == "focused visit" and framework != "sif-2013":
        return "focused-visit", framework
    return "monitoring-visit", framework


def split_front_matter(text: str) -> tuple[dict, str]:
    """The corpus file's YAML front matter and body."""
    _, meta, body = text.split("---\n", 2)
    return yaml.load(meta, Loader=yaml.CSafeLoader), body


def our_body(body: str) -> str:
    """The corpus body laid into our four sections, its own headings kept one level down."""
    chunks = re.split(r"^## (.+)$", body, flags=re.M)
    parts: list[list[str]] = [[] for _ in SECTIONS]
    parts[0].append(chunks[0].strip())
    for index, (heading, text) in enumerate(zip(chunks[1::2], chunks[2::2])):
        text = re.sub(r"^### ", "#### ", text, flags=re.M)
        parts[min(index + 1, len(SECTIONS) - 1)].append(f"### {heading.strip()}\n{text.strip()}")
    return "\n\n".join(f"## {name}\n\n" + ("\n\n".join(p for p in part if p) or "No more to add.")
                       for name, part in zip(SECTIONS, parts)) + "\n"


def convert_inspection(path: Path, council: str, out: Path) -> None:
    """Write one corpus inspection as our inspection file."""
    meta, body = split_front_matter(path.read_text(encoding="utf-8"))
    day = meta["date"]
    kind, framework = kind_and_framework(meta["inspection_type"], day)
    themes = AREA_THEMES.get(framework, {})
    graded = kind in ("sif", "ilacs-standard", "ilacs-short")
    judgements = [{"area": area[0].upper() + area[1:], "theme": themes[area], "grade": GRADES[grade]}
                  for area, grade in meta["judgements"].items() if graded and area in themes]
    report = f"{council}-{path.stem}"
    front = {
        "kind": kind, "framework": framework, "title": meta["title"].split(": ", 1)[-1],
        "start": day, "end": day + dt.timedelta(days=4), "published": day + dt.timedelta(days=40),
        "lead_inspector": "Sam Example", "report": report, "judgements": judgements,
        "sources": [{"id": report, "title": meta["title"], "publisher": "Ofsted", "date": day + dt.timedelta(days=40),
                     "url": f"https://reports.example.org/{council}/{day.isoformat()}", "kind": "report",
                     "supports": "Everything on this page (synthetic benchmark data)."}],
    }
    name = f"{day:%Y-%m}-{kind}-{path.stem[:2]}.md"
    text = "---\n" + yaml.safe_dump(front, sort_keys=False, allow_unicode=True, width=1000) + "---\n" + our_body(body)
    (out / name).write_text(text, encoding="utf-8")


def convert(corpus: Path, out: Path) -> int:
    """Convert the whole corpus; returns the number of inspections written."""
    if out.exists():
        shutil.rmtree(out)
    (out / "councils").mkdir(parents=True)
    for name in ("site.yaml", "frameworks.yaml", "glossary.yaml", "sources.yaml"):
        if (PROJECT / "content" / name).exists():
            shutil.copyfile(PROJECT / "content" / name, out / name)
    count = 0
    for number, data_file in enumerate(sorted((corpus / "data" / "councils").glob("*.yaml"))):
        data = yaml.load(data_file.read_text(encoding="utf-8"), Loader=yaml.CSafeLoader)
        slug = data["slug"]
        folder = out / "councils" / slug
        folder.mkdir()
        council = {"name": f"{data['name']} Council", "short_name": data["name"], "region": data["region"],
                   "ofsted_urn": 90000 + number, "dfe_la_code": 500 + number,
                   "ons_codes": [{"code": f"E0{9000000 + number}"}]}
        (folder / "council.yaml").write_text(yaml.safe_dump(council, sort_keys=False), encoding="utf-8")
        for path in sorted((corpus / "content" / slug).glob("*.md")):
            convert_inspection(path, slug, folder)
            count += 1
    return count


def main(argv: list[str]) -> int:
    """Command line entry point."""
    if len(argv) != 2:
        print(__doc__.splitlines()[2], file=sys.stderr)
        return 2
    count = convert(Path(argv[0]), Path(argv[1]))
    print(f"Wrote {count} inspections into {argv[1]}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
