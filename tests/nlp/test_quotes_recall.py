"""dateline_quotes on constructions of reported speech that news writing uses often: sentences written for
these tests, one construction each, with assertions on the spans found."""

from __future__ import annotations

from typing import Any

import pytest
from spacy.language import Language

from dateline.nlp.pipeline import build_nlp
from dateline.nlp.quotes.marks import find_quoted_spans, paragraph_bounds


@pytest.fixture(scope="module")
def nlp() -> Language:
    return build_nlp(components=("dateline_entity_ruler", "dateline_actors", "dateline_quotes"))


def quotes_of(nlp: Language, text: str) -> list[dict[str, Any]]:
    quotes: list[dict[str, Any]] = nlp(text)._.dateline_quotes
    return quotes


def only_quote(nlp: Language, text: str) -> dict[str, Any]:
    quotes = quotes_of(nlp, text)
    assert len(quotes) == 1, [q["content"]["text"] for q in quotes]
    return quotes[0]


def test_doubled_apostrophes_are_quotation_marks() -> None:
    text = "''We will rebuild the bridge by spring,'' the mayor said. ''Not a day later.''"
    spans = find_quoted_spans(text, paragraph_bounds(text))
    assert [text[s.start:s.end] for s in spans] == ["We will rebuild the bridge by spring,", "Not a day later."]


def test_doubled_apostrophe_quote_gets_its_cue(nlp: Language) -> None:
    text = "''The budget is balanced for the first time in a decade,'' said Rosa Delgado, the city treasurer."
    quote = only_quote(nlp, text)
    assert quote["kind"] == "direct"
    assert quote["content"]["text"] == "The budget is balanced for the first time in a decade,"
    assert quote["cue"]["text"] == "said"
    assert quote["speaker"]["text"] == "Rosa Delgado"


def test_cue_interrupting_the_reported_clause(nlp: Language) -> None:
    text = "The new harbor wall, the engineer said, would hold back storms for fifty years."
    quote = only_quote(nlp, text)
    assert quote["content"]["text"] == "The new harbor wall, the engineer said, would hold back storms for fifty years"
    assert [text[p["start"]:p["end"]] for p in quote["content"]["pieces"]] == [
        "The new harbor wall", "would hold back storms for fifty years"]
    assert quote["cue"]["text"] == "said"
    assert quote["speaker"]["text"] == "the engineer"


def test_second_reported_clause_stays_in_the_content(nlp: Language) -> None:
    text = ("Senator Albright said the farm bill has broad support in her state and the drought aid was "
            "long overdue.")
    quote = only_quote(nlp, text)
    assert quote["content"]["text"] == "the farm bill has broad support in her state and the drought aid was long overdue"


def test_reported_clause_after_a_time_phrase(nlp: Language) -> None:
    text = "The governor said after the hearing he would not sign the bill in its current form."
    quote = only_quote(nlp, text)
    assert "he would not sign the bill" in quote["content"]["text"]
    assert quote["content"]["text"].endswith("in its current form")
    assert quote["speaker"]["text"] == "The governor"
