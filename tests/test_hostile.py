"""Hostile content: scripts, dangerous links and HTML in Markdown or YAML never reach a reader."""
from __future__ import annotations

import re
import shutil
from pathlib import Path

from support import FIXTURES, ROOT, run_cli

HOSTILE_BODY = """
<script>alert('body')</script>
<img src=x onerror="alert('img')">
<a href="javascript:alert('a')">click</a>
[link](javascript:alert('md'))
[data](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)
[vb](vbscript:msgbox)
<iframe src="https://evil.example/"></iframe>
<svg onload="alert('svg')"></svg>
![pixel](https://tracker.example/pixel.gif)
"""


def hostile_site(tmp_path: Path) -> Path:
    """The fixture site with hostile Markdown in a page and HTML in YAML text fields."""
    content = tmp_path / "content"
    shutil.copytree(FIXTURES / "site", content)
    page = content / "councils" / "southvale" / "2019-02-ilacs-short.md"
    text = page.read_text()
    text = text.replace("lead_inspector: null", "lead_inspector: \"<script>alert('yaml')</script>\"")
    text = text.replace("Services are very good.", "Services are very good." + HOSTILE_BODY)
    page.write_text(text)
    council = content / "councils" / "southvale" / "council.yaml"
    council.write_text(council.read_text().replace("short_name: Southvale", "short_name: \"Southvale<img src=x onerror=alert(1)>\""))
    return content


def test_hostile_markdown_and_yaml_are_neutralised(tmp_path: Path) -> None:
    content = hostile_site(tmp_path)
    result = run_cli("build", "--content", str(content), "--templates", str(ROOT / "templates"), "--out", str(tmp_path / "site"),
                     "--no-search", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    for page in (tmp_path / "site").rglob("*.html"):
        html = page.read_text()
        scripts = re.findall(r"<script\b[^>]*>", html)
        assert all(re.fullmatch(r'<script src="/assets/[a-z0-9.-]+\.js"( defer)?>', s) for s in scripts), (page, scripts)
        assert not re.search(r"<(img|iframe|svg|object|embed)\b", html), page
        assert not re.search(r"<[a-z][^>]*\son[a-z]+\s*=", html, re.I), page  # no event handler on a real tag
        assert not re.search(r'(href|src)="\s*(javascript|data|vbscript):', html, re.I), page
        assert not re.search(r'(href|src)="https://(tracker|evil)\.example', html), page
    shown = (tmp_path / "site" / "southvale" / "2019-02-ilacs-short" / "index.html").read_text()
    assert "&lt;script&gt;alert(&#39;body&#39;)&lt;/script&gt;" in shown or "&lt;script&gt;alert('body')&lt;/script&gt;" in shown
    assert "&lt;script&gt;alert(&#39;yaml&#39;)&lt;/script&gt;" in shown


def test_hostile_names_cannot_write_outside_the_output(tmp_path: Path) -> None:
    content = tmp_path / "content"
    shutil.copytree(FIXTURES / "site", content)
    (content / "councils" / "evil..%2f..").mkdir()
    (content / "pages" / "x..%2f..%2fescape.md").write_text("# Escape\n\nHi.\n")
    (content / "pages" / "..hidden.md").write_text("# Hidden files are never content\n")
    result = run_cli("build", "--content", str(content), "--templates", str(ROOT / "templates"), "--out", str(tmp_path / "site"),
                     "--no-search", cwd=tmp_path)
    assert result.returncode == 1
    assert 'the council folder name "evil..%2f.." may only use small letters' in result.stderr
    assert 'the page file name "x..%2f..%2fescape" may only use small letters' in result.stderr
    assert "hidden" not in result.stderr
    assert not (tmp_path / "escape").exists() and not (tmp_path / "site").exists()
