#!/usr/bin/env python3
"""Benchmark the generator on the synthetic national corpus and the real content, beside its peers.

usage: python benchmarks/bench.py [--sizes real,15x10,153x10] [--runs 5] [--peers hugo,eleventy,pelican,mkdocs]
                                  [--work DIR] [--skip-peers] [--write] [--keep] [--clean]

Each size is a COUNCILSxPER_COUNCIL corpus made by ../shared/bench/gen_corpus.py and converted with
benchmarks/convert_corpus.py, or `real` (a copy of the project's content/). Every build is a whole
process (wall clock around start..reap, cpu and peak RSS from os.wait4, as ../shared/bench/timer.py),
median of --runs after one warm-up. Peers are prepared with a copy of ../shared/bench (its bench.sh)
and timed pair by pair against our builds in the same run, since this machine's speed drifts.
Everything is written under --work (default benchmarks/.work/); edited files are copies, restored.
1530x10 is only run when named in --sizes; peers are never run above PEER_MAX_INSPECTIONS unless
--peers-at-any-size is given.
"""
from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import json
import os
import platform
import re
import shlex
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

PROJECT = Path(__file__).resolve().parents[1]
SHARED_BENCH = PROJECT.parent / "shared" / "bench"
DEFAULT_WORK = PROJECT / "benchmarks" / ".work"
RESULTS_FILE = PROJECT / "benchmarks" / "RESULTS.md"
DEFAULT_SIZES = "real,15x10,153x10"
DEFAULT_PEERS = "hugo,eleventy,pelican,mkdocs"
EDIT_TEMPLATE = "changes.html"
PEER_MAX_INSPECTIONS = 2000
TOKEN = "zqbench"  # a word no page has, so its appearance proves the edit was rebuilt and served
POLL_SECONDS = 0.005
SERVE_START_TIMEOUT = 900.0
EDIT_TIMEOUT = 60.0
NO_SEARCH = "--no-search"


# --- measuring processes ---------------------------------------------------------------------

@dataclass
class Sample:
    """One whole-process run."""

    wall: float
    cpu: float
    rss_mib: float
    code: int
    output: str = ""


@dataclass
class Row:
    """One measured case: its samples and the load average before it."""

    label: str
    samples: list[Sample]
    load: tuple[float, float, float]
    note: str = ""

    def median(self, attr: str) -> float:
        """Median of one attribute over the samples."""
        return statistics.median(getattr(s, attr) for s in self.samples) if self.samples else float("nan")

    def ok(self) -> bool:
        """Whether every run exited 0."""
        return bool(self.samples) and all(s.code == 0 for s in self.samples)


def python_for_project() -> str:
    """The project's venv Python when there is one, else this interpreter."""
    venv = PROJECT / ".venv" / "bin" / "python"
    return str(venv) if venv.exists() else sys.executable


def run_process(argv: list[str], log: Path, timeout: float, cwd: Path = PROJECT) -> Sample:
    """Run a command to completion; wall, cpu and peak RSS of it and the children it reaped."""
    with open(log, "wb") as out:
        started = time.monotonic()
        proc = subprocess.Popen(argv, stdin=subprocess.DEVNULL, stdout=out, stderr=subprocess.STDOUT,
                                cwd=cwd, start_new_session=True)
        timer = threading.Timer(timeout, _kill_group, (proc.pid,))
        timer.start()
        try:
            _, status, usage = os.wait4(proc.pid, 0)
        finally:
            timer.cancel()
        wall = time.monotonic() - started
    proc.returncode = code = os.waitstatus_to_exitcode(status)
    text = log.read_text(encoding="utf-8", errors="replace")
    return Sample(wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024, code, text)


def _kill_group(pid: int) -> None:
    """Stop a timed-out process and its children (its own session, started by us)."""
    with contextlib.suppress(ProcessLookupError):
        os.killpg(pid, signal.SIGKILL)


def load_now() -> tuple[float, float, float]:
    """The 1, 5 and 15 minute load averages."""
    return tuple(round(x, 2) for x in os.getloadavg())  # type: ignore[return-value]


def measure(label: str, argv: list[str], runs: int, log: Path, timeout: float,
            before: Callable[[int], None] | None = None, cwd: Path = PROJECT) -> Row:
    """Median-ready samples of a command: one warm-up, then `runs` runs; `before(i)` runs untimed first."""
    load = load_now()
    say(f"    {label} (load {load[0]:.2f})")
    samples = []
    for i in range(runs + 1):
        if before:
            before(i)
        sample = run_process(argv, log, timeout, cwd)
        if sample.code != 0:
            say(f"      ! exit {sample.code}: {last_lines(sample.output)}")
        if i:
            samples.append(sample)
    return Row(label, samples, load)


def last_lines(text: str, count: int = 5) -> str:
    """The end of a command's output, on one line."""
    return " | ".join(text.strip().splitlines()[-count:])


def say(text: str) -> None:
    """Progress on stderr (the table goes to stdout)."""
    print(text, file=sys.stderr, flush=True)


