"""The importer reads each numbered paragraph's words as the report prints them (issue 16's findings).

Each case is a real report where the words were once wrong, with words checked by hand against the
PDF: a footnote pasted into a paragraph that runs on to the next page; Ofsted's back page glued to
the last paragraph; a paragraph's sentences at the top of the next page dropped; and words put out
of order where a full stop or comma is printed in a smaller size than the words around it. Then the
same kinds found by the words test (tests/content/test_report_words.py) in other files: sentences
dropped after a line that ends a sentence short of the margin, headings and grade lines kept at a
paragraph's end, a paragraph's list of actions dropped. Some cases guard what was already read right.
"""
from __future__ import annotations

import re

import pytest

from importer_support import imported

DURHAM_2025 = "reports/durham/2025-05-13-childrens-services-inspection.pdf"
SUNDERLAND_2025 = "reports/sunderland/2025-03-11-childrens-services-inspection.pdf"
SOUTH_TYNESIDE_2026 = "reports/south-tyneside/2026-08-04-childrens-services-inspection.pdf"
MIDDLESBROUGH_2026 = "reports/middlesbrough/2026-07-28-childrens-services-inspection.pdf"
NEWCASTLE_2025 = "reports/newcastle-upon-tyne/2025-06-25-childrens-services-inspection.pdf"
STOCKTON_2023 = "reports/stockton-on-tees/2023-05-09-childrens-services-inspection.pdf"
NORTHUMBERLAND_2024 = "reports/northumberland/2024-07-12-childrens-services-inspection.pdf"
HARTLEPOOL_2024 = "reports/hartlepool/2024-05-16-childrens-services-inspection.pdf"
GATESHEAD_2024 = "reports/gateshead/2025-01-29-childrens-services-inspection.pdf"
PETERBOROUGH_2015 = "reports/peterborough/2015-09-18-childrens-services-inspection.pdf"


def words(report: str, number: int) -> str:
    """The importer's words for one paragraph, quotes made plain."""
    text = imported(report).texts[number]
    return text.replace("\u2019", "'").replace("\u2018", "'")


@pytest.mark.parametrize("report, number, around", [
    (DURHAM_2025, 6, "Sound communication between out-of-hours and daytime services"),
    (SUNDERLAND_2025, 3, "what information is already held"),
    (SOUTH_TYNESIDE_2026, 5, "their risks and needs. A coordinated"),
    (PETERBOROUGH_2015, 77, "exploitation does not facilitate analysis of"),
], ids=["durham-2025-6", "sunderland-2025-3", "south-tyneside-2026-5", "peterborough-2015-77"])
def test_footnote_is_not_pasted_into_a_paragraph(report: str, number: int, around: str, shared) -> None:
    """A page's footnote (printed below the text, smaller) is not part of the paragraph that runs past it."""
    text = words(report, number)
    assert around in text
    assert "cross-referenced" not in text and "Operation Erle was" not in text


@pytest.mark.parametrize("report, number, ending", [
    (MIDDLESBROUGH_2026, 73, "tangible and growing sense of hope and optimism across the workforce."),
    (NEWCASTLE_2025, 67, "students and remaining."),
    (STOCKTON_2023, 47, "valued by staff."),
], ids=["middlesbrough-2026-73", "newcastle-2025-67", "stockton-2023-47"])
def test_back_page_is_not_part_of_the_last_paragraph(report: str, number: int, ending: str, shared) -> None:
    """Ofsted's back page ('The Office for Standards in Education ... regulates and inspects') ends the report."""
    text = words(report, number)
    assert text.endswith(ending), text[-200:]
    assert "regulates and inspects" not in text


def test_paragraph_going_on_at_the_top_of_a_page_is_kept(shared) -> None:
    """Northumberland 2024 para 43 goes on at the top of PDF page 9 with sentences of its own, unnumbered."""
    text = words(NORTHUMBERLAND_2024, 43)
    assert "person to develop the service further. The response to health and emotional well-being is good." in text
    assert text.endswith("some do not have a full understanding of their health needs.")
    assert words(NORTHUMBERLAND_2024, 44).startswith("LCWs support young people to access their entitlements.")


def test_paragraph_going_on_within_a_page_is_kept(shared) -> None:
    """Peterborough 2015 para 77's last sentences, after a line that ends a sentence short of the margin."""
    text = words(PETERBOROUGH_2015, 77)
    assert "inform preventive action. Information has to be manually extracted" in text
    assert text.endswith("too early to evaluate the impact of that appointment.")


