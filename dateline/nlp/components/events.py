"""dateline_events: PLOVER events (who did what to whom, where, when, according to whom) from dependency parses.

Triggers are verb and noun lemmas listed per PLOVER type in ``nlp/patterns/events/*.tsv`` (data, one file per
type). For each trigger the coder reads the parse around it:

- source: the subject (active), the ``by``-agent (passive), the possessor or ``by``-phrase of a nominal
  ("the Taliban's capture of …"), or the subject of the verb governing a nominal ("launched an assault");
  a subject missing in a participle or coordinated verb is inherited from the governing verb;
- target: the direct object, the passive subject, or the object of the pattern's preposition;
- wrappers: an event inside the complement of THREATEN/REQUEST/REJECT/AGREE/ACCUSE ("threatened to attack")
  is not coded on its own; it only gives the wrapper its mode;
- hypotheticals (would/could/might, "if …") are not coded; negated events are kept with ``negated: true``;
- attribution: an event inside a quote's content is ``attributed_to`` that quote; inside a denial it is negated.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field, replace
from itertools import chain
from pathlib import Path
from typing import Any

from spacy.language import Language
from spacy.tokens import Doc, Span, Token

from dateline.nlp import actor_codes as codes
from dateline.nlp.spans import MentionIndex
from dateline.nlp.timex import Timex, find_timexes

log = logging.getLogger(__name__)

PATTERN_DIR = Path(__file__).resolve().parents[1] / "patterns" / "events"
# Earlier files win when two types list the same trigger (see the README beside the patterns).
TYPE_PRIORITY = ("REJECT", "THREATEN", "REQUEST", "ACCUSE", "COERCE", "ASSAULT", "SANCTION", "RETREAT",
                 "CONCEDE", "AID", "MOBILIZE", "PROTEST", "AGREE", "SUPPORT", "COOPERATE", "CONSULT")
WRAPPER_TYPES = {"THREATEN", "REQUEST", "REJECT", "AGREE", "ACCUSE"}
# (wrapper, inner) pairs whose inner act is coded too: agreeing or promising to yield ("agreed to lift the
# curfew", "vowed to end the boycott") already gives ground, while an agreement to withdraw is not yet a withdrawal.
CODED_INSIDE = {("AGREE", "CONCEDE")}
CLAUSAL_WRAPPERS = {"THREATEN", "REQUEST", "ACCUSE"}  # their that-clauses are the threatened/requested act
EVALUATIVE_TYPES = {"ACCUSE", "SUPPORT"}  # their verbs judge an act: the subject is its judge, not its doer
HOSTILE_TYPES = {"ASSAULT", "COERCE", "THREATEN", "SANCTION"}
SPEAKER_SOURCED_TYPES = {"ACCUSE", "REJECT"}  # "X said Y was to blame": the accuser is the speaker

# Deps that end a clause: the evidence span of a trigger leaves these subtrees out.
CLAUSE_BREAKS = {"advcl", "ccomp", "parataxis", "conj", "cc", "mark", "csubj", "relcl", "dep", "meta"}
# Deps cut from an actor phrase so its text stays the name, not its relative clause; at the phrase's head
# also its other conjuncts (coded as events of their own), its "'s" and its prepositions other than "of".
PHRASE_BREAKS = {"relcl", "acl", "advcl"}
HEAD_BREAKS = PHRASE_BREAKS | {"appos", "cc", "conj", "case", "prep"}
TARGET_PREPS = ("against", "on", "with", "at", "to", "into", "toward", "towards", "upon")
NOUN_TARGET_PREPS = ("of", "on", "against", "to", "with", "at", "into", "for", "toward", "towards")
LOCATIVE_PREPS = {"in", "at", "near", "outside", "inside", "on", "from", "around", "across", "along"}
NAMED_THINGS = {"EVENT", "WORK_OF_ART", "LAW", "LANGUAGE", "PRODUCT"}
NON_ACTOR_ENTS = {"DATE", "TIME", "CARDINAL", "ORDINAL", "PERCENT", "MONEY", "QUANTITY"}
OBJECT_LIST_PREFIX = "obj:"  # a pattern condition: the direct object is a word of the named lexicon list
MAX_SENTENCE_TOKENS = 400  # longer "sentences" are flattened tables: only their first part is read
MAX_EVENTS_PER_SENTENCE = 12
MAX_PARTIES = 4  # sources (and targets) read from one coordination: "Arnor, Rohan, Gondor and Bree"
JOINT_TYPES = {"AGREE", "CONSULT", "COOPERATE"}  # acts done together: coordinated subjects are each other's party


@dataclass(frozen=True, slots=True)
class Pattern:
    type: str
    lemma: str
    pos: str  # verb | noun
    preps: tuple[str, ...]
    mode: str | None
    needs: str | None


@dataclass(slots=True)
class Lexicons:
    words: dict[str, set[str]] = field(default_factory=dict)
    codes: dict[str, dict[str, str]] = field(default_factory=dict)

    def has(self, name: str, word: str) -> bool:
        return word in self.words.get(name, set())


@dataclass(frozen=True, slots=True)
class Mentions:
    """The document's actor and place mentions, indexed once: every event asks for several."""

    actors: MentionIndex
    places: MentionIndex


@dataclass(slots=True)
class Candidate:
    """One matched trigger before arguments are read."""

    token: Token
    pattern: Pattern
    target_token: Token | None = None  # object of the pattern's preposition, when it has one
    mode: str | None = None


