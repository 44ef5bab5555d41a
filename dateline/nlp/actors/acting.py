"""Which of an article's entities are actors of the knowledge base, and what is no one's mention at all.

The record keeps every entity (places named as GPE/LOC are useful mentions: events code "fired shells at Seoul"
as KOR, quotes find speakers by them), but only actors become rows of the actors table, facets, network and
export: people, organisations, armed groups, governments and states. Decided from the parse and the entity
labels, never from lists of names:
- the dateline ("BAGHDAD (MW) —" opening the body) is the story's place and wire agency: no mention of anyone;
- a state (a country) acts when one of its mentions stands where actors stand (subject, possessor, object,
  "on"/"with"/"against" X); "a company based in Greece" is a place. A capital acting is its government (the
  resolver's metonymy), other GPE, LOC, FAC and EVENT entities are places or happenings, never actors;
- unnamed descriptions ("a spokesman", "officials", "My father") have no identity across articles: the record
  keeps them (quotes and events show their words) but they are no actor of the KB; state bodies
  ("Pakistani authorities" = Government of Pakistan) are;
- a named person is not a lone capitalised word said once ("Turnout was 41%"), nor a name in a place's slot
  ("the provinces of Nineveh and Salahuddin", "near the Bosporus");
- an organisation's name ends in a name word ("pro-European party" is a description), is not only a modifier of
  something else ("CCTV footage", "Houthi front lines") and is not only the place where something happens
  ("the area around the Tourist Reception Centre").
"""

from __future__ import annotations

import re

from spacy.tokens import Doc, Span, Token

from dateline.nlp import actor_codes as codes
from dateline.nlp.actors.records import Actor
from dateline.nlp.components.entity_ruler import ORGANISATION_WORDS, place_lookup

PLACE_PREPOSITIONS = frozenset({"in", "at", "near", "to", "from", "outside", "inside", "around", "into", "across",
                                "through", "of", "between", "toward", "towards", "via", "within", "throughout"})
# Prepositions whose object is where something is or happens (not "from"/"of"/"to": "envoys from the AU").
LOCATIVE_PREPOSITIONS = frozenset({"in", "at", "near", "outside", "inside", "around", "into", "across", "through",
                                   "within", "throughout", "toward", "towards", "beyond", "along", "off"})
# Verbs of a "where" clause whose subjects are places on a map ("the area where Niger, Mali and Burkina Faso meet").
MEETING_VERBS = frozenset({"meet", "meets", "converge", "intersect", "join", "border", "borders", "adjoin"})
GOVERNING_SECTORS = frozenset({"GOV", "MIL", "COP", "LEG", "JUD", "SPY"})
ACTING_DEPS = frozenset({"nsubj", "nsubjpass", "poss", "dobj", "dative", "agent", "conj"})
# Nouns that make the name before or after them a place ("Bakool regions", "the village of Hammam al-Alil").
PLACE_NOUNS = frozenset({"province", "provinces", "district", "districts", "city", "region", "regions", "valley",
                         "town", "village", "county", "state", "border", "area", "governorate", "capital", "camp",
                         "camps", "hills", "crossing", "port", "station", "outskirts", "neighbourhood",
                         "neighborhood", "suburb", "river", "sea", "strait", "highway", "road", "avenue", "street",
                         "square", "airport", "base", "island", "islands", "mountains", "desert", "coast"})
# A wire dateline: an upper-case place, an optional ", Country", an optional "(AGENCY)", then a dash.
DATELINE = re.compile(r"\s*[A-Z][A-Z'’.\- ]{1,40}(?:,\s*[A-Z][\w'’.\- ]{1,40})?\s*(?:\([^()\n]{1,24}\)\s*)?[—–-]{1,2}")
DATELINE_SCAN_CHARS = 120


def dateline_end(doc: Doc) -> int:
    """Character offset where the body's dateline ("CHAMAN, Pakistan (AP) —") ends, 0 when there is none."""
    found = DATELINE.match(doc.text[:DATELINE_SCAN_CHARS])
    return found.end() if found else 0


def acts(span: Span, opening: int = 0) -> bool:
    """A mention in an actor's slot: subject, possessor, object of a verb or of "on"/"with"/"against". The first
    words after a dateline ("ODESA, Ukraine (MW) — Ukraine and Turkey agreed") open the sentence, though the
    parser often hangs them on the dateline."""
    root = span.root
    if opening and root.dep_ in ("conj", "appos", "dep") and root.head.idx < opening <= root.idx:
        return True
    if _in_meeting_clause(root):
        return False
    if root.dep_ == "conj":
        first = root
        while first.dep_ == "conj" and first.head.i < first.i:
            first = first.head  # "X and Y": Y stands where X stands
        return first.dep_ in ACTING_DEPS or first.dep_ == "pobj" and _after_acting_word(first)
    if root.dep_ == "poss" and root.head.lower_ in PLACE_NOUNS:
        return False  # "Niger's western Tillabéri region": the possessor of a place is where it lies
    if root.dep_ in ACTING_DEPS:
        return True
    if root.dep_ == "pobj":
        preposition = root.head
        if preposition.head.lower_ in PLACE_NOUNS:
            return False  # "the border with Mali", "the road to Taiz"
        return _after_acting_word(root) or preposition.lower_ not in PLACE_PREPOSITIONS
    return False


def _after_acting_word(token: Token) -> bool:
    """"months of pressure from Lithuania", "talk to both Kyiv and Moscow": who acts, not where (acting_words.tsv)."""
    preposition = token.head
    return preposition.lower_ in codes.acting_words().get(preposition.head.lemma_.lower(), ())


