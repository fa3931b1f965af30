"""The second reading of the reports (report_reading.py) on the layouts Ofsted has printed since 2012.

Each snippet is pdftotext -layout output of a real report, trimmed; the facts tests are only as
good as this reading, so each layout it handles is pinned here."""
from __future__ import annotations

import datetime as dt

import report_reading as read

D = dt.date

ILACS_2026 = """Inspection of Bradford Children and
Families Trust
Inspection dates: 12 to 23 January 2026

Lead inspector: Catherine Heron, His Majesty\u2019s Inspector


 Judgement                                  Grade

 The impact of leaders on social work       Good
 practice with children and families

 The experiences and progress of            Requires improvement to be good
 children who need help and protection

 The experiences and progress of care        Outstanding
 leavers

 Overall effectiveness                      Requires improvement to be good

Services to children, young people and care leavers who need help, protection and
care have improved significantly since the last inspection.

What needs to improve?1

\u25fc Recognition of the unique characteristics and increased vulnerability of disabled
  children in child protection plans. (outcome 3, national framework)

\u25fc The timeliness and effectiveness of permanence planning. (outcome 4, national
  framework)

The experiences and progress of children who need help and
protection: requires improvement to be good
1.     Children\u2019s experiences of help and protection have improved significantly since
"""

SIF_WRAPPED_ABOVE = """Inspection date: 29 April \u2013 22 May 2014
Report published: 7 July 2014

The overall judgement is requires improvement
It is Ofsted\u2019s expectation that, as a minimum, all children and young people receive
good help, care and protection.
                                                                           requires
1. Children who need help and protection
                                                                           improvement

                                                                           requires
2. Children looked after and achieving permanence
                                                                           improvement
                                                                           Good
            2.1 Adoption performance

3. Leadership, management and governance                                   Inadequate

The effectiveness of the Local Safeguarding Children Board (LSCB) is
requires improvement
"""

SIF_WRAPPED_GRADE = """Inspection date: 27 February 2018 to 22 March 2018
Report published: 21 May 2018


Children's services in Darlington require improvement to be
good
                                                       Requires
1. Children who need help and protection               improvement to be
                                                       good

    2. Children looked after and achieving
                                                       Inadequate
       permanence

        2.1 Adoption performance                       Good
"""

ILACS_NO_BLANKS = """ Judgement                                                     Grade
 The impact of leaders on social work practice with children
                                                               Inadequate
 and families
 The experiences and progress of children who need help and
                                                               Inadequate
 protection

 Overall effectiveness                                         Inadequate
"""

RECORD = """Record of main findings:
   Safeguarding services

   Overall effectiveness                                                              Good

   Capacity for improvement                                                           Outstanding

   Safeguarding outcomes for children and young people

   The contribution of health agencies to keeping children and young
                                                                                      Good
   people safe

 Quality of provision                                                 Inadequate Grade 4
"""


def rows(text: str) -> list[tuple[str, str, str]]:
    """The judgements read from one page of text."""
    return [(p.area, p.grade, p.how) for p in read.judgements(text.split("\f"))]


def test_ilacs_table_with_wrapped_areas() -> None:
    assert rows(ILACS_2026) == [
        ("The impact of leaders on social work practice with children and families", "Good", "table"),
        ("The experiences and progress of children who need help and protection", "Requires improvement to be good", "table"),
        ("The experiences and progress of care leavers", "Outstanding", "table"),
        ("Overall effectiveness", "Requires improvement to be good", "table")]


def test_ilacs_table_without_blank_lines_between_rows() -> None:
    assert [r[0] for r in rows(ILACS_NO_BLANKS)] == [
        "The impact of leaders on social work practice with children and families",
        "The experiences and progress of children who need help and protection", "Overall effectiveness"]


def test_sif_grade_cells_above_and_below_their_areas() -> None:
    assert rows(SIF_WRAPPED_ABOVE) == [
        ("Overall effectiveness", "requires improvement", "overall sentence"),
        ("Children who need help and protection", "requires improvement", "table"),
        ("Children looked after and achieving permanence", "requires improvement", "table"),
        ("Adoption performance", "Good", "table"),
        ("Leadership, management and governance", "Inadequate", "table")]


