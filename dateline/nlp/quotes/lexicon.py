"""The quote lexicons (cue words, anonymity patterns, source nouns): data files, loaded once per process."""

from __future__ import annotations

import csv
import functools
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from spacy.tokens import Token

PATTERNS = Path(__file__).resolve().parents[1] / "patterns" / "quotes"


@dataclass(frozen=True, slots=True)
class Lexicon:
    verbs: dict[str, frozenset[str]]        # lemma -> flags
    nouns: dict[str, frozenset[str]]
    anonymity_markers: tuple[re.Pattern[str], ...]
    anonymity_reasons: tuple[re.Pattern[str], ...]
    person_nouns: frozenset[str]
    institution_nouns: frozenset[str]
    document_nouns: frozenset[str] = frozenset()  # "report", "records": a source that is a document


def _rows(path: Path) -> Iterator[list[str]]:
    """Data rows of a tab-separated file whose comment lines start with '#' and whose first row is a header."""
    with path.open(encoding="utf-8") as handle:
        lines = (line for line in handle if line.strip() and not line.startswith("#"))
        reader = csv.reader(lines, delimiter="\t", quoting=csv.QUOTE_NONE)
        next(reader, None)
        yield from (row for row in reader if row)


@functools.cache
def load_lexicon(folder: Path = PATTERNS) -> Lexicon:
    verbs: dict[str, frozenset[str]] = {}
    nouns: dict[str, frozenset[str]] = {}
    for lemma, pos, flags in _rows(folder / "cues.tsv"):
        flag_set = frozenset() if flags == "-" else frozenset(flags.split(","))
        (nouns if pos == "noun" else verbs)[lemma] = flag_set
    markers: list[re.Pattern[str]] = []
    reasons: list[re.Pattern[str]] = []
    for kind, regex in _rows(folder / "anonymity.tsv"):
        (markers if kind == "marker" else reasons).append(re.compile(regex, re.IGNORECASE))
    classes: dict[str, set[str]] = {"person": set(), "institution": set(), "document": set()}
    for lemma, noun_class in _rows(folder / "source_nouns.tsv"):
        classes[noun_class].add(lemma)
    return Lexicon(verbs, nouns, tuple(markers), tuple(reasons),
                   frozenset(classes["person"]), frozenset(classes["institution"]), frozenset(classes["document"]))


def cue_flags(token: Token, lexicon: Lexicon) -> frozenset[str] | None:
    if token.pos_ in ("VERB", "AUX") or token.tag_.startswith("VB"):
        lemma = token.lemma_.lower()
        particle = next((c.lower_ for c in token.children if c.dep_ == "prt"), None)
        if particle is not None and f"{lemma} {particle}" in lexicon.verbs:  # a phrasal cue: "pointed out"
            return lexicon.verbs[f"{lemma} {particle}"]
        return lexicon.verbs.get(lemma)
    if token.pos_ == "NOUN":
        return lexicon.nouns.get(token.lemma_.lower())
    return None
