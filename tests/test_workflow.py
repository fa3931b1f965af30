"""The GitHub Pages workflow: actionlint passes, and it does what the README says it does."""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from support import ROOT

WORKFLOW = ROOT / ".github" / "workflows" / "pages.yml"


def actionlint() -> str:
    """The actionlint binary installed with the dev extra (beside this Python), or one on PATH."""
    beside = Path(sys.executable).parent / "actionlint"
    found = str(beside) if beside.is_file() else shutil.which("actionlint")
    if not found:
        pytest.fail("actionlint is missing: run `bash scripts/test` (the dev extra installs it)")
    return found


def test_the_workflow_passes_actionlint() -> None:
    env = {**os.environ, "NO_COLOR": "1"}
    result = subprocess.run([actionlint(), "-no-color", str(WORKFLOW)], capture_output=True, text=True, env=env, timeout=60)
    assert result.returncode == 0, result.stdout + result.stderr


def test_actionlint_does_catch_a_broken_workflow(tmp_path: Path) -> None:
    broken = tmp_path / ".github" / "workflows" / "broken.yml"
    broken.parent.mkdir(parents=True)
    text = WORKFLOW.read_text(encoding="utf-8").replace("steps.pages.outputs.base_url", "steps.nothing.outputs.base_url")
    broken.write_text(text, encoding="utf-8")
    result = subprocess.run([actionlint(), "-no-color", str(broken)], capture_output=True, text=True, timeout=60)
    assert result.returncode == 1 and "nothing" in result.stdout


def steps(job: dict) -> list[dict]:
    """A job's steps."""
    return job["steps"]


def test_the_workflow_tests_builds_for_the_pages_address_and_deploys() -> None:
    flow = yaml.safe_load(WORKFLOW.read_text(encoding="utf-8"))
    assert flow["permissions"] == {"contents": "read", "pages": "write", "id-token": "write"}
    assert flow["concurrency"]["group"] and flow["concurrency"]["cancel-in-progress"] is False
    build, deploy = flow["jobs"]["build"], flow["jobs"]["deploy"]
    uses = [s.get("uses", "").split("@")[0] for s in steps(build)]
    assert uses[:3] == ["actions/checkout", "actions/setup-python", "actions/configure-pages"]
    assert uses[-1] == "actions/upload-pages-artifact" and steps(build)[-1]["with"]["path"] == "site"
    runs = [s.get("run", "") for s in steps(build)]
    assert runs.index("bash scripts/test -q") < next(i for i, r in enumerate(runs) if "generator build" in r)
    build_step = next(s for s in steps(build) if "generator build" in s.get("run", ""))
    assert "--out site" in build_step["run"] and build_step["env"]["BASE_URL"] == "${{ steps.pages.outputs.base_url }}"
    cache = next(s for s in steps(build) if s.get("uses", "").startswith("actions/cache@"))
    assert steps(build).index(cache) < steps(build).index(build_step), "the cache is restored before the build"
    assert cache["with"]["path"] == ".cache", "the build keeps its cache in .cache/ beside --out site"
    assert cache["with"]["key"].startswith(cache["with"]["restore-keys"]), "an older cache is restored: a warm build"
    assert deploy["needs"] == "build" and deploy["environment"]["name"] == "github-pages"
    assert [s["uses"].split("@")[0] for s in steps(deploy)] == ["actions/deploy-pages"]


@pytest.mark.parametrize("pages_base_url, canonical", [
    ("https://owner.github.io/repo", '<link rel="canonical" href="https://owner.github.io/repo/york/">'),
    ("https://example.org", '<link rel="canonical" href="https://example.org/york/">'),
])
def test_the_build_step_builds_for_the_address_configure_pages_gives(tmp_path: Path, pages_base_url: str,
                                                                       canonical: str) -> None:
    """Run the workflow's own build command, as the runner would, in a copy of the project's layout."""
    flow = yaml.safe_load(WORKFLOW.read_text(encoding="utf-8"))
    step = next(s for s in flow["jobs"]["build"]["steps"] if "generator build" in s.get("run", ""))
    for name in ("content", "templates"):
        (tmp_path / name).symlink_to(ROOT / name)
    (tmp_path / ".venv" / "bin").mkdir(parents=True)
    python = tmp_path / ".venv" / "bin" / "python"
    python.write_text(f'#!/bin/sh\nexec "{sys.executable}" "$@"\n', encoding="utf-8")
    python.chmod(0o755)
    env = {**os.environ, "BASE_URL": pages_base_url}
    result = subprocess.run(["bash", "-e", "-c", step["run"]], cwd=tmp_path, env=env, capture_output=True, text=True,
                            timeout=300)
    assert result.returncode == 0, result.stderr
    assert canonical in (tmp_path / "site" / "york" / "index.html").read_text(encoding="utf-8")
