"""dateline_places: every place name in the article, resolved to a GeoNames entry with coordinates.

Recognition: spaCy GPE/LOC/FAC entities, plus ORG/PERSON/NORP entities and capitalised runs the model missed
when their text is a strong gazetteer match. Demonyms ("Pakistani") are not places; they count toward the
article's country context.
Resolution: each distinct name is resolved once per article. Candidates (exact key, else spelling variant) are
ranked by feature kind, population and whether the name is the place's own; then by the article's countries
and first-level divisions, containment cues ("Chaman, in Pakistan's Balochistan province", "the Afghan border
town of Spin Boldak", "Kabul, Afghanistan") and the dateline. Two passes: the first settles the article's
countries from the confident places, the second uses them.
"""

from __future__ import annotations

import csv
import functools
import logging
import math
import re
from collections import Counter, defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from spacy.language import Language
from spacy.tokens import Doc, Span

from dateline.nlp.gazetteer import POPULATED, Candidate, Gazetteer, gazetteer, name_key

log = logging.getLogger(__name__)

PATTERNS = Path(__file__).resolve().parents[1] / "patterns" / "places"
PLACE_LABELS = ("GPE", "LOC", "FAC")
CHECKED_LABELS = ("ORG", "PERSON", "NORP")  # the small model often gives places these labels
PLACE_PREPOSITIONS = {"in", "at", "near", "from", "to", "outside", "across", "into", "toward", "towards", "via"}
# What a strong match must reach to turn a non-place entity or an untagged run into a place.
STRONG_POPULATION = 10_000
BIG_CITY = 100_000
# Ranking weights: a kind's prior, then population (log scale), then the article's own evidence.
KIND_PRIOR = {"country": 2.0, "continent": 1.9, "capital": 1.8, "admin1": 1.6, "region": 1.5, "border": 1.5, "sea": 1.5,
              "river": 1.3, "mountains": 1.3, "pass": 1.2, "canal": 1.2, "city": 1.0, "town": 0.7, "village": 0.4,
              "admin2": 0.3}
MAIN_NAME_BONUS = 1.0
# Countries, first-level divisions, capitals and curated features are what their own bare name usually means:
# "Egypt" is the country, not Egypt, Pennsylvania, even in a local U.S. paper. (Alternate names do not count,
# but for countries: "Alexandria" is a town before it is the governorate Al Iskandariyah.)
AREA_KINDS = ("country", "continent", "capital", "admin1", "region", "border", "sea", "river", "mountains", "pass",
              "canal")
AREA_BONUS = 3.0
# A capital is a weaker default than a country or a state: local news has many Dublins and Athenses. It keeps the
# full bonus against a division of its own country of the same name (Washington, D.C. over the state).
CAPITAL_BONUS = 1.0
COUNTRY_CONTEXT = 2.5
ADMIN1_CONTEXT = 1.5
CUE_BONUS = 3.0
DATELINE_BONUS = 1.0
UNKNOWN_CONFIDENCE = 0.1
VOTING_ROUNDS = 2  # context from the names' likely readings, then again from the readings that context favours
VOTE_SHARPNESS = 2.0
# After "X, " or "X in " a following place may contain X; "Y's X" is X in Y.
_TRAILING_CONNECTOR = re.compile(r",\s*(?:(?:in|near|outside|on)\s+)?|\s+in\s+")
_POSSESSIVE = re.compile(r"['\u2019]s\s+")
# name_key transliterates and folds with regexes; the same few names and divisions are keyed again and again
# while candidates are scored, so its answers are remembered (it is a pure function of the name).
_key = functools.lru_cache(maxsize=65_536)(name_key)


def _tsv(path: Path) -> Iterator[list[str]]:
    with path.open(encoding="utf-8", newline="") as f:
        for row in csv.reader(f, delimiter="\t", quoting=csv.QUOTE_NONE):
            if row and not row[0].startswith("#"):
                yield row


@functools.cache
def demonyms() -> dict[str, str]:
    """Demonym key -> ISO country code, or "" for peoples of no one country ("Arab") (patterns/places/demonyms.tsv)."""
    return {name_key(word): row[1].strip("-") for row in _tsv(PATTERNS / "demonyms.tsv") for word in row[0].split("|")}


@dataclass
class Mention:
    start: int
    end: int
    text: str
    key: str
    label: str
    tok_start: int
    tok_end: int


