"""`import-pdf`: the command line for the PDF importer (add_parser / run, wired in by generator.cli)."""
from __future__ import annotations

import argparse
import json
import logging
import multiprocessing
import os
import sys
from collections.abc import Iterator
from concurrent.futures import ProcessPoolExecutor, as_completed
from concurrent.futures.process import BrokenProcessPool as BrokenExecutor
from pathlib import Path

from . import draft
from .errors import ImportProblem
from .extract import Extraction, extract
from .manifest import Row, already_imported, read_manifest
from .pdftext import MEMORY_MB, read_pdf
from .vocab import Vocab, load_vocab
from ..quotes import words_path, words_text

log = logging.getLogger(__name__)


from .args import add_parser  # noqa: E402,F401 - the CLI's arguments live in a light module


def run(args: argparse.Namespace) -> int:
    """Import one PDF or a folder; 0 when every file imported, 1 when any could not be, 2 for a usage error."""
    quiet_pdfminer()
    path: Path = args.path
    try:
        vocab = load_vocab(args.content)
        rows = manifest_rows(args)
    except ImportProblem as problem:
        print(f"error: {problem}", file=sys.stderr)
        return 2
    if getattr(args, "words_for", None):
        return run_words_for(args, vocab, path)
    if rows is not None:
        return run_manifest(args, vocab, rows)
    if path.is_dir():
        return run_folder(args, vocab, sorted(p for p in path.rglob("*") if p.suffix.lower() == ".pdf"))
    if not path.exists():
        print(f"error: no such file or folder: {path}", file=sys.stderr)
        return 2
    result = import_one(args, vocab, path)
    if args.json and isinstance(result, Extraction):
        print(json.dumps(result.as_json(), indent=2, ensure_ascii=False))
    return 0 if isinstance(result, Extraction) else 1


def quiet_pdfminer() -> None:
    """pdfminer logs its own repairs of damaged files as warnings; the curator gets our one line instead."""
    for name in ("pdfminer", "pdfplumber"):
        logging.getLogger(name).setLevel(logging.ERROR)


def manifest_rows(args: argparse.Namespace) -> list[Row] | None:
    """The manifest's rows: --manifest, or manifest.csv in the folder given; None when there is none."""
    manifest = getattr(args, "manifest", None)
    if manifest is None and args.path.is_dir() and (args.path / "manifest.csv").is_file():
        manifest = args.path / "manifest.csv"
    return read_manifest(manifest) if manifest is not None else None


def import_one(args: argparse.Namespace, vocab: Vocab, path: Path, quiet: bool = False,
               row: Row | None = None) -> Extraction | str:
    """Import one file; return the extraction, or the one-line problem (already printed)."""
    try:
        ex = read_one(path, vocab, row.council if row else args.council, args.password, args.timeout,
                      getattr(args, "memory", MEMORY_MB))
        if not args.json:
            write(args, vocab, ex, quiet, row)
        return ex
    except ImportProblem as problem:
        if not quiet:
            print(f"{path}: {problem}", file=sys.stderr)
        return str(problem)


def read_one(path: Path, vocab: Vocab, council: str | None, password: str | None, timeout: float | None,
             memory_mb: int | None = MEMORY_MB) -> Extraction:
    """Read one PDF into an Extraction (raises ImportProblem)."""
    return extract(read_pdf(path, password, timeout, memory_mb), vocab, council)


def write(args: argparse.Namespace, vocab: Vocab, ex: Extraction, quiet: bool, row: Row | None = None) -> Path:
    """Write the draft (and a minimal council.yaml when the folder has none); report what is missing."""
    if not ex.council:
        raise ImportProblem("could not find the council's name in the report", "give --council SLUG")
    if not ex.start:
        raise ImportProblem("could not find the inspection dates, so the file cannot be named",
                            "check the report, or use --json to see what was found")
    folder = args.out or Path(args.content) / "councils" / ex.council
    target = folder / draft.file_name(ex)
    if target.exists():
        if not args.force:
            raise ImportProblem(f"{target} already exists", "use --force to overwrite a draft")
        if not draft.is_draft(target.read_text(encoding="utf-8", errors="replace")):
            raise ImportProblem(f"{target} is curated (not draft: true): the importer never overwrites it",
                                "import into another folder with --out, and compare by hand")
    text = draft.draft_text(ex, vocab, report=row, facts_only=getattr(args, "facts_only", False))
    folder.mkdir(parents=True, exist_ok=True)
    target.write_text(text, encoding="utf-8")
    words_file = words_path(target)
    wanted = bool(ex.texts) and not getattr(args, "facts_only", False)  # a facts page cites nothing, so needs no words
    made_words = wanted and not words_file.exists()  # the words may be curated: never overwritten here
    if made_words:
        write_words(words_file, ex)
    council_file = folder / "council.yaml"
    made_council = False
    if not council_file.exists():
        council_file.write_text(draft.council_yaml(ex), encoding="utf-8")
        made_council = True
    if not quiet:
        print(f"wrote {target} (draft: true)")
        if made_words:
            print(f"wrote {words_file} (the report's words for {len(ex.texts)} paragraphs)")
        elif wanted:
            print(f"kept {words_file} as it is (delete it, or use --words-for, to write it again)")
        if made_council:
            print(f"wrote {council_file} (draft: true; add region, codes and help)")
        for item in ex.not_found:
            print(f"  not found: {item}")
        for item in ex.warnings:
            print(f"  warning: {item}")
    return target


# ------------------------------------------------------------------ many files, on every core

