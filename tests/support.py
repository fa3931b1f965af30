"""Test helpers shared by the test modules: the project's folders, running the CLI, digests of a tree."""
from __future__ import annotations

import hashlib
import shutil
import signal
import subprocess
import sys
import threading
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = ROOT / "tests" / "fixtures"
SHARED = ROOT.parent / "shared"


def tree_digest(folder: Path) -> dict[str, str]:
    """Every file under a folder with the SHA-256 of its bytes."""
    return {p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def run_cli(*args: str, cwd: Path | None = None, timeout: int = 120) -> subprocess.CompletedProcess:
    """Run `python -m generator ARGS` as a curator would, capturing its output."""
    return subprocess.run([sys.executable, "-m", "generator", *args], cwd=cwd or ROOT, capture_output=True,
                          text=True, timeout=timeout)


class Serving:
    """`python -m generator serve ARGS` as a process, its output read as it comes (so it never blocks)."""

    def __init__(self, *args: str, cwd: Path, env: dict[str, str] | None = None, **popen: Any) -> None:
        self.proc = subprocess.Popen([sys.executable, "-m", "generator", "serve", *args], cwd=cwd, env=env,
                                     stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, **popen)
        self.lines: list[str] = []
        self.address = ""  # where it is served, once it says
        self.serving = threading.Event()  # set once it says "Preview at" (it listens from then), or ends
        self.reader = threading.Thread(target=self._read, daemon=True)
        self.reader.start()

    def _read(self) -> None:
        """Keep every line of output; note when the preview is served."""
        for line in self.proc.stdout:  # type: ignore[union-attr]
            self.lines.append(line)
            if line.startswith("Preview at "):
                self.address = line.split()[2]
                self.serving.set()
        self.serving.set()

    @property
    def output(self) -> str:
        """Everything it printed so far."""
        return "".join(self.lines)

    def wait_until_serving(self, timeout: float = 120) -> str:
        """Wait until the preview is served (its first build done); its address (use --port 0: no race for a port)."""
        assert self.serving.wait(timeout) and self.proc.poll() is None, f"the preview did not start:\n{self.output}"
        return self.address

    def stop(self, signum: int = signal.SIGINT, timeout: float = 30) -> str:
        """Stop it with a signal (Ctrl-C by default) and return all it printed; fail if it does not stop."""
        if self.proc.poll() is None:
            self.proc.send_signal(signum)
        try:
            self.proc.wait(timeout)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
            raise AssertionError(f"serve did not stop on signal {signum} within {timeout} s:\n{self.output}")
        self.reader.join(10)
        return self.output
