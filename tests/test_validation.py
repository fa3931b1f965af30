"""Validation: one fixture per kind of bad input, each asserting the exact message and that nothing changed."""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from support import FIXTURES, run_cli, tree_digest

BAD = FIXTURES / "bad"
CASES = sorted(p.name for p in BAD.iterdir() if p.is_dir())


def overlay(case: Path, content: Path) -> None:
    """Copy a bad case's files over a good content folder."""
    for path in case.rglob("*"):
        if path.is_file() and path.name != "expected.txt":
            target = content / path.relative_to(case)
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(path, target)


def build_in(tmp: Path, *extra: str):
    """Build tmp/content into tmp/site, run from tmp so paths read content/..."""
    return run_cli("build", "--content", "content", "--templates", str(FIXTURES.parents[1] / "templates"), "--out", "site", *extra, cwd=tmp)


def test_there_is_a_fixture_for_each_kind_of_bad_input():
    """The kinds the foundation issue names are all covered."""
    needed = {"yaml-syntax", "tab-indent", "duplicate-key", "wrong-type", "unknown-key", "missing-field", "impossible-date",
              "end-before-start", "published-before-inspection", "unknown-grade", "unknown-theme", "unknown-council",
              "duplicate-inspection", "broken-source-reference", "broken-glossary-reference", "empty-file", "invalid-utf8",
              "yaml-object-tag", "bad-slug"}
    assert needed <= set(CASES)


@pytest.mark.parametrize("case", CASES)
def test_bad_input_is_reported_exactly_and_the_previous_site_stays(case: str, fixture_site: Path) -> None:
    tmp = fixture_site.parent
    good = build_in(tmp)
    assert good.returncode == 0, good.stderr
    before = tree_digest(tmp / "site")
    overlay(BAD / case, fixture_site)
    result = build_in(tmp)
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    expected = (BAD / case / "expected.txt").read_text()
    assert result.stderr == expected
    assert tree_digest(tmp / "site") == before
    assert not [p for p in tmp.iterdir() if p.name.startswith(".site.")], "no temporary folder is left behind"


def test_every_problem_in_every_file_is_reported_at_once(fixture_site: Path) -> None:
    for case in ("unknown-grade", "duplicate-source-id", "invalid-utf8", "tab-indent"):
        overlay(BAD / case, fixture_site)
    result = build_in(fixture_site.parent)
    assert result.returncode == 1
    assert "4 problems found" in result.stderr
    for needle in ("inadequat", "already used in", "not UTF-8", "tab character"):
        assert needle in result.stderr


def test_a_huge_file_is_refused_without_reading_it(fixture_site: Path) -> None:
    big = fixture_site / "councils" / "northdale" / "2024-01-ilacs-standard.md"
    big.write_bytes(b"---\nkind: x\n---\n" + b"a" * (20 * 1024 * 1024))
    result = build_in(fixture_site.parent)
    assert result.returncode == 1
    assert "content/councils/northdale/2024-01-ilacs-standard.md:1: the file is too large (20 MB" in result.stderr


def test_bom_and_windows_line_endings_build_the_same_site(fixture_site: Path, tmp_path: Path) -> None:
    assert build_in(tmp_path).returncode == 0
    plain = tree_digest(tmp_path / "site")
    for path in fixture_site.rglob("*"):
        if path.suffix in (".md", ".yaml"):
            path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes().replace(b"\n", b"\r\n"))
    result = build_in(tmp_path)
    assert result.returncode == 0, result.stderr
    assert tree_digest(tmp_path / "site") == plain


def test_a_missing_content_folder_is_a_message_not_a_traceback(tmp_path: Path) -> None:
    result = run_cli("build", "--content", "nowhere", "--out", "site", cwd=tmp_path)
    assert result.returncode == 1
    assert 'nowhere: the content folder "nowhere" does not exist.' in result.stderr
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize("char, file", [("\x00", "glossary.yaml"), ("\x07", "pages/about.md"), ("\x1b", "site.yaml"),
                                        ("\x7f", "councils/northdale/council.yaml"), ("\x85", "frameworks.yaml"),
                                        ("\ufffe", "councils/northdale/2023-06-ilacs-standard.md"), ("\uffff", "sources.yaml"),
                                        ("\ufdd0", "councils/northdale/2021-01-action-plan.yaml"), ("\U0010ffff", "pages/about.md")])
