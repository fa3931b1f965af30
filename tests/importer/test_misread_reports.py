"""Reports the importer once read wrongly (docs/NATIONAL.md kept their pages as drafts): each fact as the PDF prints it.

Each case names the report and what its first page or list prints, checked in poppler's text of the PDF
(tests/report_reading.py reads them the same way). They skip when ../shared is not here.
"""
from __future__ import annotations

import datetime as dt

import pytest

from generator.importer.sections import inspection_dates
from importer_support import imported

D = dt.date
SIF = ["overall", "help-and-protection", "in-care", "adoption", "care-leavers", "leadership", "lscb"]


def report(council: str, published: str) -> str:
    """The manifest's file of a council's report published on that day."""
    return f"reports/{council}/{published}-childrens-services-inspection.pdf"


# ---------------------------------------------------------------- SIF grades

# A grade cell wrapped over two lines, printed above and below its area ('Requires' / '1. Children who need help
# and protection' / 'improvement'), or an overall sentence in the singular ('children's service requires
# improvement'), or an LSCB review whose first sentence misprints the board's name.
SIF_GRADES = {
    "bolton/2014-03-21": ["requires-improvement", "requires-improvement", "good", "good", "good",
                          "requires-improvement", "requires-improvement"],
    "hillingdon/2014-02-11": ["requires-improvement", "requires-improvement", "requires-improvement", "good",
                              "requires-improvement", "requires-improvement", "requires-improvement"],
    "newham/2014-08-08": ["requires-improvement", "requires-improvement", "requires-improvement", "good", "good",
                          "requires-improvement", "good"],
    "sheffield/2014-02-21": ["requires-improvement", "good", "requires-improvement", "requires-improvement", "good",
                             "good", "good"],
    "slough/2014-02-14": ["inadequate", "inadequate", "inadequate", "requires-improvement", "inadequate",
                          "inadequate", "inadequate"],
    "somerset/2015-03-27": ["inadequate", "inadequate", "inadequate", "requires-improvement", "inadequate",
                            "inadequate", "inadequate"],
}


@pytest.mark.parametrize("which", SIF_GRADES)
def test_sif_grades_every_area_in_order(which: str, shared) -> None:
    """The overall grade, the five areas of the table and the LSCB's grade, as the report prints them."""
    council, published = which.split("/")
    got = [(j.theme, j.grade) for j in imported(report(council, published)).judgements]
    assert got == list(zip(SIF, SIF_GRADES[which]))


def test_wrapped_grade_cells_are_paired_with_their_areas() -> None:
    """A grade cell above, beside or below its area, and an area wrapped round its grade, are paired in order."""
    from generator.importer.judgements import wrapped_cells

    lines = ["Requires", "1. Children who need help and protection", "improvement",
             "2. Children looked after and achieving", "Inadequate", "permanence", "2.1 Adoption performance Good"]
    assert wrapped_cells(lines) == [("1. Children who need help and protection", "Requires improvement"),
                                    ("2. Children looked after and achieving permanence", "Inadequate"),
                                    ("2.1 Adoption performance", "Good")]
    assert wrapped_cells(["Requires", "1. Children who need help and protection"]) == []   # half a grade: nothing


def test_record_of_main_findings_with_grade_numbers(shared) -> None:
    """Medway 2013 prints 'Overall effectiveness   Inadequate Grade 4': the area and the grade's words as printed."""
    got = imported(report("medway", "2013-08-23")).judgements
    assert [(j.area, j.grade, j.printed, j.source) for j in got][:2] == [
        ("Overall effectiveness", "inadequate", "Inadequate", "table"),
        ("Capacity to improve", "adequate", "Adequate", "table")]
    assert len(got) == 5


# ---------------------------------------------------------------- dates

@pytest.mark.parametrize("which,kind,start,end", [
    ("derbyshire/2019-09-19", "ilacs-short", D(2019, 7, 8), D(2019, 8, 8)),      # '... and 7 August 2019 to\n8 August'
    ("devon/2025-05-13", "ilacs-standard", D(2024, 9, 30), D(2025, 1, 16)),      # '... and 13 to 16 January 2025'
    ("south-tyneside/2023-05-10", "ilacs-short", D(2022, 12, 5), D(2023, 2, 15)),
    ("sheffield/2014-02-21", "sif", D(2013, 11, 19), D(2014, 1, 30)),            # '... and 28 – 30\nJanuary 2014'
    ("north-lincolnshire/2017-09-04", "sif", D(2017, 6, 20), D(2017, 7, 13)),    # '20 June 2017 ─ 13 July 2017'
])
def test_inspection_dates_span_every_visit(which: str, kind: str, start: D, end: D, shared) -> None:
    """From the first day of the first visit to the last day of the last; a short inspection's kind from its first."""
    council, published = which.split("/")
    got = imported(report(council, published))
    assert (got.start, got.end, got.kind) == (start, end, kind)


def test_second_visits_and_box_drawing_dashes_in_text() -> None:
    """The forms above, without the PDFs; a date after the dates that is no second visit is not one."""
    cases = {
        "Inspection dates: 5 to 9 December 2022 and 14 to 15 February 2023\nLead inspector": (D(2022, 12, 5), D(2023, 2, 15)),
        "Inspection date: 20 June 2017 \u2500 13 July 2017\nReport published: 4 September 2017": (D(2017, 6, 20), D(2017, 7, 13)),
        "Inspection dates: 14 and 15 March 2018\nReport published: 2 May 2018": (D(2018, 3, 14), D(2018, 3, 15)),
        "Inspection dates: 12 to 16 March 2018 and 2 March 2018": (D(2018, 3, 12), D(2018, 3, 16)),
    }
    for text, want in cases.items():
        assert inspection_dates(text, text) == want, text


