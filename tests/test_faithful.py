"""The faithfulness check: each citing sentence beside the report's words, flags, sign-offs, and all content green."""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from support import FIXTURES, ROOT, run_cli
from generator.faithful import Library, check, claims_in, facts, format_terminal, review_page, run_check, supported
from generator.load import load_site

NORTHDALE = "councils/northdale/2019-05-ilacs-standard.md"


def test_facts_found_in_a_sentence() -> None:
    found = facts("nine of 10 children were seen in march 2020; 40% waited. covid-19 slowed things. services were good.")
    assert ("count", "nine") in found and ("number", "10") in found and ("number", "2020") in found
    assert ("percentage", "40%") in found and ("date", "march") in found and ("grade word", "good") in found
    assert ("number", "19") not in found  # part of a name, not a count
    assert ("percentage", "11 in 100") in facts("only 11 in 100 had it on time.")
    assert ("grade word", "adequate") not in facts("it was inadequate.")
    assert facts("the report says so in paragraph 34 and paragraphs 3 to 5.") == []


def test_a_fact_is_supported_as_digits_or_words() -> None:
    assert supported("count", "nine", "inspectors saw 9 of the 10 children")
    assert supported("number", "10", "ten children were seen")
    assert not supported("number", "10", "110 children were seen")
    assert supported("percentage", "11 in 100", "only 11% of children")
    assert not supported("percentage", "40%", "4% of children")
    assert supported("grade word", "requires improvement", "services require improvement to be good")


def test_a_claim_is_the_citing_sentence_with_the_uncited_ones_before_it() -> None:
    text = "First fact. Second fact [para 1]. Not checked.\n\n- Item one. Item two [para 2]."
    assert list(claims_in(text, 10)) == [("First fact. Second fact [para 1].", 10), ("Item one. Item two [para 2].", 12)]


@pytest.fixture()
def content(tmp_path: Path) -> Path:
    folder = tmp_path / "content"
    shutil.copytree(FIXTURES / "site", folder)
    return folder


def edit(content: Path, old: str, new: str) -> None:
    """Change a sentence of the Northdale 2019 page."""
    path = content / NORTHDALE
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new), encoding="utf-8")


def run(content: Path):
    """The check's report for a content folder."""
    report, problems = run_check(content, None, None)
    assert report is not None, problems.sorted()
    return report


def flags_of(report, words: str) -> tuple[str, ...]:
    """The flags of the claim with these words."""
    return next(c.flags for c in [*report.claims, *report.sections] if words in c.text)


def test_flags_what_the_cited_paragraphs_do_not_say(content: Path) -> None:
    edit(content, "Social workers know their children well [para 3].",
         "Nine of 10 children saw their social worker every week in August [para 3].")
    slac = content / "councils" / "northdale" / "2012-03-slac.md"
    slac.write_text(slac.read_text().replace("[para 3].", "[para 3]. Waits were long [para 9]."))
    edit(content, "You should see your social worker often.", "Since 2019, 40% of children have waited.")
    report = run(content)
    flags = flags_of(report, "Nine of 10")
    assert 'count "nine" is not in the cited paragraph' in flags and 'number "10" is not in the cited paragraph' in flags
    assert 'date "august" is not in the cited paragraph' in flags
    assert any("paragraph 9 is not in the report" in f for f in flags_of(report, "Waits were long"))
    section = flags_of(report, "## What this means for you")
    assert section and 'percentage "40%"' in section[0]
    assert not report.ok


def test_a_word_of_amount_the_paragraphs_do_not_use_is_listed_to_compare_but_fails_nothing(content: Path) -> None:
    edit(content, "Social workers know their children well [para 3].",
         'Most social workers know their children well and "see them often" [para 3]. They always visit [para 3].')
    report = run(content)
    listed = {w for c in report.to_compare for w in c.quantities}
    assert listed == {"most", "always"}, "'often' is the paragraph's own word, and quoted words are the report's"
    assert report.ok, "a word of amount is for a person to compare, not a flag"
    shown = format_terminal(report, amounts=True)
    assert '? "always": not the cited paragraphs\' word' in shown and "[2019-05-ilacs-standard para 3]" in shown
    assert "see them with --amounts" in format_terminal(report)


def test_the_pages_own_dates_and_grades_need_no_citation(content: Path) -> None:
    edit(content, "You should see your social worker often.", "In May 2019 two grades were inadequate.")
    report = run(content)
    assert not [c for c in report.sections if "What this means" in c.text]


WAITED = "Three of 10 referrals waited too long [paras 1-2]."


def test_a_sign_off_clears_a_flag_and_a_stale_one_is_reported(content: Path) -> None:
    edit(content, "Help for children at risk was not good enough [paras 1-2].", WAITED)
    report = run(content)
    assert 'count "three" is not in the cited paragraphs' in flags_of(report, "Three of 10")
    edit(content, "sources: [report-2019]\n", "sources: [report-2019]\nsignoffs:\n"
         "  - text: three of 10 referrals   waited\n    by: Ann Curator\n"
         "    why: A made-up reason for the test.\n"
         "  - text: A sentence that is not on the page any more\n    by: Ann Curator\n    why: Old.\n")
    report = run(content)
    claim = next(c for c in report.claims if "Three of 10" in c.text)
    assert claim.signoff and claim.signoff.by == "Ann Curator" and claim not in report.unsigned
    assert [s.text for _, s in report.stale] == ["A sentence that is not on the page any more"]
    shown = format_terminal(report)
    assert "matches no flagged sentence" in shown and "Three of 10" not in shown