@dataclass
class Context:
    """What the article says about where it is: weights per country, named divisions, the dateline's country."""

    # country -> mention key -> how often that name placed the article there
    countries: dict[str, dict[str, float]] = field(default_factory=lambda: defaultdict(lambda: defaultdict(float)))
    # division key -> mention key -> how strongly that name places the article there
    admin1: dict[str, dict[str, float]] = field(default_factory=lambda: defaultdict(lambda: defaultdict(float)))
    dateline_country: str | None = None
    # mention key -> (country, admin1 key or None) from containment cues
    cues: dict[str, set[tuple[str, str | None]]] = field(default_factory=lambda: defaultdict(set))
    _others: dict[str, dict[str, float]] = field(default_factory=dict)  # memo of country_weight

    def admin1_weight(self, admin1: str | None, key: str) -> float:
        """How strongly other names in the article place it in this division (0..1)."""
        if not admin1:
            return 0.0
        by_key = self.admin1.get(_key(admin1))
        if not by_key:
            return 0.0
        return min(1.0, (sum(by_key.values()) - by_key.get(key, 0)) / 2)

    def country_weight(self, iso: str | None, key: str) -> float:
        """How much the rest of the article (all but this name) is about this country, relative to its top
        country (0..1): a name repeated 14 times does not vote for its own reading."""
        if not iso:
            return 0.0
        others = self._others.get(key)
        if others is None:
            others = {c: sum(by_key.values()) - by_key.get(key, 0.0) for c, by_key in self.countries.items()}
            self._others[key] = others
        top = max(others.values(), default=0.0)
        return others.get(iso, 0.0) / top if top > 0 else 0.0


def prior(c: Candidate, rival_divisions: frozenset[str] = frozenset()) -> float:
    """How likely the candidate is before reading the article (``rival_divisions``: countries with a division
    of the same name among the candidates)."""
    bonus = 0.0
    if c.kind in AREA_KINDS and c.exact and (c.main or c.kind == "country"):
        bonus = CAPITAL_BONUS if c.kind == "capital" and c.country not in rival_divisions else AREA_BONUS
    return (KIND_PRIOR.get(c.kind, 1.0) + math.log10(c.population + 10) / 8
            + (MAIN_NAME_BONUS if c.main else 0.0) + (c.match - 100.0) / 10 + bonus)


def score(c: Candidate, key: str, ctx: Context, rival_divisions: frozenset[str] = frozenset()) -> float:
    s = prior(c, rival_divisions) + COUNTRY_CONTEXT * ctx.country_weight(c.country, key)
    if c.kind != "admin1":
        s += ADMIN1_CONTEXT * ctx.admin1_weight(c.admin1, key)
    for iso, admin1 in ctx.cues.get(key, ()):
        if c.country == iso and (admin1 is None or c.kind == "country" or (c.admin1 and _key(c.admin1) == admin1)):
            s += CUE_BONUS
    if ctx.dateline_country and c.country == ctx.dateline_country:
        s += DATELINE_BONUS
    return s


def scores(cands: list[Candidate], key: str, ctx: Context) -> list[float]:
    rival_divisions = frozenset(c.country for c in cands if c.kind == "admin1" and c.main and c.country)
    return [score(c, key, ctx, rival_divisions) for c in cands]


def choose(cands: list[Candidate], key: str, ctx: Context) -> tuple[Candidate | None, float]:
    """The best candidate and a confidence: the logistic of its lead over the runner-up, times match quality."""
    if not cands:
        return None, UNKNOWN_CONFIDENCE
    scored = sorted(zip(scores(cands, key, ctx), range(len(cands)), strict=True), reverse=True)
    best_score, best = scored[0]
    # a runner-up that is the same place seen as another division (Kabul city / Kabul district) is no rival
    rivals = [s for s, i in scored[1:] if _distance_km(cands[i], cands[best]) > 50]
    lead = best_score - rivals[0] if rivals else 4.0
    confidence = (1 / (1 + math.exp(-2 * lead))) * (cands[best].match / 100.0)
    return cands[best], round(min(confidence, 0.99), 2)


