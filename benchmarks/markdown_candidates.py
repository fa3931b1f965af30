#!/usr/bin/env python3
"""Could markdown-it-pyrs (Rust) replace markdown-it-py byte for byte? Compare outputs and cpu time.

usage: python benchmarks/markdown_candidates.py [--content DIR ...] [--keep WORKDIR]

Installs markdown-it-pyrs into a throwaway venv under the work folder (default
benchmarks/.work/md-candidates/, removed afterwards unless it was there before or --keep names it) and
downloads the markdown-it-py sdist matching the installed version for its test fixtures. The pyrs side
runs in that venv's Python, so this process never imports it; texts and outputs go over JSON files.
"""
from __future__ import annotations

import argparse
import json
import re
import shutil
import subprocess
import sys
import tarfile
import time
from pathlib import Path

import markdown_it
from markdown_it import MarkdownIt
from markdown_it.utils import read_fixture_file

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_WORK = ROOT / "benchmarks" / ".work" / "md-candidates"
PYRS = "markdown-it-pyrs==0.4.0"
FIXTURES = ("tables", "strikethrough", "commonmark_extras", "xss", "issue-fixes", "normalize",
            "fatal", "proto", "punycode")
CM_RULES = ["blockquote", "code", "fence", "heading", "hr", "lheading", "list", "paragraph",
            "reference", "autolink", "backticks", "emphasis", "entity", "escape", "image", "link",
            "newline"]
GFM = ["table", "strikethrough"]
# name -> (markdown-it-py preset, its options, rules it enables; pyrs preset, rules it enables)
CONFIGS = {
    "cm+table+strike, html off": ("commonmark", {"html": False}, GFM, "zero", CM_RULES + GFM),
    "cm+table+strike, html on": ("commonmark", {"html": True}, GFM, "zero",
                                 CM_RULES + ["html_block", "html_inline"] + GFM),
    "commonmark preset": ("commonmark", {}, [], "commonmark", []),
}
PRIMARY = "cm+table+strike, html off"
FRONT_MATTER = re.compile(r"\A---[ \t]*\n.*?^---[ \t]*(?:\n|\Z)", re.S | re.M)
WORKER = r'''
import json, sys, time
import markdown_it_pyrs
job = json.load(open(sys.argv[1], encoding="utf-8"))
result = {"version": markdown_it_pyrs.__version__, "configs": {}}
for name, (preset, rules) in job["configs"].items():
    md = markdown_it_pyrs.MarkdownIt(preset)
    if rules:
        md.enable_many(rules)
    per = result["configs"][name] = {"outputs": {}, "errors": {}, "cpu": {}}
    for source, texts in job["sources"].items():
        outputs, start = [], time.process_time()
        for index, text in enumerate(texts):
            try:
                outputs.append(md.render(text))
            except BaseException as error:  # pyo3's PanicException derives from BaseException
                if isinstance(error, (KeyboardInterrupt, SystemExit)):
                    raise
                outputs.append(None)
                per["errors"][f"{source}:{index}"] = f"{type(error).__name__}: {error}"
        per["cpu"][source] = time.process_time() - start
        per["outputs"][source] = outputs
json.dump(result, open(sys.argv[2], "w", encoding="utf-8"))
'''


class SetupError(Exception):
    """The throwaway venv or the sdist could not be had (no network or registry)."""


def run_pip(python: Path, args: list[str]) -> None:
    """Run the throwaway venv's pip, raising SetupError with pip's last line on failure."""
    proc = subprocess.run([str(python), "-m", "pip", *args], capture_output=True, text=True)
    if proc.returncode:
        lines = [line for line in (proc.stderr + proc.stdout).splitlines() if line.strip()]
        raise SetupError(f"pip {args[0]} failed: {lines[-1] if lines else 'no output'}")


def prepare(work: Path) -> tuple[Path, Path]:
    """A venv with markdown-it-pyrs and the markdown-it-py sdist in `work`: (python, sdist)."""
    venv, sdists = work / "venv", work / "sdist"
    python = venv / "bin" / "python"
    if not python.exists() and subprocess.run([sys.executable, "-m", "venv", str(venv)]).returncode:
        raise SetupError(f"could not create a venv in {venv}")
    if subprocess.run([str(python), "-c", "import markdown_it_pyrs"], capture_output=True).returncode:
        run_pip(python, ["install", "--quiet", PYRS])
    version = markdown_it.__version__
    pattern = f"markdown[-_]it[-_]py-{version}.tar.gz"
    if not any(sdists.glob(pattern)):
        run_pip(python, ["download", "--quiet", "--no-deps", "--no-binary", ":all:",
                         f"markdown-it-py=={version}", "-d", str(sdists)])
    found = sorted(sdists.glob(pattern))
    if not found:
        raise SetupError(f"pip download gave no {pattern}")
    return python, found[0]


