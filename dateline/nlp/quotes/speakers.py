"""Step 4: speakers resolved — actors first, then pronouns and definite descriptions to earlier speakers —
and unnamed sources marked ``anonymous`` with a description."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from spacy.tokens import Doc, Span, Token

from dateline.nlp.quotes.attribution import Speaker
from dateline.nlp.quotes.lexicon import Lexicon, load_lexicon
from dateline.nlp.quotes.tokens import NAMED_LABELS, SUBJECT_DEPS, edge_trimmed
from dateline.nlp.spans import MentionIndex

CLAUSE_PUNCT = frozenset({",", ";", ":", "(", ")", "—", "–", "\"", "“", "”"})
SPEAKER_BREAK_DEPS = frozenset({"appos", "relcl", "acl", "punct", "cc", "conj", "advcl"})
PERSONAL_PRONOUNS = {"he": "sing", "she": "sing", "him": "sing", "her": "sing", "they": "plur", "them": "plur",
                     "it": "thing", "we": "plur", "i": "sing", "you": "sing"}
DETERMINERS_OF_DESCRIPTIONS = frozenset({"a", "an", "the", "two", "three", "four", "several", "some", "many",
                                         "one", "his", "her", "their", "its", "other", "another"})


def _speaker_tokens(head: Token) -> tuple[list[Token], list[Token], list[Token]]:
    """For a subject head: the words naming the speaker ("Michael Kugelman"), the description without
    clauses ("a doctor in Chaman") and the whole phrase with appositives and clauses (what PolNeAR marks)."""
    left = [t for t in head.subtree if t.i <= head.i and not t.is_space]
    cut = max((t.i for t in left if t.i < head.i and (t.text in CLAUSE_PUNCT
                                                        or (t.dep_ in SPEAKER_BREAK_DEPS and t.dep_ != "punct"))),
              default=-1)
    naming = [t for t in left if t.i > cut] or [head]
    whole = [head] + [t for child in head.children if child.dep_ not in SPEAKER_BREAK_DEPS
                      for t in child.subtree]
    whole = sorted(t for t in whole if t.i > cut)
    phrase = sorted(t for t in head.subtree if t.i > cut and not t.is_space)
    return naming, _longest_run_through(whole, head), _longest_run_through(phrase, head)


def _longest_run_through(tokens: list[Token], head: Token) -> list[Token]:
    ids = {t.i for t in tokens}
    lo = hi = head.i
    while lo - 1 in ids:
        lo -= 1
    while hi + 1 in ids:
        hi += 1
    return edge_trimmed([t for t in tokens if lo <= t.i <= hi]) or [head]


def _appositive(head: Token) -> str | None:
    for child in head.children:
        if child.dep_ == "appos":
            tokens = [t for t in child.subtree if not any(a.dep_ in ("relcl", "acl") and a.i != child.i
                                                           for a in _ancestors_to(t, child))]
            tokens = edge_trimmed(sorted(tokens, key=lambda t: t.i))
            if tokens:
                return tokens[0].doc[tokens[0].i:tokens[-1].i + 1].text
    return None


def _ancestors_to(token: Token, stop: Token) -> Iterator[Token]:
    current = token
    while current.i != stop.i and current.head is not current:
        yield current
        current = current.head


def _named_entity_in(tokens: list[Token]) -> Span | None:
    for token in tokens:
        if token.ent_type_ in NAMED_LABELS:
            return _entity_around(token)
    return None


def _entity_around(token: Token) -> Span:
    """The entity holding a token that has an entity type, read from the IOB tags around it (what
    ``doc.ents`` would give, without building every entity of the document)."""
    doc = token.doc
    start, end = token.i, token.i + 1
    while start > 0 and doc[start].ent_iob_ == "I":
        start -= 1
    while end < len(doc) and doc[end].ent_iob_ == "I":
        end += 1
    return Span(doc, start, end, label=doc[start].ent_type_)


def _looks_proper(name: str) -> bool:
    first = name.split()[0] if name.split() else ""
    return bool(first) and first[0].isupper() and first.lower() not in DETERMINERS_OF_DESCRIPTIONS


def _actor_is_named(actor: dict[str, Any]) -> bool:
    """The actors component says whether a person is unnamed; other actors count as named when their
    name looks like a proper name ("Government of Pakistan", not "the ministry")."""
    if "anonymous" in actor:
        return not actor["anonymous"]
    return actor.get("type") in NAMED_LABELS and _looks_proper(actor.get("name") or "")


class SpeakerResolver:
    """Turns speaker heads into Speakers in reading order, remembering earlier ones for pronouns,
    definite descriptions and cue-less continuations. The actors component is asked first; when it
    knows nothing, pronouns and descriptions are resolved here to earlier speakers and subjects."""

    def __init__(self, doc: Doc, text: str, lexicon: Lexicon, actors: MentionIndex | None = None) -> None:
        self.doc = doc
        self.text = text  # doc.text, built once
        self.actors = actors if actors is not None else MentionIndex(doc._.dateline_actors)
        self.lexicon = lexicon
        self.history: list[Speaker] = []

    def resolve(self, head: Token) -> Speaker:
        naming, whole, phrase = _speaker_tokens(head)
        start, end = naming[0].idx, naming[-1].idx + len(naming[-1])
        speaker = Speaker(start, end, head, self.text[start:end], key=f"@{start}",
                          phrase=(phrase[0].idx, phrase[-1].idx + len(phrase[-1])))
        actor = self.actors.covering(head.idx, head.idx + len(head))
        if actor is not None:
            speaker.entity, speaker.key = actor.get("id"), str(actor.get("id"))
        if head.pos_ == "PRON" or head.lower_ in PERSONAL_PRONOUNS:
            self._from_antecedent(speaker, actor)
        elif head.pos_ == "PROPN" or head.ent_type_ in NAMED_LABELS:
            ent = _named_entity_in([head]) or _named_entity_in(naming)
            named_actor = actor is not None and _actor_is_named(actor)
            speaker.name = actor.get("name") if actor and named_actor else ent.text if ent else speaker.text
            speaker.description = _appositive(head)
        else:
            self._as_description(speaker, self.doc[whole[0].i:whole[-1].i + 1].text, actor)
        self.history.append(speaker)
        return speaker

    def _as_description(self, speaker: Speaker, description: str, actor: dict[str, Any] | None) -> None:
        lemma = speaker.head.lemma_.lower()
        if actor is not None and _actor_is_named(actor) and speaker.head.lower_ not in (actor.get("name") or "").lower():
            speaker.name = actor.get("name")  # "the doctor" who was named before
            return
        speaker.description = description
        speaker.name = description
        unnamed_person = lemma in self.lexicon.person_nouns and lemma not in self.lexicon.institution_nouns
        speaker.anonymous = unnamed_person or bool(actor and actor.get("anonymous"))
        earlier = self._latest(lambda s: s.key == speaker.key) if actor is not None else None
        if earlier is None and actor is None and self._is_definite(speaker.head):
            earlier = self._latest(lambda s: s.head.lemma_.lower() == lemma and s.anonymous == speaker.anonymous)
        if earlier is not None:  # "the doctor" after "a doctor in Chaman": the same source
            speaker.key = earlier.key
            speaker.anonymity_reason = earlier.anonymity_reason

    @staticmethod
    def _is_definite(head: Token) -> bool:
        return any(c.dep_ in ("det", "poss") and c.lower_ in ("the", "his", "her", "their", "its", "that", "those")
                   for c in head.children)

    def _from_antecedent(self, speaker: Speaker, actor: dict[str, Any] | None) -> None:
        if actor is not None:
            earlier = self._latest(lambda s: s.key == speaker.key)
            if earlier is not None:
                self._copy(earlier, speaker)
            elif _actor_is_named(actor):
                speaker.name = actor.get("name")
            else:
                speaker.anonymous = True
                speaker.name = actor.get("name")
                speaker.description = actor.get("description") or actor.get("name")
            return
        number = PERSONAL_PRONOUNS.get(speaker.head.lower_, "sing")
        antecedent = self._latest(lambda s: number_of(s.head) == number and s.head.pos_ != "PRON")
        subject = _previous_subject(speaker.head, number)
        if subject is not None and (antecedent is None or subject.i != antecedent.head.i):
            antecedent = self._latest(lambda s: s.head.i == subject.i) or self._describe(subject)
        if antecedent is None:
            speaker.name = speaker.text
            return
        self._copy(antecedent, speaker)

    @staticmethod
    def _copy(antecedent: Speaker, speaker: Speaker) -> None:
        for attribute in ("entity", "name", "anonymous", "anonymity_reason", "description", "key"):
            setattr(speaker, attribute, getattr(antecedent, attribute))

    def _describe(self, head: Token) -> Speaker:
        """A speaker for an antecedent that has not spoken yet (kept out of the history)."""
        resolver = SpeakerResolver(self.doc, self.text, self.lexicon, self.actors)
        resolver.history = list(self.history)
        return resolver.resolve(head)

    def _latest(self, wanted: Any) -> Speaker | None:
        for earlier in reversed(self.history[-50:]):
            if wanted(earlier):
                return earlier
        return None


def number_of(head: Token) -> str:
    if head.lower_ in PERSONAL_PRONOUNS:
        return PERSONAL_PRONOUNS[head.lower_]
    if head.tag_ in ("NNS", "NNPS") or any(c.dep_ == "nummod" and c.lower_ != "one" for c in head.children):
        return "plur"
    if head.ent_type_ == "PERSON" or head.lemma_.lower() in load_lexicon().person_nouns:
        return "sing"
    if head.pos_ == "PROPN" and head.ent_type_ not in NAMED_LABELS:
        return "sing"  # an unknown name that speaks is most likely a person's
    return "thing"  # a country, a body, a thing: "it"


def _previous_subject(pronoun: Token, number: str) -> Token | None:
    """The first subject of the sentence before the pronoun's (a sentence stops at a paragraph break,
    whatever the parser thought), when it agrees in number: "it" = a country or body, "he"/"she" = one
    person, "they" = a plural."""
    doc = pronoun.doc
    start = pronoun.sent.start
    for token in doc[start:pronoun.i]:
        if "\n" in token.text:
            start = token.i + 1
    if start == 0:
        return None
    previous = doc[start - 1].sent
    begin = previous.start
    for token in doc[previous.start:start]:
        if "\n" in token.text and token.i < start - 1:
            begin = token.i + 1
    for token in doc[begin:start]:
        if token.dep_ in SUBJECT_DEPS and token.pos_ not in ("PRON", "SPACE"):
            return token if number_of(token) == number else None
    return None