def _distance_km(a: Candidate, b: Candidate) -> float:
    p = math.pi / 180
    h = (math.sin((b.lat - a.lat) * p / 2) ** 2
         + math.cos(a.lat * p) * math.cos(b.lat * p) * math.sin((b.lon - a.lon) * p / 2) ** 2)
    return 12742 * math.asin(math.sqrt(min(1.0, h)))


class PlaceResolver:
    def __init__(self, nlp: Language, name: str, gazetteer_path: str | None = None) -> None:
        self.name = name
        self._gazetteer_path = gazetteer_path
        self._gaz: Gazetteer | None = None

    @property
    def gaz(self) -> Gazetteer:
        if self._gaz is None:
            self._gaz = Gazetteer(Path(self._gazetteer_path)) if self._gazetteer_path else gazetteer()
        return self._gaz

    def __call__(self, doc: Doc) -> Doc:
        try:
            doc._.dateline_places = self.resolve(doc, self.find_mentions(doc))
        except Exception:  # one odd document must not stop the batch: log it, leave it without places
            log.exception("dateline_places failed on a document of %d characters", len(doc.text))
            doc._.dateline_places = []
        return doc

    # --- recognition ---------------------------------------------------------------------------------------

    def find_mentions(self, doc: Doc) -> list[Mention]:
        countries = self._named_countries(doc)
        mentions = [m for ent in doc.ents if (m := self._entity_mention(doc, ent, countries)) is not None]
        mentions.extend(self._untagged_runs(doc, countries))
        return sorted(mentions, key=lambda m: m.start)

    def _entity_mention(self, doc: Doc, ent: Span, countries: set[str]) -> Mention | None:
        if ent.label_ not in PLACE_LABELS and ent.label_ not in CHECKED_LABELS:
            return None
        span = _trim(ent)
        if span is None or not any(ch.isupper() for ch in span.text):  # "mosques": place names are capitalised
            return None
        mention = Mention(span.start_char, span.end_char, span.text, _key(span.text), ent.label_,
                          span.start, span.end)
        if mention.key in demonyms():
            return None
        if ent.label_ in PLACE_LABELS or self._strong(mention, doc, countries):
            return mention
        return None

    def _untagged_runs(self, doc: Doc, countries: set[str]) -> Iterator[Mention]:
        """Capitalised or all-caps proper-noun runs outside every entity, after a place preposition or in
        capitals: kept only when the gazetteer knows them well."""
        i, n = 0, len(doc)
        while i < n:
            tok = doc[i]
            if tok.ent_type_ or not _capitalised(tok.text) or tok.pos_ != "PROPN":
                i += 1
                continue
            j = i
            while j < n and j - i < 4 and not doc[j].ent_type_ and _capitalised(doc[j].text) and doc[j].pos_ == "PROPN":
                j += 1
            span = doc[i:j]
            after_preposition = i > 0 and doc[i - 1].lower_ in PLACE_PREPOSITIONS
            if after_preposition or span.text.isupper():
                mention = Mention(span.start_char, span.end_char, span.text, _key(span.text), "", i, j)
                if mention.key not in demonyms() and self._strong(mention, doc, countries):
                    yield mention
            i = j

    def _strong(self, mention: Mention, doc: Doc, countries: set[str]) -> bool:
        """A non-place label or an untagged run is a place only for a convincing gazetteer match: a country,
        division or curated feature (spelling variants allowed); for ORG entities and untagged runs also a town
        under its own name that is large or lies in a country the article names. A PERSON or NORP entity needs
        an area, or a place preposition before it ("in Jordan"), or a big city ("Herat" as NORP)."""
        span = doc[mention.tok_start:mention.tok_end]
        after_preposition = span.start > 0 and doc[span.start - 1].lower_ in PLACE_PREPOSITIONS
        # "Jordan said": a one-word PERSON acting as a person is one ("Sri Lanka said" is the country)
        if mention.label == "PERSON" and len(span) == 1 and _acts_as_person(span):
            return False
        for c in self.gaz.candidates(mention.text, limit=10):
            if c.kind not in POPULATED and c.kind != "admin2" and c.match >= 90:
                return True
            if not (c.exact and c.main and c.kind in POPULATED):
                continue
            if mention.label in ("PERSON", "NORP") and not after_preposition:
                # a big city under its own name ("Herat" as NORP, "Sioux Falls" as PERSON), never one word
                # that names a person
                if c.population >= BIG_CITY and (mention.label == "NORP" or len(span) > 1):
                    return True
                continue
            if c.population >= STRONG_POPULATION or c.country in countries:
                return True
        return False

    def _named_countries(self, doc: Doc) -> set[str]:
        """Countries the article names outright (demonyms, country names): evidence for recognition."""
        found = {iso for tok in doc if tok.text[:1].isupper() and (iso := demonyms().get(tok.lower_))}
        for ent in doc.ents:
            if ent.label_ == "GPE":
                found.update(c.country for c in self.gaz.candidates(ent.text, limit=3, fuzzy=False)
                             if c.kind == "country" and c.country)
        return found

    # --- resolution ----------------------------------------------------------------------------------------

    def resolve(self, doc: Doc, mentions: list[Mention]) -> list[dict[str, Any]]:
        """Record-shaped place dicts for the mentions, one per distinct place, in order of first mention."""
        groups: dict[str, list[Mention]] = defaultdict(list)
        for m in mentions:
            if m.key:
                groups[m.key].append(m)
        cands = {key: self._candidates(key, group[0].text) for key, group in groups.items()}
        base = self._base_context(doc, mentions, cands)
        ctx = base
        for _ in range(VOTING_ROUNDS):
            ctx = _with_votes(base, groups, cands, ctx)
        chosen = {key: choose(cs, key, ctx) for key, cs in cands.items()}
        return _records(groups, chosen)

    def _candidates(self, key: str, text: str) -> list[Candidate]:
        """Gazetteer candidates; a demonym (only ever given as a gold span in evaluation) means its country."""
        if key in demonyms():
            country = self.gaz.country(demonyms()[key]) if demonyms()[key] else None
            return [country] if country else []
        return self.gaz.candidates(text, limit=40)

    def _base_context(self, doc: Doc, mentions: list[Mention], cands: dict[str, list[Candidate]]) -> Context:
        """What the article says before any name is resolved: demonyms, the dateline, containment cues."""
        ctx = Context()
        for tok in doc:
            if tok.text[:1].isupper() and (iso := demonyms().get(tok.lower_)):
                ctx.countries[iso][tok.lower_] += 1
        dateline = (doc._.dateline_context or {}).get("dateline") if doc.has_extension("dateline_context") else None
        if dateline and dateline.get("place"):
            top_dateline = self.gaz.candidates(str(dateline["place"]).split(",")[0], limit=5)
            ctx.dateline_country = top_dateline[0].country if top_dateline else None
        self._cues(doc, mentions, cands, ctx)
        return ctx

    def _cues(self, doc: Doc, mentions: list[Mention], cands: dict[str, list[Candidate]], ctx: Context) -> None:
        text = doc.text
        for prev, nxt in zip(mentions, mentions[1:], strict=False):
            gap = text[prev.end:nxt.start]
            if _TRAILING_CONNECTOR.fullmatch(gap):  # "Chaman, in Balochistan" / "Kabul, Afghanistan"
                _add_cue(ctx, prev.key, cands.get(nxt.key, []))
                _add_container_cue(ctx, nxt.key, cands.get(prev.key, []))
            elif _POSSESSIVE.fullmatch(gap):  # "Pakistan's Balochistan"
                _add_cue(ctx, nxt.key, cands.get(prev.key, []))
        for m in mentions:  # "the Afghan border town of Spin Boldak"
            sent_start = doc[m.tok_start].sent.start if doc.has_annotation("SENT_START") else 0
            for i in range(m.tok_start - 1, max(sent_start, m.tok_start - 7) - 1, -1):
                tok = doc[i]
                if tok.is_punct or tok.pos_ in ("VERB", "AUX"):
                    break
                if tok.text[:1].isupper() and (iso := demonyms().get(tok.lower_)):
                    ctx.cues[m.key].add((iso, None))
                    break