def test_sif_grade_wrapped_over_three_lines() -> None:
    assert rows(SIF_WRAPPED_GRADE) == [
        ("Overall effectiveness", "require improvement to be good", "overall sentence"),
        ("Children who need help and protection", "Requires improvement to be good", "table"),
        ("Children looked after and achieving permanence", "Inadequate", "table"),
        ("Adoption performance", "Good", "table")]


def test_lscb_grade_when_the_report_reviews_the_board() -> None:
    text = "Review of the effectiveness of the Local Safeguarding Children\nBoard1\n" + SIF_WRAPPED_ABOVE
    assert rows(text)[-1] == ("Local Safeguarding Children Board", "requires improvement", "LSCB sentence")
    assert read.judgements(["Review of the effectiveness of the Local Safeguarding Children Board",
                            "The Local Safeguarding Children Board is Good"])[-1].key == "good"


def test_record_of_main_findings_skips_headings_inside() -> None:
    assert [(p.area, p.grade) for p in read.judgements(["Contents\nRecord of main findings   22", RECORD])] == [
        ("Overall effectiveness", "Good"), ("Capacity for improvement", "Outstanding"),
        ("The contribution of health agencies to keeping children and young people safe", "Good"),
        ("Quality of provision", "Inadequate Grade 4")]


def test_overall_sentences() -> None:
    for sentence, key in [("The overall judgement is that children\u2019s services are inadequate", "inadequate"),
                          ("The overall judgement is that children\u2019s services require\nimprovement.2", "requires-improvement"),
                          ("Children\u2019s services in Norfolk requires improvement to be good", "requires-improvement"),
                          ("Children\u2019s services require improvement to be good", "requires-improvement"),
                          ("Children\u2019s services in York are good", "good")]:
        found = read.judgements([sentence + "\n\n1. Children who need help and protection" + " " * 40 + "Good\n"])
        assert found[0].how == "overall sentence" and found[0].key == key, sentence


def test_inspection_dates_in_every_form() -> None:
    for line, want in [("Inspection dates: 12 to 23 January 2026", (D(2026, 1, 12), D(2026, 1, 23))),
                       ("Inspection date: 2 June 2014 \u2013 25 June 2014", (D(2014, 6, 2), D(2014, 6, 25))),
                       ("Inspection dates:   15 \u2013 19 July 2013", (D(2013, 7, 15), D(2013, 7, 19))),
                       ("Inspection date: 27 September \u2013 20 October 2016", (D(2016, 9, 27), D(2016, 10, 20))),
                       ("Inspection date: 18 Feb 2014 \u2013 12 March 2014", (D(2014, 2, 18), D(2014, 3, 12))),
                       ("Inspection date: 12/09/2016 to 06/10/2016", (D(2016, 9, 12), D(2016, 10, 6))),
                       ("Inspection date: 28 July 2016", (D(2016, 7, 28), D(2016, 7, 28))),
                       ("Inspection dates: 30 September to 11 October 2024 and 13 to 16 January 2025",
                        (D(2024, 9, 30), D(2025, 1, 16))),
                       ("Inspection dates: 8 July 2019 to 12 July 2019 and 7 August 2019 to\n9 August 2019\n",
                        (D(2019, 7, 8), D(2019, 8, 9)))]:
        assert read.inspection_dates([line + "\nReport published: 7 July 2014\n"]) == want, line


def test_dates_of_a_letter() -> None:
    letter = "Dear Martin\n\nThis letter summarises the findings of the focused visit to York City Council\u2019s\n" \
             "services on 1 to 2 August 2023. His Majesty\u2019s Inspectors for this visit were Louise\nWalker and Cath Heron.\n"
    assert read.inspection_dates([letter]) == (D(2023, 8, 1), D(2023, 8, 2))
    assert read.visit_inspectors(letter) == ["Louise Walker", "Cath Heron"]


