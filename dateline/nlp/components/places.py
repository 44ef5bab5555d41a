"""dateline_places (placeholder: its issue fills it in)."""

from __future__ import annotations

from spacy.language import Language
from spacy.tokens import Doc


class PlaceResolver:
    def __init__(self, nlp: Language, name: str) -> None:
        self.name = name

    def __call__(self, doc: Doc) -> Doc:
        doc._.dateline_places = []
        return doc


@Language.factory("dateline_places")
def make_places(nlp: Language, name: str) -> PlaceResolver:
    return PlaceResolver(nlp, name)
