"""The report's own words under each citation: read from the PDF, kept as content, shown once per page."""
from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from support import FIXTURES, ROOT, run_cli
from generator.build import BuildConfig, build
from generator.importer.layout import Line
from generator.importer.sections import copyright_line, paragraph_pages, paragraph_texts
from generator.load import load_site
from generator.pages import Words
from generator.quotes import words_text
from generator.urls import parse_base_url

SHARED = ROOT.parent / "shared"
YORK_2022 = SHARED / "reports" / "york" / "2022-05-04-childrens-services-inspection.pdf"


def lines(*pages: list[str]) -> list[Line]:
    """Body lines, page by page."""
    return [Line(n, text) for n, page in enumerate(pages, start=1) for text in page]


def test_paragraph_texts_join_wrapped_lines_and_stop_at_headings() -> None:
    body = lines(["Judgement Grade", "1. Children are seen quickly by social workers who know them well and",
                  "record their decision-", "making clearly.", "2. Most plans are good.",
                  "The experiences and progress of children in care: good"],
                 ["3. Care leavers have personal advisers who keep in touch with them and help",
                  "them to find somewhere suitable to live.", "Ofsted has published this report."])
    texts = paragraph_texts(body)
    assert texts == {1: "Children are seen quickly by social workers who know them well and record their "
                        "decision-making clearly.",
                     2: "Most plans are good.",
                     3: "Care leavers have personal advisers who keep in touch with them and help them to find "
                        "somewhere suitable to live."}
    assert paragraph_pages(body) == {1: 1, 2: 1, 3: 2}


def test_copyright_line_as_printed_or_plain() -> None:
    assert copyright_line(["text", "© Crown copyright 2022\n9"], None) == "© Crown copyright 2022"
    assert copyright_line(["no line here"], None) == "© Crown copyright"


def test_words_file_is_plain_yaml_a_person_can_read() -> None:
    text = words_text("© Crown copyright 2022", "report.pdf", {2: "Second.", 1: "First \x07words."})
    assert "&" not in text and "*" not in text  # no anchors or aliases
    assert text.index("1: First words.") < text.index("2: Second.")
    assert text.startswith("# ")


