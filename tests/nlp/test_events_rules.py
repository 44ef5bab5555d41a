"""Event coding rules: object kinds, prepositional targets, joint and reciprocal acts, yielding, withdrawals.

Sentences written for these tests (not taken from any data set); the real model, events component alone.
"""

from __future__ import annotations

from typing import Any

import pytest
from spacy.language import Language

from dateline.nlp.pipeline import build_nlp


@pytest.fixture(scope="module")
def nlp() -> Language:
    return build_nlp(components=("dateline_events",))


def coded(nlp: Language, text: str) -> list[dict[str, Any]]:
    """The events coded in ``text`` (no quotes, a fixed publication date)."""
    doc = nlp.make_doc(text)
    doc._.dateline_context = {"published": "2023-05-02", "published_precision": "day", "dateline": None,
                              "title": None, "language": "en"}
    for name, component in nlp.pipeline:
        if name == "dateline_events":
            doc._.dateline_quotes = []
        doc = component(doc)
    return list(doc._.dateline_events)


def pairs(nlp: Language, text: str, event_type: str) -> set[tuple[str | None, str | None]]:
    """(source text, target text) of the non-negated events of ``event_type`` coded in ``text``."""
    return {(_text(e["source"]), _text(e["target"])) for e in coded(nlp, text)
            if e["type"] == event_type and not e["negated"]}


def types(nlp: Language, text: str) -> set[str]:
    return {t for t in ("AID", "CONCEDE", "RETREAT", "SANCTION", "AGREE", "MOBILIZE", "ASSAULT", "CONSULT",
                        "COOPERATE", "ACCUSE", "REJECT", "SUPPORT", "THREATEN") if pairs(nlp, text, t)}


def _text(arg: dict[str, Any] | None) -> str | None:
    return arg["text"] if arg else None


# --- the kind of object decides the type -------------------------------------------------------------


def test_granting_asylum_is_aid_not_concession(nlp: Language) -> None:
    text = "Norway granted asylum to four Belarusian journalists on Tuesday."
    assert ("Norway", "four Belarusian journalists") in pairs(nlp, text, "AID")
    assert "CONCEDE" not in types(nlp, text)


def test_passive_grant_keeps_its_by_agent(nlp: Language) -> None:
    text = "Two opposition bloggers were granted asylum by Iceland."
    assert ("Iceland", "Two opposition bloggers") in pairs(nlp, text, "AID")


def test_removing_restrictions_is_a_concession_to_those_restricted(nlp: Language) -> None:
    text = "The junta removed restrictions on foreign reporters last week."
    assert ("The junta", "foreign reporters") in pairs(nlp, text, "CONCEDE")


def test_removing_an_ordinary_object_is_no_concession(nlp: Language) -> None:
    assert "CONCEDE" not in types(nlp, "Workers removed the rubble from the square.")


def test_sending_troops_is_mobilization_and_sending_medicine_is_aid(nlp: Language) -> None:
    assert "MOBILIZE" in types(nlp, "Ankara sent extra troops to the frontier on Monday.")
    assert ("Portugal", "Mozambique") in pairs(nlp, "Portugal sent medicine and food to Mozambique.", "AID")


def test_calling_off_a_strike_is_a_concession(nlp: Language) -> None:
    assert ("The dockers' union", "the strike") in pairs(
        nlp, "The dockers' union called off the strike after the port raised wages.", "CONCEDE")


def test_halting_an_offensive_is_a_ceasefire(nlp: Language) -> None:
    events = pairs(nlp, "The northern army halted its offensive near the river.", "RETREAT")
    assert any(source == "The northern army" for source, _ in events)


# --- targets ------------------------------------------------------------------------------------------


@pytest.mark.parametrize("text", ["The navy fired three missiles at Odessa.",
                                  "Hanoi on Friday fired warning shots at Manila."])
def test_a_fired_weapon_is_no_target_the_actor_aimed_at_is(nlp: Language, text: str) -> None:
    targets = {target for _, target in pairs(nlp, text, "ASSAULT")}
    assert targets & {"Odessa", "Manila"}


# --- joint and reciprocal acts ------------------------------------------------------------------------


def test_coordinated_parties_of_an_agreement_are_each_others_counterparts(nlp: Language) -> None:
    events = pairs(nlp, "Kenya and Tanzania agreed to share the fishing grounds.", "AGREE")
    assert {("Kenya", "Tanzania"), ("Tanzania", "Kenya")} <= events


def test_a_meeting_is_coded_in_both_directions(nlp: Language) -> None:
    events = pairs(nlp, "The Chilean foreign minister met his Bolivian counterpart in La Paz.", "CONSULT")
    assert {("The Chilean foreign minister", "his Bolivian counterpart"),
            ("his Bolivian counterpart", "The Chilean foreign minister")} <= events