# --- the sites measured ----------------------------------------------------------------------

@dataclass(frozen=True)
class Site:
    """One size's content, templates copy, output and cache, all under its own folder."""

    name: str
    root: Path

    @property
    def content(self) -> Path:
        """The content folder built."""
        return self.root / "content"

    @property
    def templates(self) -> Path:
        """The copy of the project's templates (the one the template edit touches)."""
        return self.root / "templates"

    @property
    def out(self) -> Path:
        """The build output."""
        return self.root / "site"

    @property
    def cache(self) -> Path:
        """The build cache."""
        return self.root / "cache"

    @property
    def log(self) -> Path:
        """Where the last command's output is kept."""
        return self.root / "last.log"

    def build_argv(self, *extra: str) -> list[str]:
        """Our build of this site as a command line."""
        return [python_for_project(), "-m", "generator", "build", "--content", str(self.content),
                "--templates", str(self.templates), "--out", str(self.out), *extra]


def parse_size(name: str) -> tuple[int, int] | None:
    """(councils, per council) for 'NxM'; None for 'real'; ValueError otherwise."""
    if name == "real":
        return None
    match = re.fullmatch(r"(\d+)x(\d+)", name)
    if not match:
        raise ValueError(f"size {name!r}: use COUNCILSxPER_COUNCIL (e.g. 153x10) or real")
    return int(match.group(1)), int(match.group(2))


def require_shared() -> Path:
    """The shared peer harness, or a clear exit when it is not beside the project."""
    if not (SHARED_BENCH / "gen_corpus.py").is_file():
        sys.exit(f"bench.py: the shared harness is missing: expected {SHARED_BENCH}/gen_corpus.py "
                 "(../shared/bench next to the project).")
    return SHARED_BENCH


def prepare_site(name: str, work: Path) -> Site:
    """Lay out one size: content (generated and converted, or the real one copied) and a templates copy."""
    site = Site(name, work / f"site-{name}")
    if site.root.exists():
        shutil.rmtree(site.root)
    site.root.mkdir(parents=True)
    shutil.copytree(PROJECT / "templates", site.templates)
    size = parse_size(name)
    if size is None:
        shutil.copytree(PROJECT / "content", site.content)
        return site
    corpus = work / f"corpus-{name}"
    check_call([sys.executable, str(require_shared() / "gen_corpus.py"), "--councils", str(size[0]),
                "--per-council", str(size[1]), "--out", str(corpus)], site.log)
    check_call([python_for_project(), str(PROJECT / "benchmarks" / "convert_corpus.py"), str(corpus),
                str(site.content)], site.log)
    return site


def check_call(argv: list[str], log: Path, cwd: Path | None = None, env: dict[str, str] | None = None) -> str:
    """Run a preparation step; exit with its output when it fails."""
    result = subprocess.run(argv, cwd=cwd, env=env, stdin=subprocess.DEVNULL, capture_output=True, text=True)
    log.write_text(result.stdout + result.stderr, encoding="utf-8")
    if result.returncode != 0:
        sys.exit(f"bench.py: {shlex.join(argv)} failed ({result.returncode}):\n{result.stdout}{result.stderr}")
    return result.stdout


def set_aside(site: "Site") -> None:
    """Move the output (and its spare copy) out of the way in O(1), as the shared harness does for peers.

    Deleting ~2,000 files just before a timed run leaves the kernel work that the run then pays for;
    the peers' adapters rename their output away and delete it after timing, and so do we.
    """
    aside = site.root / "aside"
    aside.mkdir(exist_ok=True)
    for path in (site.out, site.out.parent / f".{site.out.name}.spare"):
        if path.exists():
            path.rename(aside / f"{path.name}.{time.monotonic_ns()}")


def clear_aside(site: "Site") -> None:
    """Delete what `set_aside` moved away (untimed, after the runs)."""
    remove(site.root / "aside")
    os.sync()  # let the deletions land now, not in the next timed run


def remove(path: Path) -> None:
    """Remove a file or folder if it is there."""
    if path.is_dir():
        shutil.rmtree(path)
    elif path.exists():
        path.unlink()


# --- edits, always restored ------------------------------------------------------------------

def edited_inspection(content: Path) -> Path:
    """The first published inspection file with an '## In short' section."""
    for path in sorted((content / "councils").glob("*/*.md")):
        text = path.read_text(encoding="utf-8")
        if "\n## In short" in text and not re.search(r"^draft:\s*true", text, re.M):
            return path
    raise SystemExit(f"bench.py: no inspection with '## In short' under {content}/councils")


def inspection_page(path: Path) -> str:
    """The site path of an inspection file's page."""
    return f"{path.parent.name}/{path.stem}/"


def edit_inspection(path: Path, original: str, number: int) -> str:
    """Write the inspection with one sentence appended to its '## In short' section; returns the token."""
    token = f"{TOKEN}{number:04d}"
    start = original.index("\n## In short")
    end = original.find("\n## ", start + 1)
    end = len(original) if end < 0 else end
    text = original[:end].rstrip("\n") + f"\n\nThe benchmark added this sentence {token}.\n" + original[end:]
    path.write_text(text, encoding="utf-8")
    return token


