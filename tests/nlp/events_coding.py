"""What the event tests share: the components they run, and coding one written text with them."""

from __future__ import annotations

from typing import Any

from spacy.language import Language

# every component but quotes: what the events make of a text must not depend on the quotes model
# (the fixture ``events_nlp`` in conftest.py builds the pipeline of these)
COMPONENTS = ("dateline_entity_ruler", "dateline_actors", "dateline_places", "dateline_events")


def code(nlp: Language, text: str) -> list[dict[str, Any]]:
    doc = nlp.make_doc(text)
    doc._.dateline_context = {"published": "2024-05-01", "published_precision": "day", "dateline": None,
                              "title": None, "language": "en"}
    doc._.dateline_quotes = []
    for _, component in nlp.pipeline:
        doc = component(doc)
    return list(doc._.dateline_events)