def test_a_one_sided_act_is_not_reversed(nlp: Language) -> None:
    events = pairs(nlp, "Serbia condemned Kosovo on Monday.", "ACCUSE")
    assert ("Serbia", "Kosovo") in events and ("Kosovo", "Serbia") not in events


def test_the_named_one_of_two_subjects_is_the_source(nlp: Language) -> None:
    events = pairs(nlp, "Old rivals Chile and Peru renewed diplomatic relations on Monday.", "COOPERATE")
    assert ("Chile", "Peru") in events


# --- wrappers -----------------------------------------------------------------------------------------


def test_promising_to_lift_a_curfew_is_an_agreement_and_a_concession(nlp: Language) -> None:
    text = "The governor promised to lift the curfew next month."
    assert types(nlp, text) >= {"AGREE", "CONCEDE"}


def test_agreeing_to_withdraw_is_not_yet_a_withdrawal(nlp: Language) -> None:
    text = "The rebels agreed to withdraw from the valley."
    assert "AGREE" in types(nlp, text)
    assert "RETREAT" not in types(nlp, text)


# --- withdrawals --------------------------------------------------------------------------------------


def test_troops_withdrawing_retreat_a_mission_withdrawing_reduces_relations(nlp: Language) -> None:
    assert ("Russian troops", "the town") in pairs(nlp, "Russian troops withdrew from the town on Sunday.", "RETREAT")
    text = "Amnesty International withdrew from Belarus amid security fears."
    assert ("Amnesty International", "Belarus") in pairs(nlp, text, "SANCTION")
    assert "RETREAT" not in types(nlp, text)


# --- new lexicon rows -----------------------------------------------------------------------------------


@pytest.mark.parametrize(("text", "event_type"), [
    ("The senator strongly opposed the mining bill.", "ACCUSE"),
    ("The union turned down the employers' offer.", "REJECT"),
    ("The party sided with the striking nurses.", "SUPPORT"),
    ("The militia laid down its weapons on Friday.", "RETREAT"),
    ("Ghana and Togo formed an alliance against smugglers.", "COOPERATE"),
    ("The minister issued an ultimatum to the strikers.", "THREATEN"),
])
def test_lexicon_rows(nlp: Language, text: str, event_type: str) -> None:
    assert event_type in types(nlp, text)


def test_vowing_a_hostile_act_is_a_threat(nlp: Language) -> None:
    text = "The prime minister vowed to cut ties with Minsk."
    assert ("The prime minister", "Minsk") in pairs(nlp, text, "THREATEN")
    assert "AGREE" not in types(nlp, text)


def test_a_postponed_meeting_is_no_meeting(nlp: Language) -> None:
    assert "CONSULT" not in types(nlp, "Laos and Cambodia have postponed their meeting until June.")


def test_their_names_the_coordinated_subject(nlp: Language) -> None:
    events = pairs(nlp, "Laos and Cambodia held their first meeting in Vientiane.", "CONSULT")
    assert {("Laos", "Cambodia"), ("Cambodia", "Laos")} <= events


# --- negation and denial ------------------------------------------------------------------------------


def negated(nlp: Language, text: str, event_type: str) -> list[bool]:
    return [e["negated"] for e in coded(nlp, text) if e["type"] == event_type]


@pytest.mark.parametrize(("text", "event_type"), [
    ("Belgrade denied bombing the power station.", "ASSAULT"),
    ("The guerrillas dismissed allegations that they had kidnapped two engineers.", "ASSAULT"),
    ("Ecuador and Colombia failed to reach an agreement in Quito.", "AGREE"),
    ("Neither army has shelled the dam since the truce.", "ASSAULT"),
    ("Nobody was arrested after the march.", "COERCE"),
])
def test_denied_failed_and_subjectless_acts_are_negated(nlp: Language, text: str, event_type: str) -> None:
    flags = negated(nlp, text, event_type)
    assert flags and all(flags)


def test_a_plain_act_is_not_negated(nlp: Language) -> None:
    assert negated(nlp, "The army shelled the dam on Monday.", "ASSAULT") == [False]


def test_neither_is_not_part_of_the_actor_name(nlp: Language) -> None:
    sources = {e["source"]["text"] for e in coded(nlp, "Neither Lesotho nor Eswatini boycotted the summit.")
               if e["source"]}
    assert "Lesotho" in sources and not any(s.startswith("Neither") for s in sources)