def _in_meeting_clause(token: Token) -> bool:
    """The subject of "where X, Y and Z meet" (or "X borders Y") names places: the countries as a map."""
    while token.dep_ == "conj" and token.head is not token:
        token = token.head
    verb = token.head
    if token.dep_ not in ("nsubj", "dobj") or verb.lemma_.lower() not in MEETING_VERBS and verb.lower_ not in MEETING_VERBS:
        return False
    return verb.lemma_.lower() in ("border", "adjoin") or any(c.lower_ == "where" for c in verb.children)


def in_place_context(span: Span, known_place: bool = True) -> bool:
    """A name where places stand: after "in"/"near", after "the village of", before "province"/"regions", or
    coordinated with such a name ("the provinces of Nineveh and Salahuddin")."""
    doc = span.doc
    before = doc[span.start - 1].lower_ if span.start > 0 else ""
    if span.end < len(doc) and doc[span.end].lower_ in PLACE_NOUNS:
        return True
    if before in LOCATIVE_PREPOSITIONS or known_place and before in ("to", "from", "of"):
        return True  # "spoke to X", "a letter from X": a place only when X is a known place name
    if before == "of" and span.start > 1 and doc[span.start - 2].lower_ in PLACE_NOUNS:
        return True
    root = span.root
    if root.dep_ == "conj" and root.head.i < span.start and before in ("and", "or", ","):
        head = root.head
        return in_place_context(doc[head.i:head.i + 1], known_place)
    return False


def is_actor(actor: Actor, doc: Doc) -> bool:
    """True when the entity is an actor of the knowledge base (see the module's rules)."""
    if actor.kind == "state":
        return True
    if actor.anonymous or actor.type not in ("PERSON", "ORG", "NORP", "GPE"):
        return False
    spans = [s for m in actor.mentions if (s := doc.char_span(m.start, m.end, alignment_mode="expand")) is not None]
    named = [s for m, s in zip(actor.mentions, spans, strict=True) if m.kind == "named"]
    if not named:
        return False
    if actor.type == "GPE":
        opening = dateline_end(doc)
        return actor.kind == "country" and any(acts(s, opening) for s in spans)
    if actor.type == "NORP":
        # people named by a plural demonym ("Syrians were deported"); "Omani and U.N. officials" qualifies others
        return any(s.text.endswith("s") and not _is_modifier(s.root) and not _before_noun(s) for s in named)
    if actor.type == "PERSON":
        return _is_named_person(actor, named)
    return _is_organisation(actor, named)


def _is_named_person(actor: Actor, named: list[Span]) -> bool:
    words = actor.name.split()
    title = codes.find_title(words)
    if title is not None and title[0] == len(words):
        return False  # a title alone ("Inspector General")
    if all(_after_article(s) or _is_modifier(s.root) and s.root.head.i >= s.end for s in named):
        return False  # "the Aurora Star", "near the Bosporus", "Nineveh Governor X": no person's name
    pronouns = any(m.kind == "pronoun" for m in actor.mentions)
    known_place = place_lookup()(actor.name)
    if not pronouns and (all(in_place_context(s, known_place) for s in named)
                         or known_place and len(words) == 1 and any(in_place_context(s) for s in named)):
        return False  # "the provinces of Nineveh and Salahuddin", "the road to Taiz"
    if actor.role or pronouns:
        return True
    return not (len(words) == 1 and len(actor.mentions) < 2)  # one capitalised word said once: "Turnout was 41%"


def _is_organisation(actor: Actor, named: list[Span]) -> bool:
    known = codes.find_organisation(actor.name) is not None
    if not known and actor.name.split()[-1].islower():
        return False  # "pro-European party": a description, not a name
    if known:
        return True
    if all(s.end < len(s.doc) and s.doc[s.end].lower_ in PLACE_NOUNS for s in named):
        return False  # "Niger’s Tillabéri region", "the Zanjili neighbourhood": the name of a place
    if all(_is_modifier(s.root) and s.root.head.i >= s.end and not _names_a_body(s.root.head) for s in named):
        return False  # "CCTV footage", "Houthi front lines", "the Zanjili neighbourhood" (not "X directorate")
    governing = codes.sector_of_org_name(actor.name) in GOVERNING_SECTORS
    return governing or not all(_is_place_object(s) for s in named)


def _is_modifier(token: Token) -> bool:
    """An adjective or noun modifier ("Azerbaijani forces", "Iranian and Western naval forces")."""
    while token.dep_ == "conj" and token.head is not token:
        token = token.head
    return token.dep_ in ("amod", "compound", "nmod") or token.tag_ == "JJ"


def _names_a_body(head: Token) -> bool:
    return head.lower_ in ORGANISATION_WORDS or head.lower_ == "directorate" or codes.sector_of_org_name(head.text) \
        is not None


def _before_noun(span: Span) -> bool:
    """"Azerbaijani forces" even when parsed as two objects: a demonym right before a common noun qualifies it."""
    return span.end < len(span.doc) and span.doc[span.end].pos_ == "NOUN"


def _after_article(span: Span) -> bool:
    """"the Bosporus", "the Aurora Star": people's names take no article."""
    return span.start > 0 and span.doc[span.start - 1].lower_ == "the"


def _is_place_object(span: Span) -> bool:
    root = span.root
    return root.dep_ == "pobj" and root.head.lower_ in LOCATIVE_PREPOSITIONS