def edit_template(path: Path, original: str, number: int) -> str:
    """Write the template with an HTML comment at the start of its content block; returns the token."""
    token = f"{TOKEN}{number:04d}"
    marker = "{% block content %}"
    if marker not in original:
        raise SystemExit(f"bench.py: {path} has no '{marker}' to put the edit in")
    path.write_text(original.replace(marker, f"{marker}<!-- {token} -->", 1), encoding="utf-8")
    return token


@contextlib.contextmanager
def restored(*paths: Path) -> Iterator[dict[Path, str]]:
    """The files' original texts; each file is put back as it was on the way out."""
    originals = {p: p.read_text(encoding="utf-8") for p in paths}
    try:
        yield originals
    finally:
        for path, text in originals.items():
            path.write_text(text, encoding="utf-8")


# --- our builds --------------------------------------------------------------------------------

@dataclass
class SizeResult:
    """Everything measured for one size."""

    name: str
    inspections: int = 0
    pages: int = 0
    rows: list[Row] = field(default_factory=list)
    search: dict = field(default_factory=dict)
    preview: dict = field(default_factory=dict)
    e2e: dict = field(default_factory=dict)
    peers: dict = field(default_factory=dict)

    def row(self, label: str) -> Row | None:
        """The row measured under a label."""
        return next((r for r in self.rows if r.label == label), None)


def built_pages(output: str) -> int:
    """The page count from a build's 'Built N pages' line."""
    match = re.search(r"Built (\d+) pages", output)
    return int(match.group(1)) if match else 0


def step_timings(output: str) -> dict[str, float]:
    """The steps --timings printed, in seconds."""
    return {m.group(1): float(m.group(2)) for m in re.finditer(r"^\s+([^:\n]+): ([\d.]+) s$", output, re.M)}


def measure_builds(site: Site, runs: int, timeout: float, result: SizeResult) -> None:
    """Cold, warm, no-op, one-inspection and one-template builds (no search), then search on its own."""
    plain = site.build_argv(NO_SEARCH, "--cache-dir", str(site.cache))
    wipe_out: Callable[[int], None] = lambda _i: set_aside(site)  # noqa: E731
    cold = measure("cold full build (--no-cache)", site.build_argv(NO_SEARCH, "--no-cache"), runs, site.log,
                   timeout, wipe_out)
    result.pages = built_pages(cold.samples[-1].output) if cold.samples else 0
    remove(site.cache)
    result.rows += [cold,
                    measure("full build, warm cache (no output)", plain, runs, site.log, timeout, wipe_out),
                    measure("no-op rebuild (warm, output present)", plain, runs, site.log, timeout)]
    clear_aside(site)
    inspection = edited_inspection(site.content)
    with restored(inspection) as originals:
        result.rows.append(measure("one inspection edited, rebuild", plain, runs, site.log, timeout,
                                   lambda i: edit_inspection(inspection, originals[inspection], i)))
    template = site.templates / EDIT_TEMPLATE
    with restored(template) as originals:
        result.rows.append(measure(f"one template edited ({EDIT_TEMPLATE}), rebuild", plain, runs, site.log,
                                   timeout, lambda i: edit_template(template, originals[template], i)))
    measure_search(site, max(1, min(runs, 3)), timeout, result)


def measure_search(site: Site, runs: int, timeout: float, result: SizeResult) -> None:
    """A cold build with the search step, its --timings read for the indexing time."""
    row = measure("cold full build with search (--no-cache)", site.build_argv("--no-cache", "--timings"),
                  runs, site.log, timeout, lambda _i: set_aside(site))
    clear_aside(site)
    result.rows.append(row)
    steps = [step_timings(s.output) for s in row.samples if s.code == 0]
    names = sorted({k for st in steps for k in st if "search" in k})
    result.search = {"step": names[0] if names else None, "load": row.load,
                     "seconds": [st[names[0]] for st in steps if names[0] in st] if names else [],
                     "totals": [st.get("total", float("nan")) for st in steps]}


# --- the preview ---------------------------------------------------------------------------------

def preview_main(argv: list[str]) -> int:
    """(Subprocess, project venv) time Preview.start() and update() after edits; print JSON."""
    ap = argparse.ArgumentParser(prog="bench.py _preview")
    for name in ("--content", "--templates", "--out", "--cache"):
        ap.add_argument(name, type=Path, required=True)
    ap.add_argument("--edits", type=int, default=5)
    a = ap.parse_args(argv)
    sys.path.insert(0, str(PROJECT))
    from generator.build import BuildConfig
    from generator.serve import Preview
    preview = Preview(BuildConfig(a.content, a.templates, a.out, drafts=True, cache_dir=a.cache))
    started = time.perf_counter()
    first = preview.start()
    report: dict = {"start_s": time.perf_counter() - started, "start_ok": first.ok, "start_pages": first.rendered}
    inspection = edited_inspection(a.content)
    template = a.templates / EDIT_TEMPLATE
    with restored(inspection, template) as originals:
        report["inspection"] = timed_updates(preview, a.edits, lambda i: edit_inspection(
            inspection, originals[inspection], i))
        inspection.write_text(originals[inspection], encoding="utf-8")
        preview.update()
        report["template"] = timed_updates(preview, a.edits, lambda i: edit_template(
            template, originals[template], i))
    print(json.dumps(report))
    return 0