def _data_rows(path: Path) -> Iterator[list[str]]:
    """Tab-separated rows without comments and header."""
    lines = [line for line in path.read_text(encoding="utf-8").splitlines() if line.strip() and not line.startswith("#")]
    for line in lines[1:]:
        yield [cell.strip() for cell in line.split("\t")]


def _dash(value: str) -> str | None:
    return None if value in ("", "-") else value


def load_patterns(directory: Path = PATTERN_DIR) -> dict[tuple[str, str], list[Pattern]]:
    """Patterns by (pos, lemma): those with prepositions first, then by type priority."""
    index: dict[tuple[str, str], list[Pattern]] = {}
    for event_type in TYPE_PRIORITY:
        for row in _data_rows(directory / f"{event_type.lower()}.tsv"):
            lemma, pos, prep, mode, needs = (row + ["-"] * 5)[:5]
            preps = tuple(p for p in (_dash(prep) or "").split("+") if p)
            pattern = Pattern(event_type, lemma.lower(), pos, preps, _dash(mode), _dash(needs))
            index.setdefault((pos, pattern.lemma), []).append(pattern)
    for patterns in index.values():
        patterns.sort(key=_generality)  # stable: keeps type priority within each group
    return index


def _generality(pattern: Pattern) -> tuple[bool, bool]:
    """Sort key: a pattern with prepositions, then one naming its object's kind, before a bare lemma
    ("grant asylum" is AID although a bare "grant" is CONCEDE)."""
    return not pattern.preps, not (pattern.needs or "").startswith(OBJECT_LIST_PREFIX)


def load_lexicons(directory: Path = PATTERN_DIR) -> Lexicons:
    lexicons = Lexicons()
    for row in _data_rows(directory / "lexicons.tsv"):
        name, word = row[0], row[1].lower()
        lexicons.words.setdefault(name, set()).add(word)
        if len(row) > 2 and row[2]:
            lexicons.codes.setdefault(name, {})[word] = row[2]
    return lexicons


