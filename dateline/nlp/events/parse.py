"""Dependency-parse helpers of the event coder: subjects, objects, clause chains, phrase spans (no state)."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator

from spacy.tokens import Span, Token

# Deps that end a clause: the evidence span of a trigger leaves these subtrees out.
CLAUSE_BREAKS = {"advcl", "ccomp", "parataxis", "conj", "cc", "mark", "csubj", "relcl", "dep", "meta"}
# Deps cut from an actor phrase so its text stays the name, not its relative clause; at the phrase's head
# also its other conjuncts (coded as events of their own), its "'s" and its prepositions other than "of".
PHRASE_BREAKS = {"relcl", "acl", "advcl"}
HEAD_BREAKS = PHRASE_BREAKS | {"appos", "cc", "conj", "case", "prep"}
NON_ACTOR_ENTS = {"DATE", "TIME", "CARDINAL", "ORDINAL", "PERCENT", "MONEY", "QUANTITY"}



def lemma_forms(token: Token) -> list[str]:
    """The lemma, and for a hyphenated noun ("cease-fire") the joined form, tried first."""
    lemma = token.lemma_.lower()
    doc = token.doc
    if token.i >= 2 and doc[token.i - 1].text == "-" and not doc[token.i - 1].whitespace_:
        return [f"{doc[token.i - 2].lower_}-{lemma}", lemma]
    return [lemma]


def find_preps(token: Token, preps: tuple[str, ...]) -> tuple[bool, Token | None]:
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


def is_passive(token: Token) -> bool:
    return any(c.dep_ in ("nsubjpass", "auxpass") for c in token.children)


def is_negated(token: Token) -> bool:
    if any(c.dep_ == "neg" for c in token.children):
        return True
    if token.pos_ == "NOUN":
        if any(c.lower_ in ("no", "never") and c.dep_ == "det" for c in token.children):
            return True
        verb = governing_verb(token)
        return verb is not None and any(c.dep_ == "neg" for c in verb.children)
    return False


def negative_subject(token: Token) -> bool:
    """'Neither side attacked', 'nobody was arrested', 'no troops withdrew': a subject that denies the act."""
    verb = token if token.pos_ in ("VERB", "AUX") else direct_verb(token)
    if verb is None:
        return False
    subjects = [c for c in verb.children if c.dep_ in ("nsubj", "nsubjpass")]
    return any(s.lower_ in ("nobody", "none", "neither") or any(
        c.dep_ in ("det", "preconj") and c.lower_ in ("no", "neither") for c in s.children) for s in subjects)


def subject(verb: Token, passive: bool = False) -> Token | None:
    """The verb's subject, inherited up participles, infinitives and coordinated verbs."""
    deps = ("nsubjpass",) if passive else ("nsubj", "nsubjpass") if verb.dep_ == "xcomp" else ("nsubj",)
    current: Token | None = verb
    for _ in range(5):
        if current is None:
            return None
        subject = best_subject([c for c in current.children if c.dep_ in deps])
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


def best_subject(subjects: list[Token]) -> Token | None:
    """Of two subjects the parser gave one verb ("Old foes Gondor and Osgiliath renewed …": an apposition
    split in two), the named one."""
    return next((s for s in subjects if s.pos_ == "PROPN" or s.ent_type_), subjects[0] if subjects else None)


def not_a_time(token: Token | None) -> Token | None:
    """'vowed on Thursday': dates and amounts are never actors."""
    if token is None or token.ent_type_ not in NON_ACTOR_ENTS:
        return token
    return token if any(c.lower_ == "of" for c in token.children) else None  # "dozens of protesters"


def direct_object(token: Token) -> Token | None:
    return next((c for c in token.children if c.dep_ in ("dobj", "obj")), None)


def agent(token: Token) -> Token | None:
    # the parser files "by Sweden" as a plain prep when a passive keeps its object ("were granted asylum by …")
    agent = next((c for c in token.children if c.dep_ == "agent" or (c.dep_ == "prep" and c.lower_ == "by")), None)
    return next((c for c in agent.children if c.dep_ == "pobj"), None) if agent is not None else None


def prep_object(token: Token, preps: Iterable[str]) -> Token | None:
    wanted = set(preps)
    for prep in token.children:
        if prep.dep_ in ("prep", "dative", "agent") and prep.lower_ in wanted:
            obj = next((c for c in prep.children if c.dep_ == "pobj"), None)
            if obj is not None:
                return obj
    return None


def governing_verb(token: Token) -> Token | None:
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


