"""`import-pdf`: the command line for the PDF importer (add_parser / run, wired in by generator.cli)."""
from __future__ import annotations

import argparse
import json
import logging
import sys
from pathlib import Path

from . import draft
from .errors import ImportProblem
from .extract import Extraction, extract
from .pdftext import read_pdf
from .vocab import Vocab, load_vocab

log = logging.getLogger(__name__)


from .args import add_parser  # noqa: E402,F401 - the CLI's arguments live in a light module


def run(args: argparse.Namespace) -> int:
    """Import one PDF or a folder; 0 when every file imported, 1 when any could not be, 2 for a usage error."""
    # pdfminer logs its own repairs of damaged files as warnings; the curator gets our one line instead.
    for name in ("pdfminer", "pdfplumber"):
        logging.getLogger(name).setLevel(logging.ERROR)
    path: Path = args.path
    try:
        vocab = load_vocab(args.content)
    except ImportProblem as problem:
        print(f"error: {problem}", file=sys.stderr)
        return 2
    if path.is_dir():
        return run_folder(args, vocab, sorted(p for p in path.rglob("*") if p.suffix.lower() == ".pdf"))
    if not path.exists():
        print(f"error: no such file or folder: {path}", file=sys.stderr)
        return 2
    result = import_one(args, vocab, path)
    if args.json and isinstance(result, Extraction):
        print(json.dumps(result.as_json(), indent=2, ensure_ascii=False))
    return 0 if isinstance(result, Extraction) else 1


def import_one(args: argparse.Namespace, vocab: Vocab, path: Path, quiet: bool = False) -> Extraction | str:
    """Import one file; return the extraction, or the one-line problem (already printed)."""
    try:
        doc = read_pdf(path, args.password, args.timeout)
        ex = extract(doc, vocab, args.council)
        if not args.json:
            write(args, vocab, ex, quiet)
        return ex
    except ImportProblem as problem:
        if not quiet:
            print(f"{path}: {problem}", file=sys.stderr)
        return str(problem)


def write(args: argparse.Namespace, vocab: Vocab, ex: Extraction, quiet: bool) -> Path:
    """Write the draft (and a minimal council.yaml when the folder has none); report what is missing."""
    if not ex.council:
        raise ImportProblem("could not find the council's name in the report", "give --council SLUG")
    if not ex.start:
        raise ImportProblem("could not find the inspection dates, so the file cannot be named",
                            "check the report, or use --json to see what was found")
    folder = args.out or Path(args.content) / "councils" / ex.council
    target = folder / draft.file_name(ex)
    if target.exists() and not args.force:
        raise ImportProblem(f"{target} already exists", "use --force to overwrite it")
    text = draft.draft_text(ex, vocab)
    folder.mkdir(parents=True, exist_ok=True)
    target.write_text(text, encoding="utf-8")
    council_file = folder / "council.yaml"
    made_council = False
    if not council_file.exists():
        council_file.write_text(draft.council_yaml(ex), encoding="utf-8")
        made_council = True
    if not quiet:
        print(f"wrote {target} (draft: true)")
        if made_council:
            print(f"wrote {council_file} (draft: true; add region, codes and help)")
        for item in ex.not_found:
            print(f"  not found: {item}")
        for item in ex.warnings:
            print(f"  warning: {item}")
    return target


def run_folder(args: argparse.Namespace, vocab: Vocab, files: list[Path]) -> int:
    """Import every PDF of a folder and print one summary row per file."""
    if not files:
        print(f"error: no PDF files in {args.path}", file=sys.stderr)
        return 2
    rows, results = [], []
    for path in files:
        result = import_one(args, vocab, path, quiet=True)
        results.append(result)
        rows.append(summary_row(path, args.path, result))
    if args.json:
        print(json.dumps([r.as_json() for r in results if isinstance(r, Extraction)], indent=2, ensure_ascii=False))
    else:
        print(table(["file", "council", "kind", "dates", "judgements", "problems"], rows))
    failed = sum(1 for r in results if not isinstance(r, Extraction))
    print(f"{len(files) - failed} imported, {failed} failed", file=sys.stderr if args.json else sys.stdout)
    return 1 if failed else 0


def summary_row(path: Path, root: Path, result: Extraction | str) -> list[str]:
    """One row of the folder summary."""
    name = str(path.relative_to(root)) if path.is_relative_to(root) else str(path)
    if not isinstance(result, Extraction):
        return [name, "-", "-", "-", "-", f"FAILED: {result}"]
    dates = f"{result.start} to {result.end}" if result.start else "?"
    problems = "; ".join([f"no {n}" for n in result.not_found] + result.warnings) or "-"
    return [name, result.council or "?", result.kind, dates, str(len(result.judgements)), problems]


def table(header: list[str], rows: list[list[str]]) -> str:
    """A plain-text table with aligned columns (the last column is left to run on)."""
    widths = [max(len(r[i]) for r in [header] + rows) for i in range(len(header) - 1)]
    lines = []
    for row in [header, ["-" * w for w in widths] + ["-" * 8]] + rows:
        lines.append("  ".join(c.ljust(w) for c, w in zip(row, widths)) + "  " + row[-1])
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    """Stand-alone entry point: `python -m generator.importer import-pdf ...` (or without the word)."""
    parser = argparse.ArgumentParser(prog="python -m generator.importer")
    subparsers = parser.add_subparsers(dest="command", required=True)
    add_parser(subparsers)
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv and argv[0] not in ("import-pdf", "-h", "--help"):
        argv.insert(0, "import-pdf")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s: %(message)s")
    return args.func(args)
