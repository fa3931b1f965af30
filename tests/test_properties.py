"""Property-based tests of the reading and checking layer: any input gives problems or a value, never a crash."""
from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

from hypothesis import HealthCheck, given, settings, strategies as st

from support import FIXTURES
from generator.fields import SLUG, check_slug
from generator.load import load_site
from generator.model import PartialDate, Period
from generator.problems import Problems
from generator.yamlio import load_yaml, split_front_matter

yaml_like = st.text(alphabet=st.sampled_from(list("abc:-[]{}!&*#|>'\"\t\n 0123456789.,?%@`\\\u00e9\ufeff")), max_size=200)


@settings(max_examples=400, deadline=None)
@given(yaml_like)
def test_yaml_never_raises_and_problems_have_lines(text: str) -> None:
    problems = Problems()
    load_yaml(text, Path("x.yaml"), problems)
    assert all(p.line >= 0 and p.message and p.hint for p in problems.items)


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=300))
def test_front_matter_never_raises(text: str) -> None:
    problems = Problems()
    parsed = split_front_matter(text, Path("x.md"), problems)
    assert parsed is not None or problems


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.text(max_size=400))
def test_any_inspection_file_gives_a_site_or_messages(tmp_path_factory, text: str) -> None:
    content = tmp_path_factory.mktemp("prop") / "content"
    shutil.copytree(FIXTURES / "site", content)
    (content / "councils" / "southvale" / "2019-02-ilacs-short.md").write_text(text, encoding="utf-8", errors="surrogatepass")
    site, problems = load_site(content)
    assert (site is None) == bool(problems)
    for problem in problems.items:
        assert problem.file and problem.message and problem.hint


@given(st.integers(1990, 2100), st.integers(0, 12), st.integers(0, 28))
def test_partial_dates_order_by_their_first_day(year: int, month: int, day: int) -> None:
    date = PartialDate(year, month, day if month else 0)
    assert date.first_day.year == year
    assert date.iso.startswith(f"{year:04d}")
    assert len(date.iso) == (10 if date.day else 7 if date.month else 4)


@given(st.dates(), st.dates(), st.dates())
def test_a_period_holds_between_its_ends(a: dt.date, b: dt.date, day: dt.date) -> None:
    start, until = min(a, b), max(a, b)
    assert Period("x", start, until).holds_on(day) == (start <= day <= until)


@given(st.text(max_size=40))
def test_only_safe_slugs_pass(slug: str) -> None:
    ok = check_slug(slug, Path("x"), Problems(), 1, "slug")
    assert ok == bool(SLUG.fullmatch(slug))
    if ok:
        assert "/" not in slug and ".." not in slug and not slug.startswith("-")
