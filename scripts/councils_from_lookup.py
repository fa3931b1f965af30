"""Write a council.yaml for every council folder of an Ofsted reports manifest, from mySociety's lookup.

Usage: python scripts/councils_from_lookup.py MANIFEST.csv LOOKUP.csv [--content content]

Each council of the manifest (its `council` column is the folder name, kept as the council's slug)
is matched to its row of the lookup (uk_local_authorities.csv, mySociety, MIT licence) by name. The
file gets the name now, the short name, the region, the Ofsted URN (from the manifest), the DfE
number and ONS codes (from the lookup), the names it had and the councils it took over from
(from the lookup's start-date, end-date and replaced-by), each cited to its source. A value no
source gives is left out or written as null: this script never guesses one.

A folder that already has a council.yaml is left alone: curated files are never overwritten.
"""
from __future__ import annotations

import argparse
import csv
import datetime as dt
import re
import sys
from pathlib import Path

import yaml

# Children's services are run by the upper tier (README of the lookup).
UPPER_TIER = ("CTY", "UA", "MD", "LBO", "CC")
LOOKUP_SOURCE = "mysociety-la-names-codes"
URN_SOURCE = "ofsted-reports-manifest"
# The manifest names one council in a way the lookup does not list among its names.
ALIASES = {"london corporation": "city of london corporation"}


def norm(text: str) -> str:
    """A name reduced to lower-case words, '&' as 'and', for matching."""
    text = ALIASES.get(text.lower().strip(), text)
    return re.sub(r"[^a-z0-9]+", " ", text.lower().replace("&", " and ")).strip()


def upper_tier(lookup: Path) -> dict[str, dict]:
    """The lookup's English upper-tier councils, by their three-letter code."""
    with lookup.open(encoding="utf-8") as f:
        rows = [r for r in csv.DictReader(f) if r["nation"] == "England" and r["local-authority-type"] in UPPER_TIER]
    return {r["local-authority-code"]: r for r in rows}


def district_regions(lookup: Path) -> dict[str, set[str]]:
    """For each county's code, the regions its current districts are in (as the lookup's own rows say)."""
    out: dict[str, set[str]] = {}
    with lookup.open(encoding="utf-8") as f:
        for r in csv.DictReader(f):
            if r["county-la"] and not r["end-date"] and r["nation"] == "England":
                out.setdefault(r["county-la"], set()).add(r["region"])
    return out


def name_index(rows: dict[str, dict]) -> dict[str, set[str]]:
    """Every name and alternative name of the lookup -> the codes of councils that had it."""
    index: dict[str, set[str]] = {}
    for code, r in rows.items():
        names = {r["official-name"], r["nice-name"], *r["alt-names"].split(",")}
        for name in filter(None, names):
            index.setdefault(norm(name), set()).add(code)
    return index


def match(slug: str, named: str, rows: dict[str, dict], index: dict[str, set[str]]) -> dict:
    """The one current council of the lookup that a manifest folder is about."""
    codes = index.get(norm(named), set()) | index.get(norm(slug.replace("-", " ")), set())
    current = [rows[c] for c in sorted(codes) if not rows[c]["end-date"]]
    if len(current) != 1:
        raise SystemExit(f"{slug}: {len(current)} current councils in the lookup match '{named}'; add it to ALIASES")
    return current[0]


def day(text: str) -> dt.date | None:
    """A lookup date, or None."""
    return dt.date.fromisoformat(text) if text else None


def last_day(row: dict, successor_start: dt.date | None) -> dt.date | None:
    """The last day a council existed. The lookup gives some councils an end-date equal to their
    successor's start-date (the day they ended); the last day is then the day before."""
    end = day(row["end-date"])
    if end and successor_start and end >= successor_start:
        return successor_start - dt.timedelta(days=1)
    return end


