"""The command line: the only place that prints for people."""
from __future__ import annotations

import argparse
import dataclasses
import logging
import sys
from pathlib import Path
from typing import Any

from .build import BuildConfig, BuildError, build
from .search import SearchIndexer
from .problems import Problems
from .urls import BaseUrlError, parse_base_url
from .yamlio import load_yaml, read_text

log = logging.getLogger("generator")


def add_site_options(parser: argparse.ArgumentParser) -> None:
    """The options every command that reads content shares."""
    parser.add_argument("--content", type=Path, default=Path("content"), help="the content folder (default: content)")
    parser.add_argument("--templates", type=Path, default=Path("templates"), help="the templates folder (default: templates)")


def program_name(argv0: str) -> str:
    """How the curator started us, for usage lines: `inspections` (the installed command) or `python -m generator`."""
    name = Path(argv0).name.lower()
    return "inspections" if name.removesuffix(".exe").removesuffix("-script.py") == "inspections" else "python -m generator"


def make_parser() -> argparse.ArgumentParser:
    """The argument parser with all sub-commands."""
    parser = argparse.ArgumentParser(prog=program_name(sys.argv[0]),
                                     description="Build the site that explains Ofsted inspections of children's services.")
    parser.add_argument("-v", "--verbose", action="store_true", help="say more about what is happening")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    sub.required = True

    p = sub.add_parser("build", help="check the content and build the site")
    add_site_options(p)
    p.add_argument("--out", type=Path, default=Path("site"), help="the output folder (default: site)")
    p.add_argument("--base-url", default=None, help="where the site is published: /repo/ or https://owner.github.io/repo/ (default: /)")
    p.add_argument("--no-search", action="store_true", help="skip the search index (a faster build; search will not work)")
    p.add_argument("--no-cache", action="store_true", help="read and write no cache (a cold build)")
    p.add_argument("--cache-dir", type=Path, default=None, help="where the build cache is kept (default: .cache/ beside the output)")
    p.add_argument("--jobs", type=int, default=0, help="processes that render pages (default: one per core)")
    p.add_argument("--timings", action="store_true", help="print how long each step took")
    p.set_defaults(func=cmd_build)

    p = sub.add_parser("check", help="check the content and report readability per inspection page")
    add_site_options(p)
    p.add_argument("--faithful", action="store_true",
                   help="check each sentence that cites the report against the report's own words")
    p.add_argument("--all", action="store_true", help="with --faithful: show every citing sentence, not only flagged ones")
    p.add_argument("--amounts", action="store_true",
                   help="with --faithful: also show each sentence using a word of amount (most, often) its paragraphs do not")
    p.add_argument("--reports", type=Path, default=Path("../shared/reports"),
                   help="with --faithful: a folder of report PDFs with manifest.csv, read when an inspection has no "
                        "reports/<inspection>.yaml (default: ../shared/reports)")
    p.set_defaults(func=cmd_check)

    p = sub.add_parser("serve", help="build, preview with live reload, and rebuild on every change")
    add_site_options(p)
    p.add_argument("--out", type=Path, default=None, help="where the preview is built (default: a temporary folder)")
    p.add_argument("--port", type=int, default=8000, help="the port on 127.0.0.1 (default: 8000; 0: any free port)")
    p.add_argument("--base-url", default=None, help="preview under this base path, e.g. /repo/")
    p.add_argument("--open", action="store_true", help="open the preview in the web browser")
    p.set_defaults(func=cmd_serve)

    from .importer.args import add_parser as add_import_parser

    add_import_parser(sub)
    return parser


def print_problems(problems: Problems, stream: Any = None) -> None:
    """Print every problem, then what it means for the site."""
    stream = stream or sys.stderr
    items = problems.sorted()
    for problem in items:
        print(problem.format(), file=stream)
    print(f"\n{len(items)} problem{'s' if len(items) != 1 else ''} found: nothing was written, the previous site is unchanged.",
          file=stream)


def links_from(value: str | None, content: Path) -> Any:
    """The base URL from the command line, or from site.yaml, or '/'."""
    if value is None:
        value = site_yaml_base_url(content)
    return parse_base_url(value)


