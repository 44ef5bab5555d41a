"""What the resolver builds: an actor of one article and its mentions (record.md's entity shape)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from dateline.nlp import actor_codes as codes


@dataclass(slots=True)
class Mention:
    start: int
    end: int
    text: str
    kind: str  # named | description | pronoun | metonymy

    def as_dict(self) -> dict[str, Any]:
        return {"start": self.start, "end": self.end, "text": self.text, "kind": self.kind}


@dataclass(slots=True)
class Actor:
    key: str
    name: str
    type: str
    role: str | None = None
    country: str | None = None
    sector: str | None = None
    actor: str | None = None
    kind: str = "person"  # person | people | militant | state | igo | ngo | media | group | party | country | place
    plural: bool = False
    anonymous: bool = False
    description: str | None = None
    heads: set[str] = field(default_factory=set)  # title words a definite description may use for this actor
    mentions: list[Mention] = field(default_factory=list)
    last_sentence: int = 0
    last_was_subject: bool = False
    gender: str | None = None  # "m" | "f" when the text says so (honorific, role word, a resolved he/she)
    is_actor: bool = False  # an actor of the knowledge base (acting.is_actor), not only a mention
    tentative: bool = False  # an unnamed group or person outside a source position: kept only if referred to again

    def code(self) -> str | None:
        if self.actor:
            return self.actor
        return codes.actor_code(self.country, self.sector)

    def as_record(self, ident: str) -> dict[str, Any]:
        out: dict[str, Any] = {"id": ident, "name": self.name, "type": self.type, "role": self.role,
                               "country": self.country, "actor": self.code(), "is_actor": self.is_actor,
                               "mentions": [m.as_dict() for m in sorted(self.mentions, key=lambda m: m.start)]}
        if self.type == "PERSON":
            out["anonymous"] = self.anonymous
        if self.description:
            out["description"] = self.description
        return out


