"""dateline_events (placeholder: its issue fills it in)."""

from __future__ import annotations

from spacy.language import Language
from spacy.tokens import Doc


class EventCoder:
    def __init__(self, nlp: Language, name: str) -> None:
        self.name = name

    def __call__(self, doc: Doc) -> Doc:
        doc._.dateline_events = []
        return doc


@Language.factory("dateline_events")
def make_events(nlp: Language, name: str) -> EventCoder:
    return EventCoder(nlp, name)
