"""The search index: built by Pagefind before the swap, deterministic, and holding what readers search for.

A real query needs a browser (tests/browser/test_search_browser.py); here the index is read from its
files: each page's fragment is gzip-compressed JSON after a `pagefind_dcd` signature.
"""
from __future__ import annotations

import gzip
import json
import re
from pathlib import Path

import pytest

from support import ROOT, run_cli, tree_digest
from generator.build import BuildConfig, BuildError, build
from generator.load import load_site
from generator.markup import plain_text
from generator.search import BUNDLE, SearchIndexer
from generator.urls import parse_base_url

SIGNATURE = b"pagefind_dcd"


def build_with_search(out: Path, base: str = "/repo/", indexer: SearchIndexer | None = None) -> None:
    """Build the real content with the search index, as `python -m generator build` does."""
    build(BuildConfig(ROOT / "content", ROOT / "templates", out, parse_base_url(base),
                      after_write=(indexer or SearchIndexer(),)))


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The real content with its search index, under /repo/."""
    out = tmp_path_factory.mktemp("search") / "site"
    build_with_search(out)
    return out


@pytest.fixture(scope="module")
def fragments(site: Path) -> dict[str, dict]:
    """Every indexed page's record (url, content, meta), by its URL."""
    out = {}
    for path in sorted((site / BUNDLE / "fragment").glob("*.pf_fragment")):
        data = gzip.decompress(path.read_bytes())
        assert data.startswith(SIGNATURE)
        record = json.loads(data[len(SIGNATURE):])
        out[record["url"]] = record
    return out


def test_the_index_holds_every_page_but_404_and_search(site: Path, fragments: dict[str, dict]) -> None:
    pages = {re.sub(r"(^|/)index\.html$", r"\1", p.relative_to(site).as_posix()) for p in site.rglob("*.html")}
    assert set(fragments) == {"/" + p for p in pages - {"404.html", "search/"}}
    entry = json.loads((site / BUNDLE / "pagefind-entry.json").read_text(encoding="utf-8"))
    assert sum(lang["page_count"] for lang in entry["languages"].values()) == len(fragments)


def test_a_council_is_found_by_name_former_name_and_town(fragments: dict[str, dict]) -> None:
    site, _ = load_site(ROOT / "content")
    for council in site.shown_councils():
        text = fragments[f"/{council.slug}/"]["content"]
        assert council.name in text
        for name in council.former_names:
            assert name in text
        for town in council.towns:
            assert town in text
        for predecessor in council.predecessors:  # the councils it took over from
            assert predecessor.name in text
    assert "North Yorkshire County Council" in fragments["/north-yorkshire/"]["content"]
    assert "Harrogate" in fragments["/north-yorkshire/"]["content"]


def in_order(words: list[str], text: list[str]) -> bool:
    """Whether every one of `words` is in `text`, in the same order (other words may come between)."""
    rest = iter(text)
    return all(any(word == seen for seen in rest) for word in words)


def test_an_inspection_is_found_by_the_words_of_its_summary(fragments: dict[str, dict]) -> None:
    site, _ = load_site(ROOT / "content")
    for inspection in site.published_inspections():
        text = " ".join(fragments[f"/{inspection.council}/{inspection.slug}/"]["content"].split())
        if not inspection.explained:  # a facts page: found by the report's own words (glossary links may add words)
            words = re.findall(r"\w+", text)
            assert all(in_order(re.findall(r"\w+", m.text), words) for m in inspection.improvements), inspection.key
            continue
        first = re.split(r"\.\s", plain_text(inspection.sections[0].markdown))[0]  # a sentence may end at a line's end
        assert " ".join(first.split()) in text, inspection.key


def test_only_the_main_text_is_indexed(fragments: dict[str, dict]) -> None:
    """Menus, footers and the 'Words on this page' box would make every page match everything."""
    for record in fragments.values():
        assert "This site is not run by Ofsted" not in record["content"]
        assert "Words on this page" not in record["content"]
        assert "Skip to the main text" not in record["content"]


def test_two_builds_with_search_are_byte_identical(tmp_path: Path, site: Path) -> None:
    build_with_search(tmp_path / "again")
    assert tree_digest(tmp_path / "again") == tree_digest(site)


def test_a_failed_index_leaves_the_previous_site(tmp_path: Path) -> None:
    out = tmp_path / "site"
    build_with_search(out)
    before = tree_digest(out)
    for command in [("false",), ("true",), ("/no/such/pagefind",)]:  # fails; says nothing but writes nothing; missing
        with pytest.raises(BuildError) as err:
            build_with_search(out, indexer=SearchIndexer(command=command))
        assert "build --no-search" in err.value.problems.sorted()[0].format()
        assert tree_digest(out) == before
    assert not list(tmp_path.glob(".site.new-*"))


def test_build_no_search_skips_the_index(tmp_path: Path) -> None:
    result = run_cli("build", "--out", str(tmp_path / "site"), "--no-search", "--base-url", "/repo/", "--timings")
    assert result.returncode == 0, result.stderr
    assert not (tmp_path / "site" / BUNDLE).exists()
    assert (tmp_path / "site" / "search" / "index.html").is_file()
    assert "search index" not in result.stdout


def test_build_indexes_by_default_and_reports_the_time_on_its_own_line(tmp_path: Path) -> None:
    result = run_cli("build", "--out", str(tmp_path / "site"), "--base-url", "/repo/", "--timings")
    assert result.returncode == 0, result.stderr
    assert re.search(r"^  search index: \d+\.\d+ s$", result.stdout, re.M), result.stdout
    assert (tmp_path / "site" / BUNDLE / "pagefind-ui.js").is_file()


def test_the_search_page_has_no_inline_script_or_style(site: Path) -> None:
    page = (site / "search" / "index.html").read_text(encoding="utf-8")
    assert re.findall(r"<script\b[^>]*>", page) == ['<script src="/repo/assets/search.js" defer>']
    assert "<style" not in page and " style=" not in page
    assert "Search needs JavaScript" in page
    assert 'data-bundle="/repo/pagefind/"' in page
    # Pagefind's stylesheet draws its search icon from a data: image; only this page allows that.
    assert "img-src 'self' data:;" in page
    assert "img-src 'self';" in (site / "index.html").read_text(encoding="utf-8")


def test_the_search_box_on_the_home_page_goes_to_the_search_page(site: Path) -> None:
    page = (site / "index.html").read_text(encoding="utf-8")
    form = re.search(r'<form[^>]*role="search"[^>]*>', page)
    assert form and 'action="/repo/search/"' in form[0] and 'method="get"' in form[0]
    assert 'name="q"' in page