def test_admitting_peacekeepers_is_retreat_access(nlp: Language) -> None:
    assert ("Lebanon", "more peacekeepers") in pairs(nlp, "Lebanon accepted more peacekeepers along the border.",
                                                     "RETREAT")


def test_a_named_event_is_no_party(nlp: Language) -> None:
    targets = {t for _, t in pairs(nlp, "The Saudi king celebrated Ramadan with the Emir of Qatar.", "CONSULT")}
    assert targets == {"the Emir of Qatar"}


def test_withdrawing_from_talks_halts_negotiations_and_is_no_meeting(nlp: Language) -> None:
    text = "The separatists withdrew from the peace talks on Tuesday."
    assert "SANCTION" in types(nlp, text)
    assert not types(nlp, text) & {"RETREAT", "CONSULT"}


def test_high_alert_is_mobilization(nlp: Language) -> None:
    assert "MOBILIZE" in types(nlp, "Tokyo put its air defences on high alert after the launch.")


# --- judged acts --------------------------------------------------------------------------------------


def test_the_doer_of_a_condemned_act_is_the_accused(nlp: Language) -> None:
    text = "Human rights groups condemned the shelling of the market by government forces."
    assert ("Human rights groups", "government forces") in pairs(nlp, text, "ACCUSE")
    assert "ASSAULT" not in types(nlp, text)  # the judged act is coded where it is reported, not here


def test_the_judge_of_talks_is_not_their_party(nlp: Language) -> None:
    text = "Brazil welcomed the resumption of talks between Chile and Bolivia."
    assert {("Chile", "Bolivia"), ("Bolivia", "Chile")} <= pairs(nlp, text, "CONSULT")
    assert not any(source == "Brazil" for source, _ in pairs(nlp, text, "CONSULT"))


def test_a_performed_act_is_coded_once_on_its_verb(nlp: Language) -> None:
    events = [e for e in coded(nlp, "The militia launched an attack on the airport.") if e["type"] == "ASSAULT"]
    assert len(events) == 1 and events[0]["source"]["text"] == "The militia"


@pytest.mark.parametrize(("text", "threat"), [
    ("Ankara warned Damascus of severe consequences.", True),
    ("Beijing warned that it would retaliate.", True),
    ("The agency warned of a famine in the east.", False),
    ("Officials warned residents about the floods.", False),
])
def test_a_warning_threatens_only_with_a_harm_to_come(nlp: Language, text: str, threat: bool) -> None:
    assert ("THREATEN" in types(nlp, text)) is threat


def test_a_statement_speaks_for_whoever_issued_it(nlp: Language) -> None:
    text = "The two ministers issued a statement calling for new elections."
    assert any(source == "The two ministers" for source, _ in pairs(nlp, text, "REQUEST"))


def test_a_named_party_keeps_its_name_over_its_description(nlp: Language) -> None:
    text = "Chile signed a trade protocol with Peru, its biggest trading partner."
    assert ("Chile", "Peru") in pairs(nlp, text, "AGREE")


def test_the_other_side_of_a_meeting_follows_with(nlp: Language) -> None:
    text = "The mayor left for Brussels for meetings of the transport committee with Belgian officials."
    assert ("The mayor", "Belgian officials") in pairs(nlp, text, "CONSULT")


def codes_of(nlp: Language, text: str, event_type: str) -> set[tuple[str | None, str | None]]:
    """(source actor code, target actor code) of the events of ``event_type`` coded in ``text``."""
    return {((e["source"] or {}).get("actor"), (e["target"] or {}).get("actor"))
            for e in coded(nlp, text) if e["type"] == event_type}


def test_a_capital_as_a_place_is_coded_as_its_country(nlp: Language) -> None:
    # The events component alone: no actors component, so only the target's code is derived here.
    assert {target for _, target in codes_of(nlp, "Rebels fired shells at Seoul on Tuesday.", "ASSAULT")} == {"KOR"}


def test_a_persons_name_is_not_a_demonym(nlp: Language) -> None:
    assert codes_of(nlp, "Protesters attacked George Washington in the square on Monday.", "ASSAULT") == {
        (None, None)}


def test_any_country_the_actor_table_knows_codes_a_party(nlp: Language) -> None:
    """Names and demonyms come from the actors' country table, not a short list of the events' own."""
    sources = {source for source, _ in codes_of(nlp, "Kenyan soldiers attacked the camp on Monday.", "ASSAULT")}
    assert sources and all(s and s.startswith("KEN") for s in sources)
    sources = {source for source, _ in codes_of(nlp, "New Zealand troops attacked the camp on Monday.", "ASSAULT")}
    assert sources and all(s and s.startswith("NZL") for s in sources)
