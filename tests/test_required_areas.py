"""Every area a framework grades is in each published report's judgements, or marked not graded (issue 17)."""
from __future__ import annotations

import csv
from pathlib import Path

import pytest
import yaml

from support import FIXTURES, ROOT, run_cli
from generator.frameworks import load_vocabulary
from generator.problems import Problems

EXPECTED = ROOT / "tests" / "importer" / "expected_reports.yaml"


def vocabulary():
    """The real frameworks.yaml, checked."""
    problems = Problems()
    vocab = load_vocabulary(ROOT / "content" / "frameworks.yaml", problems)
    assert vocab is not None and not problems, problems.items
    return vocab


def test_no_real_report_is_refused_for_a_missing_area() -> None:
    """The grades read from the real PDFs (expected_reports.yaml) give every area frameworks.yaml requires."""
    vocab = vocabulary()
    reports = [r for r in yaml.safe_load(EXPECTED.read_text())["reports"] if vocab.kinds[r["kind"]].graded]
    assert {r["kind"] for r in reports} >= {"slac", "looked-after-children", "sif", "sif-reinspection", "ilacs-standard", "ilacs-short"}
    for report in reports:
        given = {theme for theme, _, _ in report["judgements"]}
        required = set(vocab.frameworks[report["framework"]].required_themes(report["kind"]))
        assert required <= given, (report["file"], required - given)


def test_every_graded_kind_of_every_framework_says_what_it_requires() -> None:
    vocab = vocabulary()
    for framework in vocab.frameworks.values():
        for kind in framework.kinds:
            if vocab.kinds[kind].graded:
                assert kind in dict(framework.required), f"{framework.id}: {kind}"
                assert set(framework.required_themes(kind)) <= set(framework.themes)


def ilacs_2023(content: Path) -> Path:
    """The fixture's 2023 ILACS file."""
    return content / "councils" / "northdale" / "2023-06-ilacs-standard.md"


def build(tmp: Path):
    """Build tmp/content."""
    return run_cli("build", "--content", "content", "--templates", str(ROOT / "templates"), "--out", "site", "--no-search", cwd=tmp)


def test_an_area_marked_not_graded_builds_and_no_grade_is_shown_for_it(fixture_site: Path) -> None:
    page = ilacs_2023(fixture_site)
    page.write_text(page.read_text().replace("    theme: care-leavers\n    grade: requires-improvement\n",
                                             "    theme: care-leavers\n    grade: not-graded\n"))
    result = build(fixture_site.parent)
    assert result.returncode == 0, result.stderr
    with open(fixture_site.parent / "site" / "data" / "judgements.csv", encoding="utf-8", newline="") as stream:
        rows = [row for row in csv.DictReader(stream) if row["start"] == "2023-06-05"]
    assert [row["theme"] for row in rows] == ["leadership", "help-and-protection", "in-care", "overall"]
    html = (fixture_site.parent / "site" / "northdale" / "2023-06-ilacs-standard" / "index.html").read_text()
    assert "not-graded" not in html and "The experiences and progress of care leavers" not in html


def test_a_draft_may_lack_an_area(fixture_site: Path) -> None:
    page = ilacs_2023(fixture_site)
    text = page.read_text().replace("  - area: The experiences and progress of care leavers\n    theme: care-leavers\n"
                                    "    grade: requires-improvement\n", "")
    page.write_text(text.replace("\nreport: ", "\ndraft: true\nreport: ", 1))
    for story in (fixture_site / "councils" / "northdale" / "changes").glob("*--2023-06-ilacs-standard.md"):
        story.unlink()  # a story about a draft cannot be published either
    result = build(fixture_site.parent)
    assert result.returncode == 0, result.stderr


@pytest.mark.parametrize("required, message", [
    ("      ilacs-standard: [leadership, care-leaver]\n", '"required: ilacs-standard" names "care-leaver", which is not a theme'),
    ("      jtai: [leadership]\n", 'lists required areas for "jtai", which is not one of its kinds'),
])
def test_a_wrong_required_list_in_frameworks_yaml_is_named(required: str, message: str, fixture_site: Path) -> None:
    path = fixture_site / "frameworks.yaml"
    text = path.read_text()
    marker = "  ilacs-2023:\n"
    head, tail = text.split(marker, 1)
    path.write_text(head + marker + "    required:\n" + required + tail)
    result = build(fixture_site.parent)
    assert result.returncode == 1
    assert "content/frameworks.yaml:" in result.stderr and message in result.stderr
