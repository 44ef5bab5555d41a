"""The actor lexicons (data files under nlp/patterns/actors/), loaded once per process.

- organisations: canonical name, aliases, country, CAMEO-style code, kind (militant, igo, media ...)
- countries: ISO alpha-2 -> CAMEO code, canonical name, aliases, demonyms, capitals
- titles: role nouns and offices -> sector code
- places: place names the small model mislabels (used by the entity ruler)

Countries missing from countries.tsv still resolve through pycountry (name -> alpha-2, alpha-3 as the code).
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from pathlib import Path

import pycountry

PATTERNS = Path(__file__).parent / "patterns" / "actors"


@dataclass(frozen=True, slots=True)
class Organisation:
    name: str
    aliases: tuple[str, ...]
    country: str | None
    actor: str
    kind: str


@dataclass(frozen=True, slots=True)
class Country:
    cc: str
    cameo: str
    name: str
    aliases: tuple[str, ...]
    demonyms: tuple[str, ...]
    capitals: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Title:
    title: str
    sector: str | None
    office: str  # "office" | "person" | "group"


def _rows(filename: str) -> list[list[str]]:
    """Data rows of a TSV file: comments (#) and the header line skipped, columns padded to the header's width."""
    rows: list[list[str]] = []
    header: list[str] | None = None
    for line in (PATTERNS / filename).read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        cells = line.split("\t")
        if header is None:
            header = cells
            continue
        rows.append([c.strip() for c in cells] + [""] * (len(header) - len(cells)))
    return rows


def _split(cell: str) -> tuple[str, ...]:
    return tuple(part.strip() for part in cell.split("|") if part.strip())


def _none_if_dash(cell: str) -> str | None:
    return None if cell in ("", "-") else cell


@functools.cache
def organisations() -> tuple[Organisation, ...]:
    return tuple(Organisation(name, _split(aliases), _none_if_dash(cc), actor, kind)
                 for name, aliases, cc, actor, kind, *_ in _rows("organisations.tsv"))


@functools.cache
def organisation_by_alias() -> dict[str, Organisation]:
    """Every spelling (and its lower-case form) -> the organisation."""
    out: dict[str, Organisation] = {}
    for org in organisations():
        for alias in (org.name, *org.aliases):
            for form in (alias, alias.lower()):
                out.setdefault(form, org)
    return out


def find_organisation(text: str) -> Organisation | None:
    """The dictionary organisation for an entity text ("the Afghan Taliban", "ISI"), or None.

    Case-insensitive only for ALL-CAPS words longer than an acronym ("TALIBAN"), so "WHO" never matches "who"."""
    by_alias = organisation_by_alias()
    text = text.strip()
    for form in (text, strip_article(text)):
        if form in by_alias:
            return by_alias[form]
    bare = strip_article(text)
    return by_alias.get(bare.lower()) if bare.isupper() and len(bare) > 5 else None


@functools.cache
def countries() -> tuple[Country, ...]:
    return tuple(Country(cc, cameo, name, _split(aliases), _split(demonyms), _split(capital))
                 for cc, cameo, name, aliases, demonyms, capital, *_ in _rows("countries.tsv"))


@functools.cache
def _country_index() -> tuple[dict[str, Country], dict[str, Country], dict[str, Country]]:
    """(names and aliases, demonyms, capitals) -> Country; pycountry fills in the countries not curated."""
    by_name: dict[str, Country] = {}
    by_demonym: dict[str, Country] = {}
    by_capital: dict[str, Country] = {}
    curated = {c.cc: c for c in countries()}
    for c in countries():
        for n in (c.name, *c.aliases):
            by_name[n] = c
        for d in c.demonyms:
            by_demonym[d] = c
        for cap in c.capitals:
            by_capital[cap] = c
    for pc in pycountry.countries:
        c = curated.get(pc.alpha_2) or Country(pc.alpha_2, pc.alpha_3, getattr(pc, "common_name", pc.name), (), (), ())
        for alias in (pc.name, getattr(pc, "common_name", None), getattr(pc, "official_name", None)):
            if alias:
                by_name.setdefault(str(alias), c)
    return by_name, by_demonym, by_capital


def country_named(text: str) -> Country | None:
    """The country a name or alias denotes ("Pakistan", "the U.S."), case-insensitive for ALL-CAPS text."""
    by_name = _country_index()[0]
    text = strip_article(text.strip())
    return by_name.get(text) or (by_name.get(text.title()) if text.isupper() and len(text) > 3 else None)


def country_of_demonym(text: str) -> Country | None:
    by_demonym = _country_index()[1]
    text = text.strip()
    return by_demonym.get(text) or (by_demonym.get(text.title()) if text.isupper() else None)


def country_of_capital(text: str) -> Country | None:
    by_capital = _country_index()[2]
    text = text.strip()
    return by_capital.get(text) or (by_capital.get(text.title()) if text.isupper() else None)


def country_mentioned(text: str) -> Country | None:
    """A country named by a name, alias or demonym (not a capital): "Pakistani", "U.S.", "Afghanistan's"."""
    text = text.strip().removesuffix("'s").removesuffix("\u2019s")
    return country_named(text) or country_of_demonym(text)


def country_by_code(cc: str | None) -> Country | None:
    if not cc:
        return None
    for c in countries():
        if c.cc == cc:
            return c
    pc = pycountry.countries.get(alpha_2=cc)
    return Country(pc.alpha_2, pc.alpha_3, getattr(pc, "common_name", pc.name), (), (), ()) if pc else None


def actor_code(cc: str | None, sector: str | None) -> str | None:
    """CAMEO-style code: the country's code plus the sector ("PK", "GOV" -> "PAKGOV"); None without a country."""
    country = country_by_code(cc)
    if country is None:
        return None
    return country.cameo + (sector or "")


@functools.cache
def titles() -> dict[str, Title]:
    return {t: Title(t, _none_if_dash(sector), office) for t, sector, office, *_ in _rows("titles.tsv")}


@functools.cache
def office_title_words() -> frozenset[str]:
    """Every word of a state office title ("secretary", "state", "prime", "minister" ...)."""
    return frozenset(w for t in titles().values() if t.office == "office" for w in t.title.split())


@functools.cache
def max_title_words() -> int:
    return max(len(t.split()) for t in titles())


def find_title(words: list[str]) -> tuple[int, Title] | None:
    """The longest title that ends the word list (["Pakistani", "Prime", "Minister"] -> 2 words, prime minister)."""
    lowered = [w.lower() for w in words]
    for n in range(min(len(lowered), max_title_words()), 0, -1):
        title = titles().get(" ".join(lowered[-n:]))
        if title is not None:
            return n, title
    return None


@functools.cache
def places() -> dict[str, tuple[str, str | None]]:
    """Curated place names -> (label, alpha-2)."""
    return {name: (label, _none_if_dash(cc)) for name, label, cc, *_ in _rows("places.tsv")}


def strip_article(text: str) -> str:
    for article in ("the ", "The ", "THE "):
        if text.startswith(article):
            return text[len(article):]
    return text


@functools.cache
def acting_words() -> dict[str, frozenset[str]]:
    """Words whose preposition's object is who acts ("pressure from Lithuania", "talk to Moscow"): acting_words.tsv."""
    return {word: frozenset(prepositions.split("|")) for word, prepositions, *_ in _rows("acting_words.tsv")}


@functools.cache
def org_keywords() -> dict[str, str]:
    return {word: sector for word, sector, *_ in _rows("org_keywords.tsv")}


def sector_of_org_name(name: str) -> str | None:
    """The sector a word of an organisation's name tells ("Pakistan Institute of Peace Studies" -> EDU)."""
    keywords = org_keywords()
    for word in name.lower().replace("-", " ").split():
        if word in keywords:
            return keywords[word]
    return None



def place_country(name: str) -> str | None:
    """Alpha-2 of the most populous place exactly so named in the gazetteer ("Chaman" -> PK), or None."""
    try:
        from dateline.nlp.gazetteer import candidates
    except ImportError:
        return None
    try:
        found = [c for c in candidates(name, limit=3) if c.exact]
    except Exception:  # no gazetteer index: affiliation from places is a bonus, never a failure
        return None
    return str(found[0].country) if found and found[0].country else None