def test_a_control_character_or_non_character_anywhere_is_a_named_error(char: str, file: str, fixture_site: Path) -> None:
    path = fixture_site / file
    lines = path.read_text(encoding="utf-8").split("\n")
    lines[1] = lines[1] + char + " after"
    path.write_text("\n".join(lines), encoding="utf-8")
    result = build_in(fixture_site.parent)
    assert result.returncode == 1
    assert f"content/{file}:2: this line holds " in result.stderr and f"(U+{ord(char):04X})" in result.stderr
    assert not (fixture_site.parent / "site").exists()


@pytest.mark.parametrize("link, target", [("pages/secret.md", "outside.md"), ("councils/elsewhere", "outside-council"),
                                          ("councils/northdale/2024-01-ilacs-standard.md", "outside.md"),
                                          ("site.yaml", "outside.yaml")])
def test_a_link_in_the_content_is_never_followed(link: str, target: str, fixture_site: Path) -> None:
    tmp = fixture_site.parent
    assert build_in(tmp).returncode == 0
    before = tree_digest(tmp / "site")
    (tmp / "outside.md").write_text("# Secret\n\nNot for the site.\n")
    (tmp / "outside.yaml").write_text((fixture_site / "site.yaml").read_text())
    shutil.copytree(fixture_site / "councils" / "southvale", tmp / "outside-council")
    path = fixture_site / link
    if path.exists():
        path.unlink()
    path.symlink_to(tmp / target)
    result = build_in(tmp)
    assert result.returncode == 1
    assert result.stderr.startswith(f'content/{link}: this is a link to "{tmp / target}"; the build never follows links')
    assert tree_digest(tmp / "site") == before


def test_a_linked_template_asset_is_never_published(fixture_site: Path) -> None:
    tmp = fixture_site.parent
    templates = tmp / "templates"
    shutil.copytree(FIXTURES.parents[1] / "templates", templates)
    (tmp / "outside.txt").write_text("secret")
    (templates / "assets" / "secret.txt").symlink_to(tmp / "outside.txt")
    result = run_cli("build", "--content", "content", "--templates", "templates", "--out", "site", cwd=tmp)
    assert result.returncode == 1
    assert result.stderr.startswith(f'templates/assets/secret.txt: this is a link to "{tmp / "outside.txt"}"')
    assert not (tmp / "site").exists()


@pytest.mark.parametrize("how", ["missing", "empty"])
def test_a_content_folder_without_councils_is_refused(how: str, fixture_site: Path) -> None:
    tmp = fixture_site.parent
    assert build_in(tmp).returncode == 0
    before = tree_digest(tmp / "site")
    shutil.rmtree(fixture_site / "councils")
    if how == "empty":
        (fixture_site / "councils").mkdir()
    result = build_in(tmp)
    assert result.returncode == 1
    assert result.stderr.startswith("content/councils: the councils folder ")
    assert tree_digest(tmp / "site") == before


def test_every_top_level_name_the_site_uses_is_refused_for_a_council() -> None:
    """The reserved names come from the site's own layout, so a new site-wide page is reserved at once."""
    from generator.layout import site_names
    from generator.load import load_site
    from generator.urls import Links

    site, problems = load_site(FIXTURES / "site")
    assert site is not None, problems
    names = site_names(site, Links())
    assert {"sources", "words", "search", "data", "pagefind", "assets", "grades"} <= set(names)
    assert not set(site.councils) & set(names)


def test_an_editors_lock_link_is_not_a_problem(fixture_site: Path) -> None:
    """Emacs marks a file being edited with a link named .#file: that is no content and no template."""
    tmp = fixture_site.parent
    templates = tmp / "templates"
    shutil.copytree(FIXTURES.parents[1] / "templates", templates)
    (templates / ".#base.html").symlink_to("user@host.1234")
    (fixture_site / "pages" / ".#about.md").symlink_to("user@host.1234")
    result = run_cli("build", "--content", "content", "--templates", "templates", "--out", "site", cwd=tmp)
    assert result.returncode == 0, result.stderr