def region(row: dict, rows: dict[str, dict], districts: dict[str, set[str]] | None = None) -> str:
    """The council's region as the site writes it ('Yorkshire and the Humber').

    A county's region is the one all its current districts share, where the lookup's own rows for them
    agree with each other and not with the county's row (Lincolnshire's row says Yorkshire and the Humber;
    its seven districts, and the ONS, say East Midlands).
    """
    found = row["region"] or next((rows[c]["region"] for c in row["replaced-by"].split(",") if c in rows), "")
    theirs = (districts or {}).get(row["local-authority-code"], set())
    if row["local-authority-type"] == "CTY" and len(theirs) == 1 and found not in theirs:
        found = next(iter(theirs))
    return found.replace("Yorkshire and The Humber", "Yorkshire and the Humber")


def predecessors(row: dict, rows: dict[str, dict]) -> list[dict]:
    """The upper-tier councils the lookup says this council replaced."""
    out = []
    for code, r in sorted(rows.items(), key=lambda kv: (kv[1]["end-date"], kv[1]["official-name"])):
        successors = [c for c in r["replaced-by"].split(",") if c]
        if row["local-authority-code"] not in successors:
            continue
        entry = {"name": r["official-name"], "until": last_day(r, day(row["start-date"])), "ons_code": r["gss-code"]}
        if r["old-ons-la-code"]:
            entry["dfe_la_code"] = int(r["old-ons-la-code"])
        others = [rows[c]["official-name"] for c in successors if c != row["local-authority-code"] and c in rows]
        if others:
            entry["shared_with"] = others
        out.append(entry)
    return out


def council_data(row: dict, rows: dict[str, dict], urn: str, districts: dict[str, set[str]] | None = None) -> dict:
    """The council.yaml mapping for one council."""
    before = predecessors(row, rows)
    start = day(row["start-date"])
    data: dict = {"draft": False, "name": row["official-name"].replace("  ", " "), "short_name": row["nice-name"],
                  "region": region(row, rows, districts), "ofsted_urn": int(urn)}
    data["dfe_la_code"] = int(row["old-ons-la-code"]) if row["old-ons-la-code"] else None
    if len(before) == 1 and not before[0].get("shared_with") and start:
        # one council took over from one other: the same children's services under a new name
        data["names"] = [{"name": before[0]["name"], "until": before[0]["until"]},
                         {"name": data["name"], "from": start}]
        data["ons_codes"] = [{"code": before[0]["ons_code"], "until": before[0]["until"]},
                             {"code": row["gss-code"], "from": start}]
    else:
        codes = [{"code": row["gss-code"]}]
        if row["former-gss-codes"]:
            # the lookup gives no dates for a former code: the code now comes first, so it is the one shown
            codes += [{"code": c} for c in row["former-gss-codes"].split(",") if c]
        data["ons_codes"] = codes
        if before:
            data["predecessors"] = before
    data["sources"] = [URN_SOURCE, LOOKUP_SOURCE]
    return data


class PlainDumper(yaml.SafeDumper):
    """YAML as a person writes it: a value used twice is written twice, never as an anchor and alias."""

    def ignore_aliases(self, data: object) -> bool:
        """Never write anchors."""
        return True


def dump(data: dict) -> str:
    """Plain YAML, keys in order, as a curator would write it."""
    return yaml.dump(data, Dumper=PlainDumper, sort_keys=False, allow_unicode=True, width=100, default_flow_style=False)


def main(argv: list[str] | None = None) -> int:
    """Write the missing council.yaml files; print one line per council."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("manifest", type=Path)
    parser.add_argument("lookup", type=Path)
    parser.add_argument("--content", type=Path, default=Path("content"))
    args = parser.parse_args(argv)
    rows = upper_tier(args.lookup)
    districts = district_regions(args.lookup)
    index = name_index(rows)
    with args.manifest.open(encoding="utf-8") as f:
        manifest = list(csv.DictReader(f))
    councils = {m["council"]: (m["council_as_named"], m["ofsted_urn"]) for m in manifest}
    written = 0
    for slug, (named, urn) in sorted(councils.items()):
        target = args.content / "councils" / slug / "council.yaml"
        if target.exists():
            print(f"kept    {target} (already there)")
            continue
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(dump(council_data(match(slug, named, rows, index), rows, urn, districts)), encoding="utf-8")
        written += 1
        print(f"wrote   {target}")
    print(f"{written} written, {len(councils) - written} kept")
    return 0


if __name__ == "__main__":
    sys.exit(main())
