"""What changed: theme-by-theme comparison across frameworks and grade names, with properties."""
from __future__ import annotations

import datetime as dt
from pathlib import Path

from hypothesis import given, settings, strategies as st

from support import FIXTURES, ROOT
from generator.changes import INVERSE, compare, comparisons, timeline
from generator.frameworks import load_vocabulary
from generator.load import load_site
from generator.model import Inspection, Judgement
from generator.problems import Problems

VOCAB = load_vocabulary(ROOT / "content" / "frameworks.yaml", Problems())
assert VOCAB is not None


def inspection(framework: str, judgements: list[tuple[str, str]], start: dt.date = dt.date(2020, 1, 1)) -> Inspection:
    """A minimal inspection for comparisons."""
    return Inspection("x", f"{start:%Y-%m}-i", VOCAB.frameworks[framework].kinds[0], framework, "", start, start, None, None, "",
                      False, tuple(Judgement(t, t, g) for t, g in judgements), (), {}, (), (), (), "x.md")


def rows(before: Inspection, after: Inspection) -> dict[str, str]:
    return {r.theme: r.status for r in compare(before, after, VOCAB).rows}


def test_same_framework_better_same_worse():
    a = inspection("ilacs-2018", [("overall", "requires-improvement"), ("leadership", "good"), ("help-and-protection", "good")])
    b = inspection("ilacs-2018", [("overall", "good"), ("leadership", "good"), ("help-and-protection", "inadequate")])
    assert rows(a, b) == {"overall": "better", "leadership": "same", "help-and-protection": "worse"}
    assert not compare(a, b, VOCAB).framework_changed


def test_children_in_care_and_care_leavers_split_in_2023():
    a = inspection("ilacs-2018", [("in-care-and-care-leavers", "requires-improvement"), ("overall", "requires-improvement")])
    b = inspection("ilacs-2023", [("in-care", "good"), ("care-leavers", "inadequate"), ("overall", "good")])
    c = compare(a, b, VOCAB)
    assert rows(a, b) == {"overall": "better", "in-care": "better", "care-leavers": "worse"}
    assert c.framework_changed
    assert all(r.joined_before and not r.joined_after for r in c.rows if r.theme in ("in-care", "care-leavers"))


def test_adequate_to_requires_improvement_is_the_same_level_under_a_new_name():
    a = inspection("slac-2009", [("safeguarding/overall", "adequate"), ("looked-after/overall", "good")])
    b = inspection("sif-2013", [("help-and-protection", "requires-improvement"), ("in-care", "good"), ("care-leavers", "good"),
                                ("overall", "requires-improvement"), ("adoption", "good")])
    c = compare(a, b, VOCAB)
    assert rows(a, b) == {"help-and-protection": "same-level", "in-care": "same", "care-leavers": "same",
                          "overall": "new", "adoption": "new"}
    assert ("adequate", "requires-improvement") in c.renamed_grades


def test_no_overall_grade_from_april_2026():
    a = inspection("ilacs-2023", [("overall", "good"), ("in-care", "good")])
    b = inspection("ilacs-2026", [("in-care", "outstanding")], dt.date(2026, 6, 1))
    assert rows(a, b) == {"overall": "gone", "in-care": "better"}


def test_unknown_grades_are_never_called_better_or_worse():
    a = inspection("ilacs-2018", [("overall", "unknown")])
    b = inspection("ilacs-2018", [("overall", "good")])
    assert rows(a, b) == {"overall": "unknown"}


def test_fixture_council_comparisons_and_what_happened_in_between():
    site, problems = load_site(FIXTURES / "site")
    assert site is not None, problems.sorted()
    found = comparisons(site, "northdale")
    assert [c.slug for c in found] == ["2012-03-slac--2019-05-ilacs-standard", "2019-05-ilacs-standard--2023-06-ilacs-standard"]
    assert [x.slug for x in found[1].between] == ["2020-09-focused-visit", "2021-01-action-plan"]
    assert [x.slug for x in timeline(site, "northdale")] == [
        "2012-03-slac", "2019-05-ilacs-standard", "2020-09-focused-visit", "2021-01-action-plan", "2023-06-ilacs-standard"]
    assert comparisons(site, "southvale") == []


def test_every_framework_area_maps_to_a_known_theme_with_a_common_theme_or_a_strand():
    for framework in VOCAB.frameworks.values():
        for area in framework.areas:
            assert area.theme in VOCAB.themes
            assert VOCAB.themes[area.theme].compare_as or "/" in area.theme, (framework.id, area.area)
        assert set(framework.grade_ids) <= set(VOCAB.grades)


frameworks = st.sampled_from([f for f in VOCAB.frameworks.values() if f.areas])


@st.composite
def inspections(draw, framework=None):
    """Random inspections with a random subset of a framework's themes, graded on its scale (or unknown)."""
    f = framework or draw(frameworks)
    themes = draw(st.lists(st.sampled_from(f.themes), unique=True, min_size=1))
    grades = st.sampled_from([*f.grade_ids, "unknown"])
    return inspection(f.id, [(t, draw(grades)) for t in themes])


@settings(max_examples=200, deadline=None)
@given(inspections())
def test_comparing_an_inspection_with_itself_shows_no_change(i):
    assert set(rows(i, i).values()) <= {"same", "unknown"}


@settings(max_examples=300, deadline=None)
@given(inspections(), inspections())
def test_better_and_worse_are_antisymmetric(a, b):
    forward, backward = rows(a, b), rows(b, a)
    assert forward.keys() == backward.keys()
    for theme, status in forward.items():
        assert backward[theme] == INVERSE[status]


@settings(max_examples=200, deadline=None)
@given(inspections(), inspections())
def test_every_judged_common_theme_gets_a_row(a, b):
    judged = {c for i in (a, b) for j in i.judgements for c in VOCAB.themes[j.theme].compare_as}
    assert set(rows(a, b)) == judged
