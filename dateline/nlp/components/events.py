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
from dataclasses import dataclass, replace
from itertools import chain
from typing import Any

from spacy.language import Language
from spacy.tokens import Doc, Span, Token

from dateline.nlp import actor_codes as codes
from dateline.nlp.events import parse, scoring
from dateline.nlp.events.parse import CLAUSE_BREAKS, NON_ACTOR_ENTS, PHRASE_BREAKS
from dateline.nlp.events.patterns import OBJECT_LIST_PREFIX, Candidate, Pattern, load_lexicons, load_patterns
from dateline.nlp.models import load_model
from dateline.nlp.spans import MentionIndex
from dateline.nlp.timex import Timex, find_timexes

log = logging.getLogger(__name__)

WRAPPER_TYPES = {"THREATEN", "REQUEST", "REJECT", "AGREE", "ACCUSE"}
# (wrapper, inner) pairs whose inner act is coded too: agreeing or promising to yield ("agreed to lift the
# curfew", "vowed to end the boycott") already gives ground, while an agreement to withdraw is not yet a withdrawal.
CODED_INSIDE = {("AGREE", "CONCEDE")}
CLAUSAL_WRAPPERS = {"THREATEN", "REQUEST", "ACCUSE"}  # their that-clauses are the threatened/requested act
EVALUATIVE_TYPES = {"ACCUSE", "SUPPORT"}  # their verbs judge an act: the subject is its judge, not its doer
HOSTILE_TYPES = {"ASSAULT", "COERCE", "THREATEN", "SANCTION"}
SPEAKER_SOURCED_TYPES = {"ACCUSE", "REJECT"}  # "X said Y was to blame": the accuser is the speaker

TARGET_PREPS = ("against", "on", "with", "at", "to", "into", "toward", "towards", "upon")
NOUN_TARGET_PREPS = ("of", "on", "against", "to", "with", "at", "into", "for", "toward", "towards")
LOCATIVE_PREPS = {"in", "at", "near", "outside", "inside", "on", "from", "around", "across", "along"}
NAMED_THINGS = {"EVENT", "WORK_OF_ART", "LAW", "LANGUAGE", "PRODUCT"}
MAX_SENTENCE_TOKENS = 400  # longer "sentences" are flattened tables: only their first part is read
MAX_EVENTS_PER_SENTENCE = 12
MAX_PARTIES = 4  # sources (and targets) read from one coordination: "Arnor, Rohan, Gondor and Bree"
JOINT_TYPES = {"AGREE", "CONSULT", "COOPERATE"}  # acts done together: coordinated subjects are each other's party


@dataclass(frozen=True, slots=True)
class Mentions:
    """The document's actor and place mentions, indexed once: every event asks for several."""

    actors: MentionIndex
    places: MentionIndex
    dateline_end: int = 0  # the text before this offset is the dateline: no actor is read there



