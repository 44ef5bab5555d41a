"""dateline_actors: one entity per real-world actor with all its mentions.

For now: spaCy's named entities grouped by their exact text (the actors issue replaces this with roles,
mention resolution and actor codes)."""

from __future__ import annotations

from typing import Any

from spacy.language import Language
from spacy.tokens import Doc

ACTOR_LABELS = ("PERSON", "ORG", "GPE", "NORP", "LOC", "FAC", "EVENT")


class ActorFinder:
    def __init__(self, nlp: Language, name: str) -> None:
        self.name = name

    def __call__(self, doc: Doc) -> Doc:
        by_key: dict[tuple[str, str], dict[str, Any]] = {}
        for ent in doc.ents:
            if ent.label_ not in ACTOR_LABELS:
                continue
            key = (ent.label_, ent.text)
            if key not in by_key:
                by_key[key] = {"id": f"e{len(by_key) + 1}", "name": ent.text, "type": ent.label_, "role": None,
                               "country": None, "actor": None, "mentions": []}
            by_key[key]["mentions"].append({"start": ent.start_char, "end": ent.end_char, "text": ent.text})
        doc._.dateline_actors = list(by_key.values())
        return doc


@Language.factory("dateline_actors")
def make_actors(nlp: Language, name: str) -> ActorFinder:
    return ActorFinder(nlp, name)
