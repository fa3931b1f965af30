"""The `import-pdf` arguments, kept apart so that the other commands start without loading pdfplumber."""
from __future__ import annotations

import argparse
from pathlib import Path


def run(args: argparse.Namespace) -> int:
    """Load the importer only when it is used, and run it."""
    from .cli import run as run_import

    return run_import(args)


def add_parser(subparsers: argparse._SubParsersAction) -> argparse.ArgumentParser:
    """Register the `import-pdf` subcommand and its arguments."""
    parser = subparsers.add_parser(
        "import-pdf", help="start a draft inspection page from an Ofsted PDF report (or a folder of them)",
        description="Read an Ofsted report or letter (PDF) and write a draft inspection file into content/.")
    parser.add_argument("path", type=Path, help="a PDF file, or a folder: every *.pdf in it (and below) is imported")
    parser.add_argument("--council", metavar="SLUG", help="the council's folder name (default: from the report)")
    parser.add_argument("--out", metavar="DIR", type=Path,
                        help="write here instead of content/councils/<council>/")
    parser.add_argument("--force", action="store_true", help="overwrite an existing file")
    parser.add_argument("--json", action="store_true", help="print what was found as JSON; write nothing")
    parser.add_argument("--content", metavar="DIR", type=Path, default=Path("content"),
                        help="the content folder (default: content)")
    parser.add_argument("--password", metavar="PW", help="password of an encrypted PDF")
    parser.add_argument("--timeout", metavar="SECONDS", type=float, default=120.0,
                        help="give up on a file after this long (default: 120)")
    parser.set_defaults(func=run)
    return parser