def _with_votes(base: Context, groups: dict[str, list[Mention]], cands: dict[str, list[Candidate]],
                ctx: Context) -> Context:
    """The base context plus every name's vote for countries and divisions, shared among its readings in
    proportion to how likely each is under ``ctx`` (so "Columbus" votes for the U.S. before it is settled)."""
    out = Context(dateline_country=base.dateline_country, cues=base.cues)
    for iso, by_key in base.countries.items():
        out.countries[iso].update(by_key)
    for key, cs in cands.items():
        if not cs:
            continue
        s = scores(cs, key, ctx)
        top = max(s)
        weights = [math.exp(VOTE_SHARPNESS * (x - top)) for x in s]
        total = sum(weights)
        for c, w in zip(cs, weights, strict=True):
            share = w / total
            if share < 0.01:
                continue
            if c.country:
                out.countries[c.country][key] += share * len(groups[key])
            if c.admin1:
                out.admin1[_key(c.admin1)][key] += share
    return out


def _add_container_cue(ctx: Context, key: str, contained: list[Candidate]) -> None:
    """"Atlanta, Georgia": the container is the division or country holding the likeliest reading of the
    contained name."""
    if contained:
        top = max(contained, key=prior)
        if top.country:
            ctx.cues[key].add((top.country, _key(top.admin1) if top.admin1 else None))