def timed_updates(preview: object, edits: int, edit: Callable[[int], str]) -> dict:
    """Seconds of update() after each edit (the first, a warm-up, not counted) and pages rendered."""
    seconds, rendered, failures = [], [], 0
    for i in range(edits + 1):
        edit(i)
        started = time.perf_counter()
        outcome = preview.update()  # type: ignore[attr-defined]
        elapsed = time.perf_counter() - started
        if outcome is None or not outcome.ok:
            failures += 1
        if i:
            seconds.append(elapsed)
            rendered.append(outcome.rendered if outcome else 0)
    return {"seconds": seconds, "rendered": rendered, "failures": failures}


def measure_preview(site: Site, edits: int, timeout: float, result: SizeResult) -> None:
    """The in-process preview, run in its own process (so its peak memory is its own)."""
    out = site.root / "preview" / "site"
    remove(out.parent)
    load = load_now()
    say(f"    preview: start, update() after edits (load {load[0]:.2f})")
    argv = [python_for_project(), str(Path(__file__).resolve()), "_preview", "--content", str(site.content),
            "--templates", str(site.templates), "--out", str(out), "--cache", str(out.parent / "cache"),
            "--edits", str(edits)]
    sample = run_process(argv, site.log, timeout)
    try:
        result.preview = json.loads(sample.output.strip().splitlines()[-1])
    except (json.JSONDecodeError, IndexError):
        result.preview = {"error": last_lines(sample.output)}
    result.preview.update({"load": load, "rss_mib": sample.rss_mib})
    remove(out.parent)


def free_port() -> int:
    """A free TCP port on 127.0.0.1."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def fetch(url: str) -> str | None:
    """A page's text, or None when it cannot be had right now."""
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.read().decode("utf-8", errors="replace")
    except (urllib.error.URLError, ConnectionError, TimeoutError, OSError):
        return None


def wait_until(url: str, proc: subprocess.Popen, limit: float, needle: str = "") -> float | None:
    """Poll a page until it is served (and holds `needle`); seconds taken, None on timeout or exit."""
    started = time.perf_counter()
    while time.perf_counter() - started < limit:
        page = fetch(url)
        if page is not None and needle in page:
            return time.perf_counter() - started
        if proc.poll() is not None:
            return None
        time.sleep(POLL_SECONDS)
    return None


def measure_e2e(site: Site, edits: int, result: SizeResult) -> None:
    """`serve` as a process: time from saving an edit to the rebuilt page being served, over HTTP."""
    root = site.root / "serve"
    remove(root)
    root.mkdir()
    port = free_port()
    base = f"http://127.0.0.1:{port}/"
    inspection = edited_inspection(site.content)
    argv = [python_for_project(), "-m", "generator", "serve", "--content", str(site.content), "--templates",
            str(site.templates), "--out", str(root / "site"), "--port", str(port)]
    load = load_now()
    say(f"    serve: save -> page served, over HTTP on port {port} (load {load[0]:.2f})")
    log = open(root / "serve.log", "wb")
    proc = subprocess.Popen(argv, stdin=subprocess.DEVNULL, stdout=log, stderr=subprocess.STDOUT,
                            cwd=PROJECT, start_new_session=True)
    try:
        up = wait_until(base + inspection_page(inspection), proc, SERVE_START_TIMEOUT)
        result.e2e = {"load": load, "start_s": up}
        if up is None:
            result.e2e["error"] = "the preview did not start: " + last_lines(
                (root / "serve.log").read_text(errors="replace"))
            return
        changes = sorted((root / "site").glob("*/changes/*/index.html"))
        template = site.templates / EDIT_TEMPLATE
        with restored(inspection, template) as originals:
            result.e2e["inspection"] = served_latencies(
                base + inspection_page(inspection), proc, edits,
                lambda i: edit_inspection(inspection, originals[inspection], i))
            if changes:
                page = base + changes[0].parent.relative_to(root / "site").as_posix() + "/"
                result.e2e["template"] = served_latencies(
                    page, proc, edits, lambda i: edit_template(template, originals[template], i + 100))
    finally:
        stop(proc)
        log.close()
        remove(root)


def served_latencies(url: str, proc: subprocess.Popen, edits: int, edit: Callable[[int], str]) -> dict:
    """Seconds from each save to the page holding the edit (first edit a warm-up, not counted)."""
    seconds, failures = [], 0
    for i in range(edits + 1):
        time.sleep(0.3)  # let the watcher settle, so edits are separate saves
        token = edit(i)
        took = wait_until(url, proc, EDIT_TIMEOUT, token)
        if took is None:
            failures += 1
        elif i:
            seconds.append(took)
    return {"seconds": seconds, "failures": failures}


