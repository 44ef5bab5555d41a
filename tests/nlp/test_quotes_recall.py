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
    """The rules' quotes (confirmed by the trained tagger or not): what these tests are about."""
    quotes: list[dict[str, Any]] = [q for q in nlp(text)._.dateline_quotes if q["produced_by"] != "model"]
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


def test_according_to_in_the_middle_of_a_sentence(nlp: Language) -> None:
    text = ("Rents in the old town rose by a third last year, according to the housing office, and "
            "they are still climbing.")
    quote = only_quote(nlp, text)
    assert quote["cue"]["text"] == "according to"
    assert quote["speaker"]["text"].endswith("housing office")
    pieces = [text[p["start"]:p["end"]] for p in quote["content"]["pieces"]]
    assert pieces == ["Rents in the old town rose by a third last year", "they are still climbing"]


def test_according_to_a_source_the_parser_misreads(nlp: Language) -> None:
    text = "According to festival insiders, the headline act has cancelled."
    quote = only_quote(nlp, text)
    assert quote["content"]["text"] == "the headline act has cancelled"
    assert "insiders" in quote["speaker"]["text"]


def test_gerund_after_by_borrows_the_subject(nlp: Language) -> None:
    text = "The minister defended the plan by saying the new tax would fall only on the largest firms."
    quote = only_quote(nlp, text)
    assert quote["cue"]["text"] == "saying"
    assert quote["content"]["text"] == "the new tax would fall only on the largest firms"
    assert quote["speaker"]["text"] == "The minister"


def test_phrasal_cue(nlp: Language) -> None:
    text = "Professor Lindqvist pointed out that the survey had only reached urban voters."
    quote = only_quote(nlp, text)
    assert quote["cue"]["lemma"] == "point"
    assert quote["content"]["text"] == "that the survey had only reached urban voters"


def test_questioning_is_speech(nlp: Language) -> None:
    text = "Senator Okafor questioned whether the agency could finish the audit before the vote."
    quote = only_quote(nlp, text)
    assert quote["cue"]["lemma"] == "question"
    assert quote["content"]["text"] == "whether the agency could finish the audit before the vote"


def test_cue_closing_a_sentence_of_two_clauses(nlp: Language) -> None:
    text = "The council approved the budget in March, but the mayor vetoed it in April, a spokeswoman added."
    quote = only_quote(nlp, text)
    assert quote["content"]["text"] == "The council approved the budget in March, but the mayor vetoed it in April"
    assert quote["speaker"]["text"] == "a spokeswoman"


def test_participle_before_the_cue_is_not_content(nlp: Language) -> None:
    text = "Asked about the delay, the minister said nothing."
    assert quotes_of(nlp, text) == []


def test_block_quote_after_a_lead_in_paragraph(nlp: Language) -> None:
    text = ("The senator spoke for an hour on the floor.\n\nShe added:\n\n"
            "We cannot keep asking farmers to wait for help that never comes.\n\nThe vote is on Friday.")
    quote = only_quote(nlp, text)
    assert quote["kind"] == "direct"
    assert quote["content"]["text"] == "We cannot keep asking farmers to wait for help that never comes."
    assert quote["cue"]["text"] == "added"
    assert quote["speaker"]["name"].lower() == "the senator"


def test_colon_after_a_non_speech_verb_is_no_block_quote(nlp: Language) -> None:
    text = "The plan includes three steps:\n\nRaise the dam, widen the channel and plant the banks."
    assert quotes_of(nlp, text) == []


def test_headline_name_known_from_the_article(nlp: Language) -> None:
    text = ("Okonkwo: Port Strike Will Cost Billions.\n\n"
            "Finance Minister Adaeze Okonkwo warned on Tuesday that the strike would hurt exports.")
    headline = quotes_of(nlp, text)[0]
    assert headline["content"]["text"] == "Port Strike Will Cost Billions"
    assert headline["cue"]["text"] == ":"
    assert headline["speaker"]["text"] == "Okonkwo"


def test_headline_label_is_no_source(nlp: Language) -> None:
    text = "Poll: Most Voters Back the Port Deal.\n\nA new survey of 1,000 adults found broad support."
    assert not any(q["cue"] and q["cue"]["text"] == ":" for q in quotes_of(nlp, text))


def test_split_quote_around_a_cue_with_an_addressee(nlp: Language) -> None:
    text = "“When I retired from the bench,” she told the committee, “the backlog was already ten years long.”"
    quotes = quotes_of(nlp, text)
    assert [[text[p["start"]:p["end"]] for p in q["content"]["pieces"]] for q in quotes] == [
        ["When I retired from the bench,", "the backlog was already ten years long."]]
    assert all(q["cue"] and q["cue"]["text"] == "told" for q in quotes)


