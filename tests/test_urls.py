"""The base URL: a full URL or a path; every link made under it."""
from __future__ import annotations

import pytest

from generator.urls import BaseUrlError, Links, output_file, parse_base_url


@pytest.mark.parametrize("value, path, site_url", [
    ("/", "/", ""), ("", "/", ""), ("/repo", "/repo/", ""), ("repo/", "/repo/", ""), ("/a/b/", "/a/b/", ""),
    ("https://owner.github.io/repo/", "/repo/", "https://owner.github.io/repo/"),
    ("https://example.org", "/", "https://example.org/")])
def test_base_urls(value: str, path: str, site_url: str) -> None:
    links = parse_base_url(value)
    assert (links.base_path, links.site_url) == (path, site_url)


@pytest.mark.parametrize("value", ["javascript:alert(1)", "ftp://x/", "/a b/", "/../x/", "//evil.example/", "https://x/?q=1",
                                   "/re\x07po/", "https://x.org/\x1b/", "/\x00/"])
def test_bad_base_urls_are_refused_with_a_message(value: str) -> None:
    with pytest.raises(BaseUrlError):
        parse_base_url(value)


def test_links() -> None:
    links = Links("/repo/", "https://o.github.io/repo/")
    assert links.url("york/") == "/repo/york/" and links.url("") == "/repo/" and links.url("/grades/") == "/repo/grades/"
    assert links.absolute("york/") == "https://o.github.io/repo/york/"
    assert output_file("york/") == "york/index.html" and output_file("404.html") == "404.html" and output_file("") == "index.html"