class EventCoder:
    def __init__(self, nlp: Language, name: str) -> None:
        self.name = name
        self.patterns = load_patterns()
        self.lexicons = load_lexicons()
        self.noun_triggers = {lemma for pos, lemma in self.patterns if pos == "noun"}

    def __call__(self, doc: Doc) -> Doc:
        try:
            doc._.dateline_events = self.code_events(doc)
        except Exception:  # one odd document must not stop the batch
            log.exception("event coding failed; the document gets no events")
            doc._.dateline_events = []
        return doc

    # --- the document -------------------------------------------------------------------------------

    def code_events(self, doc: Doc) -> list[dict[str, Any]]:
        context = doc._.dateline_context or {}
        published = context.get("published")
        dateline_place = _dateline_place_id(doc, context)
        mentions = Mentions(MentionIndex(doc._.dateline_actors), MentionIndex(doc._.dateline_places))
        events: list[dict[str, Any]] = []
        for sent in doc.sents:
            timexes = find_timexes(sent.text, published, offset=sent.start_char)
            for event in self.code_sentence(doc, mentions, sent, timexes, dateline_place):
                event["id"] = f"v{len(events) + 1}"
                events.append(event)
        return events

    def code_sentence(self, doc: Doc, mentions: Mentions, sent: Span, timexes: list[Timex],
                      dateline_place: str | None) -> list[dict[str, Any]]:
        tokens = list(sent)[:MAX_SENTENCE_TOKENS]
        candidates = [c for c in (self.match(t) for t in tokens) if c is not None]
        by_token = {c.token.i: c for c in candidates}
        pattern_objects = {c.target_token.i for c in candidates if c.target_token is not None}
        events: list[dict[str, Any]] = []
        for cand in candidates:
            wrapper = self._wrapped_by(cand, by_token)
            if wrapper is not None and (wrapper.pattern.type, cand.pattern.type) not in CODED_INSIDE:
                continue
            if self.is_hypothetical(cand.token):
                continue
            if self.is_background(cand.token):
                continue
            if cand.pattern.type == "CONSULT" and self.is_intended(cand.token):
                cand.pattern = Pattern("AGREE", cand.pattern.lemma, cand.pattern.pos, cand.pattern.preps, None, None)
                cand.mode = "meet"  # PLOVER: an announced meeting is an agreement to meet
            if cand.pattern.pos == "noun" and (cand.token.dep_ == "dobj" and cand.token.head.i in by_token
                                               or cand.token.i in pattern_objects):
                # "discuss the meetings", "withdrew from the talks" are one event, coded on the verb; so are
                # "condemned the attack", "praised the accord" (the judged act is coded where it is reported)
                continue
            inner = self._wrapped_inner(cand, candidates)
            if inner is not None and cand.pattern.type == "AGREE" and inner.pattern.type in HOSTILE_TYPES:
                # "vowed to cut ties with", "pledged to crush the rebels": promising to harm someone is a threat
                cand.pattern = replace(cand.pattern, type="THREATEN")
                cand.mode = None
            if inner is not None and cand.mode is None:
                cand.mode = _wrapper_mode(cand.pattern.type, inner)
            events.extend(self.build_events(doc, mentions, sent, cand, inner, timexes, dateline_place))
            if len(events) >= MAX_EVENTS_PER_SENTENCE:
                break
        return events[:MAX_EVENTS_PER_SENTENCE]

    # --- triggers -----------------------------------------------------------------------------------

    def match(self, token: Token) -> Candidate | None:
        pos = "verb" if token.pos_ == "VERB" else "noun" if token.pos_ == "NOUN" else None
        if pos is None:
            return None
        for lemma in _lemma_forms(token):
            for pattern in self.patterns.get((pos, lemma), []):
                found, target = _find_preps(token, pattern.preps)
                if found and self._needs_met(token, pattern, target):
                    return Candidate(token, pattern, target, pattern.mode)
        return None

    def _needs_met(self, token: Token, pattern: Pattern, prep_object: Token | None = None) -> bool:
        needs = pattern.needs
        negated = _is_negated(token)
        if needs == "neg":
            return negated
        obj = _direct_object(token)
        if needs == "object":
            return obj is not None
        if needs == "passive":
            return _is_passive(token)
        if needs == "place":
            return obj is not None and self._is_place_word(obj)
        if needs == "person":
            return obj is not None and self._is_person_word(obj)
        if needs and needs.startswith(OBJECT_LIST_PREFIX):
            return self._object_in(token, needs[len(OBJECT_LIST_PREFIX):], prep_object)
        if needs == "threat_warning":
            return self._threat_warning(token)
        if needs in ("armed", "unarmed"):
            return (needs == "armed") == self._armed_act(token)
        if needs == "complement":
            comp = next((c for c in token.children if c.dep_ == "xcomp"), None)
            return obj is not None or (comp is not None and not self.lexicons.has("speech", comp.lemma_.lower()))
        return True

    def _threat_warning(self, verb: Token) -> bool:
        """A warning that threatens ("warned of severe consequences", "warned that it would retaliate",
        "warned Tehran") rather than one that cautions ("warned of a famine", "warned residents about floods")."""
        warned = _direct_object(verb)
        about = _prep_object(verb, ("of", "about", "against")) or (
            _prep_object(warned, ("of", "about", "against")) if warned is not None else None)
        if about is not None:
            return self.lexicons.has("consequence", about.lemma_.lower())
        return any(c.dep_ in ("ccomp", "xcomp") for c in verb.children) or warned is not None

    def _armed_act(self, token: Token) -> bool:
        """Whether armed forces do the act or are what it moves ("troops withdrew", "pulled its forces"): an
        army pulling back retreats, while a mission or a company leaving a country reduces relations."""
        parties = [t for t in (self.subject(token), _direct_object(token)) if t is not None]
        return any(self.lexicons.has("armed", t.lemma_.lower()) for party in parties
                   for t in _trimmed_tokens(party, PHRASE_BREAKS))

    def _object_in(self, token: Token, list_name: str, prep_object: Token | None = None) -> bool:
        """Whether the trigger's object (or a conjunct of it) is a word of ``list_name``: "lifted the curfew",
        "granted them asylum"; in the passive the object stays after the verb ("were granted asylum"). A pattern
        with prepositions checks the object of its last one too ("withdrew from the talks")."""
        objects = [c for c in token.children if c.dep_ in ("dobj", "obj", "oprd")]
        objects += [prep_object] if prep_object is not None else []
        return any(self.lexicons.has(list_name, o.lemma_.lower()) or self.lexicons.has(list_name, o.lower_)
                   for obj in objects for o in [obj, *obj.conjuncts])

    def _is_actorish(self, token: Token) -> bool:
        """Could this argument be an actor (a name, a pronoun, a person or group word), not 'comment'?"""
        if token.ent_type_ in NON_ACTOR_ENTS or token.ent_type_ in NAMED_THINGS:
            return False  # "celebrated Eid with", "signed the Paris Agreement": names, but of no actor
        return token.pos_ in ("PROPN", "PRON") or bool(token.ent_type_) or self._is_person_word(token) or any(
            c.dep_ in ("poss", "amod", "compound") and (c.ent_type_ or c.pos_ == "PROPN") for c in token.children)

    def _is_place_word(self, token: Token) -> bool:
        return token.ent_type_ in ("GPE", "LOC", "FAC") or self.lexicons.has("territory", token.lemma_.lower())

    def _is_person_word(self, token: Token) -> bool:
        return (token.ent_type_ in ("PERSON", "ORG", "NORP", "GPE")
                or self.lexicons.has("person", token.lemma_.lower()) or self.lexicons.has("person", token.lower_))

    def _wrapped_by(self, cand: Candidate, by_token: dict[int, Candidate]) -> Candidate | None:
        """The wrapper event (THREATEN …) whose complement holds this trigger, if any."""
        token, path = cand.token, list[str]()
        while token.head.i != token.i and len(path) < 6:
            path.append(token.dep_)
            token = token.head
            outer = by_token.get(token.i)
            if outer is None or outer.pattern.type not in WRAPPER_TYPES:
                if token.dep_ not in ("xcomp", "pcomp", "prep", "pobj", "dobj", "ccomp", "aux"):
                    return None
                continue
            if "ccomp" in path and outer.pattern.type not in CLAUSAL_WRAPPERS:
                return None
            if all(dep in ("xcomp", "pcomp", "prep", "pobj", "dobj", "ccomp", "amod", "compound") for dep in path):
                return outer
            return None
        return None

    def _wrapped_inner(self, cand: Candidate, candidates: list[Candidate]) -> Candidate | None:
        if cand.pattern.type not in WRAPPER_TYPES:
            return None
        by_token = {c.token.i: c for c in candidates}
        return next((c for c in candidates if c is not cand and self._wrapped_by(c, by_token) is cand), None)

    def is_hypothetical(self, token: Token) -> bool:
        """Would/could/might, or a condition ("if they attack"): not coded as a fact."""
        for verb in _clause_chain(token):
            for child in verb.children:
                if child.dep_ == "aux" and self.lexicons.has("hypothetical", child.lemma_.lower()):
                    return True
                if child.dep_ == "mark" and self.lexicons.has("hypothetical", child.lower_):
                    return True
        return False

    def is_background(self, token: Token) -> bool:
        """'five years after crowds burned down its embassy': history recalled, not the news reported."""
        for verb in _clause_chain(token):
            if verb.dep_ != "advcl":
                continue
            mark = next((c for c in verb.children if c.dep_ == "mark" and self.lexicons.has("background", c.lower_)), None)
            distance = [c for c in verb.children if c.dep_ == "npadvmod"] + [t for t in mark.subtree if t is not mark] \
                if mark is not None else []
            if any(t.ent_type_ == "DATE" for t in distance):
                return True
        return False

    def is_intended(self, token: Token) -> bool:
        """'will meet', 'plans to visit': an announced future act."""
        verb = token if token.pos_ == "VERB" else _direct_verb(token)
        if verb is None:
            return False
        if any(c.dep_ == "aux" and self.lexicons.has("intent", c.lower_) for c in verb.children):
            return True
        return verb.dep_ == "xcomp" and self.lexicons.has("intent", verb.head.lemma_.lower())

    # --- one event ----------------------------------------------------------------------------------

    def build_events(self, doc: Doc, mentions: Mentions, sent: Span, cand: Candidate, inner: Candidate | None,
                     timexes: list[Timex], dateline_place: str | None) -> list[dict[str, Any]]:
        if cand.pattern.pos == "noun" and self._cancelled(cand.token):
            return []
        sources, targets = self.arguments(cand, inner)
        speaker = self.reporting_speaker(cand.token)
        if not sources and speaker is not None and cand.pattern.type in SPEAKER_SOURCED_TYPES:
            sources = [speaker]
        if not sources and not any(self._is_actorish(t) for t in targets):
            return []  # an act with nobody doing it or suffering it is not an event record
        evidence = self.evidence_span(cand.token)
        start, end = evidence.start_char, evidence.end_char
        quote = _quote_over(doc, start, end)
        negated = (_is_negated(cand.token) and cand.pattern.needs != "neg") or self._denied(cand.token) \
            or self._failed(cand.token) or _negative_subject(cand.token) or bool(quote and quote.get("denial"))
        timex = next((t for t in timexes if start <= t.start < end), None)
        place = self.place_for(mentions.places, cand.token, sent, start, end, dateline_place)
        events = []
        for source, target in self.participant_pairs(cand, sources, targets):
            if source is not None and target is not None and source.i == target.i:
                continue
            events.append({
                "id": "", "type": cand.pattern.type, "mode": cand.mode,
                "source": self.actor(mentions.actors, source), "target": self.actor(mentions.actors, target),
                "place": place, "date": timex.date if timex else None,
                "date_text": timex.text if timex else None, "negated": negated,
                "attributed_to": quote["id"] if quote else None,
                "evidence": {"start": start, "end": end, "text": evidence.text},
                "confidence": _confidence(cand, source, target),
            })
        events.extend(self.claimed_accusations(mentions.actors, events, speaker))
        return events

    def participant_pairs(self, cand: Candidate, sources: list[Token],
                          targets: list[Token]) -> list[tuple[Token | None, Token | None]]:
        """(source, target) pairs to code. Coordinated parties of a joint act with no other party ("Arnor and
        Gondor agreed", "X and Y held talks") are each other's counterparts; a reciprocal act ("X met Y",
        "X clashed with Y") is coded in both directions, since each party did it to the other."""
        sources, targets = sources[:MAX_PARTIES], targets[:MAX_PARTIES]
        actor_targets = [t for t in targets if self._is_actorish(t)]
        if cand.pattern.type in JOINT_TYPES and len(sources) > 1 and not actor_targets:
            return [(s, t) for s in sources for t in sources if s.i != t.i]
        pairs = [(s, t) for s in _or_none(sources) for t in _or_none(targets)]
        if self.lexicons.has("reciprocal", cand.token.lemma_.lower()):
            pairs += [(t, s) for s in sources for t in actor_targets]
        return pairs

    def arguments(self, cand: Candidate, inner: Candidate | None) -> tuple[list[Token], list[Token]]:
        """(sources, targets) as head tokens, each expanded over coordination ("Arnor and Gondor")."""
        token = cand.token
        if cand.pattern.pos == "noun":
            source, target = self._nominal_arguments(token)
        elif _is_passive(token):
            source = _agent(token) or (cand.target_token if cand.pattern.preps else None)
            target = self.subject(token, passive=True)
        else:
            source = self.subject(token)
            target = _direct_object(token) or cand.target_token or _prep_object(token, TARGET_PREPS)
            if target is not None and not self._is_actorish(target):
                # "granted amnesty to political prisoners", "fired shells at Seoul", "signed a protocol with
                # Gondor": the thing given, fired or signed is no party; the actor after a preposition is
                target = self._party_after_preposition(token) or self._party_after_preposition(target) or target
        if inner is not None and cand.pattern.type == "ACCUSE" and inner.pattern.pos == "noun" \
                and (target is None or target.i == inner.token.i):
            # "condemned the attack by the militia": the accused is who did the judged act
            doers = self.arguments(inner, None)[0]
            target = doers[0] if doers else target
        if inner is not None and (target is None or target.i == inner.token.i):
            # "threatened to attack X", "threatened sanctions against X": the inner act's target
            inner_target = self.arguments(inner, None)[1] if inner.pattern.pos == "noun" else [
                t for t in (_direct_object(inner.token) or inner.target_token or _prep_object(inner.token, TARGET_PREPS),)
                if t is not None]
            target = inner_target[0] if inner_target else target
        if target is not None:
            target = self._actor_behind(target)
        return _conjuncts(_not_a_time(source)), _conjuncts(_not_a_time(target))

    def _party_after_preposition(self, head: Token) -> Token | None:
        """The first actor-like object of a target preposition or a dative on ``head`` (never a date); the
        head is the verb or, where the parser hung the phrase there, its object ("shells at Seoul")."""
        dative = [c for c in head.children if c.dep_ == "dative" and c.pos_ != "ADP"]
        objects = dative + [o for o in (_prep_object(head, (p,)) for p in TARGET_PREPS) if o is not None]
        return next((o for o in objects if o.ent_type_ not in NON_ACTOR_ENTS and self._is_actorish(o)), None)

    def subject(self, verb: Token, passive: bool = False) -> Token | None:
        """The verb's subject (see ``_subject``); a relative pronoun stands for the actor it refers to, or nobody."""
        subject = _subject(verb, passive)
        if subject is not None and subject.tag_ in ("WDT", "WP") and subject.head.dep_ == "relcl":
            return self._relative_antecedent(subject.head.head)  # "a group which supports …": the group
        if subject is not None and subject.dep_ == "dobj" and self.lexicons.has("document", subject.lemma_.lower()):
            # "They issued a statement calling for …": the statement speaks for whoever issued it
            return _subject(subject.head) or subject
        return subject

    def _relative_antecedent(self, noun: Token) -> Token | None:
        """The actor a relative clause on ``noun`` is about, or None when no actor is in reach.

        The parser hangs "who …" on the nearest noun, which after a prepositional phrase is often not the
        one meant ("officers in plain clothes, who asked …"): past a noun that is no actor, the noun just
        before its preposition is tried (a few steps). A non-actor is never returned: an event whose doer is
        "plain clothes" is worse than no source."""
        for _ in range(3):
            if self._is_actorish(noun):
                return noun
            preposition = noun.head
            if noun.dep_ != "pobj" or preposition.dep_ != "prep" or preposition.i == 0:
                return None
            noun = noun.doc[preposition.i - 1]
            if noun.pos_ not in ("NOUN", "PROPN", "PRON"):
                return None
        return None

    def _nominal_arguments(self, noun: Token) -> tuple[Token | None, Token | None]:
        source = next((c for c in noun.children if c.dep_ == "poss"), None)
        source = source or _prep_object(noun, ("by",))
        source = source or next((c for c in noun.children if c.dep_ in ("amod", "compound")
                                 and c.ent_type_ in ("NORP", "GPE", "ORG")), None)
        target = self._meeting_partner(noun) or _prep_object(noun, NOUN_TARGET_PREPS)
        parties = _prep_object(noun, ("between",))
        if source is None and parties is not None and len(_conjuncts(parties)) > 1:
            return parties, None  # "the accord between Chile and Bolivia": joint parties, paired later
        verb = _direct_verb(noun)
        if verb is not None and self._judges(verb):
            return source, target  # "Peru praised the accord": Peru judged it, did not make it
        if verb is not None and noun.dep_ in ("dobj", "pobj", "attr"):
            if self.lexicons.has("receive", verb.lemma_.lower()):
                giver = _prep_object(verb, ("from",)) or _prep_object(noun, ("from",))
                return giver, self.subject(verb)
            target = target or _prep_object(verb, TARGET_PREPS)  # "sent aid to Haiti"
            if source is None and noun.dep_ != "attr":
                source = self.subject(verb)
            elif source is not None and source.lower_ == "their":
                # "Arnor and Gondor held their talks": the plural possessive is the coordinated subject
                subject = self.subject(verb)
                source = subject if subject is not None and len(_conjuncts(subject)) > 1 else source
        return source, target

    def _meeting_partner(self, noun: Token) -> Token | None:
        """'talks with Arnor', 'meetings of the committee with Arnor' (the parser may hang "with" on the
        committee): the other side of a reciprocal act follows "with", before any "of"."""
        if not self.lexicons.has("reciprocal", noun.lemma_.lower()):
            return None
        body = _prep_object(noun, ("of",))
        return _prep_object(noun, ("with",)) or (_prep_object(body, ("with",)) if body is not None else None)

    def _judges(self, verb: Token) -> bool:
        """Whether a verb is one of criticism or praise (its subject is a judge of the act, not its doer)."""
        return any(p.type in EVALUATIVE_TYPES for p in self.patterns.get(("verb", verb.lemma_.lower()), []))

    def _actor_behind(self, token: Token) -> Token:
        """'meetings with the Taliban', "Pakistan's request": the actor behind an event noun."""
        if token.pos_ != "NOUN" or not (token.lemma_.lower() in self.noun_triggers or token.lemma_.lower() in (
                "plan", "proposal", "offer", "effort", "bid")):
            return token
        owner = next((c for c in token.children if c.dep_ == "poss"), None)
        return owner or _prep_object(token, ("by", "with")) or token  # "condemned an attack by the militia"

    def _cancelled(self, noun: Token) -> bool:
        """'stop the onslaught', 'prevent an attack': the event is what someone wants not to happen."""
        verb = _direct_verb(noun)
        return noun.dep_ == "dobj" and verb is not None and self.lexicons.has("cancel", verb.lemma_.lower())

    def _denied(self, token: Token) -> bool:
        """'denied that its troops shelled', 'denied shelling', 'rejected claims that they kidnapped'."""
        for verb in _clause_chain(token):
            head = verb.head
            if verb.dep_ in ("ccomp", "xcomp") and self.lexicons.has("denial", head.lemma_.lower()):
                return True
            if (verb.dep_ in ("acl", "ccomp") and self.lexicons.has("claim", head.lemma_.lower())
                    and head.dep_ == "dobj" and self.lexicons.has("denial", head.head.lemma_.lower())):
                return True
        return False

    def _failed(self, token: Token) -> bool:
        """'failed to reach an agreement', 'talks ended without a deal': the act did not happen."""
        if token.pos_ == "NOUN" and token.dep_ == "pobj" and token.head.lower_ == "without":
            return True
        return any(v.dep_ == "xcomp" and self.lexicons.has("failure", v.head.lemma_.lower())
                   for v in _clause_chain(token))

    def reporting_speaker(self, token: Token) -> Token | None:
        """Subject of the verb of saying whose that-clause holds the trigger ("officials say …")."""
        for verb in _clause_chain(token):
            if verb.dep_ in ("ccomp", "parataxis") and self.lexicons.has("report", verb.head.lemma_.lower()):
                return self.subject(verb.head)
        return None

    def claimed_accusations(self, actors: MentionIndex, events: list[dict[str, Any]],
                            speaker: Token | None) -> list[dict[str, Any]]:
        """A speaker reporting a hostile act against its own side is accusing the doer (PLOVER ACCUSE)."""
        if speaker is None:
            return []
        speaker_actor = self.actor(actors, speaker)
        side = (speaker_actor or {}).get("actor") or ""
        out = []
        for event in events:
            target_code = ((event.get("target") or {}).get("actor") or "")
            if (event["type"] in HOSTILE_TYPES and event.get("source") and side and not event["negated"]
                    and target_code[:3] == side[:3]):
                out.append({**event, "type": "ACCUSE", "mode": "allege", "source": speaker_actor,
                            "target": event["source"], "confidence": round(event["confidence"] * 0.8, 2)})
        return out

    # --- spans and resolution -----------------------------------------------------------------------

    def evidence_span(self, token: Token) -> Span:
        """The trigger's clause, without subordinate and coordinated clauses."""
        verb = _direct_verb(token) if token.pos_ == "NOUN" else token
        anchor = verb if verb is not None else token
        return _as_span(_trimmed_tokens(anchor, CLAUSE_BREAKS) or [token])

    def actor(self, actors: MentionIndex, token: Token | None) -> dict[str, Any] | None:
        if token is None:
            return None
        phrase = _trimmed_tokens(token, PHRASE_BREAKS) or [token]
        span = _as_span(phrase)
        entity = actors.covering(span.start_char, span.end_char)
        code = (entity or {}).get("actor") or self.derived_code(phrase, entity)
        appos = next((c for c in token.children if c.dep_ == "appos"), None)
        if entity is None and code is None and appos is not None and token.pos_ != "PROPN":
            return self.actor(actors, appos)  # "their country's arch-rival, India"
        return {"text": span.text, "entity": (entity or {}).get("id"), "actor": code}

    def derived_code(self, phrase: list[Token], entity: dict[str, Any] | None = None) -> str | None:
        """A country (+ role) code from plain words: 'Pakistani military personnel' -> PAKMIL; a capital as a
        place is its country, as CAMEO codes places ('fired shells at Seoul' -> KOR; not a person 'Washington').
        Country names, demonyms and capitals come from the actors' country table (actor_codes)."""
        span = _as_span(phrase)
        if entity is None or entity.get("type") in ("GPE", "LOC", "FAC"):
            capital = codes.country_of_capital(codes.strip_article(span.text))
            if capital is not None:
                return capital.cameo
        named = (codes.country_mentioned(ent.text) for ent in span.ents if ent.label_ in ("GPE", "NORP"))
        # Word by word for what the model did not tag ("the Kabul government"); a person's own name is no
        # country: "George Washington" is not the United States.
        words = (codes.country_mentioned(t.text) or codes.country_of_capital(t.text)
                 for t in phrase if t.ent_type_ != "PERSON" and t.pos_ in ("PROPN", "ADJ", "NOUN"))
        country = next((c for c in chain(named, words) if c is not None), None)  # words only if needed
        if country is None:
            return None
        roles = self.lexicons.codes.get("role", {})
        role = next((roles[t.lower_] for t in phrase if t.lower_ in roles), "")
        return country.cameo + role

    def place_for(self, places: MentionIndex, token: Token, sent: Span, start: int, end: int,
                  dateline_place: str | None) -> str | None:
        """The place named in the clause (a locative phrase first), else in the sentence, else the dateline's."""
        anchor = _direct_verb(token) if token.pos_ == "NOUN" else token
        locatives = [c for c in (anchor or token).subtree
                     if c.dep_ == "pobj" and c.head.lower_ in LOCATIVE_PREPS and start <= c.idx < end]
        for loc in reversed(locatives):
            phrase = _trimmed_tokens(loc, PHRASE_BREAKS) or [loc]
            place = places.covering(phrase[0].idx, phrase[-1].idx + len(phrase[-1].text))
            if place:
                return place.get("id")
        for span_start, span_end in ((start, end), (sent.start_char, sent.end_char)):
            place = places.covering(span_start, span_end)
            if place:
                return place.get("id")
        return dateline_place