def _read_in_worker(path: Path, vocab: Vocab, council: str | None, password: str | None, timeout: float | None,
                    memory_mb: int | None = MEMORY_MB) -> Extraction | str:
    """One file in a worker: its extraction, or its problem as text."""
    quiet_pdfminer()
    try:
        return read_one(path, vocab, council, password, timeout, memory_mb)
    except ImportProblem as problem:
        return str(problem)
    except Exception as error:  # noqa: BLE001 - a reader bug costs one file, not the whole import
        return f"the importer failed on this file ({type(error).__name__}: {error}); please report it"


def read_many(args: argparse.Namespace, vocab: Vocab,
              jobs: list[tuple[Path, str | None]]) -> Iterator[tuple[int, Extraction | str]]:
    """Read files on every core, yielding (index, result) as each one finishes."""
    workers = max(1, min(args.jobs or os.cpu_count() or 1, len(jobs)))
    with ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("fork")) as pool:
        memory = getattr(args, "memory", MEMORY_MB)
        futures = {pool.submit(_read_in_worker, path, vocab, council, args.password, args.timeout, memory): n
                   for n, (path, council) in enumerate(jobs)}
        for future in as_completed(futures):
            try:
                yield futures[future], future.result()
            except BrokenExecutor:
                yield futures[future], "the process reading this file died (out of memory?); import it on its own"


def run_manifest(args: argparse.Namespace, vocab: Vocab, rows: list[Row]) -> int:
    """Import every report of a manifest into its council's folder, a line per report as it goes."""
    todo: list[Row] = []
    skipped = 0
    for row in rows:
        if args.only and row.council not in args.only:
            continue
        if not row.is_pdf:
            print(f"skipped  {row.file.name} ({row.council}): the manifest says it is not a PDF report (line {row.line})")
            skipped += 1
            continue
        there = already_imported(Path(args.content) / "councils" / row.council, row.url) if not args.out else None
        if there is not None:
            skipped += 1
            continue
        todo.append(row)
    print(f"{len(todo)} to import, {skipped} already there or not reports")
    if args.json:
        return run_json(args, vocab, [(row.file, row.council) for row in todo])
    failed = 0
    for n, result in read_many(args, vocab, [(row.file, row.council) for row in todo]):
        row = todo[n]
        try:
            if not isinstance(result, Extraction):
                raise ImportProblem(result, "check the file, or import it on its own to see more")
            target = write(args, vocab, result, True, row)
            gaps = "; ".join([f"no {g}" for g in result.not_found] + result.warnings)
            print(f"wrote    {target} ({len(result.judgements)} grades){': ' + gaps if gaps else ''}")
        except ImportProblem as problem:
            failed += 1
            print(f"FAILED   {row.file} (manifest line {row.line}): {problem}")
    print(f"{len(todo) - failed} imported, {failed} failed, {skipped} skipped")
    return 1 if failed else 0


def run_json(args: argparse.Namespace, vocab: Vocab, jobs: list[tuple[Path, str | None]]) -> int:
    """--json for many files: every extraction, in the order given."""
    results: list[Extraction | str] = [""] * len(jobs)
    for n, result in read_many(args, vocab, jobs):
        results[n] = result
    print(json.dumps([r.as_json() for r in results if isinstance(r, Extraction)], indent=2, ensure_ascii=False))
    failed = sum(1 for r in results if not isinstance(r, Extraction))
    print(f"{len(jobs) - failed} imported, {failed} failed", file=sys.stderr)
    return 1 if failed else 0


def write_words(target: Path, ex: Extraction) -> None:
    """Write the report's words file for an extraction."""
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(words_text(ex.copyright, ex.path.name, ex.texts), encoding="utf-8")


def run_words_for(args: argparse.Namespace, vocab: Vocab, pdf: Path) -> int:
    """`--words-for INSPECTION.md`: write the report's words for an inspection that already has its page."""
    inspection: Path = args.words_for
    if not inspection.is_file() or inspection.suffix != ".md":
        print(f"error: --words-for: {inspection} is not an inspection file (.md)", file=sys.stderr)
        return 2
    target = words_path(inspection)
    if target.exists() and not args.force:
        print(f"error: {target} already exists (it may have been corrected by hand); use --force to write it again",
              file=sys.stderr)
        return 1
    try:
        ex = extract(read_pdf(pdf, args.password, args.timeout), vocab, args.council or inspection.parent.name)
    except ImportProblem as problem:
        print(f"{pdf}: {problem}", file=sys.stderr)
        return 1
    if not ex.texts:
        print(f"{pdf}: no numbered paragraphs found, so there are no words to keep (a letter has none)", file=sys.stderr)
        return 1
    write_words(target, ex)
    print(f"wrote {target} (the report's words for {len(ex.texts)} paragraphs, {ex.copyright})")
    return 0


def run_folder(args: argparse.Namespace, vocab: Vocab, files: list[Path]) -> int:
    """Import every PDF of a folder on every core and print one summary row per file."""
    if not files:
        print(f"error: no PDF files in {args.path}", file=sys.stderr)
        return 2
    if args.json:
        return run_json(args, vocab, [(path, args.council) for path in files])
    rows: list[list[str]] = [[]] * len(files)
    for n, result in read_many(args, vocab, [(path, args.council) for path in files]):
        if isinstance(result, Extraction):
            try:
                write(args, vocab, result, True)
            except ImportProblem as problem:
                result = str(problem)
        rows[n] = summary_row(files[n], args.path, result)
    print(table(["file", "council", "kind", "dates", "judgements", "problems"], rows))
    failed = sum(1 for r in rows if r[-1].startswith("FAILED"))
    print(f"{len(files) - failed} imported, {failed} failed")
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