@pytest.mark.parametrize("report, number, ending", [
    (GATESHEAD_2024, 49, "are community activities."),
    (PETERBOROUGH_2015, 87, "the local authority."),
], ids=["gateshead-2024-49", "peterborough-2015-87"])
def test_heading_at_the_top_of_a_page_is_not_kept(report: str, number: int, ending: str, shared) -> None:
    """A heading, or Ofsted's one-line grade statement, at the top of the next page is not the paragraph's."""
    assert words(report, number).endswith(ending)


@pytest.mark.parametrize("report, number, run", [
    (DURHAM_2025, 26, "in-house therapeutic service. This is a county-wide service, which offers targeted "
                      "intervention to promote children's mental health"),
    (HARTLEPOOL_2024, 12, "When risks to children are not reducing, they benefit from timely decisions to "
                          "escalate into pre-proceedings"),
], ids=["durham-2025-26", "hartlepool-2024-12"])
def test_small_punctuation_stays_in_its_place(report: str, number: int, run: str, shared) -> None:
    """A full stop or comma printed smaller than its words, on the same line, is read where it is printed."""
    text = words(report, number)
    assert run in text
    assert not re.search(r"\s[.,]\s", text)


NORTH_YORKSHIRE_2023 = "reports/north-yorkshire/2023-08-18-childrens-services-inspection.pdf"
YORK_2016 = "reports/york/2017-02-07-childrens-services-inspection.pdf"
YORK_2012 = "fixtures/york-2012-safeguarding-lac/york-2012-safeguarding-lac.pdf"


@pytest.mark.parametrize("report, number, run", [
    (NORTH_YORKSHIRE_2023, 46, "changes in the senior leadership team. Collectively, leaders have ensured"),
    (PETERBOROUGH_2015, 50, "receive a good service. Assessments of suitability are thorough"),
    (YORK_2016, 73, "children's best interests. Recommendations following adoption medicals"),
    (YORK_2016, 137, "and improving practice. For example, it provides hospital practitioners"),
], ids=["north-yorkshire-2023-46", "peterborough-2015-50", "york-2016-73", "york-2016-137"])
def test_sentence_after_a_short_line_is_kept(report: str, number: int, run: str, shared) -> None:
    """A sentence that ends short of the margin, then the paragraph's next sentence: the paragraph goes on."""
    assert run in words(report, number)


@pytest.mark.parametrize("report, number, ending", [
    (YORK_2012, 17, "standards contained in the council's policy."),
    (YORK_2012, 88, "panel's response to local child deaths."),
    (PETERBOROUGH_2015, 104, "life story book."),
    (PETERBOROUGH_2015, 124, "dealt with appropriately and promptly resolved."),
    (YORK_2016, 10, "for practice improvements."),
], ids=["york-2012-17", "york-2012-88", "peterborough-2015-104", "peterborough-2015-124", "york-2016-10"])
def test_heading_after_a_paragraph_is_not_kept(report: str, number: int, ending: str, shared) -> None:
    """A heading ('Capacity for improvement' / 'Grade 1 (outstanding)', 'Summary for children and young
    people') or a SIF section's one-line grade ('The graded judgment about ...') ends the paragraph."""
    assert words(report, number).endswith(ending)


def test_list_of_actions_is_part_of_its_paragraph(shared) -> None:
    """York 2012 para 23 ends '... should take the following action.'; its list follows, indented under it."""
    text = words(YORK_2012, 23)
    assert "take the following action. Immediately: • review risk assessments" in text
    assert "Within three months: • accelerate progress" in text


@pytest.mark.parametrize("report, number, ending", [
    ("reports/nottingham/2019-01-07-childrens-services-inspection.pdf", 33, "needs of very vulnerable young people."),
    ("reports/cheshire-east/2020-01-09-childrens-services-inspection.pdf", 15, "has resulted in no primary exclusions."),
    ("reports/cheshire-east/2020-01-09-childrens-services-inspection.pdf", 32, "children in care and care leavers."),
], ids=["nottingham-2019-33", "cheshire-east-2020-15", "cheshire-east-2020-32"])
def test_judgement_heading_is_not_kept(report: str, number: int, ending: str, shared) -> None:
    """A judgement's heading over two lines, ending in a full stop, is not the paragraph before it."""
    assert words(report, number).endswith(ending)


def test_hyphen_at_a_line_end_before_a_number_joins_it(shared) -> None:
    """'post-' at the end of a line and '16' at the start of the next read 'post-16' (Rotherham 2022 para 34)."""
    text = words("reports/rotherham/2022-08-12-childrens-services-inspection.pdf", 34)
    assert "further education post-16, with clear pathways" in text
