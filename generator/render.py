"""Rendering pages through the Jinja templates, with autoescape on and strict variables."""
from __future__ import annotations

import datetime as dt
import logging
import traceback
from pathlib import Path

import jinja2
import jinja2.bccache

from .cache import unseal, write_sealed

from .load import term_index
from .model import PartialDate, Site
from .pages import Page
from .urls import Links, changes_path, council_path, github_issues, inspection_path, sources_path

log = logging.getLogger(__name__)


def long_date(value: dt.date | PartialDate | None) -> str:
    """'7 March 2022', 'November 2018' or '2019'; 'not known' for None."""
    if value is None:
        return "not known"
    if isinstance(value, PartialDate):
        if value.day:
            return long_date(value.first_day)
        return f"{value.first_day:%B %Y}" if value.month else str(value.year)
    return f"{value.day} {value:%B %Y}"


def date_range(start: dt.date, end: dt.date) -> str:
    """'7 to 18 March 2022', '28 February to 4 March 2022' or across years in full."""
    if start == end:
        return long_date(start)
    if start.year != end.year:
        return f"{long_date(start)} to {long_date(end)}"
    if start.month != end.month:
        return f"{start.day} {start:%B} to {long_date(end)}"
    return f"{start.day} to {long_date(end)}"


def make_environment(templates: Path, site: Site, links: Links, reuse: jinja2.Environment | None = None) -> jinja2.Environment:
    """A Jinja environment for one build: autoescape, strict undefined, our filters and helpers.

    `reuse` keeps an earlier environment (a build's from `new_environment`, or the preview's with its
    compiled templates) and only points its helpers at the new site: the preview's rebuilds stay fast.
    """
    env = reuse or new_environment(templates)
    vocab = site.vocab
    env.filters.update({
        "grade_label": lambda g: vocab.grades[g].label if g in vocab.grades else "Not known",
        "grade_short": lambda g: vocab.grades[g].short if g in vocab.grades else "Not known",
        "theme_label": lambda t: vocab.themes[t].label if t in vocab.themes else t,
        "kind_label": lambda k: vocab.kinds[k].label if k in vocab.kinds else k,
    })
    env.globals.update({
        "url": links.url,
        "absolute": links.absolute,
        "settings": site.settings,
        "vocab": vocab,
        "councils": site.councils,
        "all_sources": site.sources,
        "prose_pages": site.pages,
        "term_id": lambda name: term_index(site.glossary).get(name.lower(), ""),
        "site_url": links.site_url,
        # where readers tell us about a mistake: site.yaml's contact_url, else a GitHub Pages site's issues page
        "contact_url": site.settings.contact_url or github_issues(links.site_url),
        "date_range": date_range,
        "council_url": lambda c: links.url(council_path(c)),
        "inspection_url": lambda i: links.url(inspection_path(i.council, i.slug)),
        "changes_url": lambda c: links.url(changes_path(c.council, c.before.slug, c.after.slug)),
        "source_url": lambda s: links.url(sources_path(s.council)) + f"#source-{s.id}",
        "sources_url": lambda council="": links.url(sources_path(council)),
    })
    return env


def describe_template_error(err: Exception, templates: Path) -> tuple[str, int, str]:
    """A template error as (file, line, message) for a curator or developer."""
    if isinstance(err, jinja2.TemplateSyntaxError):
        return (str(Path(templates) / (err.name or "?")), err.lineno or 0, f"template syntax: {err.message}")
    if isinstance(err, jinja2.TemplateNotFound):
        return (str(templates / str(err.name)), 0, f"the template {err.name} is missing")
    frames = [f for f in traceback.extract_tb(err.__traceback__) if f.filename.endswith((".html", ".xml", ".txt"))]
    if frames:
        return (frames[-1].filename, frames[-1].lineno or 0, f"{type(err).__name__}: {err}")
    return (str(templates), 0, f"{type(err).__name__}: {err}")


def new_environment(templates: Path, compiled: Path | None = None, reload: bool = True) -> jinja2.Environment:
    """The Jinja environment itself, before `make_environment` points its helpers at a site.

    `compiled` is a folder where a build keeps compiled templates (checked against each template's
    text) for the next build. With `reload` (the preview), a template changed on disk is reloaded;
    a build's templates do not change while it runs, so it does not look at them again for each page.
    """
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(templates)),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        auto_reload=reload,
        bytecode_cache=_bytecode_cache(compiled),
    )
    # Templates can be compiled before the site is loaded (a filter must exist to compile); the
    # filters that need the site are filled in by make_environment, and looked up as pages render.
    env.filters.update(dict.fromkeys(SITE_FILTERS, _not_yet), long_date=long_date)
    return env


SITE_FILTERS = ("grade_label", "grade_short", "theme_label", "kind_label")


def _not_yet(*_args: object) -> str:
    """A site filter used before make_environment gave it the site: a bug in the generator."""
    raise RuntimeError("a template filter was used before the site was loaded")


def compile_templates(env: jinja2.Environment) -> None:
    """Compile every page template now (one with an error is left for rendering to report)."""
    for name in env.list_templates(extensions=["html"]):
        try:
            env.get_template(name)
        except jinja2.TemplateError:
            continue


def _bytecode_cache(folder: Path | None) -> jinja2.BytecodeCache | None:
    """Jinja's cache of compiled templates in a folder (made if needed); None when there is no folder."""
    if folder is None:
        return None
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError:
        return None
    return SealedBytecodeCache(folder)


class SealedBytecodeCache(jinja2.BytecodeCache):
    """Compiled templates in a folder, each file sealed with a digest of its bytes.

    Jinja checks that a saved file belongs to the template's current text, not that its code is
    whole: a garbled file made every build fail (SystemError, or a crash with no message) until the
    cache was deleted by hand. A file whose seal does not match is ignored, and the template is
    compiled and saved again.
    """

    def __init__(self, folder: Path) -> None:
        self.folder = folder

    def _file(self, bucket: jinja2.bccache.Bucket) -> Path:
        """Where a template's compiled code is kept (the key is a hex digest)."""
        return self.folder / f"{bucket.key}.sealed"

    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        """Fill the bucket from its file when the file is whole; otherwise leave it empty."""
        body = unseal(self._file(bucket))
        if body is not None:
            bucket.bytecode_from_string(body)

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        """Save the bucket's code with its seal, atomically; a cache that cannot be written only means a slower build."""
        try:
            write_sealed(self._file(bucket), bucket.bytecode_to_string())
        except OSError as err:
            log.debug("could not save a compiled template: %s", err)
