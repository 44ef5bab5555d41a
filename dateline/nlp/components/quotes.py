"""dateline_quotes (placeholder: its issue fills it in)."""

from __future__ import annotations

from spacy.language import Language
from spacy.tokens import Doc


class QuoteFinder:
    def __init__(self, nlp: Language, name: str) -> None:
        self.name = name

    def __call__(self, doc: Doc) -> Doc:
        doc._.dateline_quotes = []
        return doc


@Language.factory("dateline_quotes")
def make_quotes(nlp: Language, name: str) -> QuoteFinder:
    return QuoteFinder(nlp, name)