def test_publication_date() -> None:
    assert read.publication_date(["Report published: 8 August 2014\n"]) == D(2014, 8, 8)
    assert read.publication_date(["Published:   23 August 2013\n"]) == D(2013, 8, 23)
    assert read.publication_date(["Report published: 25/11/2016\n"]) == D(2016, 11, 25)
    assert read.publication_date(["Inspection dates: 12 to 23 January 2026\n"]) is None


def test_lead_inspectors() -> None:
    assert read.lead_inspectors("Lead inspector: Catherine Heron, His Majesty\u2019s Inspector\n") == ["Catherine Heron"]
    assert read.lead_inspectors("Reporting inspector Helen Cawston HMI\n") == ["Helen Cawston"]
    assert read.lead_inspectors("Lead inspector: Karen Wareing (HMI)\n") == ["Karen Wareing"]
    assert read.lead_inspectors("Lead inspector: Stephanie Murray\nDeputy lead inspector: Pietro Battista\n") == \
        ["Stephanie Murray"]
    assert read.lead_inspectors("Lead inspectors: Rebecca Quested, His Majesty\u2019s Inspector, and Matthew Reed,\n"
                                "His Majesty\u2019s Inspector\n") == ["Rebecca Quested", "Matthew Reed"]
    assert read.lead_inspectors("The inspection team\n\nDeputy inspector: A B\n") is None


def test_ilacs_improvements() -> None:
    assert read.ilacs_improvements(ILACS_2026.split("\f")) == [
        "Recognition of the unique characteristics and increased vulnerability of disabled children in child "
        "protection plans. (outcome 3, national framework)",
        "The timeliness and effectiveness of permanence planning. (outcome 4, national framework)"]
    no_list = ILACS_2026.split("What needs to improve?1")[0]
    assert read.ilacs_improvements([no_list]) == []
    assert read.ilacs_improvements([SIF_WRAPPED_ABOVE]) is None


def test_body_text_drops_running_headers_and_page_numbers() -> None:
    words = ["Social workers visit", "Children in care say", "Leaders know their", "Care leavers have"]
    pages = [f"Inspection of Leeds children\u2019s services\n12 to 23 January 2026   {n}\n"
             f"{n}.   {words[n - 1]} page {n} of the report\n     and the paragraph goes on to the\n"
             f"     end of the page, where it is continued\n\n{n}\n" for n in range(1, 5)]
    body = read.body_text(pages)
    assert "Inspection of Leeds" not in body and "January" not in body
    assert "Leaders know their page 3 of the report" in body
    assert "\n3\n" not in body


def test_lscb_review_bound_into_the_same_pdf() -> None:
    first = "Inspection date: 18 November \u2013 10 December 2014\n\nThe overall judgement is that children\u2019s services require\nimprovement\n" \
            "1. Children who need help and protection" + " " * 40 + "Requires improvement\n"
    last = "Kingston upon Hull Safeguarding\nChildren Board\nInspection of the effectiveness of the local safeguarding\n" \
           "children board\n\nThe Local Safeguarding Children Board requires improvement\n"
    found = read.judgements([first, "Contents", last])
    assert [(p.how, p.key) for p in found] == [("overall sentence", "requires-improvement"), ("table", "requires-improvement"),
                                                ("LSCB sentence", "requires-improvement")]
    assert read.judgements([first])[-1].how == "table"


def test_sif_recommendations_are_seen() -> None:
    page = ("Executive summary\nLeaders know their services.\n\nRecommendations\n\n"
            "1.   Ensure that all plans consistently contain specific actions,\n     achievable timescales.\n\n"
            "2.   Improve the use of return home interviews.\n\n\nSummary for children and young people\n\n"
            "3.   Not a recommendation.\n")
    assert read.sif_improvement_points([page]) == ["1. Ensure that all plans consistently contain specific actions,",
                                                   "2. Improve the use of return home interviews."]
    assert read.sif_improvement_points([page.replace("Recommendations", "Contents")]) == []
    assert read.sif_improvement_points(ILACS_2026.split("\f")) is None