# --- parse helpers (module functions: no state) ---------------------------------------------------


def _lemma_forms(token: Token) -> list[str]:
    """The lemma, and for a hyphenated noun ("cease-fire") the joined form, tried first."""
    lemma = token.lemma_.lower()
    doc = token.doc
    if token.i >= 2 and doc[token.i - 1].text == "-" and not doc[token.i - 1].whitespace_:
        return [f"{doc[token.i - 2].lower_}-{lemma}", lemma]
    return [lemma]


def _find_preps(token: Token, preps: tuple[str, ...]) -> tuple[bool, Token | None]:
    """Whether the trigger governs the words ``preps`` in a chain ("walked out of"), and the last one's object."""
    anchor = token
    for word in preps:
        pool = list(anchor.children) + (list(token.children) if anchor.i != token.i else [])
        found = next((c for c in pool if c.lower_ == word and c.dep_ not in ("nsubj", "nsubjpass")), None)
        if found is None:
            return False, None
        anchor = found
    if anchor.i == token.i:
        return True, None
    return True, next((c for c in anchor.children if c.dep_ in ("pobj", "pcomp")), None)


def _is_passive(token: Token) -> bool:
    return any(c.dep_ in ("nsubjpass", "auxpass") for c in token.children)


def _is_negated(token: Token) -> bool:
    if any(c.dep_ == "neg" for c in token.children):
        return True
    if token.pos_ == "NOUN":
        if any(c.lower_ in ("no", "never") and c.dep_ == "det" for c in token.children):
            return True
        verb = _governing_verb(token)
        return verb is not None and any(c.dep_ == "neg" for c in verb.children)
    return False


