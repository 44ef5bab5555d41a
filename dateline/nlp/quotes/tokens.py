"""Token helpers and parse labels the quote steps share."""

from __future__ import annotations

from spacy.tokens import Doc, Span, Token

MIN_SENTENCE_WORDS = 3  # a quoted span with no cue must be at least a short sentence to count as speech
SUBJECT_DEPS = ("nsubj", "nsubjpass")
NAMED_LABELS = frozenset({"PERSON", "ORG", "GPE", "NORP", "FAC", "LOC"})


def edge_trimmed(tokens: list[Token]) -> list[Token]:
    """Drop punctuation, spaces, conjunctions and the complementizer at both edges of a run."""
    while tokens and (tokens[0].is_punct or tokens[0].is_space or tokens[0].dep_ in ("mark", "cc")):
        tokens = tokens[1:]
    while tokens and (tokens[-1].is_punct and tokens[-1].text not in "?!" or tokens[-1].is_space
                      or tokens[-1].dep_ == "cc"):
        tokens = tokens[:-1]
    return tokens


def tokens_of(doc: Doc, start: int, end: int) -> Span | None:
    return doc.char_span(start, end, alignment_mode="expand")
