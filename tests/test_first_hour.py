"""What a new curator meets first: the README, the docs, --help and the install say what is true."""
from __future__ import annotations

import argparse
import re
import subprocess
import sys
from pathlib import Path

import pytest

from support import ROOT, run_cli
from generator.cli import make_parser, program_name


def subcommands() -> dict[str, argparse.ArgumentParser]:
    """Each command's own parser."""
    action = next(a for a in make_parser()._actions if isinstance(a, argparse._SubParsersAction))
    return dict(action.choices)


def readme_synopsis() -> dict[str, str]:
    """The README's synopsis of each command, its continuation lines joined."""
    block = re.search(r"```\n(python -m generator build.*?)```", (ROOT / "README.md").read_text(), re.S)[1]
    out: dict[str, str] = {}
    command = ""
    for line in block.splitlines():
        match = re.match(r"python -m generator (\S+)", line)
        command = match[1] if match else command
        out[command] = out.get(command, "") + " " + line
    return out


def test_the_readme_synopsis_lists_every_option_of_every_command() -> None:
    synopsis = readme_synopsis()
    for name, parser in subcommands().items():
        options = {o for a in parser._actions for o in a.option_strings if o.startswith("--") and o != "--help"}
        assert name in synopsis, f"the README has no synopsis for {name}"
        listed = set(re.findall(r"\[(--[a-z-]+)", synopsis[name]))
        assert listed == options, f"{name}: README lists {sorted(listed)}, the command has {sorted(options)}"


def test_help_names_the_command_the_curator_typed() -> None:
    assert program_name("/home/me/site/.venv/bin/inspections") == "inspections"
    assert program_name("C:/site/Scripts/inspections.exe") == "inspections"
    assert program_name(str(ROOT / "generator" / "__main__.py")) == "python -m generator"
    script = Path(sys.executable).with_name("inspections")
    if script.exists():
        shown = subprocess.run([str(script), "--help"], capture_output=True, text=True, timeout=60).stdout
        assert shown.startswith("usage: inspections ")
    assert run_cli("--help").stdout.startswith("usage: python -m generator ")


@pytest.mark.parametrize("council", ["../../..", "York<script>", "york/../../x", "", "York"])
def test_import_pdf_refuses_a_council_that_is_not_a_folder_name(council: str, tmp_path: Path) -> None:
    pdf = tmp_path / "report.pdf"
    pdf.write_bytes(b"%PDF-1.4\n%%EOF\n")
    result = run_cli("import-pdf", str(pdf), "--council", council, "--content", str(ROOT / "content"), cwd=tmp_path)
    assert result.returncode == 2
    assert "is not a council folder name: use small letters, digits and dashes only" in result.stderr
    assert "Traceback" not in result.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["report.pdf"]


def test_the_library_refuses_such_a_council_too() -> None:
    from generator.importer.errors import ImportProblem
    from generator.importer.extract import council_folder_checked

    council_folder_checked("east-riding-of-yorkshire")
    with pytest.raises(ImportProblem, match="not a council folder name"):
        council_folder_checked("../../etc")


def test_the_readme_says_which_tests_the_test_command_skips_and_how_to_run_them() -> None:
    import tomllib

    addopts = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["pytest"]["ini_options"]["addopts"]
    readme = (ROOT / "README.md").read_text()
    if '-m "not slow"' in addopts:
        assert "skips the slow tests" in readme and "bash scripts/test -m slow" in readme


TABLE_START = "<!-- The table below is made from content/frameworks.yaml: UPDATE_DOCS=1 bash scripts/test tests/test_first_hour.py -->"
TABLE_END = "<!-- end of the table made from frameworks.yaml -->"


def framework_table(frameworks_yaml: Path) -> str:
    """Each framework's dates, kinds and areas (with their themes), as Markdown for docs/CONTENT.md."""
    import yaml

    data = yaml.safe_load(frameworks_yaml.read_text(encoding="utf-8"))

    def day(value) -> str:
        return f"{value.day} {value:%B %Y}"

    lines = [TABLE_START, ""]
    for fid, framework in data["frameworks"].items():
        start, until = framework.get("from"), framework.get("until")
        used = (f"from {day(start)}" if start else "") + (f" until {day(until)}" if until else "")
        lines += [f"### `framework: {fid}`: {framework['short']}", ""]
        if used:
            lines += [f"Inspections that started {used.strip()}.", ""]
        lines += ["Kinds: " + ", ".join(f"`{kind}`" for kind in framework.get("kinds", [])) + ".", ""]
        areas = framework.get("areas") or []
        if areas:
            lines += ["| `area:` (as the report words it) | `theme:` |", "| --- | --- |"]
            lines += [f"| {a['area']} | `{a['theme']}` |" for a in areas]
        else:
            lines += ["No grades: `judgements: []`."]
        lines.append("")
    return "\n".join(lines + [TABLE_END])


def test_the_docs_list_each_frameworks_dates_kinds_and_areas() -> None:
    import os

    docs = ROOT / "docs" / "CONTENT.md"
    text = docs.read_text(encoding="utf-8")
    table = framework_table(ROOT / "content" / "frameworks.yaml")
    start, end = text.find(TABLE_START), text.find(TABLE_END)
    assert 0 <= start < end, "docs/CONTENT.md has no table of frameworks"
    current = text[start:end + len(TABLE_END)]
    if os.environ.get("UPDATE_DOCS") and current != table:
        docs.write_text(text.replace(current, table), encoding="utf-8")
        current = table
    assert current == table, "docs/CONTENT.md's table of frameworks differs from content/frameworks.yaml: run UPDATE_DOCS=1"


def test_pip_install_has_no_licence_deprecation_warning() -> None:
    """setuptools 77+ warns (three times) about a licence table; the SPDX string needs setuptools 77+."""
    import tomllib

    pyproject = tomllib.loads((ROOT / "pyproject.toml").read_text())
    assert isinstance(pyproject["project"]["license"], str)
    needs = [r for r in pyproject["build-system"]["requires"] if r.startswith("setuptools")]
    assert needs and int(re.search(r">=\s*(\d+)", needs[0])[1]) >= 77
