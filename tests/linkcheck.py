# Copied from the shared hooks so the tests do not need ../shared to run.
"""Check every internal link and asset reference in a built site resolves, under an optional base path.

usage: links.py SITE_DIR [BASE_PATH]   -> prints 'pages=N links=M broken=K' and the first broken ones.
"""
import sys, os, posixpath
from html.parser import HTMLParser
from urllib.parse import urlsplit, unquote

class Refs(HTMLParser):
    def __init__(self):
        super().__init__()
        self.refs, self.ids = [], set()
    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if "id" in a: self.ids.add(a["id"])
        for k in ("href", "src"):
            if a.get(k) and not (tag == "link" and a.get("rel") in ("canonical", "alternate") and a[k].startswith("http")):
                self.refs.append(a[k])

def main(site, base="/"):
    base = "/" + base.strip("/") + "/" if base.strip("/") else "/"
    pages = links = 0
    broken = []
    for root, _, files in os.walk(site):
        for f in files:
            if not f.endswith(".html"): continue
            path = os.path.join(root, f)
            rel = "/" + os.path.relpath(path, site).replace(os.sep, "/")
            p = Refs(); p.feed(open(path, encoding="utf-8", errors="replace").read())
            pages += 1
            for ref in p.refs:
                u = urlsplit(ref)
                if u.scheme or ref.startswith(("//", "mailto:", "tel:", "#", "data:")): continue
                links += 1
                if u.path.startswith("/"):
                    if not u.path.startswith(base):
                        broken.append((rel, ref, "outside base path")); continue
                    target = "/" + u.path[len(base):]
                else:
                    here = posixpath.dirname(rel)
                    target = posixpath.normpath(posixpath.join(here, u.path)) if u.path else rel
                target = unquote(target)
                fs = os.path.join(site, target.lstrip("/"))
                if target.endswith("/") or os.path.isdir(fs): fs = os.path.join(fs, "index.html")
                if not os.path.isfile(fs):
                    broken.append((rel, ref, "missing")); continue
    print(f"pages={pages} links={links} broken={len(broken)}")
    for b in broken[:10]: print("  broken:", *b)
    return 1 if broken or pages == 0 else 0

if __name__ == "__main__":
    sys.exit(main(sys.argv[1], sys.argv[2] if len(sys.argv) > 2 else "/"))
