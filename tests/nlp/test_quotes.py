"""dateline_quotes over hand-written articles: every construction with assertions on spans."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from spacy.language import Language

from dateline.nlp.pipeline import build_nlp
from dateline.nlp.quotes.lexicon import load_lexicon
from dateline.nlp.quotes.marks import find_quoted_spans, paragraph_bounds

DATA = Path(__file__).parents[1] / "data" / "quotes"
SHARED = Path(__file__).parents[2] / ".." / "shared"


@pytest.fixture(scope="module")
def nlp() -> Language:
    # only what quotes read: the model, entity fixes and actors
    return build_nlp(components=("dateline_entity_ruler", "dateline_actors", "dateline_quotes"))


@pytest.fixture(scope="module")
def harbor(nlp: Language) -> tuple[str, list[dict[str, Any]]]:
    text = (DATA / "harbor.txt").read_text(encoding="utf-8")
    doc = nlp(text)
    return text, doc._.dateline_quotes


def quote_with(quotes: list[dict[str, Any]], words: str) -> dict[str, Any]:
    found = [q for q in quotes if words in q["content"]["text"]]
    assert found, f"no quote contains {words!r}: {[q['content']['text'] for q in quotes]}"
    return found[0]


def test_offsets_match_text(harbor: tuple[str, list[dict[str, Any]]]) -> None:
    text, quotes = harbor
    for q in quotes:
        assert text[q["content"]["start"]:q["content"]["end"]] == q["content"]["text"]
        if q["cue"]:
            assert text[q["cue"]["start"]:q["cue"]["end"]] == q["cue"]["text"]
        if q["speaker"]:
            assert text[q["speaker"]["start"]:q["speaker"]["end"]] == q["speaker"]["text"]
    assert [q["id"] for q in quotes] == [f"q{i}" for i in range(1, len(quotes) + 1)]


def test_split_quote_is_one_quote_in_two_pieces(harbor: tuple[str, list[dict[str, Any]]]) -> None:
    """'"A," said X. "B."' is one attribution, as PolNeAR marks it: the covering content, two pieces, one cue."""
    text, quotes = harbor
    quote = quote_with(quotes, "We could not take the risk")
    assert quote is quote_with(quotes, "The pier will stay shut")
    assert quote["kind"] == "direct"
    pieces = [text[p["start"]:p["end"]] for p in quote["content"]["pieces"]]
    assert pieces == ["We could not take the risk of a collapse with a ferry alongside,",
                      "The pier will stay shut until every pylon has been checked."]
    assert quote["cue"]["lemma"] == "say"
    assert quote["speaker"]["name"] == "Marta Oyelaran"
    assert quote["speaker"]["description"] == "the authority’s chief engineer"


def test_quote_continues_into_the_next_paragraph(harbor: tuple[str, list[dict[str, Any]]]) -> None:
    _, quotes = harbor
    quote = quote_with(quotes, "Nobody wants to close a pier")
    assert quote["content"]["text"].endswith("We will publish the inspection report as soon as the insurers have read it.")
    assert len(quote["content"]["pieces"]) == 2
    assert quote["cue"] is None
    assert "Oyelaran" in quote["speaker"]["name"]


def test_scare_quotes_are_not_speech(harbor: tuple[str, list[dict[str, Any]]]) -> None:
    _, quotes = harbor
    texts = [q["content"]["text"] for q in quotes]
    assert not any(t.startswith("a gift to the big trawlers") for t in texts)
    assert not any(t.startswith("beating heart") for t in texts)
    # the fragment stays inside the attribution it belongs to ("called the closure “...”")
    called = quote_with(quotes, "a gift to the big trawlers")
    assert called["kind"] == "mixed" and called["cue"]["lemma"] == "call"
    assert called["content"]["text"] == "the closure “a gift to the big trawlers,”"


def test_fragment_inside_reported_speech_is_mixed(harbor: tuple[str, list[dict[str, Any]]]) -> None:
    _, quotes = harbor
    quote = quote_with(quotes, "serious and progressive damage")
    assert quote["kind"] == "mixed"
    assert quote["content"]["text"] == "that the pylons showed “serious and progressive damage” below the waterline"
    assert quote["cue"]["lemma"] == "write"
    assert not any(q["content"]["text"].startswith("serious and progressive") for q in quotes)


def test_several_cues_in_reported_speech(harbor: tuple[str, list[dict[str, Any]]]) -> None:
    _, quotes = harbor
    insisted = quote_with(quotes, "the pier had been neglected for years")
    warned = quote_with(quotes, "other piers could face the same fate")
    accused = quote_with(quotes, "ignoring repeated warnings")
    assert (insisted["cue"]["lemma"], warned["cue"]["lemma"], accused["cue"]["lemma"]) == ("insist", "warn", "accuse")
    assert insisted["content"]["text"] == "that the pier had been neglected for years"  # PolNeAR: with "that"
    # "They" resolves to the councillors of the sentence before
    assert insisted["speaker"]["text"] == "They"
    assert insisted["speaker"]["name"] == warned["speaker"]["name"] == "Local councillors"


def test_according_to(harbor: tuple[str, list[dict[str, Any]]]) -> None:
    _, quotes = harbor
    quote = quote_with(quotes, "the last full inspection")
    assert quote["content"]["text"] == "the last full inspection of the pier took place in 2015"
    assert quote["cue"]["text"] == "According to"
    assert quote["speaker"]["text"] == "port officials"
    assert quote["speaker"]["anonymous"] is True


def test_anonymous_reason_in_the_same_sentence(harbor: tuple[str, list[dict[str, Any]]]) -> None:
    _, quotes = harbor
    quote = next(q for q in quotes if q["content"]["text"] == "the cracks had been reported months ago"
                 and not q["denial"])
    assert quote["speaker"]["text"] == "Two dock workers"
    assert quote["speaker"]["anonymous"] is True
    assert quote["speaker"]["anonymity_reason"] == "for fear of losing their jobs"


def test_anonymous_reason_in_a_later_sentence(harbor: tuple[str, list[dict[str, Any]]]) -> None:
    _, quotes = harbor
    quote = quote_with(quotes, "two ferries had already been diverted")
    assert quote["speaker"]["text"] == "A harbor pilot"
    assert quote["speaker"]["anonymous"] is True
    assert quote["speaker"]["anonymity_reason"] == "because he was not authorized to discuss schedules"


def test_named_speakers_are_not_anonymous(harbor: tuple[str, list[dict[str, Any]]]) -> None:
    _, quotes = harbor
    assert quote_with(quotes, "We could not take")["speaker"]["anonymous"] is False
    assert quote_with(quotes, "the first report reached it")["speaker"]["anonymous"] is False  # the authority


def test_denial_answers_the_claim(harbor: tuple[str, list[dict[str, Any]]]) -> None:
    _, quotes = harbor
    claim = next(q for q in quotes if q["content"]["text"] == "the cracks had been reported months ago"
                 and not q["denial"])
    denial = next(q for q in quotes if q["denial"])
    assert denial["cue"]["lemma"] == "deny"
    assert denial["speaker"]["text"] == "The authority"
    assert denial["answers"] == [claim["id"]]
    assert all(not q["answers"] for q in quotes if not q["denial"])


def test_pronoun_speaker_resolves_to_the_person(harbor: tuple[str, list[dict[str, Any]]]) -> None:
    _, quotes = harbor
    quote = quote_with(quotes, "the authority had lacked the money")
    assert quote["speaker"]["text"] == "She"
    assert "Oyelaran" in quote["speaker"]["name"]


def test_unbalanced_quote_at_the_end_of_the_article(harbor: tuple[str, list[dict[str, Any]]]) -> None:
    text, quotes = harbor
    last = quotes[-1]
    assert last["content"]["text"] == "The pier will be stronger than before."
    assert last["content"]["end"] == len(text.rstrip())
    assert last["speaker"]["name"] == "Marta Oyelaran"


def test_quote_around_its_cue_in_one_sentence(harbor: tuple[str, list[dict[str, Any]]]) -> None:
    _, quotes = harbor
    first = quote_with(quotes, "Nobody should lose their living")
    second = quote_with(quotes, "and nobody will")
    assert first["speaker"]["text"] == second["speaker"]["text"] == "the mayor"


def test_quotes_never_cross_paragraphs_without_the_convention() -> None:
    text = ("She said “this one never closes.\n\nA new paragraph follows without a mark, and goes on.\n\n"
            "“Another “nested” quote” and a stray ” mark.")
    spans = find_quoted_spans(text, paragraph_bounds(text))
    for span in spans:
        assert "\n\n" not in text[span.start:span.end]
    assert text[spans[0].start:spans[0].end] == "this one never closes."
    assert spans[0].closed is False


def test_straight_quotes(nlp: Language) -> None:
    doc = nlp('"The bridge is safe for cars," said Paul Ennis, a city engineer. "Trucks must wait."')
    quotes = doc._.dateline_quotes
    assert [[doc.text[p["start"]:p["end"]] for p in q["content"]["pieces"]] for q in quotes] == [
        ["The bridge is safe for cars,", "Trucks must wait."]]  # one attribution in two pieces, as in PolNeAR
    assert all(q["speaker"]["name"] == "Paul Ennis" for q in quotes)


def test_five_hundred_quotes_stay_bounded(nlp: Language) -> None:
    paragraphs = [f"“Line {n} of the record is read aloud today,” said Ann Lee." for n in range(500)]
    paragraphs.insert(250, "“An opening mark that never closes and a stray ” “ mark")
    doc = nlp("\n\n".join(paragraphs))
    quotes = doc._.dateline_quotes
    assert len([q for q in quotes if q["content"]["text"].startswith("Line ")]) == 500
    assert all(len(q["content"]["text"]) < 80 for q in quotes)


@pytest.mark.parametrize("text", [
    "„Wir schaffen das“, sagte die Kanzlerin. « Nous verrons », a dit le ministre.",
    "“" * 50 + "”" * 3 + '"' * 7,
    "",
    "He said.",
    "“Unclosed quote running to the end of the article with no closing mark at all and more words",
])
def test_odd_input_does_not_crash(nlp: Language, text: str) -> None:
    doc = nlp(text)
    for q in doc._.dateline_quotes:
        assert q["content"]["end"] - q["content"]["start"] <= 3000
        assert "\n\n" not in q["content"]["text"]


def test_lexicon_is_data() -> None:
    lexicon = load_lexicon()
    assert "denial" in lexicon.verbs["deny"]
    assert "say" in lexicon.verbs and "claim" in lexicon.nouns
    assert "official" in lexicon.person_nouns and "ministry" in lexicon.institution_nouns


@pytest.mark.slow
def test_seed_quote_measures(nlp: Language, tmp_path: Path) -> None:
    seed = SHARED / "gold" / "seed"
    scorer = SHARED / "tools" / "score_record.py"
    if not (seed / "article.txt").exists() or not scorer.exists():
        pytest.skip("../shared seed not present")
    from dateline.analyze import analyze

    record = next(iter(analyze([str(seed / "article.txt")], nlp=nlp))).record
    assert record is not None
    path = tmp_path / "record.json"
    path.write_text(json.dumps(record), encoding="utf-8")
    out = subprocess.run([sys.executable, str(scorer), str(path), str(seed / "gold.json"), "--json"],
                         capture_output=True, text=True, check=True).stdout
    scores = json.loads(out[:out.rindex("}") + 1])
    assert scores["quotes found"] >= 0.95
    assert scores["quote speakers right"] >= 0.90
    assert scores["quote anonymity right"] == 1.0
    assert scores["quotes not taken from teasers"] == 1.0


def test_relative_clause_speaker_on_an_appositive(nlp: Language) -> None:
    doc = nlp("Aid came from the two largest donors, the neighbouring states, which together vowed that the "
              "camps would stay open.")
    quote = quote_with(doc._.dateline_quotes, "the camps would stay open")
    assert quote["speaker"]["text"].endswith("states")


def test_infinitive_and_object_complements(nlp: Language) -> None:
    doc = nlp("The harbor master pledged to rebuild the pier before winter. Later the minister announced "
              "his resignation, and he told Reuters nothing more.")
    quotes = doc._.dateline_quotes
    assert quote_with(quotes, "rebuild the pier")["content"]["text"] == "to rebuild the pier before winter"
    announced = quote_with(quotes, "his resignation")
    assert announced["cue"]["lemma"] == "announce" and announced["content"]["text"] == "his resignation"
    assert not any(q["content"]["text"] == "Reuters" for q in quotes)  # an addressee is not content


def test_headline_attribution(nlp: Language) -> None:
    doc = nlp("John McCain: Republican Anger Appeals to the Worst in Us.\n\nPoll: Voters Split on Taxes.")
    quotes = doc._.dateline_quotes
    assert len(quotes) == 1
    assert quotes[0]["cue"]["text"] == ":"
    assert quotes[0]["speaker"]["text"] == "John McCain"
    assert quotes[0]["content"]["text"] == "Republican Anger Appeals to the Worst in Us"


def test_continued_quotes_are_capped() -> None:
    paragraph = "“" + "This goes on and on without a closing mark. " * 20
    text = "\n\n".join([paragraph.strip()] * 12)
    spans = find_quoted_spans(text, paragraph_bounds(text))
    assert spans, "the open quote is still a quote"
    assert all(span.end - span.start <= 3000 for span in spans)
    assert max(len(span.pieces) for span in spans) <= 7  # the first paragraph and at most six continued


def test_curly_quote_closed_by_a_straight_one(nlp: Language) -> None:
    doc = nlp("The chief said there was “no evidence\" of a plot.\n\n\"We are still looking,\" he said.")
    quotes = doc._.dateline_quotes
    assert all("\n\n" not in q["content"]["text"] for q in quotes)
    assert quote_with(quotes, "We are still looking")["content"]["text"] == "We are still looking,"


def test_a_cue_in_a_relative_clause_reports_nothing_outside_it() -> None:
    from dateline.nlp.pipeline import load_nlp

    doc = load_nlp()("Achakzai said he had been visited twice by intelligence officers in plain clothes, who asked "
                     "for the names of his patients. He refused, he said, and they left.")
    speakers = [q["speaker"]["text"] for q in doc._.dateline_quotes]
    assert "plain clothes" not in speakers
    assert any(q["content"]["text"].startswith("he had been visited") for q in doc._.dateline_quotes)


def test_a_participle_borrows_a_subject_that_can_speak(nlp: Language) -> None:
    """The parser hangs "warning" on "began" (subject: a dam); the speaker is the accuser further up."""
    doc = nlp("Iraq accused Turkey on Monday of cutting the flow of the Tigris River by nearly half as a new "
              "upstream dam began to fill, warning that farmers in the provinces of Nineveh and Salahuddin could "
              "lose this year's wheat harvest.")
    warnings = [q for q in doc._.dateline_quotes if q["cue"] and q["cue"]["text"] == "warning"]
    assert [q["speaker"]["text"] for q in warnings] == ["Iraq"]
    assert warnings[0]["content"]["text"].startswith("that farmers in the provinces")


def test_a_cue_inside_an_anonymity_reason_is_not_a_quote(nlp: Language) -> None:
    doc = nlp("A member of the audit team said the contracts had been divided among political parties. "
              "He spoke on condition of anonymity because he feared retaliation from armed factions.")
    quotes = doc._.dateline_quotes
    assert [q["cue"]["text"] for q in quotes] == ["said"]
    assert quotes[0]["id"] == "q1"
    assert quotes[0]["speaker"]["anonymous"] is True
    assert quotes[0]["speaker"]["anonymity_reason"].startswith("because he feared retaliation")


def test_reported_speech_in_the_first_paragraph_starts_after_the_dateline(nlp: Language) -> None:
    doc = nlp("BAGHDAD (MW) — Iraqi authorities have arrested two officials of the Nineveh province over the "
              "disappearance of reconstruction funds, the country's Federal Integrity Commission said Sunday.")
    [quote] = doc._.dateline_quotes
    assert quote["content"]["text"].startswith("Iraqi authorities have arrested")
    assert doc.text[quote["content"]["start"]:quote["content"]["end"]] == quote["content"]["text"]
