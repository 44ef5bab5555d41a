"""Token helpers and parse labels the quote steps share."""

from __future__ import annotations

from spacy.tokens import Doc, Span, Token

MIN_SENTENCE_WORDS = 3  # a quoted span with no cue must be at least a short sentence to count as speech
SUBJECT_DEPS = ("nsubj", "nsubjpass")
NAMED_LABELS = frozenset({"PERSON", "ORG", "GPE", "NORP", "FAC", "LOC"})
KEPT_MARKS = frozenset({"whether", "if"})


def edge_trimmed(tokens: list[Token]) -> list[Token]:
    """Drop punctuation, spaces, conjunctions and the complementizer "that" at both edges of a run ("whether"
    and "if" stay: "asked whether X" does not report X)."""
    while tokens and (tokens[0].is_punct or tokens[0].is_space
                      or tokens[0].dep_ in ("mark", "cc") and tokens[0].lower_ not in KEPT_MARKS):
        tokens = tokens[1:]
    while tokens and (tokens[-1].is_punct and tokens[-1].text not in "?!" or tokens[-1].is_space
                      or tokens[-1].dep_ == "cc"):
        tokens = tokens[:-1]
    return tokens


def tokens_of(doc: Doc, start: int, end: int) -> Span | None:
    return doc.char_span(start, end, alignment_mode="expand")


VERB_GROUP_DEPS = frozenset({"aux", "auxpass", "neg", "advmod"})


def cue_span(verb: Token) -> Span:
    """The cue's verb group: the verb with the auxiliaries, negation and adverbs right before it and its
    particle right after ("has not said", "then pointed out", "once again questioning")."""
    doc = verb.doc
    start, end = verb.i, verb.i + 1
    children = {c.i: c for c in verb.children}
    while start - 1 in children and children[start - 1].dep_ in VERB_GROUP_DEPS and not children[start - 1].is_punct:
        start -= 1
    while end in children and children[end].dep_ == "prt":
        end += 1
    return doc[start:end]