def fixture_cases(sdist: Path, work: Path) -> list[tuple[str, str]]:
    """(name, input) of the CommonMark spec examples and the chosen fixture files in the sdist."""
    cases, folder = [], work / "fixtures"
    with tarfile.open(sdist) as tar:
        for member in tar.getmembers():
            path = Path(member.name)
            if path.name == "commonmark.json":
                for example in json.load(tar.extractfile(member)):
                    cases.append((f"commonmark.json#{example['example']}", example["markdown"]))
            elif path.parent.name == "fixtures" and path.stem in FIXTURES and path.suffix == ".md":
                folder.mkdir(parents=True, exist_ok=True)
                (folder / path.name).write_bytes(tar.extractfile(member).read())
    for stem in FIXTURES:
        for line, title, text, _expected in read_fixture_file(folder / f"{stem}.md"):
            cases.append((f"{stem}.md:{line + 1} {title if title != '.' else '(untitled)'}", text))
    return cases


def content_texts(folders: list[Path]) -> list[tuple[str, str]]:
    """(name, body) of every .md file under the folders, front matter removed."""
    texts = []
    for folder in folders:
        for path in sorted(folder.rglob("*.md")):
            body = FRONT_MATTER.sub("", path.read_text(encoding="utf-8"), count=1)
            texts.append((f"{folder.name}/{path.relative_to(folder)}", body))
    return texts


def render_py(sources: dict[str, list[str]]) -> dict[str, dict]:
    """markdown-it-py's outputs and cpu seconds per configuration and source."""
    result = {}
    for name, (preset, options, rules, _, _) in CONFIGS.items():
        md = MarkdownIt(preset, options).enable(rules) if rules else MarkdownIt(preset, options)
        per = result[name] = {"outputs": {}, "cpu": {}}
        for source, texts in sources.items():
            start = time.process_time()
            per["outputs"][source] = [md.render(text) for text in texts]
            per["cpu"][source] = time.process_time() - start
    return result


def render_pyrs(python: Path, work: Path, sources: dict[str, list[str]]) -> tuple[dict, str]:
    """markdown-it-pyrs's outputs, errors and cpu seconds from the worker, and its stderr."""
    job = {"configs": {name: [c[3], c[4]] for name, c in CONFIGS.items()}, "sources": sources}
    paths = [work / name for name in ("worker.py", "pyrs-in.json", "pyrs-out.json", "pyrs-stderr.txt")]
    paths[0].write_text(WORKER, encoding="utf-8")
    paths[1].write_text(json.dumps(job), encoding="utf-8")
    with paths[3].open("w", encoding="utf-8") as stderr:
        proc = subprocess.run([str(python), *map(str, paths[:3])], stderr=stderr)
    log = paths[3].read_text(encoding="utf-8", errors="replace")
    if proc.returncode:
        raise RuntimeError(f"pyrs worker exited {proc.returncode}: {log.strip().splitlines()[-1:]}")
    return json.loads(paths[2].read_text(encoding="utf-8")), log


def excerpt(text: str | None, other: str | None = None, width: int = 70) -> str:
    """A repr of `text` from a little before where it first differs from `other`, truncated."""
    if text is None:
        return "(raised)"
    common = 0 if other is None else next(
        (i for i, (a, b) in enumerate(zip(text, other)) if a != b), min(len(text), len(other)))
    start = max(0, common - 15)
    shown = repr(text[start:start + width])
    return ("…" if start else "") + (shown if len(shown) <= width else shown[:width] + "…")


def our_rules_report(texts: list[tuple[str, str]]) -> str:
    """How many content texts render differently with make_markdown() than with plain markdown-it-py."""
    from generator.markup import clean, make_markdown
    ours, plain = make_markdown(), MarkdownIt("commonmark", {"html": False}).enable(GFM)
    features = {"citations": "[para", "glossary links": "[[", "images": "![", "site-root links": "](/"}
    counts, differ, cpu = dict.fromkeys(features, 0), 0, [0.0, 0.0]
    for _name, text in texts:
        start = time.process_time()
        mine, middle = ours.render(clean(text)), time.process_time()
        theirs, cpu[0] = plain.render(text), cpu[0] + middle - start
        cpu[1] += time.process_time() - middle
        if mine != theirs:
            differ += 1
            for feature, marker in features.items():
                counts[feature] += marker in text
    found = ", ".join(f"{feature} {count}" for feature, count in counts.items())
    return (f"our make_markdown() vs plain markdown-it-py (cm+table+strike, html off): {differ} of "
            f"{len(texts)} content texts differ (of those, texts with {found}); "
            f"cpu {cpu[0]:.2f} s vs {cpu[1]:.2f} s")


