"""The actor resolver: one entity per real-world actor, with its role, affiliation, code and every mention.

Reads the corrected ``doc.ents`` (dateline_entity_ruler) and the parse, walks the article once in order and
resolves each mention against what came before:
- named mentions: full name <-> surname <-> title + surname, indexed by name word, so "Khan, the prime minister"
  goes to the Khan whose role says prime minister (Imran Khan), never to another Khan (Ismail Khan);
  organisations by the curated dictionary and by acronym; countries by name;
- roles from premodifiers ("Pakistani Prime Minister Imran Khan" -> "Prime Minister of Pakistan"),
  appositives and relative clauses ("Amir Rana, executive director of ...", "Ismail Khan, a ... warlord who ...");
- descriptions: indefinite ones open an unnamed entity ("a doctor in Chaman", "two security officials"),
  definite ones ("the doctor", "his relative", "the group", "the country") go to the latest matching actor;
  state bodies with a country ("Pakistani authorities", "Kabul's intelligence agency") are that country's actor;
- capitals acting ("Pressure is mounting on Islamabad") are the government (PAKGOV);
- subject pronouns he/she/they go to the most recent compatible actor within a few sentences.
Every lookup is a dict access or a scan of a bounded window of recent actors: linear in the article's length.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from typing import Any

from spacy.tokens import Doc, Span, Token

from dateline.nlp import actor_codes as codes
from dateline.nlp.actors import wording
from dateline.nlp.actors.acting import PLACE_NOUNS, acts, dateline_end, is_actor
from dateline.nlp.actors.records import Actor, Mention
from dateline.nlp.actors.roles import Role, premodifier_zone, role_of, span_country
from dateline.nlp.actors.wording import GROUP_WORDS, SUBJECT_DEPS

log = logging.getLogger(__name__)

NAMED_LABELS = ("PERSON", "ORG", "NORP", "GPE", "LOC", "FAC", "EVENT")
SOURCE_DEPS = SUBJECT_DEPS | {"poss", "agent"}
SINGULAR_PRONOUNS = frozenset({"he", "she"})
PRONOUN_GENDER = {"he": "m", "she": "f"}
PLURAL_PRONOUNS = frozenset({"they"})
SUBJECT_PRONOUNS = SINGULAR_PRONOUNS | PLURAL_PRONOUNS | {"it"}
COUNTRY_WORDS = frozenset({"country", "nation"})
# "<Demonym>-controlled <place>": the place is under that country's state ("police in Indian-administered Kashmir").
CONTROLLING_WORDS = frozenset({"controlled", "administered", "held", "run", "occupied", "ruled"})
STATE_BODY_NAMES = {"GOV": "Government of {}", "MIL": "Military of {}", "COP": "Police of {}",
                    "SPY": "Intelligence services of {}", "LEG": "Parliament of {}", "JUD": "Judiciary of {}"}
PRONOUN_WINDOW_SENTENCES = 3
RECENT_WINDOW = 40  # how many recently mentioned actors a pronoun or description looks back over


class ActorResolver:
    """Resolves one document's mentions in order; holds only per-document state."""

    def __init__(self, doc: Doc) -> None:
        self.doc = doc
        self.actors: dict[str, Actor] = {}
        self.recent: dict[str, Actor] = {}  # insertion order = recency of the last mention
        self.by_name_word: dict[str, list[Actor]] = {}
        self.by_acronym: dict[str, Actor] = {}
        self.by_head: dict[str, Actor] = {}
        self.claimed: set[int] = set()  # token indices already part of a description mention
        self.opening = dateline_end(doc)  # "BAGHDAD (MW) —": the story's place and wire agency, no one's mention
        self.sentence_of = wording.sentence_index(doc)
        # words before a person's name that make its title ("U.S. Secretary of State"): part of the role
        self.title_zone: set[int] = set()
        for ent in doc.ents:
            if ent.label_ == "PERSON":
                zone = premodifier_zone(ent)
                if len(zone) and codes.find_title([t.text for t in zone]):
                    self.title_zone.update(range(zone.start, zone.end))

    # -- bookkeeping

    def _add_mention(self, actor: Actor, span: Span, kind: str) -> None:
        start, end = span.start_char, span.end_char
        if any(m.start == start and m.end == end for m in actor.mentions[-3:]):
            return
        actor.mentions.append(Mention(start, end, span.text, kind))
        actor.last_sentence = self.sentence_of[span.start]
        actor.last_was_subject = span.root.dep_ in SUBJECT_DEPS
        self.recent.pop(actor.key, None)
        self.recent[actor.key] = actor
        for head in actor.heads:
            self.by_head[head] = actor

    def _get_or_create(self, key: str, **fields: Any) -> Actor:
        actor = self.actors.get(key)
        if actor is None:
            actor = Actor(key=key, **fields)
            self.actors[key] = actor
        return actor

    def _recent_actors(self) -> Iterator[Actor]:
        for n, key in enumerate(reversed(self.recent)):
            if n >= RECENT_WINDOW:
                return
            yield self.recent[key]

    # -- the walk

    def run(self) -> list[Actor]:
        for kind, item in self._mention_events():
            try:
                if kind == "chunk":
                    self._description(item)
                elif kind == "ent":
                    self._named(item)
                else:
                    self._pronoun(item)
            except Exception:  # one odd parse never loses the rest of the article's actors
                log.debug("actor resolution skipped a mention", exc_info=True)
        kept = [a for a in self.actors.values() if a.mentions and not (a.tentative and len(a.mentions) < 2)]
        for actor in kept:
            actor.is_actor = is_actor(actor, self.doc)
        return sorted(kept, key=lambda a: a.mentions[0].start)

    def _mention_events(self) -> list[tuple[str, Any]]:
        """Named entities, noun chunks headed by a role noun, and subject pronouns, in text order
        (a description before a name starting at the same token: "Kabul's intelligence agency")."""
        events: list[tuple[int, int, str, Any]] = []
        for ent in self.doc.ents:
            if ent.label_ in NAMED_LABELS and ent.start_char >= self.opening:
                events.append((ent.start, 1, "ent", ent))
        has_parse = self.doc.has_annotation("DEP")
        if has_parse:
            for chunk in self.doc.noun_chunks:
                if chunk.root.ent_iob_ == "O" and chunk.root.pos_ in ("NOUN", "PROPN"):
                    events.append((chunk.start, 0, "chunk", chunk))
            for token in self.doc:
                if token.lower_ in SUBJECT_PRONOUNS and token.dep_ in SUBJECT_DEPS:
                    events.append((token.i, 2, "pronoun", token))
        events += [(span.start, 1, "ent", span) for span in self._untagged_name_reuse()]
        events.sort(key=lambda e: (e[0], e[1]))
        return [(kind, item) for _, _, kind, item in events]

    def _untagged_name_reuse(self) -> list[Span]:
        """Words of a full person name seen in the article, used again where the model tagged nothing
        ("Lopez has studied ..."): one pass over the tokens, a set lookup each."""
        words: dict[str, int] = {}
        for ent in self.doc.ents:
            if ent.label_ == "PERSON" and len(ent) > 1:
                for token in ent:
                    if token.is_title and len(token) > 2:
                        words.setdefault(token.text, ent.start)
        found = []
        for token in self.doc:
            first_seen = words.get(token.text)
            if first_seen is not None and token.i > first_seen and token.ent_iob_ == "O" and token.pos_ == "PROPN":
                found.append(self.doc[token.i:token.i + 1])
        return [Span(self.doc, s.start, s.end, label="PERSON") for s in found]

    # -- named mentions

    def _named(self, ent: Span) -> None:
        span = wording.trim(ent)
        if not len(span) or wording.is_title_fragment(span) or span.start in self.title_zone:
            return
        label = ent.label_
        if label in ("PERSON", "ORG") and (codes.country_named(span.text) or codes.country_of_capital(span.text)):
            label = "GPE"  # "Niger" or "Vilnius" tagged PERSON: a country or capital name is the place
        elif label != "PERSON" and self._is_known_person_word(span):
            label = "PERSON"  # "Marsh said": the small model often labels a bare surname ORG or GPE
        if label == "PERSON":
            self._person(span)
        elif label == "ORG":
            self._organisation(span)
        elif label == "NORP":
            self._people(span)
        elif label == "GPE":
            self._gpe(span)
        else:
            self._add_mention(self._get_or_create(f"{label}:{span.text.lower()}", name=span.text, type=label,
                                                  kind="place"), span, "named")

    def _is_known_person_word(self, span: Span) -> bool:
        if len(span) != 1 or not span[0].is_title:
            return False
        text = span.text
        if codes.country_named(text) or codes.country_of_capital(text) or codes.find_organisation(text):
            return False
        return any(" " in a.name for a in self.by_name_word.get(wording.name_key(text), []))

    def _person(self, span: Span) -> None:
        words = [w for w in span.text.replace("\u2019", "'").split() if w]
        title_words = 0
        while title_words < len(words) - 1 and codes.find_title(words[:title_words + 1]) is not None:
            title_words += 1  # the model sometimes takes the title into the name ("Maulana Sami")
        name_words = words[title_words:]
        keys = [wording.name_key(w) for w in name_words]
        role = role_of(span)
        actor = self._find_person(keys, role)
        if actor is None:
            name = " ".join(name_words)
            actor = self._get_or_create(f"person:{' '.join(keys)}:{span.start}", name=wording.display(name), type="PERSON")
            for key in {keys[0], keys[-1], " ".join(keys)}:
                self.by_name_word.setdefault(key, []).append(actor)
        self._apply_role(actor, role)
        actor.gender = actor.gender or wording.stated_gender(span, role)
        self._add_mention(actor, span, "named")

    def _find_person(self, keys: list[str], role: Role | None) -> Actor | None:
        full = " ".join(keys)
        exact = [a for a in self.by_name_word.get(full, []) if wording.name_key_of(a) == full] if len(keys) > 1 else []
        if exact:
            return exact[-1]
        candidates = [a for a in self.by_name_word.get(keys[-1], []) if wording.name_key_of(a).endswith(full)]
        if len(keys) == 1:
            candidates += [a for a in self.by_name_word.get(keys[0], []) if a not in candidates]
        if len(candidates) > 1:  # a full name beats a bare surname seen before it ("named Khan")
            candidates = [a for a in candidates if " " in a.name] or candidates
        if len(candidates) <= 1:
            return candidates[0] if candidates else None
        if role is not None and role.title is not None:
            fitting = [a for a in candidates if role.title.title in a.heads]
            if fitting:
                return fitting[-1]
        return max(candidates, key=lambda a: a.mentions[-1].start if a.mentions else -1)

    def _apply_role(self, actor: Actor, role: Role | None) -> None:
        if role is None:
            return
        if actor.role is None and role.text:
            actor.role = role.text
        if actor.description is None and role.description:
            actor.description = role.description
        if role.title is not None:
            actor.heads.update(wording.heads_of(role.title.title))
        actor.sector = actor.sector or role.sector
        actor.country = actor.country or role.country

    def _organisation(self, span: Span) -> None:
        text = codes.strip_article(span.text)
        org = codes.find_organisation(text) or wording.member_organisation(text)
        named_before = self._named_before(span)
        if org is None and named_before is not None:
            self._add_mention(named_before, span, "named")  # "the Kurdistan Workers' Party, or PKK"
            return
        if org is not None:
            actor = self._get_or_create(f"org:{org.name}", name=org.name, type="ORG", country=org.country,
                                        actor=org.actor, kind=org.kind, plural=True)
            actor.heads.update(wording.org_heads(org.kind))
        else:
            actor = self._unknown_organisation(self._owned_name(span, text))
        self._add_mention(actor, span, "named")
        owner = wording.country_possessor(span)
        if owner is not None and not (span.end < len(self.doc) and self.doc[span.end].lower_ in PLACE_NOUNS):
            self._gpe(owner)  # "Afghanistan’s Ministry of Foreign Affairs" tagged whole: the country owns its body

    def _named_before(self, span: Span) -> Actor | None:
        """The organisation an acronym renames at once: "X, or PKK", "X (PKK)"."""
        doc = self.doc
        if not span.text.isupper() or span.start < 2:
            return None
        before = [t.text for t in doc[max(0, span.start - 2):span.start]]
        if before[-1] != "(" and before != [",", "or"]:
            return None
        end = span.start - (1 if before[-1] == "(" else 2)
        last = self._latest(lambda a: a.type == "ORG")
        return last if last is not None and last.mentions and last.mentions[-1].end == doc[end - 1].idx + len(
            doc[end - 1]) else None

    def _owned_name(self, span: Span, text: str) -> str:
        """A body named with its country's possessive is that country's ("Pakistan's Foreign Office", also when the
        model tagged only "Foreign Office"; "the country's Interior Ministry" in a Nigerien story is Niger's), so
        the same office has one name in every article that names its country."""
        doc = self.doc
        if span.start < 2 or codes.country_mentioned(text):
            return text
        owner = doc[span.start - 2]
        mark = doc[span.start - 1].text
        if mark not in ("'s", "\u2019s") and not (mark in ("'", "\u2019") and owner.text.endswith("s")):
            return text  # "Belarus’ Foreign Ministry": the possessive of a name ending in s is the bare apostrophe
        if owner.lower_ in COUNTRY_WORDS:
            salient = self._latest(lambda a: a.kind in ("country", "state"))
            if salient is not None and salient.kind == "country":
                salient = self._salient_country()  # the country itself: the last one a subject or possessor
            country = codes.country_by_code(salient.country) if salient else None
            return f"{country.name}{doc[span.start - 1].text} {text}" if country else text
        start = owner.i
        while start > 0 and doc[start].ent_iob_ == "I":
            start -= 1
        named = codes.country_named(doc[start:owner.i + 1].text)
        return f"{doc[start:span.start].text} {text}" if named else text

    def _unknown_organisation(self, text: str) -> Actor:
        display = wording.display(text)
        key = f"org:{display.lower()}"
        if key not in self.actors and display.isupper() and display in self.by_acronym:
            return self.by_acronym[display]
        country = None
        for word in display.replace("-", " ").split():
            named = codes.country_mentioned(word.rstrip("'\u2019"))
            if named is not None:
                country = named.cc
                break
        actor = self._get_or_create(key, name=display, type="ORG", country=country,
                                    sector=codes.sector_of_org_name(display), kind="group", plural=True)
        acronym = wording.acronym(display)
        if acronym:
            self.by_acronym.setdefault(acronym, actor)
        return actor

    def _people(self, span: Span) -> None:
        """Demonyms as nouns ("many Afghans blame Pakistan"); adjectives ("Afghan security forces") are not actors."""
        hyphenated = span.end < len(self.doc) and self.doc[span.end].text == "-"
        if hyphenated or span.start in self.claimed or span.root.dep_ in ("amod", "compound") and span.root.head.i >= span.end:
            return
        country = codes.country_of_demonym(span.text)
        if country is not None:
            actor = self._get_or_create(f"people:{country.cc}", name=wording.display(span.text), type="NORP",
                                        country=country.cc, actor=country.cameo, kind="people", plural=True)
        else:
            actor = self._get_or_create(f"NORP:{span.text.lower()}", name=wording.display(span.text), type="NORP",
                                        kind="people", plural=True)
        self._add_mention(actor, span, "named")

    def _gpe(self, span: Span) -> None:
        text = span.text
        capital_of = codes.country_of_capital(text)
        dateline = text.isupper() and len(text) > 3  # "BRUSSELS —" opens the story, it does not act
        if capital_of is not None and not dateline and span.start not in self.claimed and acts(span):
            self._add_mention(self._state_body(capital_of, "GOV"), span, "metonymy")
            return
        country = codes.country_named(text)
        if country is None:
            self._add_mention(self._get_or_create(f"GPE:{text.lower()}", name=wording.display(text), type="GPE",
                                                  kind="place"), span, "named")
            return
        actor = self._get_or_create(f"country:{country.cc}", name=country.name, type="GPE", country=country.cc,
                                    actor=country.cameo, kind="country")
        actor.heads.update(COUNTRY_WORDS)
        self._add_mention(actor, span, "named")

    def _state_body(self, country: codes.Country, sector: str) -> Actor:
        code = country.cameo + sector
        name = STATE_BODY_NAMES.get(sector, "{} " + sector).format(country.name)
        return self._get_or_create(f"state:{code}", name=name, type="ORG", country=country.cc, actor=code,
                                   sector=sector, kind="state", plural=True)

    # -- descriptions

    def _description(self, chunk: Span) -> None:
        chunk = wording.clean_chunk(chunk)
        if not len(chunk):
            return
        root = chunk.root
        words = [t.text for t in chunk if t.i <= root.i]
        found = codes.find_title(words) or codes.find_title([*words[:-1], root.lemma_])
        group_kinds = GROUP_WORDS.get(root.lower_)
        if found is None and not group_kinds and root.lower_ not in COUNTRY_WORDS:
            return  # no title, group or country word: nothing to resolve (the cheap tests first, most chunks stop here)
        if wording.is_role_of_name(root, self.opening):
            return  # a role, said of an actor named beside it
        definite = wording.is_definite(chunk)
        if found is None:
            if definite and group_kinds:
                self._refer_to_group(chunk, group_kinds)
            elif definite and root.lower_ in COUNTRY_WORDS:
                self._refer_to_country(chunk)
            return
        n_words, title = found
        if title.office == "group" and wording.named_group_members(chunk):
            return  # "al-Shabab militants", "TTP fighters": the named group itself, its name's mention
        if title.office == "state":
            self._state_description(chunk, title)
        elif definite:
            self._definite_person(chunk, title)
        else:
            self._unnamed_person(chunk, title, tentative=not wording.is_source_position(root))

    def _state_description(self, chunk: Span, title: codes.Title) -> None:
        if chunk[0].lower_ in ("a", "an", "any", "no"):
            return  # "a Taliban-only government": not the state that exists
        country = self._country_of_description(chunk)
        if country is None and chunk[0].lower_ == "the" and len(chunk) == 2 and not (
                chunk.end < len(self.doc) and self.doc[chunk.end].lower_ in ("of", "in")):
            country = self._home_country()  # "the army" in a story from Sudan about Sudan: Sudan's army
        if country is None or title.sector is None:
            return
        if chunk.start - 1 in self.claimed and self.doc[chunk.start - 1].ent_type_ == "NORP":
            chunk = self.doc[chunk.start - 1:chunk.end]  # "Azerbaijani forces" is one description, no demonym
            self._drop_mention(chunk[0].idx, chunk[0].idx + len(chunk[0]))
        self._add_mention(self._state_body(country, title.sector), chunk, "description")
        self.claimed.update(range(chunk.start, chunk.end))

    def _drop_mention(self, start: int, end: int) -> None:
        for actor in list(self._recent_actors()):
            actor.mentions = [m for m in actor.mentions if (m.start, m.end) != (start, end)]
            if not actor.mentions:
                self.recent.pop(actor.key, None)  # no mention left: not the latest of anything

    def _home_country(self) -> codes.Country | None:
        """The country of the dateline when it is also the story's salient country (the last one a subject or
        possessor): whose "the government" an unqualified state body is. None when they differ ("BAGHDAD —" on a
        story where Turkey acts last)."""
        place = None
        for token in self.doc:
            if token.idx >= self.opening:
                break
            place = place or codes.country_named(token.text) or codes.country_of_capital(token.text)
        salient = self._salient_country()
        return place if place is not None and salient is not None and salient.country == place.cc else None

    def _country_of_description(self, chunk: Span) -> codes.Country | None:
        """"Pakistani authorities", "Kabul's intelligence agency", "the government in Islamabad", "the country's"."""
        for token in chunk:
            if token.i >= chunk.root.i:
                break
            country = codes.country_mentioned(token.text) or codes.country_of_capital(token.text)
            if country is not None:
                return country
            if token.lower_ in COUNTRY_WORDS and token.dep_ == "poss":
                actor = self._salient_country()
                if actor is not None:
                    return codes.country_by_code(actor.country)
        doc = chunk.doc
        before = doc[chunk.start - 1] if chunk.start > 0 else None
        if before is not None and before.ent_type_ == "NORP" and before.whitespace_ and chunk[0].i == chunk.root.i:
            country = codes.country_of_demonym(before.text)  # "Azerbaijani forces", parsed as two objects
            if country is not None:
                self.claimed.add(before.i)
                return country
        # "the government in Islamabad": read the words, the parser often hangs the "in" elsewhere
        if chunk.end + 1 < len(doc) and doc[chunk.end].lower_ in ("in", "of"):
            place = doc[chunk.end + 1]
            country = codes.country_of_capital(place.text) or codes.country_named(place.text)
            if country is None and chunk.end + 3 < len(doc) and doc[chunk.end + 2].text == "-" \
                    and doc[chunk.end + 3].lower_ in CONTROLLING_WORDS:
                country = codes.country_of_demonym(place.text)  # "police in Indian-controlled Kashmir"
            if country is not None:
                self.claimed.add(place.i)
                return country
            if place.ent_type_ == "GPE":
                return codes.country_by_code(codes.place_country(place.text))
        return None

    def _definite_person(self, chunk: Span, title: codes.Title) -> None:
        antecedent = self.by_head.get(title.title)
        if antecedent is None and title.sector in ("INS", "REB") and title.office == "group" and chunk[0].lower_ == "the":
            antecedent = self._latest(lambda a: a.kind == "militant")
        if antecedent is not None:
            antecedent.tentative = False  # referred to again: a real participant of the story
            self._add_mention(antecedent, chunk, "description")
            self.claimed.update(range(chunk.start, chunk.end))
        elif wording.is_source_position(chunk.root) or chunk.root.dep_ == "poss" or any(
                t.dep_ == "poss" for t in chunk.root.children):
            self._unnamed_person(chunk, title)

    def _unnamed_person(self, chunk: Span, title: codes.Title, tentative: bool = False) -> None:
        name_span = wording.with_place(chunk)
        country = span_country(name_span)
        if country is None and any(t.lower_ in COUNTRY_WORDS and t.dep_ == "poss" for t in chunk):
            salient = self._salient_country()
            country = salient.country if salient else None
        actor = self._get_or_create(f"unnamed:{chunk.start}", name=wording.lower_first(name_span.text), type="PERSON",
                                    role=title.title, country=country, sector=title.sector, anonymous=True,
                                    plural=chunk.root.tag_ in ("NNS", "NNPS"), description=wording.lower_first(name_span.text),
                                    tentative=tentative)
        actor.heads.update(wording.heads_of(title.title))
        actor.heads.add(chunk.root.lower_)
        self._add_mention(actor, chunk, "description")
        self.claimed.update(range(chunk.start, chunk.end))

    def _refer_to_group(self, chunk: Span, kinds: tuple[str, ...]) -> None:
        actor = self._latest(lambda a: a.kind in kinds)
        if actor is not None:
            self._add_mention(actor, chunk, "description")

    def _refer_to_country(self, chunk: Span) -> None:
        if chunk[0].lower_ not in ("the", "this"):
            return  # "their country": whose, the text rarely says near enough
        named = next((c for t in chunk if t.i < chunk.root.i and (c := codes.country_mentioned(t.text))), None)
        actor = self.actors.get(f"country:{named.cc}") if named else self._salient_country()
        if actor is not None:
            self._add_mention(actor, chunk if chunk.root.dep_ != "poss" else chunk[-1:], "description")

    def _salient_country(self) -> Actor | None:
        """The country last mentioned as a subject or possessor, else the country last mentioned."""
        fallback = None
        for actor in self._recent_actors():
            if actor.kind != "country":
                continue
            fallback = fallback or actor
            last = actor.mentions[-1]
            token = self.doc.char_span(last.start, last.end, alignment_mode="expand")
            if token is not None and token.root.dep_ in SOURCE_DEPS:
                return actor
        return fallback

    def _latest(self, accept: Any) -> Actor | None:
        return next((a for a in self._recent_actors() if accept(a)), None)

    # -- pronouns

    def _pronoun(self, token: Token) -> None:
        plural = token.lower_ in PLURAL_PRONOUNS
        gender = PRONOUN_GENDER.get(token.lower_)
        sentence = self.sentence_of[token.i]
        thing = token.lower_ == "it"
        if thing and wording.is_expletive_it(token):
            return  # "it is unclear whether", "it was reported that": no one

        def compatible(actor: Actor) -> bool:
            if actor.tentative or sentence - actor.last_sentence > PRONOUN_WINDOW_SENTENCES:
                return False
            if thing:  # "The ministry … It said": an organisation, a state body or a country, never a person
                return actor.type == "ORG" and actor.kind not in ("media", "people") or actor.kind in ("country", "state")
            if plural:
                return actor.plural and actor.kind not in ("country", "place", "media")
            return actor.type == "PERSON" and not actor.plural and actor.gender in (None, gender)

        candidates = [a for a in self._recent_actors() if compatible(a)]
        # centering: the subject of this or the previous sentence before any more recent non-subject
        subject = next((a for a in candidates if a.last_was_subject and sentence - a.last_sentence <= 1), None)
        # "it" only continues a subject: a thing mentioned since ("crude oil loaded in Basra, Iraq. It said") may be it
        actor = subject or (candidates[0] if candidates and not thing else None)
        if actor is not None and not self._inside_own_mention(actor, token):
            self._add_mention(actor, self.doc[token.i:token.i + 1], "pronoun")
            actor.gender = actor.gender or gender

    def _inside_own_mention(self, actor: Actor, token: Token) -> bool:
        return any(m.start <= token.idx < m.end for m in actor.mentions[-2:])


# ---------------------------------------------------------------- small helpers


def find_actors(doc: Doc) -> list[dict[str, Any]]:
    actors = ActorResolver(doc).run()
    return [a.as_record(f"e{n}") for n, a in enumerate(actors, 1)]