def stop(proc: subprocess.Popen) -> None:
    """Stop a server we started: Ctrl-C first, then harder."""
    if proc.poll() is not None:
        return
    with contextlib.suppress(ProcessLookupError):
        os.killpg(proc.pid, signal.SIGINT)
    try:
        proc.wait(timeout=10)
    except subprocess.TimeoutExpired:
        _kill_group(proc.pid)
        proc.wait()


# --- peers ---------------------------------------------------------------------------------------

def peers_folder(work: Path) -> Path:
    """A writable copy of the shared harness in the work dir (its installs and work/ kept between runs)."""
    folder = work / "peers"
    keep = {".venv", "node_modules", "work"}
    folder.mkdir(parents=True, exist_ok=True)
    for item in require_shared().iterdir():
        if item.name in keep:
            continue
        remove(folder / item.name)
        if item.is_dir():
            shutil.copytree(item, folder / item.name, ignore=shutil.ignore_patterns("__pycache__"))
        else:
            shutil.copy2(item, folder / item.name)
    for path in [folder, *folder.rglob("*")]:
        if not path.is_symlink() and not any(part in keep for part in path.relative_to(folder).parts):
            path.chmod(path.stat().st_mode | 0o200)
    return folder


def prepare_peers(work: Path, sizes: list[str], peers: list[str], timeout: float) -> Path:
    """Run the harness's bench.sh once (installs, corpora, prepared sites, one timed run, Hugo server)."""
    folder = peers_folder(work)
    env = dict(os.environ, RUNS="1", WARMUP="0", PEERS=" ".join(peers), TIMEOUT=str(int(timeout)),
               INCREMENTAL="1" if "hugo" in peers else "0")
    say(f"  peers: bench.sh {' '.join(sizes)} in {folder} (log: bench.log)")
    with open(folder / "bench.log", "wb") as log:
        code = subprocess.run(["bash", "bench.sh", *sizes], cwd=folder, env=env, stdin=subprocess.DEVNULL,
                              stdout=log, stderr=subprocess.STDOUT).returncode
    if code != 0:
        say(f"  ! bench.sh exited {code}: {last_lines((folder / 'bench.log').read_text(errors='replace'))}")
    return folder


def peer_command(folder: Path, peer: str, size: str) -> str | None:
    """The peer's full build as one shell string, or None when bench.sh could not prepare it."""
    site = folder / "work" / size / peer
    if not site.is_dir():
        return None
    result = subprocess.run([str(folder / ".venv" / "bin" / "python"), str(folder / "adapters" / f"adapt_{peer}.py"),
                             "build", "--site", str(site), "--print"], capture_output=True, text=True)
    return result.stdout.strip() if result.returncode == 0 else None


def peer_version(folder: Path, peer: str) -> str:
    """The peer's version, as its adapter reports it."""
    result = subprocess.run([str(folder / ".venv" / "bin" / "python"), str(folder / "adapters" / f"adapt_{peer}.py"),
                             "version"], capture_output=True, text=True)
    return result.stdout.strip() or "?"


def paired_ratios(site: Site, folder: Path, peer: str, runs: int, timeout: float) -> dict:
    """Alternate our cold build, the peer's full build and our warm build; ratios taken pair by pair."""
    command = peer_command(folder, peer, site.name)
    if command is None:
        return {"error": "not prepared by bench.sh (see peers/bench.log)"}
    cold = site.build_argv(NO_SEARCH, "--no-cache")
    warm = site.build_argv(NO_SEARCH, "--cache-dir", str(site.cache))
    load = load_now()
    say(f"    vs {peer}: {runs} alternating triples (load {load[0]:.2f})")
    triples = []
    for i in range(runs + 1):
        set_aside(site)
        ours_cold = run_process(cold, site.log, timeout)
        theirs = run_process(["sh", "-c", command], folder / "peer.log", timeout)
        set_aside(site)
        ours_warm = run_process(warm, site.log, timeout)
        if i and all(s.code == 0 for s in (ours_cold, theirs, ours_warm)):
            triples.append((ours_cold, theirs, ours_warm))
    # Old outputs, ours and the peer's, are deleted after the timed runs (as bench.sh does), not between them.
    for old in (folder / "work" / site.name / peer).glob(".old_out.*"):
        remove(old)
    clear_aside(site)
    out = folder / "work" / site.name / peer / "_out"
    return {"version": peer_version(folder, peer), "load": load, "pairs": len(triples),
            "pages": sum(1 for _ in out.rglob("*.html")) if out.is_dir() else 0,
            "peer_wall": [t[1].wall for t in triples], "peer_rss": [t[1].rss_mib for t in triples],
            "peer_cpu": [t[1].cpu for t in triples],
            "cold_ratio": [t[0].wall / t[1].wall for t in triples],
            "cold_cpu_ratio": [t[0].cpu / t[1].cpu for t in triples if t[1].cpu > 0],
            "warm_ratio": [t[2].wall / t[1].wall for t in triples]}


