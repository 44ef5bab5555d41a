"""The working values of quote finding: quoted spans, speakers and the quotes being built."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from spacy.tokens import Span, Token


@dataclass(slots=True)
class QuotedSpan:
    """Text between quotation marks (content offsets exclude the marks); ``pieces`` per paragraph."""
    start: int
    end: int
    pieces: list[tuple[int, int]]
    closed: bool


@dataclass(slots=True)
class Speaker:
    start: int
    end: int
    head: Token
    text: str
    description: str | None = None
    entity: str | None = None
    name: str | None = None
    anonymous: bool = False
    anonymity_reason: str | None = None
    phrase: tuple[int, int] = (0, 0)  # the whole noun phrase, appositives and clauses included
    key: str = ""                 # speakers with the same key are the same source (pronouns, "the doctor")

    def as_dict(self) -> dict[str, Any]:
        return {"start": self.start, "end": self.end, "text": self.text, "entity": self.entity,
                "name": self.name or self.text, "anonymous": self.anonymous,
                "anonymity_reason": self.anonymity_reason, "description": self.description,
                "phrase": {"start": self.phrase[0], "end": self.phrase[1]}}


@dataclass(slots=True)
class Attribution:
    """One quote being built: content span, its cue (or None), the speaker's words."""
    kind: str
    start: int
    end: int
    cue: Span | None = None
    cue_lemma: str | None = None
    speaker_head: Token | None = None
    speaker: Speaker | None = None
    denial: bool = False
    belief: bool = False
    pieces: list[tuple[int, int]] = field(default_factory=list)
    answers: list[str] = field(default_factory=list)
    id: str = ""
    produced_by: str = "rule"     # "rule", "model" (the trained span tagger) or "rule+model"
    confidence: float = 0.0