def direct_verb(noun: Token) -> Token | None:
    """The verb a noun is an argument of: its object, subject, copular attribute, or one preposition away."""
    head = noun.head
    if noun.dep_ in ("dobj", "attr", "nsubj", "nsubjpass", "oprd") and head.pos_ in ("VERB", "AUX"):
        return head
    if noun.dep_ == "pobj" and head.dep_ in ("prep", "agent") and head.head.pos_ in ("VERB", "AUX"):
        return head.head
    return None


def clause_chain(token: Token) -> Iterator[Token]:
    """The verb of the trigger's clause, then the verbs of the clauses holding it (nearest first)."""
    verb = token if token.pos_ in ("VERB", "AUX") else governing_verb(token)
    for _ in range(5):
        if verb is None:
            return
        yield verb
        if verb.head.i == verb.i or verb.dep_ not in ("xcomp", "ccomp", "advcl", "conj", "pcomp", "acl", "relcl"):
            return
        verb = verb.head if verb.head.pos_ in ("VERB", "AUX") else governing_verb(verb.head)


def or_none(tokens: list[Token]) -> list[Token | None]:
    return list(tokens) if tokens else [None]


def conjuncts(token: Token | None) -> list[Token]:
    if token is None:
        return []
    return [token] + [c for c in token.conjuncts if c.i > token.i and c.pos_ in ("PROPN", "NOUN", "PRON")]


def trimmed_tokens(head: Token, breaks: set[str]) -> list[Token]:
    """The head's subtree without children attached by ``breaks`` deps, as a contiguous token run."""
    kept = {head.i}
    stack = [head]
    while stack:
        current = stack.pop()
        for child in current.children:
            if cut(head, current, child, breaks):
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


def as_span(run: list[Token]) -> Span:
    """A contiguous token run as a Span (its text is sliced from the run alone, never from all of ``doc.text``)."""
    return run[0].doc[run[0].i:run[-1].i + 1]


def cut(head: Token, current: Token, child: Token, breaks: set[str]) -> bool:
    """Whether ``child`` (under ``current``) leaves the span: clause breaks apply at the head only."""
    if breaks is not PHRASE_BREAKS:
        return current.i == head.i and child.dep_ in breaks
    if current.i == head.i and child.dep_ in HEAD_BREAKS and not (child.dep_ == "prep" and child.lower_ == "of"):
        return True
    return child.dep_ in breaks or (child.dep_ in ("prep", "npadvmod") and is_time_phrase(child))


def is_time_phrase(token: Token) -> bool:
    """'on Thursday', 'last week' hanging off a noun: not part of the actor's name."""
    return any(t.ent_type_ in ("DATE", "TIME") for t in token.subtree)


NAME_ENTS = {"ORG", "PRODUCT", "WORK_OF_ART", "FAC", "LAW", "EVENT"}


def in_name(token: Token) -> bool:
    """A word of a name ("Volatiles Investigating Polar Exploration Rover", "Ministry of Silly Walks"): a
    capitalised word inside a named organisation or thing, or between two capitalised words mid-sentence."""
    if not token.is_title or token.is_sent_start:
        return False
    if token.ent_type_ in NAME_ENTS:
        return True
    doc = token.doc
    before = doc[token.i - 1] if token.i > 0 else None
    after = doc[token.i + 1] if token.i + 1 < len(doc) else None
    return bool(before is not None and after is not None and before.is_title and after.is_title
                and not before.is_sent_start)


# "DERA ISMAIL KHAN, Pakistan — ", "BRUSSELS (AP) — ", "ODESA, Ukraine (MW) — ": where the story's text starts
_DATELINE = re.compile(r"\s*[A-Z][A-Z.'’ -]{1,40}(?:, [A-Z][\w.'’ -]{1,40})?\s*(?:\([A-Za-z .]{1,20}\))?\s*(?:—|–|--|-)\s+")


def dateline_end(text: str) -> int:
    """The character offset after a dateline opening the text, or 0: a dateline names where the story was filed,
    never who acted."""
    found = _DATELINE.match(text[:120])
    return found.end() if found else 0


def after_dateline(token: Token, end: int) -> Token | None:
    """For an argument the parser found inside the dateline ("BRUSSELS (AP) — The European Union imposed …"
    parsed with BRUSSELS as subject), the phrase right after the dateline, or None."""
    doc = token.doc
    first = next((t for t in doc[token.i:token.sent.end] if t.idx >= end), None)
    current = first
    for _ in range(6):
        if current is None or current.head.i == current.i or current.head.idx < end \
                or current.head.pos_ in ("VERB", "AUX"):
            break
        current = current.head
    return current if current is not None and current.pos_ in ("NOUN", "PROPN", "PRON") else None
