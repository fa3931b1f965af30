"""The `import-pdf` arguments, kept apart so that the other commands start without loading pdfplumber."""
from __future__ import annotations

import argparse
import re
from pathlib import Path


def run(args: argparse.Namespace) -> int:
    """Load the importer only when it is used, and run it."""
    from .cli import run as run_import

    return run_import(args)


COUNCIL_SLUG = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")  # as content/councils/ names them (fields.SLUG)


def council_folder(text: str) -> str:
    """A --council value: a folder name under content/councils/, never a path or markup."""
    if not COUNCIL_SLUG.fullmatch(text):
        raise argparse.ArgumentTypeError(f'"{text[:60]}" is not a council folder name: use small letters, digits and '
                                         'dashes only, such as york or east-riding-of-yorkshire')
    return text


def add_parser(subparsers: argparse._SubParsersAction) -> argparse.ArgumentParser:
    """Register the `import-pdf` subcommand and its arguments."""
    parser = subparsers.add_parser(
        "import-pdf", help="start a draft inspection page from an Ofsted PDF report (or a folder of them)",
        description="Read an Ofsted report or letter (PDF) and write a draft inspection file into content/.")
    parser.add_argument("path", type=Path, help="a PDF file, or a folder: every *.pdf in it (and below) is imported")
    parser.add_argument("--council", metavar="SLUG", type=council_folder,
                        help="the council's folder name, such as york (default: from the report)")
    parser.add_argument("--out", metavar="DIR", type=Path,
                        help="write here instead of content/councils/<council>/")
    parser.add_argument("--force", action="store_true", help="overwrite an existing draft (a curated file, not draft: true, is never overwritten)")
    parser.add_argument("--words-for", metavar="INSPECTION.md", type=Path,
                        help="write only the report's words (reports/<inspection>.yaml) for this existing inspection file")
    parser.add_argument("--json", action="store_true", help="print what was found as JSON; write nothing")
    parser.add_argument("--content", metavar="DIR", type=Path, default=Path("content"),
                        help="the content folder (default: content)")
    parser.add_argument("--password", metavar="PW", help="password of an encrypted PDF")
    parser.add_argument("--timeout", metavar="SECONDS", type=float, default=120.0,
                        help="give up on a file after this long (default: 120)")
    parser.add_argument("--manifest", metavar="CSV", type=Path,
                        help="a manifest of reports (council, file, published, url): each report goes into its "
                             "council's folder with its URL; a folder's own manifest.csv is used without this")
    parser.add_argument("--only", metavar="SLUG", action="append",
                        help="with a manifest: import only this council's reports (may be given more than once)")
    parser.add_argument("--facts-only", action="store_true",
                        help="write the facts with no sections to rewrite: a facts page once draft is set to false")
    parser.add_argument("--jobs", metavar="N", type=int, default=0,
                        help="how many files to read at once (default: one per core)")
    parser.add_argument("--memory", metavar="MB", type=int, default=2048,
                        help="give up on a file that needs more memory than this to read (default: 2048)")
    parser.set_defaults(func=run)
    return parser