def _negative_subject(token: Token) -> bool:
    """'Neither side attacked', 'nobody was arrested', 'no troops withdrew': a subject that denies the act."""
    verb = token if token.pos_ in ("VERB", "AUX") else _direct_verb(token)
    if verb is None:
        return False
    subjects = [c for c in verb.children if c.dep_ in ("nsubj", "nsubjpass")]
    return any(s.lower_ in ("nobody", "none", "neither") or any(
        c.dep_ in ("det", "preconj") and c.lower_ in ("no", "neither") for c in s.children) for s in subjects)


def _subject(verb: Token, passive: bool = False) -> Token | None:
    """The verb's subject, inherited up participles, infinitives and coordinated verbs."""
    deps = ("nsubjpass",) if passive else ("nsubj", "nsubjpass") if verb.dep_ == "xcomp" else ("nsubj",)
    current: Token | None = verb
    for _ in range(5):
        if current is None:
            return None
        subject = _best_subject([c for c in current.children if c.dep_ in deps])
        if subject is not None:  # a relative pronoun ("which supports …") is resolved by EventCoder.subject
            return subject
        if passive:
            return None
        if current.dep_ == "acl" and current.tag_ == "VBG" and current.head.pos_ in ("NOUN", "PROPN", "PRON"):
            return current.head  # "insurgents crossing the border"
        if current.dep_ not in ("xcomp", "advcl", "conj", "acomp", "pcomp", "prep") or current.head.i == current.i:
            return None
        if current.dep_ == "xcomp":
            # "urged Gondor to withdraw": the object of the governing verb is the subject
            obj = next((c for c in current.head.children if c.dep_ == "dobj"), None)
            if obj is not None:
                return obj
            deps = ("nsubj", "nsubjpass")
        current = current.head
    return None


