"""Every inspection page reads easily as a whole, scoring our own words only (issue 15, part 5)."""
from __future__ import annotations

import re
from pathlib import Path

import pytest

from generator.check import MAIN_TARGET, page_words, score

pytest.importorskip("textstat")


def test_the_reports_words_shown_as_quotes_are_not_scored() -> None:
    html = ('<main><h1>York</h1><p>We say it plainly.</p><blockquote><p>Notwithstanding reconfiguration.</p></blockquote>'
            '<p>It said <q>operationalisation</q>.</p><ul data-quote><li>Strategic reprioritisation.</li></ul></main>'
            '<footer>Not the page</footer>')
    assert page_words(html) == "York.\nWe say it plainly.\nIt said."


def test_every_inspection_page_reads_easily(real_site: Path) -> None:
    pages = sorted(real_site.glob("*/20*/index.html"))
    assert pages
    too_hard = {}
    for page in pages:
        flesch = score(page_words(page.read_text()))[0]
        if flesch < MAIN_TARGET:
            too_hard[page.parent.relative_to(real_site).as_posix()] = flesch
    assert not too_hard, f"pages below Flesch {MAIN_TARGET}: {too_hard}"


def test_page_furniture_says_things_plainly(real_site: Path) -> None:
    """Ofsted's names (ILACS, SIF, JTAI) appear only beside a plain name, as what Ofsted calls it."""
    home = (real_site / "index.html").read_text()
    assert "ILACS standard inspection" not in home and "Full inspection" in home
    for page in sorted(real_site.glob("*/20*/index.html")):
        html = page.read_text()
        facts = html[html.index('<dl class="facts">'):html.index("</dl>", html.index('<dl class="facts">'))]
        assert "Rules used" not in facts and re.search(r"Ofsted's rules (for|from) ", facts), page
        plain = re.sub(r'<span class="muted">\((?:Ofsted calls it|official name):[^<]*\)</span>', "", facts)
        assert not re.search(r"\b(ILACS|SIF|JTAI)\b", plain), (page, plain)
