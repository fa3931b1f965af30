"""The live preview: build with drafts, serve on 127.0.0.1, rebuild and reload on every change."""
from __future__ import annotations

import logging
import tempfile
import webbrowser
from pathlib import Path

from .build import BuildConfig, BuildError, build
from .urls import Links

log = logging.getLogger(__name__)


def rebuild(config: BuildConfig) -> bool:
    """Build the preview; print problems and keep the last good preview when the content is broken."""
    try:
        result = build(config)
    except BuildError as err:
        print("\n".join(p.format() for p in err.problems.sorted()))
        print(f"{len(err.problems)} problem(s): the preview shows the last good build.")
        return False
    print(f"Rebuilt {result.pages} pages.")
    return True


def serve(content: Path, templates: Path, out: Path | None, links: Links, port: int, open_browser: bool) -> int:
    """Serve the preview with livereload until Ctrl-C."""
    from livereload import Server

    out = out or Path(tempfile.mkdtemp(prefix="inspections-preview-")) / "site"
    config = BuildConfig(content, templates, out, links, drafts=True)
    rebuild(config)
    server = Server()
    for folder in (content, templates):
        server.watch(str(folder), lambda: rebuild(config), delay=0.2)
    address = f"http://127.0.0.1:{port}{links.base_path}"
    print(f"Preview at {address} (Ctrl-C to stop)")
    if open_browser:
        webbrowser.open(address)
    server.serve(root=str(out), host="127.0.0.1", port=port, open_url_delay=None, restart_delay=0)
    return 0
