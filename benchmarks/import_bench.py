"""Benchmark the PDF importer: pages per second and peak memory over a folder of reports.

Usage: python benchmarks/import_bench.py [FOLDER] [--content content]
(default folder: ../shared/reports next to the project)
"""
from __future__ import annotations

import argparse
import resource
import sys
import time
import tracemalloc
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from generator.importer.errors import ImportProblem  # noqa: E402
from generator.importer.extract import extract  # noqa: E402
from generator.importer.pdftext import read_pdf  # noqa: E402
from generator.importer.vocab import load_vocab  # noqa: E402


def main() -> int:
    """Import every PDF of the folder (nothing written) and print the figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folder", nargs="?", type=Path, default=ROOT.parent / "shared" / "reports")
    parser.add_argument("--content", type=Path, default=ROOT / "content")
    parser.add_argument("--tracemalloc", action="store_true",
                        help="also measure peak Python allocations (slows the run several times)")
    args = parser.parse_args()
    vocab = load_vocab(args.content)
    files = sorted(args.folder.rglob("*.pdf"))
    if not files:
        print(f"no PDFs in {args.folder}", file=sys.stderr)
        return 2
    if args.tracemalloc:
        tracemalloc.start()
    pages = failed = 0
    began = time.perf_counter()
    for path in files:
        start = time.perf_counter()
        try:
            doc = read_pdf(path)
            ex = extract(doc, vocab)
            pages += doc.page_count
            print(f"{time.perf_counter() - start:6.2f}s {doc.page_count:3d} pages  {len(ex.judgements):2d} grades  "
                  f"{path.relative_to(args.folder)}")
        except ImportProblem as problem:
            failed += 1
            print(f"{time.perf_counter() - start:6.2f}s   rejected          {path.relative_to(args.folder)}: "
                  f"{problem.what}")
    elapsed = time.perf_counter() - began
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"\n{len(files)} files ({failed} rejected), {pages} pages in {elapsed:.1f}s: "
          f"{pages / elapsed:.1f} pages/second")
    print(f"peak memory: {rss:.0f} MiB resident (whole process)")
    if args.tracemalloc:
        print(f"peak Python allocations (tracemalloc): {tracemalloc.get_traced_memory()[1] / 2**20:.1f} MiB")
        tracemalloc.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