# ---------------------------------------------------------------- lead inspector

def test_two_lead_inspectors(shared) -> None:
    """'Lead inspectors: Rebecca Quested, His Majesty's Inspector, and Matthew Reed,\\nHis Majesty's Inspector'."""
    assert imported(report("stoke-on-trent", "2022-11-25")).lead_inspector == "Rebecca Quested and Matthew Reed"


# ---------------------------------------------------------------- what needs to improve

@pytest.mark.parametrize("which,count,first", [
    ("coventry/2017-06-13", 9, "Continue to monitor and develop services"),
    ("doncaster/2018-01-19", 4, "Ensure that all social workers receive high-quality supervision"),
    ("knowsley/2017-06-13", 8, "Ensure that all plans and reviews of plans"),
    ("merton/2017-08-25", 4, "Ensure that all plans, including child in need"),
    ("norfolk/2018-01-19", 7, "Ensure that children are able to establish"),
    ("north-lincolnshire/2017-09-04", 3, "Ensure that screening and first-line management decisions"),
    ("rotherham/2018-01-29", 8, "Ensure that managers provide challenging"),
    ("west-berkshire/2017-07-07", 7, "Ensure that strategy meetings take place"),
])
def test_numbered_recommendations_before_a_bulleted_summary(which: str, count: int, first: str, shared) -> None:
    """A numbered 'Recommendations' list followed by the bulleted 'Summary for children and young people' is read
    as numbered: every point, none of the summary's."""
    council, published = which.split("/")
    got = imported(report(council, published)).improvements
    assert len(got) == count, [i.text[:60] for i in got]
    assert got[0].text.startswith(first)
    assert not any("Summary for children" in i.text for i in got)


def test_a_numbered_point_that_goes_on_in_bullets(shared) -> None:
    """Norfolk 2017's point 4 lists three things after 'by ensuring that:': they stay in point 4, and point 5 follows."""
    got = imported(report("norfolk", "2018-01-19")).improvements
    assert got[3].text.startswith("Strengthen the response to children who go missing")
    assert "by ensuring that: governance arrangements are clear and understood by all; actions from multi-agency" \
        in got[3].text
    assert got[3].text.endswith("informs risk management for children.")
    assert got[4].text.startswith("Progress work with health partners")


@pytest.mark.parametrize("which,words", [
    ("kirklees/2016-11-25", "this is actioned promptly, to include improving the quality of pre-proceedings letters"),
    ("kirklees/2016-11-25", "ensuring robust monitoring of cases in pre-proceedings."),
    ("west-berkshire/2025-10-28", "there is sufficient capacity to provide timely and effective early help"),
])
def test_words_stay_apart_and_hyphenated_words_whole(which: str, words: str, shared) -> None:
    """A space printed smaller and lower than its words still parts them ('includeimproving' was read), and a word
    hyphenated at a line's end is one word ('pre- proceedings' was read)."""
    council, published = which.split("/")
    assert any(words in i.text for i in imported(report(council, published)).improvements)


def test_a_numbered_point_with_one_more_sentence_on_its_own_line(shared) -> None:
    """Bolton 2014's point 24 ends '... outcomes for children.' and goes on 'Contingency planning and visiting
    frequency should also be detailed.' on a line of its own: the point keeps it, and the list goes on to 32
    (12 points for the local authority, 6 for the LSCB)."""
    got = imported(report("bolton", "2014-03-21")).improvements
    assert got[3].text.endswith("outcomes for children. Contingency planning and visiting frequency should also be detailed.")
    assert len(got) == 18
    assert got[11].text.startswith("Develop the corporate apprenticeship strategy")


def test_a_numbered_list_in_parts_under_headings(shared) -> None:
    """Somerset 2015 heads parts of its lists 'Partnership', 'Quality of Practice', 'Adoption', 'Care leavers': all
    21 points for the local authority and 10 for the LSCB, and none of 'The local authority's strengths' after them."""
    got = imported(report("somerset", "2015-03-27")).improvements
    assert len(got) == 31
    assert got[3].text.startswith("Ensure that all partner agencies fulfil their statutory duties")
    assert got[20].text.startswith("Drive forward initiatives in education")
    assert got[30].text.startswith("Ensure that mechanisms to gather the experiences and views of children")


def test_priority_lists_and_lines_that_begin_like_headings(shared) -> None:
    """Slough 2014: the LSCB's 'Priority and immediate action' points are read, and a point's line that begins
    'outcomes for children have improved.' goes on (it is no 'Outcomes for ...' heading): 21 points and 6."""
    got = imported(report("slough", "2014-02-14")).improvements
    assert len(got) == 27
    assert got[6].text.endswith("whether outcomes for children have improved.")
    assert got[7].text.startswith("Ensure that the Local Authority, as corporate parent")
    assert got[21].text.startswith("Ensure all partner agencies are engaged in the delivery of the early help strategy")


def test_no_priority_action_is_no_point(shared) -> None:
    """Herefordshire 2014 says 'There are no areas of priority action.' under its heading: that is no point."""
    got = imported(report("herefordshire", "2014-06-30")).improvements
    assert got and not any(i.text.startswith(("There are no", "The inspection did not find")) for i in got)
