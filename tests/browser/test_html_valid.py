"""Every page of a build of the real content and of the fixture site is valid HTML (html-validate from npm)."""
from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest

from browser_support import HERE, NODE_MODULES
from support import FIXTURES, ROOT
from generator.build import BuildConfig, build
from generator.urls import parse_base_url

CONFIG = HERE / ".htmlvalidate.cjs"


def html_validate(site: Path) -> list[str]:
    """html-validate's errors for every .html file under a built site, as 'file:line:col rule: message'."""
    tool = NODE_MODULES / ".bin" / "html-validate"
    if not tool.exists() or not shutil.which("node"):
        pytest.skip(f"{tool} (or node) is missing: run `bash scripts/test` (it runs npm ci in tests/browser)")
    files = sorted(str(p) for p in site.rglob("*.html"))
    assert files, f"no pages in {site}"
    result = subprocess.run([str(tool), "--config", str(CONFIG), "--formatter", "json", *files],
                            capture_output=True, text=True, timeout=300)
    assert result.stdout.strip(), result.stderr
    return [f"{Path(f['filePath']).relative_to(site)}:{m['line']}:{m['column']} {m['ruleId']}: {m['message']}"
            for f in json.loads(result.stdout) for m in f["messages"]]


def test_the_real_site_is_valid_html(built_site: Path) -> None:
    errors = html_validate(built_site)
    assert not errors, "\n".join(errors)


def test_the_fixture_site_is_valid_html(tmp_path: Path) -> None:
    out = tmp_path / "site"
    build(BuildConfig(FIXTURES / "site", ROOT / "templates", out, parse_base_url("/")))
    errors = html_validate(out)
    assert not errors, "\n".join(errors)


def test_the_validator_finds_errors(tmp_path: Path) -> None:
    """html-validate really checks: a page with a broken nesting and a duplicate id fails."""
    (tmp_path / "bad.html").write_text('<!DOCTYPE html><html lang="en"><head><title>x</title></head>'
                                       '<body><p id="a"><div id="a">x</div></p></body></html>', encoding="utf-8")
    errors = html_validate(tmp_path)
    assert any("no-dup-id" in e for e in errors) and len(errors) >= 2, errors