def _best_subject(subjects: list[Token]) -> Token | None:
    """Of two subjects the parser gave one verb ("Old foes Gondor and Osgiliath renewed …": an apposition
    split in two), the named one."""
    return next((s for s in subjects if s.pos_ == "PROPN" or s.ent_type_), subjects[0] if subjects else None)


def _not_a_time(token: Token | None) -> Token | None:
    """'vowed on Thursday': dates and amounts are never actors."""
    if token is None or token.ent_type_ not in NON_ACTOR_ENTS:
        return token
    return token if any(c.lower_ == "of" for c in token.children) else None  # "dozens of protesters"


def _direct_object(token: Token) -> Token | None:
    return next((c for c in token.children if c.dep_ in ("dobj", "obj")), None)


def _agent(token: Token) -> Token | None:
    # the parser files "by Sweden" as a plain prep when a passive keeps its object ("were granted asylum by …")
    agent = next((c for c in token.children if c.dep_ == "agent" or (c.dep_ == "prep" and c.lower_ == "by")), None)
    return next((c for c in agent.children if c.dep_ == "pobj"), None) if agent is not None else None


def _prep_object(token: Token, preps: Iterable[str]) -> Token | None:
    wanted = set(preps)
    for prep in token.children:
        if prep.dep_ in ("prep", "dative", "agent") and prep.lower_ in wanted:
            obj = next((c for c in prep.children if c.dep_ == "pobj"), None)
            if obj is not None:
                return obj
    return None