def report(names: dict[str, list[str]], inputs: dict[str, list[str]], py: dict, pyrs: dict,
           log: str, ours_line: str) -> None:
    """Print the comparison table, the panics, the first differing cases, our-rules line and verdict."""
    print(f"markdown-it-py {markdown_it.__version__} vs markdown-it-pyrs {pyrs['version']}")
    print(f"{'configuration':28} {'source':9} {'cases':>6} {'same':>6} {'differ':>6} {'panics':>6}"
          f" {'py cpu s':>9} {'pyrs cpu s':>10} {'ratio':>7}")
    shown, totals = [], {}
    for config in CONFIGS:
        diffs = panics = 0
        for source, cases in names.items():
            py_out, rs_out = py[config]["outputs"][source], pyrs["configs"][config]["outputs"][source]
            broken = sum(out is None for out in rs_out)
            differ = [i for i, (a, b) in enumerate(zip(py_out, rs_out)) if b is not None and a != b]
            diffs, panics = diffs + len(differ), panics + broken
            if config == PRIMARY:
                shown += [(source, i, py_out[i], rs_out[i]) for i in differ]
            cpu_py, cpu_rs = py[config]["cpu"][source], pyrs["configs"][config]["cpu"][source]
            timing = (f" {cpu_py:9.2f} {cpu_rs:10.2f} {cpu_py / max(cpu_rs, 1e-9):6.1f}x"
                      if source == "content" else "")
            print(f"{config:28} {source:9} {len(cases):6} {len(cases) - len(differ) - broken:6}"
                  f" {len(differ):6} {broken:6}{timing}")
        totals[config] = (diffs, panics)
    print(f"Rust panic messages on the pyrs worker's stderr (all configurations): "
          f"{log.count(' panicked at ')}")
    for key, message in pyrs["configs"][PRIMARY]["errors"].items():
        source, index = key.split(":")
        print(f"  panic ({PRIMARY}): {source} {names[source][int(index)]}: {message.splitlines()[0][:90]}")
    print(f"\nfirst differing cases ({PRIMARY}), shown from just before the first difference:")
    for source, index, py_text, rs_text in shown[:10]:
        print(f"  {source} {names[source][index]}\n    input: {excerpt(inputs[source][index], width=90)}"
              f"\n    py:    {excerpt(py_text, rs_text)}\n    pyrs:  {excerpt(rs_text, py_text)}")
    print(f"\n{ours_line}\n")
    diffs, panics = totals[PRIMARY]
    print(f"verdict for '{PRIMARY}' (the preset under our configuration), fixtures and content:")
    print("byte for byte: yes" if not diffs and not panics
          else f"byte for byte: no ({diffs} differences, {panics} panics)")


def main(argv: list[str] | None = None) -> int:
    """Parse arguments, prepare the throwaway venv, render on both sides and report."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--content", type=Path, nargs="+", action="extend", metavar="DIR",
                        help="folders of Markdown files (default: the project's content/)")
    parser.add_argument("--keep", type=Path, metavar="WORKDIR", help="work folder to use and keep")
    args = parser.parse_args(argv)
    folders = args.content or [ROOT / "content"]
    missing = [str(folder) for folder in folders if not folder.is_dir()]
    if missing:
        print(f"markdown_candidates: no such folder: {', '.join(missing)}", file=sys.stderr)
        return 2
    work = (args.keep or DEFAULT_WORK).resolve()
    remove = args.keep is None and not work.exists()
    work.mkdir(parents=True, exist_ok=True)
    try:
        python, sdist = prepare(work)
        fixtures, texts = fixture_cases(sdist, work), content_texts(folders)
        sources = {"fixtures": [t for _, t in fixtures], "content": [t for _, t in texts]}
        names = {"fixtures": [n for n, _ in fixtures], "content": [n for n, _ in texts]}
        print(f"fixtures: {sdist.name}; content: {', '.join(map(str, folders))}")
        pyrs, log = render_pyrs(python, work, sources)
        report(names, sources, render_py(sources), pyrs, log, our_rules_report(texts))
    except SetupError as error:
        print(f"markdown_candidates: cannot set up {PYRS} or the markdown-it-py sdist (is the "
              f"package registry reachable?): {error}", file=sys.stderr)
        return 2
    except RuntimeError as error:
        print(f"markdown_candidates: {error}", file=sys.stderr)
        return 1
    finally:
        if remove:
            shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