def hugo_server_figures(folder: Path) -> list[dict]:
    """The Hugo server incremental figures bench.sh recorded, if any."""
    figures = []
    for path in sorted((folder / "work" / "results").glob("hugo-incremental-*.json")):
        data = json.loads(path.read_text())
        data.setdefault("mode", "fast-render" if path.stem.endswith("-fast") else "disableFastRender")
        figures.append(data)
    return figures


# --- reporting -----------------------------------------------------------------------------------

def machine() -> dict[str, str]:
    """Cores, CPU model, Python, and the project's commit."""
    model = "?"
    with contextlib.suppress(OSError):
        match = re.search(r"^model name\s*:\s*(.+)$", Path("/proc/cpuinfo").read_text(), re.M)
        model = match.group(1).strip() if match else model
    head = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=PROJECT, capture_output=True, text=True)
    dirty = subprocess.run(["git", "status", "--porcelain", "generator", "templates"], cwd=PROJECT,
                           capture_output=True, text=True).stdout.splitlines()
    version = subprocess.run([python_for_project(), "--version"], capture_output=True, text=True).stdout.strip()
    return {"cores": str(os.cpu_count()), "cpu": model, "python": version or platform.python_version(),
            "commit": head.stdout.strip() + (f" + {len(dirty)} uncommitted files in generator/ and templates/"
                                             if dirty else ""), "system": platform.platform()}


def ms(values: list[float]) -> str:
    """Median and max of seconds, in milliseconds."""
    if not values:
        return "n/a"
    return f"{statistics.median(values) * 1000:.0f} ms (max {max(values) * 1000:.0f})"


def load_text(load: tuple[float, ...] | list[float] | None) -> str:
    """A load average triple, short."""
    return "/".join(f"{x:.1f}" for x in load) if load else "?"


def size_section(result: SizeResult) -> list[str]:
    """The Markdown for one size: builds, search, preview, serve, peers."""
    title = "real content (a copy of content/)" if result.name == "real" else f"{result.name} synthetic corpus"
    lines = [f"## {title}: {result.pages} pages", "",
             "| case | median wall s (min-max) | cpu s | peak MiB | per 1,000 pages | load 1/5/15 before |",
             "| --- | ---: | ---: | ---: | ---: | ---: |"]
    for row in result.rows:
        walls = [s.wall for s in row.samples]
        flag = "" if row.ok() else " (FAILED runs)"
        per = f"{row.median('wall') / result.pages * 1000:.2f} s" if result.pages and walls else "n/a"
        span = f"{min(walls):.3f}-{max(walls):.3f}" if walls else "-"
        lines.append(f"| {row.label}{flag} | {row.median('wall'):.3f} ({span}) | {row.median('cpu'):.2f} | "
                     f"{row.median('rss_mib'):.0f} | {per} | {load_text(row.load)} |")
    lines += ["", search_line(result.search), ""]
    lines += preview_lines(result.preview, result.e2e)
    lines += peer_lines(result.peers)
    return lines


def search_line(search: dict) -> str:
    """Search indexing on its own line."""
    if not search.get("step"):
        return "Search indexing: n/a (the build reported no search step)."
    return (f"Search indexing ('{search['step']}' step of `build --timings`, cold build with search): "
            f"median {statistics.median(search['seconds']):.3f} s of a {statistics.median(search['totals']):.3f} s "
            f"build (n={len(search['seconds'])}, load {load_text(search['load'])} before).")


def preview_lines(preview: dict, e2e: dict) -> list[str]:
    """The preview figures: in-process update() and saved edit -> served page."""
    lines = ["| preview | figure |", "| --- | ---: |"]
    if preview.get("error"):
        lines.append(f"| in-process Preview | failed: {preview['error']} |")
    elif preview:
        lines += [f"| `Preview.start()` (empty cache), peak RSS of that process | {preview['start_s']:.2f} s, "
                  f"{preview['rss_mib']:.0f} MiB |",
                  f"| `update()` after one inspection edit | {ms(preview['inspection']['seconds'])}, "
                  f"{pages_text(preview['inspection'])} |",
                  f"| `update()` after one template edit ({EDIT_TEMPLATE}) | {ms(preview['template']['seconds'])}, "
                  f"{pages_text(preview['template'])} |"]
    if e2e.get("error"):
        lines.append(f"| `serve` end to end | failed: {e2e['error']} |")
    elif e2e:
        lines += [f"| `serve` started: first build until the page is served | {e2e['start_s']:.2f} s |",
                  f"| `serve`: saved inspection edit -> page served with it (HTTP) | "
                  f"{ms(e2e['inspection']['seconds'])}{fail_text(e2e['inspection'])} |"]
        if "template" in e2e:
            lines.append(f"| `serve`: saved template edit -> a what-changed page served with it | "
                         f"{ms(e2e['template']['seconds'])}{fail_text(e2e['template'])} |")
    loads = [f"in-process {load_text(preview.get('load'))}" if preview else "",
             f"serve {load_text(e2e.get('load'))}" if e2e else ""]
    return lines + ["", f"Load 1/5/15 before: {', '.join(x for x in loads if x)}.", ""]