def site_yaml_base_url(content: Path) -> str:
    """site.yaml's base_url, read leniently (the build checks the file properly and reports its problems)."""
    path = content / "site.yaml"
    quiet = Problems()
    text = read_text(path, quiet) if path.exists() else None
    data = load_yaml(text, path, quiet) if text is not None else None
    value = data.get("base_url") if isinstance(data, dict) else None
    return value if isinstance(value, str) and value else "/"


def cmd_build(args: argparse.Namespace) -> int:
    """`build`: check everything, then write the site atomically."""
    try:
        links = links_from(args.base_url, args.content)
    except BaseUrlError as err:
        print(f"--base-url: {err}", file=sys.stderr)
        return 2
    cache_dir = None if args.no_cache else (args.cache_dir or args.out.absolute().parent / ".cache")
    config = BuildConfig(args.content, args.templates, args.out, links, cache_dir=cache_dir, jobs=max(0, args.jobs),
                         on_wait=lambda message: print(message, file=sys.stderr, flush=True))
    if not args.no_search:
        config = dataclasses.replace(config, after_write=(*config.after_write, SearchIndexer()))
    try:
        result = build(config)
    except BuildError as err:
        print_problems(err.problems)
        return 1
    print(f"Built {result.pages} pages ({result.files} files) into {args.out}/ for {links.absolute()}")
    if args.timings:
        for step, seconds in result.timings.items():
            print(f"  {step}: {seconds:.3f} s")
    if result.drafts:
        print(f"{len(result.drafts)} draft{'s' if len(result.drafts) != 1 else ''} not published (the preview shows them):")
        for file in result.drafts:
            print(f"  {file}")
    return 0


def cmd_check(args: argparse.Namespace) -> int:
    """`check`: validate, and report readability per inspection page (or, with --faithful, faithfulness)."""
    from .check import check_readability, facts_pages, format_report
    from .load import load_site
    from .todo import format_todo

    if args.faithful:
        return cmd_faithful(args)
    site, problems = load_site(args.content)
    if site is None:
        print_problems(problems)
        return 1
    report = check_readability(site)
    print(format_report(report, facts_pages(site)))
    todo = format_todo(site)
    if todo:
        print(f"\n{todo}")
    return 0 if all(row.ok for row in report) else 1


def cmd_faithful(args: argparse.Namespace) -> int:
    """`check --faithful`: each citing sentence beside the report's words; 1 when a flag is not signed off."""
    from .faithful import format_terminal, run_check

    report, problems = run_check(args.content, args.reports, Path(".cache") / "faithful")
    if report is None:
        print_problems(problems)
        return 1
    print(format_terminal(report, args.all, args.amounts))
    return 0 if report.ok else 1


def cmd_serve(args: argparse.Namespace) -> int:
    """`serve`: the live preview."""
    from .serve import serve

    try:
        links = parse_base_url(args.base_url or "/")
    except BaseUrlError as err:
        print(f"--base-url: {err}", file=sys.stderr)
        return 2
    if not 0 <= args.port < 65536:
        print(f"--port: {args.port} is not a port number; use one from 1024 to 65535, such as 8000.", file=sys.stderr)
        return 2
    cache_dir = args.out.absolute().parent / ".cache" if args.out else None
    return serve(args.content, args.templates, args.out, links, args.port, args.open, cache_dir)


def main(argv: list[str] | None = None) -> int:
    """Run a command; curators see messages, never tracebacks."""
    parser = make_parser()
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.DEBUG if args.verbose else logging.WARNING, format="%(levelname)s: %(message)s")
    try:
        return int(args.func(args) or 0)
    except KeyboardInterrupt:
        print("Stopped.", file=sys.stderr)
        return 130
    except OSError as err:
        where = f" ({err.filename})" if err.filename else ""
        print(f"error: {err.strerror or err}{where}. Check the path exists and you may write there.", file=sys.stderr)
        return 2
    except Exception as err:  # noqa: BLE001 - the last line of defence: a message, not a traceback
        log.debug("unexpected error", exc_info=True)
        print(f"error: something unexpected went wrong ({type(err).__name__}: {err}).\n"
              "Nothing was changed. Run again with -v for details, and tell the developers.", file=sys.stderr)
        return 2