def test_the_terminal_view_shows_the_sentence_beside_the_reports_words(content: Path, tmp_path: Path) -> None:
    edit(content, "Help for children at risk was not good enough [paras 1-2].", WAITED)
    result = run_cli("check", "--faithful", "--content", str(content), "--reports", str(tmp_path / "none"))
    assert result.returncode == 1
    assert WAITED in result.stdout and 'count "three" is not in the cited paragraphs' in result.stdout
    assert "[2019-05-ilacs-standard para 2] Assessments are not always thorough." in result.stdout
    assert f"content/{NORTHDALE}" in result.stdout or NORTHDALE in result.stdout


def test_the_review_page_lists_every_citing_sentence(content: Path) -> None:
    html = review_page(run(content), "/assets/style.css")
    assert "Help for children at risk was not good enough" in html and "Assessments are not always thorough." in html
    assert "<script" not in html and 'content="noindex"' in html


def test_the_preview_serves_the_review_and_the_build_never_writes_it(content: Path, tmp_path: Path) -> None:
    from generator.build import BuildConfig, build
    from generator.serve import Preview, PreviewApp
    from generator.urls import parse_base_url

    config = BuildConfig(content, ROOT / "templates", tmp_path / "preview", parse_base_url("/"), drafts=True)
    preview = Preview(config)
    assert preview.start().ok
    statuses: list[str] = []
    body = b"".join(PreviewApp(preview)({"PATH_INFO": "/review/"}, lambda status, headers: statuses.append(status)))
    assert statuses == ["200 OK"] and b"Faithfulness review" in body
    build(BuildConfig(content, ROOT / "templates", tmp_path / "site", parse_base_url("/")))
    assert not (tmp_path / "site" / "review").exists()


def test_a_pdf_is_read_once_through_a_cache_keyed_by_its_hash(tmp_path: Path) -> None:
    from generator.faithful import pdf_words

    pdf = ROOT.parent / "shared" / "fixtures" / "northdale-2023-ilacs-fictional" / "northdale-2023-ilacs-fictional.pdf"
    if not pdf.exists():
        pytest.skip("needs ../shared/fixtures")
    first = pdf_words(pdf, tmp_path / "cache")
    assert first and len(list((tmp_path / "cache").iterdir())) == 1
    (next((tmp_path / "cache").iterdir())).write_text('{"1": "from the cache"}', encoding="utf-8")
    assert pdf_words(pdf, tmp_path / "cache") == {1: "from the cache"}


def test_all_content_is_faithful_or_signed_off() -> None:
    """CI: every flag on the real content is corrected or signed off by a curator, with a reason."""
    site, problems = load_site(ROOT / "content")
    assert site is not None, problems.sorted()
    report = check(site, Library(site, ROOT / "content"))
    assert not report.missing
    assert report.ok, format_terminal(report)


def test_a_story_and_an_event_take_sign_offs_too(content: Path) -> None:
    story = content / "councils" / "northdale" / "changes" / "2019-05-ilacs-standard--2023-06-ilacs-standard.md"
    story.write_text("---\nsignoffs:\n  - text: nine of 10 children waited\n    by: Ann Curator\n"
                     "    why: Paragraph 1 says so in other words.\nwritten: {how: curator, by: Ann Curator, checked: 2026-11-29}\n---\nNine of 10 children waited "
                     "[para 1 of 2019-05-ilacs-standard].\n", encoding="utf-8")
    event = content / "councils" / "northdale" / "2021-01-action-plan.yaml"
    event.write_text(event.read_text(encoding="utf-8") + "signoffs:\n  - text: A sentence not in the summary\n"
                     "    by: Ann Curator\n    why: Old.\n", encoding="utf-8")
    report = run(content)
    claim = next(c for c in report.claims if "Nine of 10" in c.text)
    assert claim.flags and claim.signoff is not None and claim.signoff.why.startswith("Paragraph 1 says")
    assert [(Path(f).name, s.text) for f, s in report.stale] == [("2021-01-action-plan.yaml", "A sentence not in the summary")]
    story.write_text(story.read_text(encoding="utf-8").replace("signoffs:", "signofs:"))
    report, problems = run_check(content, None, None)
    assert report is None and 'unknown key "signofs"' in problems.sorted()[0].message


def test_a_word_of_amount_said_in_the_reports_own_form_is_not_listed() -> None:
    from generator.faithful import quantity_words

    assert quantity_words("social workers visit regularly", "visits are regular and purposeful") == ()
    assert quantity_words("plans are not always clear", "plans are not consistently clear") == ("always",)
    assert quantity_words("most children are seen", "the vast majority of children are seen") == ("most",)
    assert quantity_words('they are "always" seen', "they are seen") == ()