def pages_text(updates: dict) -> str:
    """How many pages each update rendered."""
    rendered = updates.get("rendered") or [0]
    fails = f", {updates['failures']} failed" if updates.get("failures") else ""
    return f"{statistics.median(rendered):.0f} pages rendered{fails}"


def fail_text(latencies: dict) -> str:
    """A note of edits never seen served."""
    return f", {latencies['failures']} edits never seen" if latencies.get("failures") else ""


def peer_lines(peers: dict) -> list[str]:
    """Paired ratios against the peers (ours/peer wall; below 1.0 means we are faster)."""
    if not peers:
        return []
    lines = ["| peer (version) | peer pages | peer median wall s (cpu s) | peer peak MiB | ours cold / peer | "
             "ours warm / peer | ours cold / peer, cpu | pairs | load before |",
             "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"]
    for peer, data in peers.items():
        if data.get("error") or not data.get("pairs"):
            lines.append(f"| {peer} | {data.get('error', 'no successful pair')} | | | | | | | |")
            continue
        lines.append(f"| {peer} {data['version']} | {data['pages']} | {statistics.median(data['peer_wall']):.3f} "
                     f"({statistics.median(data['peer_cpu']):.2f}) | {statistics.median(data['peer_rss']):.0f} | "
                     f"{ratio_text(data['cold_ratio'])} | {ratio_text(data['warm_ratio'])} | "
                     f"{ratio_text(data['cold_cpu_ratio'])} | {data['pairs']} | {load_text(data['load'])} |")
    return lines + ["", "Ratios: our wall / the peer's wall, taken pair by pair in alternation "
                    "(ours cold, peer, ours warm), median (min-max); below 1.0 we are faster. The cpu ratio "
                    "(user+sys of all processes) is steadier than wall on a busy machine but ignores parallelism "
                    "(Hugo and our renderers use both cores). Our builds here use `--no-search`: the peers index "
                    "nothing.", ""]


def ratio_text(values: list[float]) -> str:
    """Median ratio with its spread."""
    if not values:
        return "n/a"
    return f"{statistics.median(values):.2f} ({min(values):.2f}-{max(values):.2f})"


def scaling_lines(results: list[SizeResult]) -> list[str]:
    """Seconds per 1,000 pages across the synthetic sizes (linear growth keeps them level)."""
    synthetic = [r for r in results if r.name != "real" and r.pages]
    if len(synthetic) < 2:
        return []
    lines = ["## Growth with the corpus", "", "| size | inspections | pages | cold s | cold s per 1,000 pages | "
             "cold cpu s per 1,000 pages | warm-cache s per 1,000 pages | cold peak MiB |",
             "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"]
    for r in synthetic:
        cold, warm = r.rows[0], r.row("full build, warm cache (no output)")
        warm_per = f"{warm.median('wall') / r.pages * 1000:.2f}" if warm else "n/a"
        lines.append(f"| {r.name} | {r.inspections} | {r.pages} | {cold.median('wall'):.2f} | "
                     f"{cold.median('wall') / r.pages * 1000:.2f} | {cold.median('cpu') / r.pages * 1000:.2f} | "
                     f"{warm_per} | {cold.median('rss_mib'):.0f} |")
    return lines + [""]


def hugo_lines(figures: list[dict]) -> list[str]:
    """Hugo's own server rebuild figures, for the preview comparison."""
    if not figures:
        return []
    lines = ["## Hugo server, for comparison with our preview (from the harness's hugo_incremental.py)", "",
             "| size | mode | one content file edited: Hugo ms (wall ms) | page template edited: Hugo ms (wall ms) |",
             "| --- | --- | ---: | ---: |"]
    for f in figures:
        lines.append(f"| {f.get('size')} | {f.get('mode', '?')} | {f.get('content_edit_ms_hugo_median')} "
                     f"({f.get('content_edit_ms_wall_median')}) | {f.get('template_edit_ms_hugo_median')} "
                     f"({f.get('template_edit_ms_wall_median')}) |")
    return lines + [""]


def report_text(results: list[SizeResult], info: dict[str, str], command: str, started: dt.datetime,
                hugo: list[dict]) -> str:
    """The whole report, in Markdown."""
    lines = ["# Benchmark results", "",
             f"Command: `{command}`  ",
             f"Date: {started:%Y-%m-%d %H:%M} (local), took {(dt.datetime.now() - started).seconds / 60:.0f} min  ",
             f"Machine: {info['cores']} cores, {info['cpu']}, {info['python']}, {info['system']}  ",
             f"Generator: commit {info['commit']}", "",
             "Whole-process figures (wall: monotonic clock from start to reap; cpu and peak RSS: the kernel's "
             "rusage from os.wait4, which covers forked renderers and Pagefind), median of the runs after one "
             "warm-up. Builds are `--no-search` unless stated (the peers index nothing); search is on its own line. "
             "**This VM is shared and its speed drifts: figures are noisy (see the load averages, 2 cores), only "
             "ratios taken in one run are comparable.**", ""]
    for result in results:
        lines += size_section(result)
    lines += scaling_lines(results) + hugo_lines(hugo)
    lines += ["## Other benchmarks", "",
              "`python benchmarks/import_bench.py [FOLDER]` times the PDF importer (pages per second and peak "
              "memory over ../shared/reports); not part of this run.", ""]
    return "\n".join(lines)


