"""Fixtures of the nlp tests."""

from __future__ import annotations

import pytest
from events_coding import COMPONENTS
from spacy.language import Language

from dateline.nlp.pipeline import build_nlp


@pytest.fixture(scope="module")
def events_nlp() -> Language:
    """The pipeline without the quotes component, once per test module."""
    return build_nlp(components=COMPONENTS)