def _governing_verb(token: Token) -> Token | None:
    """The verb whose clause holds a noun: up through objects, prepositions and compounds."""
    current = token
    for _ in range(6):
        if current.pos_ in ("VERB", "AUX") and current.i != token.i:
            return current
        if current.head.i == current.i:
            return None
        if current.dep_ not in ("dobj", "pobj", "prep", "attr", "nsubj", "nsubjpass", "compound", "amod",
                                "npadvmod", "dative", "oprd", "appos"):
            return current.head if current.head.pos_ in ("VERB", "AUX") else None
        current = current.head
    return None


def _direct_verb(noun: Token) -> Token | None:
    """The verb a noun is an argument of: its object, subject, copular attribute, or one preposition away."""
    head = noun.head
    if noun.dep_ in ("dobj", "attr", "nsubj", "nsubjpass", "oprd") and head.pos_ in ("VERB", "AUX"):
        return head
    if noun.dep_ == "pobj" and head.dep_ in ("prep", "agent") and head.head.pos_ in ("VERB", "AUX"):
        return head.head
    return None


def _clause_chain(token: Token) -> Iterator[Token]:
    """The verb of the trigger's clause, then the verbs of the clauses holding it (nearest first)."""
    verb = token if token.pos_ in ("VERB", "AUX") else _governing_verb(token)
    for _ in range(5):
        if verb is None:
            return
        yield verb
        if verb.head.i == verb.i or verb.dep_ not in ("xcomp", "ccomp", "advcl", "conj", "pcomp", "acl", "relcl"):
            return
        verb = verb.head if verb.head.pos_ in ("VERB", "AUX") else _governing_verb(verb.head)