# --- the run -------------------------------------------------------------------------------------

def run_size(name: str, args: argparse.Namespace, peer_folder: Path | None) -> SizeResult:
    """Prepare and measure one size, then remove its outputs unless --keep."""
    say(f"== {name}")
    site = prepare_site(name, args.work)
    result = SizeResult(name, inspections=sum(1 for _ in (site.content / "councils").glob("*/*.md")))
    try:
        measure_builds(site, args.runs, args.timeout, result)
        measure_preview(site, args.edits, args.timeout, result)
        measure_e2e(site, args.edits, result)
        if peer_folder is not None and name != "real":
            for peer in args.peer_list:
                result.peers[peer] = paired_ratios(site, peer_folder, peer, args.peer_runs or args.runs, args.timeout)
    finally:
        if not args.keep:
            remove(site.root)
            remove(args.work / f"corpus-{name}")
    return result


def peer_sizes(args: argparse.Namespace) -> list[str]:
    """The synthetic sizes the peers are run at (not the big ones unless asked)."""
    sizes = []
    for name in args.size_list:
        size = parse_size(name)
        if size is None:
            continue
        if size[0] * size[1] > PEER_MAX_INSPECTIONS and not args.peers_at_any_size:
            say(f"  peers skipped at {name}: above {PEER_MAX_INSPECTIONS} inspections (--peers-at-any-size)")
            continue
        sizes.append(name)
    return sizes


def parse_args(argv: list[str]) -> argparse.Namespace:
    """The command line."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", default=DEFAULT_SIZES, help=f"comma-separated COUNCILSxPER_COUNCIL or real "
                    f"(default {DEFAULT_SIZES}; 1530x10 only when named)")
    ap.add_argument("--runs", type=int, default=5, help="timed runs per case, after one warm-up (default 5)")
    ap.add_argument("--peer-runs", type=int, default=0, help="alternating triples per peer (default: --runs)")
    ap.add_argument("--edits", type=int, default=5, help="edits timed in the preview, after one warm-up")
    ap.add_argument("--peers", default=DEFAULT_PEERS, help=f"comma-separated (default {DEFAULT_PEERS})")
    ap.add_argument("--skip-peers", action="store_true", help="measure only our generator")
    ap.add_argument("--peers-at-any-size", action="store_true",
                    help=f"also run peers above {PEER_MAX_INSPECTIONS} inspections (very long)")
    ap.add_argument("--work", type=Path, default=DEFAULT_WORK, help="where everything is written")
    ap.add_argument("--timeout", type=float, default=1800, help="seconds allowed to any one process")
    ap.add_argument("--write", action="store_true", help=f"also write the report to {RESULTS_FILE.relative_to(PROJECT)}")
    ap.add_argument("--keep", action="store_true", help="keep each size's sites and corpus afterwards")
    ap.add_argument("--clean", action="store_true", help="remove the work dir (peer installs too) and stop")
    args = ap.parse_args(argv)
    args.size_list = [s.strip() for s in args.sizes.split(",") if s.strip()]
    args.peer_list = [p.strip() for p in args.peers.split(",") if p.strip()]
    try:
        for name in args.size_list:
            parse_size(name)
    except ValueError as err:
        ap.error(str(err))
    args.work = args.work.absolute()
    return args


def main(argv: list[str]) -> int:
    """Run the benchmark and print (and with --write, save) the report."""
    if argv[:1] == ["_preview"]:
        return preview_main(argv[1:])
    args = parse_args(argv)
    if args.clean:
        remove(args.work)
        say(f"removed {args.work}")
        return 0
    started = dt.datetime.now()
    info = machine()  # the commit as the run starts (others may commit during it)
    command = shlex.join(["python", "benchmarks/bench.py", *argv])
    if any(parse_size(s) for s in args.size_list):
        require_shared()
    args.work.mkdir(parents=True, exist_ok=True)
    folder = None
    with_peers = [] if args.skip_peers else peer_sizes(args)
    if with_peers:
        folder = prepare_peers(args.work, with_peers, args.peer_list, args.timeout)
    results = []
    for name in args.size_list:
        use_peers = folder if folder is not None and name in with_peers else None
        results.append(run_size(name, args, use_peers))
        say("\n".join(size_section(results[-1])))
    hugo = hugo_server_figures(folder) if folder else []
    text = report_text(results, info, command, started, hugo)
    print(text)
    if args.write:
        RESULTS_FILE.write_text(text, encoding="utf-8")
        say(f"wrote {RESULTS_FILE}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
