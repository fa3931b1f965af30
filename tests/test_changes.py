"""What changed: theme-by-theme comparison across frameworks and grade names, with properties."""
from __future__ import annotations

import datetime as dt
from pathlib import Path

from hypothesis import given, settings, strategies as st

from support import FIXTURES, ROOT
from generator.changes import INVERSE, compare, comparisons, headline, judgements_for, timeline
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
    # overall: the two parts' overall grades (adequate, good) against one (requires improvement):
    # the same level for one part, worse for the other
    assert rows(a, b) == {"help-and-protection": "same-level", "in-care": "same", "care-leavers": "same",
                          "overall": "mixed", "adoption": "new"}
    assert ("adequate", "requires-improvement") in c.renamed_grades


def test_a_two_part_inspection_is_compared_under_overall_and_leaders():
    """York 2012 -> 2016: the 2012 report graded overall effectiveness and leadership in both parts."""
    a = inspection("slac-2009", [("safeguarding/overall", "good"), ("safeguarding/leadership", "good"),
                                 ("looked-after/overall", "good"), ("looked-after/leadership", "good")], dt.date(2012, 3, 19))
    b = inspection("sif-2013", [("overall", "good"), ("leadership", "good"), ("help-and-protection", "requires-improvement"),
                                ("in-care", "good"), ("care-leavers", "good")], dt.date(2016, 11, 14))
    c = compare(a, b, VOCAB)
    assert rows(a, b) == {"overall": "same", "leadership": "same", "help-and-protection": "worse",
                          "in-care": "same", "care-leavers": "same"}
    overall = next(r for r in c.rows if r.theme == "overall")
    assert [j.theme for j in overall.befores] == ["safeguarding/overall", "looked-after/overall"]
    assert not overall.joined_before  # a part's overall grade sums that part up: not "judged together"
    assert headline(a, VOCAB) == overall.befores[0]


def test_two_parts_graded_differently_show_both_grades_and_say_so():
    a = inspection("slac-2009", [("safeguarding/overall", "inadequate"), ("looked-after/overall", "good")])
    assert [j.grade for j in judgements_for(a, "overall", VOCAB)] == ["inadequate", "good"]
    b = inspection("sif-2013", [("overall", "good")])
    assert rows(a, b) == {"overall": "mixed", "help-and-protection": "gone", "in-care": "gone", "care-leavers": "gone"}
    assert rows(b, a)["overall"] == "mixed"


def test_a_single_overall_grade_is_used_alone_when_the_report_gives_one():
    i = inspection("cp-lac-2012", [("safeguarding/overall", "good"), ("help-and-protection", "adequate")])
    assert [j.theme for j in judgements_for(i, "help-and-protection", VOCAB)] == ["help-and-protection"]
    assert [j.theme for j in judgements_for(i, "overall", VOCAB)] == ["safeguarding/overall"]


def counts(before: Inspection, after: Inspection) -> tuple[int, int, int]:
    n = compare(before, after, VOCAB).counts()
    return n["better"], n["same"] + n["same-level"], n["worse"]


def test_one_grade_for_children_in_care_and_care_leavers_counts_once():
    """Peterborough 2015 -> 2018: four judgements better, not five."""
    sif = inspection("sif-2013", [("overall", "requires-improvement"), ("leadership", "requires-improvement"),
                                  ("help-and-protection", "requires-improvement"), ("in-care", "requires-improvement"),
                                  ("care-leavers", "requires-improvement"), ("adoption", "good"), ("lscb", "good")])
    ilacs = inspection("ilacs-2018", [("overall", "good"), ("leadership", "good"), ("help-and-protection", "good"),
                                      ("in-care-and-care-leavers", "good")], dt.date(2018, 6, 25))
    assert counts(sif, ilacs) == (4, 0, 0)
    assert counts(ilacs, sif) == (0, 0, 4)


def test_a_shared_grade_that_split_two_ways_counts_each_way():
    """2018's one grade, then a better grade for children in care and a worse one for care leavers: one of each."""
    a = inspection("ilacs-2018", [("in-care-and-care-leavers", "requires-improvement")])
    b = inspection("ilacs-2023", [("in-care", "good"), ("care-leavers", "inadequate")], dt.date(2023, 11, 27))
    assert counts(a, b) == (1, 0, 1)


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


@settings(max_examples=300, deadline=None)
@given(inspections(), inspections())
def test_counts_are_antisymmetric_and_count_a_shared_grade_once(a, b):
    c = compare(a, b, VOCAB)
    forward, backward = c.counts(), compare(b, a, VOCAB).counts()
    assert forward["better"] == backward["worse"] and forward["worse"] == backward["better"]
    for status, n in forward.items():
        rows_with = [r for r in c.rows if r.status == status]
        assert n <= len(rows_with)
        singles = [side for r in rows_with for side in r.sides()]
        if singles and all(singles[0] in r.sides() for r in rows_with):
            assert n == 1  # every row rests on one shared grade: one change


@settings(max_examples=200, deadline=None)
@given(inspections(), inspections())
def test_every_judged_common_theme_gets_a_row(a, b):
    judged = {c for i in (a, b) for j in i.judgements for c in VOCAB.themes[j.theme].compare_as}
    assert set(rows(a, b)) == judged
