"""dateline_actors: one entity per real-world actor, with its role, affiliation, code and every mention.

The work is in ``dateline.nlp.actors`` (``resolver`` walks the article and resolves each mention, its docstring
says how; ``roles`` reads roles and affiliations; ``acting`` decides what is an actor); this module is the spaCy
component that runs it on a Doc.
"""


from __future__ import annotations

import logging

from spacy.language import Language
from spacy.tokens import Doc

from dateline.nlp.actors.resolver import find_actors

log = logging.getLogger(__name__)

__all__ = ["ActorFinder", "find_actors", "make_actors"]


class ActorFinder:
    def __init__(self, nlp: Language, name: str) -> None:
        self.name = name

    def __call__(self, doc: Doc) -> Doc:
        try:
            doc._.dateline_actors = find_actors(doc)
        except Exception:  # never crash the batch: the article keeps its text and other facts
            log.exception("actor resolution failed")
            doc._.dateline_actors = []
        return doc


@Language.factory("dateline_actors")
def make_actors(nlp: Language, name: str) -> ActorFinder:
    return ActorFinder(nlp, name)