class EventCoder:
    def __init__(self, nlp: Language, name: str, use_model: bool = True) -> None:
        self.name = name
        self.patterns = load_patterns()
        self.lexicons = load_lexicons()
        self.noun_triggers = {lemma for pos, lemma in self.patterns if pos == "noun"}
        # The trained type scorer (loaded once per process; ModelMissing when its folder is absent).
        # use_model=False is the rules alone, kept to measure what the model adds.
        self.model: Language | None = load_model("events") if use_model else None

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
        mentions = Mentions(MentionIndex(doc._.dateline_actors), MentionIndex(doc._.dateline_places),
                            parse.dateline_end(doc.text))
        coded: list[tuple[Span, list[dict[str, Any]]]] = []
        for sent in doc.sents:
            timexes = find_timexes(sent.text, published, offset=sent.start_char)
            found = self.code_sentence(doc, mentions, sent, timexes, dateline_place)
            if found:
                coded.append((sent, found))
        # one batched pass of the type scorer over the sentences the rules coded (only those: it stays cheap)
        scores = scoring.type_scores(self.model, [sent.text for sent, _ in coded]) if self.model is not None \
            else [{} for _ in coded]
        events: list[dict[str, Any]] = []
        for (_, found), cats in zip(coded, scores, strict=True):
            for event in found:
                bare = event.pop("_bare")
                judgement = scoring.judge(event["type"], event["confidence"], bare, cats)
                if judgement is None:
                    continue  # the model sees no act of this kind where a bare trigger word matched
                events.append({**scoring.apply(event, judgement), "id": f"v{len(events) + 1}"})
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
            if self.is_hypothetical(cand.token) or self.is_hearsay(cand.token) or self.is_permission(cand.token):
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
        if pos is None or parse.in_name(token):
            return None
        for lemma in parse.lemma_forms(token):
            for pattern in self.patterns.get((pos, lemma), []):
                found, target = parse.find_preps(token, pattern.preps)
                if found and self._needs_met(token, pattern, target):
                    return Candidate(token, pattern, target, pattern.mode)
        return None

    def _needs_met(self, token: Token, pattern: Pattern, prep_object: Token | None = None) -> bool:
        needs = pattern.needs
        negated = parse.is_negated(token)
        if needs == "neg":
            return negated
        obj = parse.direct_object(token)
        if needs == "object":
            return obj is not None
        if needs == "passive":
            return parse.is_passive(token)
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
        warned = parse.direct_object(verb)
        about = parse.prep_object(verb, ("of", "about", "against")) or (
            parse.prep_object(warned, ("of", "about", "against")) if warned is not None else None)
        if about is not None:
            return self.lexicons.has("consequence", about.lemma_.lower())
        if any(c.dep_ == "xcomp" for c in verb.children):
            return True
        clause = next((c for c in verb.children if c.dep_ == "ccomp"), None)
        if clause is not None:  # "warned that it would retaliate", not "warned that the schedule is tight"
            return any(c.dep_ == "aux" and c.lower_ in ("will", "would", "'ll") for c in clause.children)
        return warned is not None

    def _armed_act(self, token: Token) -> bool:
        """Whether armed forces do the act or are what it moves ("troops withdrew", "pulled its forces"): an
        army pulling back retreats, while a mission or a company leaving a country reduces relations."""
        parties = [t for t in (self.subject(token), parse.direct_object(token)) if t is not None]
        return any(self.lexicons.has("armed", t.lemma_.lower()) for party in parties
                   for t in parse.trimmed_tokens(party, PHRASE_BREAKS))

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
        if token.ent_type_ in NON_ACTOR_ENTS:
            # "thousands of workers", "dozens of protesters": the people counted
            counted = parse.prep_object(token, ("of",))
            return counted is not None and counted.ent_type_ not in NON_ACTOR_ENTS and self._is_actorish(counted)
        if token.ent_type_ in NAMED_THINGS:
            return False  # "celebrated Eid with", "signed the Paris Agreement": names, but of no actor
        return token.pos_ in ("PROPN", "PRON") or bool(token.ent_type_) or self._is_person_word(token) or any(
            c.dep_ in ("poss", "amod", "compound") and (c.ent_type_ or c.pos_ == "PROPN") for c in token.children)

    def _is_act(self, token: Token) -> bool:
        """An act, a decision or a proposal ("the resumption of ties", "the announcement", "the offer")."""
        lemma = token.lemma_.lower()
        return lemma in self.noun_triggers or self.lexicons.has("act", lemma) or self.lexicons.has("document", lemma)

    def _is_place_word(self, token: Token) -> bool:
        return token.ent_type_ in ("GPE", "LOC", "FAC") or self.lexicons.has("territory", token.lemma_.lower())

    def _is_person_word(self, token: Token) -> bool:
        lemma = token.lemma_.lower()
        return (token.ent_type_ in ("PERSON", "ORG", "NORP", "GPE")
                or self.lexicons.has("person", lemma) or self.lexicons.has("person", token.lower_)
                or (lemma.endswith("ist") and len(lemma) > 6))  # separatist, extremist, loyalist: people

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
        for verb in parse.clause_chain(token):
            for child in verb.children:
                if child.dep_ == "aux" and self.lexicons.has("hypothetical", child.lemma_.lower()):
                    return True
                if child.dep_ == "mark" and self.lexicons.has("hypothetical", child.lower_):
                    return True
        return False

    def is_hearsay(self, token: Token) -> bool:
        """'had heard such promises before', 'such attacks are rare', 'said in a deal that': an act known of,
        spoken of in general, or framing a report, not one reported."""
        if token.pos_ != "NOUN":
            return False
        if any(c.dep_ == "det" and c.lower_ == "such" for c in token.children):
            return True
        if token.dep_ == "pobj" and token.head.lower_ == "in" and token.head.head.pos_ == "VERB" \
                and self.lexicons.has("report", token.head.head.lemma_.lower()):
            return True  # "the companies said, in a deal that …": the frame of a report, not its news
        verb = parse.direct_verb(token)
        return verb is not None and token.dep_ in ("dobj", "pobj") and self.lexicons.has("perception", verb.lemma_.lower())

    def is_permission(self, token: Token) -> bool:
        """'not authorized to discuss internal communications', 'permitted to speak': why a source is anonymous,
        not an act of consulting or speaking."""
        head = token.head
        return token.dep_ == "xcomp" and head.tag_ == "VBN" and self.lexicons.has("permission", head.lemma_.lower())

    def is_background(self, token: Token) -> bool:
        """'five years after crowds burned down its embassy': history recalled, not the news reported."""
        for verb in parse.clause_chain(token):
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
        verb = token if token.pos_ == "VERB" else parse.direct_verb(token)
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
        sources, targets = self.arguments(cand, inner, mentions.dateline_end)
        speaker = self.reporting_speaker(cand.token)
        verb = cand.token if cand.token.pos_ == "VERB" else parse.governing_verb(cand.token)
        while verb is not None and verb.dep_ == "conj" and verb.head.i != verb.i:
            verb = verb.head  # "said that it had frozen … and banned …": both verbs are in what was said
        if verb is not None and verb.dep_ == "ccomp" and self.lexicons.has("report", verb.head.lemma_.lower()):
            sources = [_speaker_for(t, speaker) for t in sources]  # only in the clause the speaker reports
        if not sources and speaker is not None and cand.pattern.type in SPEAKER_SOURCED_TYPES:
            sources = [speaker]
        if not any(self._is_actorish(t) or t.pos_ == "PROPN" for t in sources + targets):  # PROPN: "Gondor" as WORK_OF_ART
            # an act with nobody doing it or suffering it is not an event record, nor one between things and
            # unnamed bystanders ("the clubs meet again", "the prints were donated by the family")
            return []
        if cand.pattern.type == "SUPPORT" and cand.pattern.pos == "verb" and targets and not any(
                self._is_actorish(t) or self._is_act(t) or any(c.dep_ == "poss" and self._is_actorish(c) for c in t.children)
                for t in targets):
            return []  # support is for a party or for what it did or proposed, not "welcomed the rain"
        obj = parse.direct_object(cand.token) if cand.pattern.pos == "verb" else None
        if cand.pattern.type == "AGREE" and obj is not None and not (self._is_actorish(obj) or self._is_act(obj)):
            return []  # a pledge or a signature is of an act or a text, not "promising a battery", "signed up developers"
        if cand.pattern.type == "ASSAULT" and cand.pattern.pos == "verb" and not targets and not any(
                self.lexicons.has("armed", t.lemma_.lower()) or self.lexicons.has("person", t.lemma_.lower()) for t in sources):
            return []  # an attack on nobody by a name ("Rovers attacked relentlessly") is a game, not a raid
        evidence = self.evidence_span(cand.token)
        start, end = evidence.start_char, evidence.end_char
        quote = _quote_over(doc, start, end)
        negated = (parse.is_negated(cand.token) and cand.pattern.needs != "neg") or self._denied(cand.token) \
            or self._failed(cand.token) or parse.negative_subject(cand.token) or bool(quote and quote.get("denial"))
        timex = next((t for t in timexes if start <= t.start < end), None)
        place = self.place_for(mentions.places, cand.token, sent, start, end, dateline_place)
        events = []
        for source, target in self.participant_pairs(cand, sources, targets):
            if source is not None and target is not None and source.i == target.i:
                continue
            events.append({
                "id": "", "type": cand.pattern.type, "mode": cand.mode,
                "source": self.actor(mentions, source), "target": self.actor(mentions, target),
                "place": place, "date": timex.date if timex else None,
                "date_text": timex.text if timex else None, "negated": negated,
                "attributed_to": quote["id"] if quote else None,
                "evidence": {"start": start, "end": end, "text": evidence.text},
                "confidence": _confidence(cand, source, target),
                "produced_by": "rule",
                "_bare": not (cand.pattern.preps or cand.pattern.needs),  # judged by the type scorer, then dropped
            })
        events.extend(self.claimed_accusations(mentions, events, speaker))
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
        pairs = [(s, t) for s in parse.or_none(sources) for t in parse.or_none(targets)]
        if self.lexicons.has("reciprocal", cand.token.lemma_.lower()):
            pairs += [(t, s) for s in sources for t in actor_targets]
        return pairs

    def arguments(self, cand: Candidate, inner: Candidate | None,
                  dateline_end: int = 0) -> tuple[list[Token], list[Token]]:
        """(sources, targets) as head tokens, each expanded over coordination ("Arnor and Gondor")."""
        token = cand.token
        if cand.pattern.pos == "noun":
            source, target = self._nominal_arguments(token)
        elif parse.is_passive(token):
            source = parse.agent(token) or (cand.target_token if cand.pattern.preps else None)
            target = self.subject(token, passive=True)
        else:
            source = self.subject(token)
            target = parse.direct_object(token) or cand.target_token or parse.prep_object(token, TARGET_PREPS)
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
                t for t in (parse.direct_object(inner.token) or inner.target_token or parse.prep_object(inner.token, TARGET_PREPS),)
                if t is not None]
            target = inner_target[0] if inner_target else target
        if target is not None:
            target = self._actor_behind(target)
            if target.tag_ in ("WDT", "WP") and target.head.dep_ == "relcl":
                target = self._relative_antecedent(target.head.head)  # "the bloc, which Georgia has sought to join"
        source, target = self._doer(source), target
        if dateline_end:
            source, target = (parse.after_dateline(t, dateline_end) if t is not None and t.idx < dateline_end else t
                              for t in (source, target))
        return parse.conjuncts(parse.not_a_time(source)), parse.conjuncts(parse.not_a_time(target))

    def _doer(self, source: Token | None) -> Token | None:
        """The actor behind a source the parse gave, or nobody: an instrument ("water cannon", "a drone strike")
        or an act ("the killing of …", "a move") does nothing by itself; its owner, where written, is the doer
        ("Russian drone strikes", "the army's shelling")."""
        if source is None:
            return None
        lemma = source.lemma_.lower()
        named_act = lemma in self.noun_triggers and any(c.dep_ == "prep" and c.lower_ == "of" for c in source.children)
        if source.pos_ == "NOUN" and not self._is_person_word(source) and (
                named_act or self.lexicons.has("instrument", lemma) or self.lexicons.has("act", lemma)):
            owner = next((c for c in source.children if c.dep_ == "poss" or (
                c.dep_ in ("amod", "compound") and c.ent_type_ in ("NORP", "GPE", "ORG"))), None)
            return owner or parse.prep_object(source, ("by",))
        return source

    def _party_after_preposition(self, head: Token) -> Token | None:
        """The first actor-like object of a target preposition or a dative on ``head`` (never a date); the
        head is the verb or, where the parser hung the phrase there, its object ("shells at Seoul")."""
        dative = [c for c in head.children if c.dep_ == "dative" and c.pos_ != "ADP"]
        objects = dative + [o for o in (parse.prep_object(head, (p,)) for p in TARGET_PREPS) if o is not None]
        return next((o for o in objects if o.ent_type_ not in NON_ACTOR_ENTS and self._is_actorish(o)), None)

    def subject(self, verb: Token, passive: bool = False) -> Token | None:
        """The verb's subject (see ``_subject``); a relative pronoun stands for the actor it refers to, or nobody."""
        subject = parse.subject(verb, passive)
        if subject is not None and subject.tag_ in ("WDT", "WP") and subject.head.dep_ == "relcl":
            return self._relative_antecedent(subject.head.head)  # "a group which supports …": the group
        if subject is not None and subject.dep_ == "dobj" and (
                self.lexicons.has("document", subject.lemma_.lower()) or self.lexicons.has("instrument", subject.lemma_.lower())):
            # "They issued a statement calling for …": the statement speaks for whoever issued it; "Police
            # used water cannon to break up …": whoever used the instrument acts
            return parse.subject(subject.head) or subject
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
        source = source or parse.prep_object(noun, ("by",))
        source = source or next((c for c in noun.children if c.dep_ in ("amod", "compound")
                                 and c.ent_type_ in ("NORP", "GPE", "ORG")), None)
        target = self._meeting_partner(noun) or parse.prep_object(noun, NOUN_TARGET_PREPS)
        parties = parse.prep_object(noun, ("between",))
        if source is None and parties is not None and len(parse.conjuncts(parties)) > 1:
            return parties, None  # "the accord between Chile and Bolivia": joint parties, paired later
        verb = parse.direct_verb(noun)
        if verb is not None and self._judges(verb):
            return source, target  # "Peru praised the accord": Peru judged it, did not make it
        if verb is not None and noun.dep_ in ("dobj", "pobj", "attr"):
            if self.lexicons.has("receive", verb.lemma_.lower()):
                giver = parse.prep_object(verb, ("from",)) or parse.prep_object(noun, ("from",))
                return giver, self.subject(verb)
            target = target or parse.prep_object(verb, TARGET_PREPS)  # "sent aid to Haiti"
            if source is None and noun.dep_ != "attr":
                source = self.subject(verb)
            elif source is not None and source.lower_ == "their":
                # "Arnor and Gondor held their talks": the plural possessive is the coordinated subject
                subject = self.subject(verb)
                source = subject if subject is not None and len(parse.conjuncts(subject)) > 1 else source
        return source, target

    def _meeting_partner(self, noun: Token) -> Token | None:
        """'talks with Arnor', 'meetings of the committee with Arnor' (the parser may hang "with" on the
        committee): the other side of a reciprocal act follows "with", before any "of"."""
        if not self.lexicons.has("reciprocal", noun.lemma_.lower()):
            return None
        body = parse.prep_object(noun, ("of",))
        return parse.prep_object(noun, ("with",)) or (parse.prep_object(body, ("with",)) if body is not None else None)

    def _judges(self, verb: Token) -> bool:
        """Whether a verb is one of criticism or praise (its subject is a judge of the act, not its doer)."""
        return any(p.type in EVALUATIVE_TYPES for p in self.patterns.get(("verb", verb.lemma_.lower()), []))

    def _actor_behind(self, token: Token) -> Token:
        """'meetings with the Taliban', "Pakistan's request": the actor behind an event noun."""
        if token.pos_ != "NOUN" or not (token.lemma_.lower() in self.noun_triggers or token.lemma_.lower() in (
                "plan", "proposal", "offer", "effort", "bid")):
            return token
        owner = next((c for c in token.children if c.dep_ == "poss"), None)
        return owner or parse.prep_object(token, ("by", "with")) or token  # "condemned an attack by the militia"

    def _cancelled(self, noun: Token) -> bool:
        """'stop the onslaught', 'prevent an attack': the event is what someone wants not to happen."""
        verb = parse.direct_verb(noun)
        return noun.dep_ == "dobj" and verb is not None and self.lexicons.has("cancel", verb.lemma_.lower())

    def _denied(self, token: Token) -> bool:
        """'denied that its troops shelled', 'denied shelling', 'rejected claims that they kidnapped'."""
        for verb in parse.clause_chain(token):
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
                   for v in parse.clause_chain(token))

    def reporting_speaker(self, token: Token) -> Token | None:
        """Subject of the verb of saying whose that-clause holds the trigger ("officials say …")."""
        for verb in parse.clause_chain(token):
            if verb.dep_ in ("ccomp", "parataxis") and self.lexicons.has("report", verb.head.lemma_.lower()):
                return self.subject(verb.head)
        return None

    def claimed_accusations(self, mentions: Mentions, events: list[dict[str, Any]],
                            speaker: Token | None) -> list[dict[str, Any]]:
        """A speaker reporting a hostile act against its own side is accusing the doer (PLOVER ACCUSE)."""
        if speaker is None:
            return []
        speaker_actor = self.actor(mentions, speaker)
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
        verb = parse.direct_verb(token) if token.pos_ == "NOUN" else token
        anchor = verb if verb is not None else token
        return parse.as_span(parse.trimmed_tokens(anchor, CLAUSE_BREAKS) or [token])

    def actor(self, mentions: Mentions, token: Token | None) -> dict[str, Any] | None:
        """The party as {text, entity, actor}: the entity of the actors' table over its words (a pronoun or a
        description the actors resolved by coreference reads as its antecedent's name, the words it was written
        with kept in ``mention``); an unresolved pronoun keeps its text and no actor."""
        if token is not None and token.idx < mentions.dateline_end:
            token = parse.after_dateline(token, mentions.dateline_end)
        if token is None:
            return None
        phrase = [t for t in parse.trimmed_tokens(token, PHRASE_BREAKS) or [token] if t.idx >= mentions.dateline_end]
        span = parse.as_span(phrase or [token])
        entity = mentions.actors.covering(span.start_char, span.end_char)
        if entity is None and token.pos_ == "PRON":
            antecedent = self._previous_subject(mentions, token)
            if antecedent is not None:
                resolved = self.actor(mentions, antecedent)
                if resolved is not None and resolved.get("entity"):
                    return {**resolved, "mention": {"start": span.start_char, "end": span.end_char, "text": span.text}}
        code = (entity or {}).get("actor") or self.derived_code(phrase, entity)
        appos = next((c for c in token.children if c.dep_ == "appos"), None)
        if entity is None and code is None and appos is not None and token.pos_ != "PROPN":
            return self.actor(mentions, appos)  # "their country's arch-rival, India"
        party: dict[str, Any] = {"text": span.text, "entity": (entity or {}).get("id"), "actor": code}
        name = (entity or {}).get("name")
        if name and _refers(phrase or [token], token) and name.lower() not in span.text.lower():
            # "he", "it", "the ministry": the antecedent's name, as the actors' coreference resolved it
            party["text"] = name
            party["mention"] = {"start": span.start_char, "end": span.end_char, "text": span.text}
        return party

    def _previous_subject(self, mentions: Mentions, pronoun: Token) -> Token | None:
        """'The Free and Fair Election Network … said …. It called on …': a sentence-initial "it" or "they" the
        actors left unresolved is the subject of the sentence before, when that is an actor and agrees in number."""
        sent = pronoun.sent
        if pronoun.lower_ not in ("it", "they") or pronoun.i > sent.start + 2 or sent.start == 0:
            return None
        before = pronoun.doc[sent.start - 1].sent
        subject = next((c for c in before.root.children if c.dep_ in ("nsubj", "nsubjpass")), None)
        if subject is None or subject.pos_ == "PRON" or subject.ent_type_ == "PERSON":
            return None
        plural = subject.tag_ in ("NNS", "NNPS")
        if (pronoun.lower_ == "they") != plural:
            return None
        return subject if mentions.actors.covering(subject.idx, subject.idx + len(subject.text)) else None

    def derived_code(self, phrase: list[Token], entity: dict[str, Any] | None = None) -> str | None:
        """A country (+ role) code from plain words: 'Pakistani military personnel' -> PAKMIL; a capital as a
        place is its country, as CAMEO codes places ('fired shells at Seoul' -> KOR; not a person 'Washington').
        Country names, demonyms and capitals come from the actors' country table (actor_codes)."""
        span = parse.as_span(phrase)
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
        anchor = parse.direct_verb(token) if token.pos_ == "NOUN" else token
        locatives = [c for c in (anchor or token).subtree
                     if c.dep_ == "pobj" and c.head.lower_ in LOCATIVE_PREPS and start <= c.idx < end]
        for loc in reversed(locatives):
            phrase = parse.trimmed_tokens(loc, PHRASE_BREAKS) or [loc]
            place = places.covering(phrase[0].idx, phrase[-1].idx + len(phrase[-1].text))
            if place:
                return place.get("id")
        for span_start, span_end in ((start, end), (sent.start_char, sent.end_char)):
            place = places.covering(span_start, span_end)
            if place:
                return place.get("id")
        return dateline_place

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