def test_quoted_sentences_without_a_verb_continue_the_speaker(nlp: Language) -> None:
    text = "“Here comes the mayor,” the vendor said, laughing. “Right on time. Every single week.”"
    quotes = quotes_of(nlp, text)
    assert [[text[p["start"]:p["end"]] for p in q["content"]["pieces"]] for q in quotes] == [
        ["Here comes the mayor,", "Right on time. Every single week."]]
    assert quotes[0]["speaker"]["text"] == "the vendor"


def test_quoted_title_is_not_a_continuation(nlp: Language) -> None:
    text = "“It is over,” the coach said. “Moonlight” won the prize for best film."
    quotes = quotes_of(nlp, text)
    assert [q["content"]["text"] for q in quotes] == ["It is over,"]


def test_quoted_as_saying(nlp: Language) -> None:
    quote = only_quote(nlp, "The minister was quoted as saying that the border would stay closed.")
    assert quote["content"]["text"] == "that the border would stay closed"
    assert quote["speaker"]["text"] == "The minister"


def test_statement_of_a_named_body(nlp: Language) -> None:
    quote = only_quote(nlp, "A Harbor Authority report that the pier was unsafe was leaked in May.")
    assert quote["cue"]["text"] == "report"
    assert quote["content"]["text"].startswith("that the pier was unsafe")
    assert "Authority" in quote["speaker"]["text"]


def test_continue_is_a_cue_only_beside_a_quote(nlp: Language) -> None:
    assert quotes_of(nlp, "The protesters continued their march through the old town.") == []
    quote = only_quote(nlp, "The mayor visited the shelter.\n\nShe continued: “Nobody lost a home tonight.”")
    assert quote["cue"]["lemma"] == "continue"
    assert quote["content"]["text"] == "Nobody lost a home tonight."


def test_cue_in_a_complement_clause_that_is_no_ones_speech(nlp: Language) -> None:
    quote = only_quote(nlp, "The outcome is clear now that the senator has vowed to block the bill.")
    assert quote["cue"]["lemma"] == "vow"
    assert quote["content"]["text"] == "to block the bill"
    assert quote["speaker"]["text"] == "the senator"


def test_perfect_tense_cue_reports_its_infinitive(nlp: Language) -> None:
    quote = only_quote(nlp, "The governor has promised to repair every school roof before winter.")
    assert quote["content"]["text"] == "to repair every school roof before winter"


def test_embedded_question_after_a_cue(nlp: Language) -> None:
    quote = only_quote(nlp, "Officials have not said when they would reopen the border crossing.")
    assert quote["content"]["text"].endswith("they would reopen the border crossing")
    assert quote["speaker"]["text"] == "Officials"


def test_cue_is_the_verb_group(nlp: Language) -> None:
    quote = only_quote(nlp, "The ministry has not yet confirmed that the talks will resume.")
    assert quote["cue"]["text"] == "has not yet confirmed"
    assert quote["cue"]["lemma"] == "confirm"
    quote = only_quote(nlp, "Professor Lindqvist then pointed out that the survey had only reached urban voters.")
    assert quote["cue"]["text"] == "then pointed out"


def test_preposition_of_a_phrasal_object_cue_is_not_content(nlp: Language) -> None:
    quote = only_quote(nlp, "The union called on the mayor to resign.")
    assert quote["content"]["text"] == "the mayor to resign"


def test_curly_quote_nested_in_a_straight_one() -> None:
    text = 'She said: "He called the plan “a gift to the rich” and left." Then she went home.'
    spans = find_quoted_spans(text, paragraph_bounds(text))
    assert [text[s.start:s.end] for s in spans] == ["He called the plan “a gift to the rich” and left."]


def test_complement_stops_before_the_next_cue(nlp: Language) -> None:
    text = "The mayor said the budget was balanced, arguing that the new tax had paid for the schools."
    said = next(q for q in quotes_of(nlp, text) if q["cue"]["lemma"] == "say")
    assert said["content"]["text"] == "the budget was balanced"


def test_that_clause_after_a_time_phrase(nlp: Language) -> None:
    text = "The coach tweeted in the early morning hours that the referee was biased."
    quote = only_quote(nlp, text)
    assert quote["content"]["text"].endswith("the referee was biased")
    assert quote["speaker"]["text"] == "The coach"


def test_promise_in_a_relative_clause(nlp: Language) -> None:
    text = "The deal was pushed by the two largest ports, which vowed to cut their emissions by half."
    quote = only_quote(nlp, text)
    assert quote["cue"]["lemma"] == "vow"
    assert quote["content"]["text"] == "to cut their emissions by half"