def _or_none(tokens: list[Token]) -> list[Token | None]:
    return list(tokens) if tokens else [None]


def _conjuncts(token: Token | None) -> list[Token]:
    if token is None:
        return []
    return [token] + [c for c in token.conjuncts if c.i > token.i and c.pos_ in ("PROPN", "NOUN", "PRON")]


def _trimmed_tokens(head: Token, breaks: set[str]) -> list[Token]:
    """The head's subtree without children attached by ``breaks`` deps, as a contiguous token run."""
    kept = {head.i}
    stack = [head]
    while stack:
        current = stack.pop()
        for child in current.children:
            if _cut(head, current, child, breaks):
                continue
            kept.add(child.i)
            stack.append(child)
    lo, hi = min(kept), max(kept)
    # Stop at a gap made by a removed clause so the span never swallows it.
    run = [head.i]
    i = head.i - 1
    while i >= lo and i in kept:
        run.insert(0, i)
        i -= 1
    i = head.i + 1
    while i <= hi and i in kept:
        run.append(i)
        i += 1
    tokens = [head.doc[i] for i in run]
    while tokens and tokens[0].i != head.i and (tokens[0].is_punct or tokens[0].is_space or tokens[0].dep_ in ("cc", "mark", "preconj") or tokens[0].lower_ in ("neither", "either")):
        tokens = tokens[1:]
    while tokens and tokens[-1].i != head.i and (tokens[-1].is_punct or tokens[-1].is_space or tokens[-1].dep_ == "cc"):
        tokens = tokens[:-1]
    return tokens


def _as_span(run: list[Token]) -> Span:
    """A contiguous token run as a Span (its text is sliced from the run alone, never from all of ``doc.text``)."""
    return run[0].doc[run[0].i:run[-1].i + 1]


def _cut(head: Token, current: Token, child: Token, breaks: set[str]) -> bool:
    """Whether ``child`` (under ``current``) leaves the span: clause breaks apply at the head only."""
    if breaks is not PHRASE_BREAKS:
        return current.i == head.i and child.dep_ in breaks
    if current.i == head.i and child.dep_ in HEAD_BREAKS and not (child.dep_ == "prep" and child.lower_ == "of"):
        return True
    return child.dep_ in breaks or (child.dep_ in ("prep", "npadvmod") and _is_time_phrase(child))


def _is_time_phrase(token: Token) -> bool:
    """'on Thursday', 'last week' hanging off a noun: not part of the actor's name."""
    return any(t.ent_type_ in ("DATE", "TIME") for t in token.subtree)


def _quote_over(doc: Doc, start: int, end: int) -> dict[str, Any] | None:
    """The tightest quote whose content holds the evidence span."""
    best = None
    for quote in doc._.dateline_quotes or []:
        content = quote.get("content") or {}
        q_start, q_end = content.get("start", -1), content.get("end", -1)
        if q_start <= start and end <= q_end and (best is None or q_end - q_start < best[0]):
            best = (q_end - q_start, quote)
    return best[1] if best else None


def _dateline_place_id(doc: Doc, context: dict[str, Any]) -> str | None:
    name = ((context.get("dateline") or {}).get("place") or "").strip().lower()
    if not name:
        return None
    for place in doc._.dateline_places or []:
        names = [place.get("name") or ""] + [m.get("text", "") for m in place.get("mentions", [])]
        if any(n.strip().lower() == name for n in names):
            return place.get("id")
    return None


def _wrapper_mode(wrapper: str, inner: Candidate) -> str | None:
    """'threatened to attack' -> THREATEN/violence; 'asked for talks' -> REQUEST/meet."""
    inner_type, inner_mode = inner.pattern.type, inner.mode
    if wrapper == "THREATEN":
        if inner_type == "ASSAULT":
            return "violence"
        if inner_type == "COERCE":
            return "territory" if inner_mode == "seize" else inner_mode
        if inner_type == "SANCTION":
            return "expel" if inner_mode == "expel" else "relations"
    if wrapper in ("REQUEST", "REJECT"):
        return {"CONSULT": "meet", "AID": "assist", "RETREAT": "yield", "CONCEDE": "yield"}.get(inner_type, "change")
    return None


def _confidence(cand: Candidate, source: Token | None, target: Token | None) -> float:
    score = 0.5 + 0.15 * (source is not None) + 0.15 * (target is not None)
    if cand.pattern.pos == "noun":
        score -= 0.1
    if cand.pattern.needs or cand.pattern.preps:
        score += 0.05  # a constrained pattern is less ambiguous
    return round(min(score, 0.95), 2)


@Language.factory("dateline_events")
def make_events(nlp: Language, name: str) -> EventCoder:
    return EventCoder(nlp, name)