def _add_cue(ctx: Context, key: str, container: list[Candidate]) -> None:
    """The container's top country or admin1 reading becomes a cue for the contained name."""
    for c in container:
        if c.kind == "country" and c.country:
            ctx.cues[key].add((c.country, None))
            return
        if c.kind == "admin1" and c.country:
            ctx.cues[key].add((c.country, _key(c.name)))
            return


def _records(groups: dict[str, list[Mention]], chosen: dict[str, tuple[Candidate | None, float]]
             ) -> list[dict[str, Any]]:
    """One dict per distinct place: names that resolve to the same GeoNames entry are merged."""
    by_place: dict[Any, dict[str, Any]] = {}
    for key, group in groups.items():
        place, confidence = chosen[key]
        ident = ("gn", place.geonames_id, place.name) if place else ("unknown", key)
        record = by_place.get(ident)
        if record is None:
            record = by_place[ident] = _record(place, group, confidence)
        else:
            record["confidence"] = max(record["confidence"], confidence)
        record["mentions"].extend({"start": m.start, "end": m.end, "text": m.text} for m in group)
    records = sorted(by_place.values(), key=lambda r: min(m["start"] for m in r["mentions"]))
    for i, record in enumerate(records, start=1):
        record["id"] = f"p{i}"
        record["mentions"].sort(key=lambda m: m["start"])
    return records


def _record(place: Candidate | None, group: list[Mention], confidence: float) -> dict[str, Any]:
    surface = Counter(m.text for m in group).most_common(1)[0][0]
    if place is None:
        return {"id": "", "name": surface, "geonames_id": None, "lat": None, "lon": None, "country": None,
                "admin1": None, "feature": None, "confidence": confidence, "mentions": []}
    # the article's own spelling when it is the place's name ("Kabul" rather than "Kābul"), else GeoNames'
    name = surface if _key(surface) == _key(place.name) and not surface.isupper() else place.name
    return {"id": "", "name": name, "geonames_id": place.geonames_id, "lat": place.lat, "lon": place.lon,
            "country": place.country, "admin1": place.admin1, "feature": place.kind, "confidence": confidence,
            "mentions": []}


def _trim(ent: Span) -> Span | None:
    """The entity without a leading article or a trailing possessive."""
    start, end = ent.start, ent.end
    while start < end and ent.doc[start].lower_ in ("the", "'s", "\u2019s"):
        start += 1
    while end > start and ent.doc[end - 1].lower_ in ("'s", "\u2019s", "'", "\u2019"):
        end -= 1
    return ent.doc[start:end] if end > start else None


def _capitalised(text: str) -> bool:
    return len(text) > 1 and text[0].isupper() and (text[1:].islower() or text.isupper())


def _acts_as_person(span: Span) -> bool:
    """"Jordan said ...": a PERSON that is the subject of a verb, or has a person's title, is no place."""
    root = span.root
    before = span.doc[span.start - 1] if span.start > 0 else None
    if before is not None and before.lower_ in PLACE_PREPOSITIONS:
        return False
    return root.dep_ in ("nsubj", "nsubjpass", "poss") or (before is not None and before.lower_ in (
        "mr", "mr.", "mrs", "mrs.", "ms", "ms.", "dr", "dr."))


@Language.factory("dateline_places", default_config={"gazetteer_path": None},
                  assigns=["doc._.dateline_places"])
def make_places(nlp: Language, name: str, gazetteer_path: str | None) -> PlaceResolver:
    return PlaceResolver(nlp, name, gazetteer_path=gazetteer_path)