def _speaker_for(pronoun: Token, speaker: Token | None) -> Token:
    """'The commission said that it had frozen …': a third-person pronoun doing the act in what a speaker
    reports is the speaker, when they agree in number (it: one thing; they: many; he/she: a person)."""
    if speaker is None or pronoun.pos_ != "PRON" or speaker.pos_ == "PRON" or any(
            c.dep_ == "det" and c.lower_ in ("a", "an") for c in speaker.children):
        return pronoun  # "a senior official said": someone new, not who "it" is
    word, plural = pronoun.lower_, speaker.tag_ in ("NNS", "NNPS")
    agrees = (word == "it" and not plural and speaker.ent_type_ != "PERSON") or (word == "they" and plural) or (
        word in ("he", "she") and speaker.ent_type_ == "PERSON")
    return speaker if agrees else pronoun


def _refers(phrase: list[Token], head: Token) -> bool:
    """A pronoun ("he", "it") or a description without a name of its own ("the ministry", "the group"): words
    that stand for an actor named elsewhere."""
    if head.pos_ == "PRON":
        return True
    return head.pos_ == "NOUN" and any(t.dep_ == "det" and t.lower_ in ("the", "this", "that", "these", "those")
                                       for t in head.children) and not any(t.ent_type_ or t.pos_ == "PROPN" for t in phrase)


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


@Language.factory("dateline_events", default_config={"use_model": True})
def make_events(nlp: Language, name: str, use_model: bool) -> EventCoder:
    return EventCoder(nlp, name, use_model)
