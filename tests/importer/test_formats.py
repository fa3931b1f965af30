"""Formats with no sample PDF here (monitoring visits, JTAI letters, 2012-13 protection of children):
made-up page text in the printed layout of those formats, run through the same readers."""
from __future__ import annotations

from pathlib import Path

from generator.importer.extract import extract
from generator.importer.pdftext import Document
from generator.importer.vocab import load_vocab
from importer_support import CONTENT

MONITORING = """Ofsted
Piccadilly Gate
Store Street
Manchester
M1 2WD
12 March 2020
Ms Jane Smith
Director of Children's Services
Anyshire County Council
Dear Ms Smith
Monitoring visit to Anyshire County Council children's services
This letter summarises the findings of the monitoring visit to Anyshire County Council
children's services on 4 and 5 February 2020. This was the third monitoring visit since the
local authority was judged inadequate in May 2019. Her Majesty's Inspectors were Peter
Jones and Sara Khan.
Areas covered by the visit
Inspectors reviewed the progress made in the quality of help and protection.
"""
MONITORING_2 = """Yours sincerely
Peter Jones
Her Majesty's Inspector
"""
JTAI = """Ofsted
Care Quality Commission
HMI Constabulary and Fire & Rescue Services
HMI Probation
3 September 2019
Mr John Brown
Director of Children's Services
Westshire Council
Dear Mr Brown
Joint targeted area inspection of the multi-agency response to children's mental health in Westshire
This letter summarises the findings of a joint targeted area inspection (JTAI) of the multi-agency
response to children's mental health in Westshire. This inspection took place from 10 to 14 June 2019.
"""
PROTECTION = """Inspection of local authority
arrangements for the protection of children
Borsetshire County Council
Inspection dates: 10 – 19 September 2012
Lead inspector: Alan Archer HMI
Age group: All
Published: 19 October 2012
"""
PROTECTION_2 = """The inspection judgements and what they mean
1. All inspection judgements are made using the following four point scale.
Overall effectiveness
Grade 3 (adequate)
2. The overall effectiveness of the arrangements to protect children is adequate.
The effectiveness of the help and protection provided to children, young
people, families and carers Grade 3 (adequate)
3. Children are seen promptly.
The quality of practice
Grade 4 (inadequate)
4. Practice is too variable.
Leadership and governance
Grade 3 (adequate)
5. Leaders know the service.
"""


def doc(*pages: str) -> Document:
    """A document made of page texts (no PDF needed)."""
    return Document(Path("made-up.pdf"), list(pages))


def test_monitoring_visit_letter() -> None:
    """Letter date as published, dates from 'on 4 and 5 February', the signing HMI as lead, no grades."""
    ex = extract(doc(MONITORING, MONITORING_2), load_vocab(CONTENT))
    got = ex.as_json()
    assert (got["kind"], got["council"], got["start"], got["end"], got["published"]) == (
        "monitoring-visit", "anyshire", "2020-02-04", "2020-02-05", "2020-03-12")
    assert got["lead_inspector"] == "Peter Jones" and got["judgements"] == []


def test_jtai_letter() -> None:
    """JTAI: kind, council from the title, dates from 'took place from', no lead inspector named."""
    got = extract(doc(JTAI), load_vocab(CONTENT)).as_json()
    assert (got["kind"], got["framework"], got["council"], got["start"], got["end"], got["published"]) == (
        "jtai", "jtai", "westshire", "2019-06-10", "2019-06-14", "2019-09-03")
    assert got["lead_inspector"] is None and got["judgements"] == []


def test_protection_of_children_2012() -> None:
    """2012-13 protection of children: graded headings, one of them sharing its line with the grade."""
    got = extract(doc(PROTECTION, PROTECTION_2), load_vocab(CONTENT)).as_json()
    assert (got["kind"], got["framework"], got["council"], got["start"], got["end"], got["published"],
            got["lead_inspector"]) == ("protection-of-children", "cp-lac-2012", "borsetshire", "2012-09-10",
                                       "2012-09-19", "2012-10-19", "Alan Archer")
    assert [(j["theme"], j["grade"]) for j in got["judgements"]] == [
        ("safeguarding/overall", "adequate"), ("help-and-protection", "adequate"),
        ("safeguarding/quality-of-provision", "inadequate"), ("leadership", "adequate")]
