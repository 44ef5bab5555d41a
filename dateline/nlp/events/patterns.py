"""The event coder's data: trigger patterns per PLOVER type and word lists, read from ``nlp/patterns/events``.

Triggers are verb and noun lemmas listed per PLOVER type in ``nlp/patterns/events/*.tsv`` (one file per type,
columns described in the README beside them); ``lexicons.tsv`` holds the named word lists the rules consult.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from spacy.tokens import Token

PATTERN_DIR = Path(__file__).resolve().parents[1] / "patterns" / "events"
# Earlier files win when two types list the same trigger (see the README beside the patterns).
TYPE_PRIORITY = ("REJECT", "THREATEN", "REQUEST", "ACCUSE", "COERCE", "ASSAULT", "SANCTION", "RETREAT",
                 "CONCEDE", "AID", "MOBILIZE", "PROTEST", "AGREE", "SUPPORT", "COOPERATE", "CONSULT")
OBJECT_LIST_PREFIX = "obj:"  # a pattern condition: the direct object is a word of the named lexicon list


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


@dataclass(slots=True)
class Candidate:
    """One matched trigger before arguments are read."""

    token: Token
    pattern: Pattern
    target_token: Token | None = None  # object of the pattern's preposition, when it has one
    mode: str | None = None


def data_rows(path: Path) -> Iterator[list[str]]:
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
        for row in data_rows(directory / f"{event_type.lower()}.tsv"):
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
    for row in data_rows(directory / "lexicons.tsv"):
        name, word = row[0], row[1].lower()
        lexicons.words.setdefault(name, set()).add(word)
        if len(row) > 2 and row[2]:
            lexicons.codes.setdefault(name, {})[word] = row[2]
    return lexicons
