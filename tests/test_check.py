"""`check`: readability per inspection page, with the targets, and a non-zero exit when a page misses one."""
from __future__ import annotations

import re

import shutil
from pathlib import Path

from support import FIXTURES, ROOT, run_cli

HARD = ("Notwithstanding considerable organisational reconfiguration, the local authority's multi-agency "
        "safeguarding arrangements demonstrated insufficiently consistent operationalisation of "
        "evidence-informed practice methodologies, necessitating comprehensive strategic reprioritisation.")


def test_check_reports_every_inspection_page_of_the_real_content() -> None:
    result = run_cli("check", "--content", str(ROOT / "content"))
    assert result.returncode == 0, result.stdout + result.stderr
    for name in ("york/2022-03-ilacs-standard.md", "north-yorkshire/2023-07-ilacs-short.md", "peterborough/2015-04-sif.md"):
        assert name in result.stdout
    assert "Flesch reading ease" in result.stdout and "below target" in result.stdout
    assert "barnet/2019-05-ilacs-standard.md" not in result.stdout, "a facts page has none of our words to score"
    assert re.search(r"\n\d+ facts pages have no summary of our own words yet", result.stdout)


def test_check_fails_a_page_written_in_jargon(tmp_path: Path) -> None:
    content = tmp_path / "content"
    shutil.copytree(FIXTURES / "site", content)
    page = content / "councils" / "southvale" / "2019-02-ilacs-short.md"
    page.write_text(page.read_text().replace("Services are very good.", HARD))
    result = run_cli("check", "--content", str(content), cwd=tmp_path)
    assert result.returncode == 1
    line = next(l for l in result.stdout.splitlines() if "2019-02-ilacs-short.md" in l)
    assert "below" in line


def test_check_scores_our_own_words_not_the_reports_quoted_words() -> None:
    from generator.check import own_words

    quoted = f'Inspectors said: "{HARD}" [para 3].\n> {HARD}\nThings got better.'
    assert "Notwithstanding" not in own_words(quoted) and "Things got better." in own_words(quoted)


def test_check_lists_the_latest_inspections_still_without_plain_words() -> None:
    result = run_cli("check", "--content", str(FIXTURES / "site"))
    listed = result.stdout.partition("have no plain words yet:")[2]
    assert "eastmere/2026-05-ilacs-standard.md" in listed, "eastmere's latest full inspection is a facts page"
    assert "northdale/2023-06-ilacs-standard.md" not in listed, "northdale's latest is written"
    assert "stories are due" not in result.stdout, "northdale's grades moved and its story is there"


def test_check_says_which_story_is_due_when_grades_moved_and_none_is_written(tmp_path: Path) -> None:
    content = tmp_path / "content"
    shutil.copytree(FIXTURES / "site", content)
    story = "2019-05-ilacs-standard--2023-06-ilacs-standard.md"
    (content / "councils" / "northdale" / "changes" / story).unlink()
    result = run_cli("check", "--content", str(content), cwd=tmp_path)
    due = result.stdout.partition("stories are due")[2]
    assert f"content/councils/northdale/changes/{story}" in due



def test_check_scores_each_story_against_the_main_target(tmp_path: Path) -> None:
    content = tmp_path / "content"
    shutil.copytree(FIXTURES / "site", content)
    story = content / "councils" / "northdale" / "changes" / "2019-05-ilacs-standard--2023-06-ilacs-standard.md"
    before = run_cli("check", "--content", str(content), cwd=tmp_path)
    line = next(l for l in before.stdout.splitlines() if story.name in l)
    assert line.endswith("ok")
    story.write_text(story.read_text().replace("By 2023 it was better.", HARD))
    after = run_cli("check", "--content", str(content), cwd=tmp_path)
    line = next(l for l in after.stdout.splitlines() if story.name in l)
    assert "below 60" in line and re.search(r"\d+ pages and 1 stories checked", after.stdout)


def test_every_written_latest_inspection_whose_grades_moved_has_its_story() -> None:
    from generator.load import load_site
    from generator.todo import stories_due

    site, problems = load_site(ROOT / "content")
    assert site is not None, problems
    assert [c.council + "/" + c.slug for c in stories_due(site)] == []


def test_every_councils_latest_full_inspection_has_plain_words() -> None:
    from generator.load import load_site
    from generator.todo import unwritten

    site, problems = load_site(ROOT / "content")
    assert site is not None, problems
    assert [page.file for page in unwritten(site)] == []
