"""scripts/councils_from_lookup.py: a council's region, as mySociety's lookup gives it (issue 14)."""
from __future__ import annotations

import importlib.util
import re

import pytest

from support import ROOT, SHARED

LOOKUP = SHARED / "councils" / "uk_local_authorities.csv"
spec = importlib.util.spec_from_file_location("councils_from_lookup", ROOT / "scripts" / "councils_from_lookup.py")
script = importlib.util.module_from_spec(spec)
spec.loader.exec_module(script)


def row(code: str, region: str, kind: str = "CTY") -> dict:
    """A lookup row with the fields `region` reads."""
    return {"local-authority-code": code, "region": region, "replaced-by": "", "local-authority-type": kind}


def test_a_county_takes_the_one_region_all_its_districts_share() -> None:
    districts = {"LIN": {"East Midlands"}, "SRY": {"South East"}, "MIX": {"East Midlands", "West Midlands"}}
    assert script.region(row("LIN", "Yorkshire and The Humber"), {}, districts) == "East Midlands"
    assert script.region(row("SRY", "South East"), {}, districts) == "South East"
    # districts that disagree decide nothing; a unitary council has no districts
    assert script.region(row("MIX", "West Midlands"), {}, districts) == "West Midlands"
    assert script.region(row("YOR", "Yorkshire and The Humber", "UA"), {}, districts) == "Yorkshire and the Humber"


@pytest.mark.skipif(not LOOKUP.exists(), reason="../shared/councils is not here")
def test_every_council_yaml_has_the_region_the_lookup_gives() -> None:
    rows = script.upper_tier(LOOKUP)
    districts = script.district_regions(LOOKUP)
    by_name = {r["official-name"]: r for r in rows.values()}
    checked = 0
    for path in sorted((ROOT / "content" / "councils").glob("*/council.yaml")):
        text = path.read_text(encoding="utf-8")
        name = re.search(r"^name: (.+)$", text, re.M)[1].strip()
        if name not in by_name:
            continue
        given = re.search(r"^region: ([^#\n]+)", text, re.M)[1].strip()
        assert given == script.region(by_name[name], rows, districts), path
        checked += 1
    assert checked > 140
    assert script.region(by_name["Lincolnshire County Council"], rows, districts) == "East Midlands"
