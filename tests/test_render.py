"""The Jinja environment: templates compile before the site is loaded, and a broken one is left to rendering."""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from support import FIXTURES, ROOT
from generator.build import BuildConfig, BuildError, build
from generator.render import compile_templates, new_environment
from generator.urls import parse_base_url


def test_every_page_template_compiles_before_the_site_is_loaded() -> None:
    env = new_environment(ROOT / "templates")
    compile_templates(env)
    compiled = {name for _, name in env.cache.keys()}
    assert compiled == set(env.list_templates(extensions=["html"]))


def test_a_broken_template_is_left_for_the_build_to_report(tmp_path: Path) -> None:
    templates = tmp_path / "templates"
    shutil.copytree(ROOT / "templates", templates)
    page = templates / "council.html"
    page.write_text(page.read_text().replace("{% block content %}", "{% block content %}{% if %}", 1))
    compile_templates(new_environment(templates))  # no exception here
    with pytest.raises(BuildError) as err:
        build(BuildConfig(FIXTURES / "site", templates, tmp_path / "site", parse_base_url("/")))
    problem = err.value.problems.sorted()[0]
    assert problem.file.endswith("council.html") and problem.line > 0 and "template syntax" in problem.message
