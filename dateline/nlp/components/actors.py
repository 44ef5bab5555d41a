"""dateline_actors: one entity per real-world actor, with its role, affiliation, code and every mention.

The work is in ``dateline.nlp.actors`` (resolver, roles, what acts); this module is the spaCy component.

Reads the corrected ``doc.ents`` (dateline_entity_ruler) and the parse, walks the article once in order and
resolves each mention against what came before:
- named mentions: full name <-> surname <-> title + surname, indexed by name word, so "Khan, the prime minister"
  goes to the Khan whose role says prime minister (Imran Khan), never to another Khan (Ismail Khan);
  organisations by the curated dictionary and by acronym; countries by name;
- roles from premodifiers ("Pakistani Prime Minister Imran Khan" -> "Prime Minister of Pakistan"),
  appositives and relative clauses ("Amir Rana, executive director of ...", "Ismail Khan, a ... warlord who ...");
- descriptions: indefinite ones open an unnamed entity ("a doctor in Chaman", "two security officials"),
  definite ones ("the doctor", "his relative", "the group", "the country") go to the latest matching actor;
  state bodies with a country ("Pakistani authorities", "Kabul's intelligence agency") are that country's actor;
- capitals acting ("Pressure is mounting on Islamabad") are the government (PAKGOV);
- subject pronouns he/she/they go to the most recent compatible actor within a few sentences.
Every lookup is a dict access or a scan of a bounded window of recent actors: linear in the article's length.
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
