"""dateline_entity_ruler: the small model's systematic errors on the seed are fixed, dictionaries apply."""

from __future__ import annotations

from pathlib import Path

import pytest
from spacy.language import Language
from spacy.tokens import Doc

from dateline.nlp.pipeline import build_nlp

SEED = Path(__file__).resolve().parents[2] / ".." / "shared" / "gold" / "seed" / "article.txt"


@pytest.fixture(scope="module")
def nlp() -> Language:
    return build_nlp(components=("dateline_entity_ruler",))


@pytest.fixture(scope="module")
def seed_doc(nlp: Language) -> Doc:
    if not SEED.exists():
        pytest.skip("the shared seed article is absent")
    return nlp(SEED.read_text(encoding="utf-8"))


def labels_of(doc: Doc, text: str) -> set[str]:
    return {e.label_ for e in doc.ents if e.text == text}


@pytest.mark.parametrize(("name", "wrong"), [
    ("Quetta", "ORG"), ("Herat", "NORP"), ("Spin Boldak", "ORG"), ("Khyber Pukhtunkhwa", "PERSON"),
])
def test_seed_places_the_model_mislabels_become_gpe(seed_doc: Doc, name: str, wrong: str) -> None:
    assert labels_of(seed_doc, name) == {"GPE"}


def test_seed_durand_line_becomes_loc_without_the_article(seed_doc: Doc) -> None:
    assert labels_of(seed_doc, "Durand Line") == {"LOC"}
    assert not labels_of(seed_doc, "the Durand Line")


def test_seed_dictionary_organisations(seed_doc: Doc) -> None:
    assert labels_of(seed_doc, "Pakistani Taliban") == {"ORG"}
    assert labels_of(seed_doc, "Haqqani group") == {"ORG"}  # the model says GPE "Haqqani"
    assert labels_of(seed_doc, "Pakistan Institute of Peace Studies") == {"ORG"}  # longer name kept whole


def test_acronyms_demonyms_and_capitals(nlp: Language) -> None:
    doc = nlp("Officials of the ISI and the TTP met Afghan envoys in Islamabad, while IS-K claimed the attack.")
    assert labels_of(doc, "ISI") == {"ORG"}
    assert labels_of(doc, "TTP") == {"ORG"}
    assert labels_of(doc, "IS-K") == {"ORG"}
    assert labels_of(doc, "Afghan") == {"NORP"}
    assert labels_of(doc, "Islamabad") == {"GPE"}


def test_all_caps_dictionary_names(nlp: Language) -> None:
    doc = nlp("TALIBAN FIGHTERS ENTER KANDAHAR AS AFGHANISTAN WAITS")
    assert labels_of(doc, "TALIBAN") == {"ORG"}
    assert labels_of(doc, "AFGHANISTAN") == {"GPE"}


def test_person_names_are_left_alone(nlp: Language) -> None:
    # "Khan" and "Washington" are also place names: persons stay persons without place context
    doc = nlp("Prime Minister Imran Khan met the analyst Michael Kugelman in Washington on Monday.")
    assert labels_of(doc, "Imran Khan") == {"PERSON"}
    assert labels_of(doc, "Michael Kugelman") == {"PERSON"}


def test_text_without_entities_passes_through(nlp: Language) -> None:
    doc = nlp("nothing here but lower case words and a few more of them")
    assert list(doc.ents) == []


def untagged(nlp: Language, text: str) -> Doc:
    """The text with the model's entities removed, then corrected: what the ruler makes of names the model missed."""
    from dateline.nlp.components.entity_ruler import correct_entities, place_lookup

    doc = nlp(text)
    doc.ents = []
    doc.ents = correct_entities(doc, [], place_lookup())
    return doc


def test_an_untagged_organisation_that_acts_is_one_name(nlp: Language) -> None:
    doc = untagged(nlp, "Officials said that the Free and Fair Election Network, an independent monitoring group, "
                        "said its observers had been turned away. Ministry officials declined to comment.")
    assert [e.text for e in doc.ents if e.label_ == "ORG"] == ["Free and Fair Election Network"]


def test_an_untagged_office_after_a_bare_possessive(nlp: Language) -> None:
    doc = untagged(nlp, "On Friday, Belarus’ Foreign Ministry condemned the sanctions and threatened a response.")
    assert "Foreign Ministry" in {e.text for e in doc.ents if e.label_ == "ORG"}