def page(site: Path, path: str) -> str:
    """A built page's HTML."""
    return (site / path / "index.html").read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def fixture_build(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("quotes") / "site"
    build(BuildConfig(FIXTURES / "site", ROOT / "templates", out, parse_base_url("/")))
    return out


def test_each_cited_paragraph_shows_its_words_once_with_a_link_to_its_pdf_page(fixture_build: Path) -> None:
    html = page(fixture_build, "northdale/2019-05-ilacs-standard")
    for number, pdf_page in ((1, 2), (2, 2), (3, 3)):
        assert html.count(f'id="p{number}"') == 1
        assert f'<summary>What the report says: paragraph {number}</summary>' in html
        assert f'href="https://example.org/report-2019.pdf#page={pdf_page}">In the full report (PDF, page {pdf_page})' in html
    assert "Social workers know their children well and see them often." in html
    assert "© Crown copyright 2019." in html
    # the citation jumps to the words, which sit under the paragraph that cites them
    assert '(<a href="#p3">paragraph 3</a>)</span>.</p><details class="quote"' in html


def test_a_what_changed_page_quotes_the_report_it_names(fixture_build: Path) -> None:
    html = page(fixture_build, "northdale/changes/2019-05-ilacs-standard--2023-06-ilacs-standard")
    assert "What the May 2019 report says: paragraph 1" in html
    assert html.count('id="p-2019-05-ilacs-standard-1"') == 1


def test_a_paragraph_cited_twice_is_shown_once_under_the_first(fixture_build: Path) -> None:
    site, problems = load_site(FIXTURES / "site")
    assert site is not None, problems.sorted()
    inspection = next(i for i in site.inspections if i.slug == "2019-05-ilacs-standard")
    words = Words(site, parse_base_url("/"))
    quoted: set[str] = set()
    first = words.html("Help was slow [para 1].\n\nStill slow [paras 1-2].", [], "northdale", inspection, quoted=quoted)
    again = words.html("- Slow again [para 1].", [], "northdale", inspection, quoted=quoted)
    assert first.count('id="p1"') == 1
    assert first.index('id="p1"') < first.index("Still slow")
    assert first.index('id="p2"') > first.index("Still slow")
    assert "<details" not in again and 'href="#p1"' in again
    # a list item keeps its words inside it (a <details> may not sit in a <p>)
    item = words.html("- Seen well [para 3].", [], "northdale", inspection, quoted=set())
    assert re.search(r"<li>Seen well .*</span>\.<details class=\"quote\".*</details>\n</li>", item, re.S)


def test_a_report_with_no_url_shows_its_words_without_a_link(tmp_path: Path) -> None:
    content = tmp_path / "content"
    shutil.copytree(FIXTURES / "site", content)
    sources = content / "councils" / "northdale" / "sources.yaml"
    sources.write_text(sources.read_text().replace("  url: https://example.org/report-2012.pdf\n", ""))
    build(BuildConfig(content, ROOT / "templates", tmp_path / "site", parse_base_url("/")))
    html = page(tmp_path / "site", "northdale/2012-03-slac")
    box = re.search(r'<details class="quote" id="p3">.*?</details>', html, re.S)
    assert box and "The safeguarding services are adequate." in box[0]
    assert "<a " not in box[0] and "© Crown copyright 2012." in box[0]


def test_a_bad_words_file_names_its_file_and_line(tmp_path: Path) -> None:
    content = tmp_path / "content"
    shutil.copytree(FIXTURES / "site", content)
    bad = content / "councils" / "northdale" / "reports"
    (bad / "2019-05-ilacs-standard.yaml").write_text("copyright: © Crown copyright 2019\nparagraphs:\n  1: \"\"\n  x: Words.\n")
    (bad / "2030-01-sif.yaml").write_text("copyright: x\nparagraphs: {1: Words.}\n")
    result = run_cli("build", "--content", "content", "--templates", str(ROOT / "templates"), "--out", "site", cwd=tmp_path)
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert "content/councils/northdale/reports/2019-05-ilacs-standard.yaml:3: paragraph 1 has no text." in result.stderr
    assert 'content/councils/northdale/reports/2019-05-ilacs-standard.yaml:4: "x" is not a paragraph number.' in result.stderr
    assert 'content/councils/northdale/reports/2030-01-sif.yaml:1: "2030-01-sif" is not an inspection of this council' in result.stderr


def test_real_pages_with_words_stay_under_100_kb(tmp_path: Path) -> None:
    out = tmp_path / "site"
    build(BuildConfig(ROOT / "content", ROOT / "templates", out, parse_base_url("/")))
    quoted = [p for p in out.rglob("index.html") if 'class="quote"' in p.read_text(encoding="utf-8")]
    assert len(quoted) >= 10
    for path in quoted:
        html = path.read_text(encoding="utf-8")
        assert path.stat().st_size < 100_000, path
        ids = re.findall(r'<details class="quote" id="([^"]+)"', html)
        assert len(ids) == len(set(ids)), f"{path}: a paragraph shown twice"
        for target in re.findall(r'<span class="cite">\(<a href="#([^"]+)"', html):
            assert target in ids, f"{path}: a citation jumps to #{target}, which is not on the page"


@pytest.mark.skipif(not YORK_2022.exists(), reason="needs ../shared/reports")
def test_import_writes_the_words_and_never_overwrites_them(tmp_path: Path) -> None:
    out = tmp_path / "york"
    first = run_cli("import-pdf", str(YORK_2022), "--out", str(out), "--content", str(ROOT / "content"))
    assert first.returncode == 0, first.stderr
    words = out / "reports" / "2022-03-ilacs-standard.yaml"
    text = words.read_text(encoding="utf-8")
    assert "copyright: © Crown copyright 2022" in text
    assert "resulted in children remaining in situations of harm for too long." in text  # para 7, the report's words
    words.write_text(text.replace("too long", "too long (curated)"), encoding="utf-8")
    again = run_cli("import-pdf", str(YORK_2022), "--out", str(out), "--content", str(ROOT / "content"), "--force")
    assert again.returncode == 0 and "kept" in again.stdout
    assert "(curated)" in words.read_text(encoding="utf-8")
    inspection = out / "2022-03-ilacs-standard.md"
    refused = run_cli("import-pdf", str(YORK_2022), "--words-for", str(inspection), "--content", str(ROOT / "content"))
    assert refused.returncode == 1 and "already exists" in refused.stderr
    forced = run_cli("import-pdf", str(YORK_2022), "--words-for", str(inspection), "--force", "--content", str(ROOT / "content"))
    assert forced.returncode == 0 and "(curated)" not in words.read_text(encoding="utf-8")


@pytest.mark.skipif(not YORK_2022.exists(), reason="needs ../shared/reports")
def test_kept_words_match_the_pdf() -> None:
    """The words kept for York 2022 are what the importer reads from its PDF today."""
    from generator.importer.layout import body_lines
    from generator.importer.pdftext import read_pdf
    from generator.quotes import read_words
    from generator.problems import Problems

    found = read_words(ROOT / "content" / "councils" / "york" / "reports" / "2022-03-ilacs-standard.yaml", Problems())
    assert found is not None
    assert found[1] == paragraph_texts(body_lines(read_pdf(YORK_2022)))


def test_a_warm_build_parses_no_words_file(monkeypatch: pytest.MonkeyPatch) -> None:
    import generator.quotes as quotes
    from generator.cache import ParseCache
    from generator.problems import Problems

    folder = FIXTURES / "site" / "councils" / "northdale"
    slugs = {p.stem: p for p in folder.glob("*.md")}
    memo = ParseCache()
    first = quotes.council_words(folder, "northdale", slugs, {"2019-05-ilacs-standard": {3}}, Problems(), memo=memo)
    assert first["northdale/2019-05-ilacs-standard"].paragraphs == {3: "Social workers know their children well and see them often."}
    assert first["northdale/2019-05-ilacs-standard"].numbers == {1, 2, 3}

    def no_parsing(*_args: object) -> None:
        raise AssertionError("parsed again")

    monkeypatch.setattr(quotes, "words_of", no_parsing)
    again = quotes.council_words(folder, "northdale", slugs, {"2019-05-ilacs-standard": {3}}, Problems(), memo=memo)
    assert again == first
