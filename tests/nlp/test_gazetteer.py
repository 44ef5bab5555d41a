"""The gazetteer built from the installed GeoNames packages: contents, lookups, spelling variants."""

from __future__ import annotations

import sqlite3

import pytest

from dateline.nlp.gazetteer import Gazetteer, ensure_built, name_key


@pytest.fixture(scope="session")
def gaz() -> Gazetteer:
    # builds the file at the default path once (about a minute) when it is missing or outdated
    return Gazetteer(ensure_built())


def test_build_holds_every_layer(gaz: Gazetteer) -> None:
    with sqlite3.connect(gaz.path) as con:
        kinds = dict(con.execute("SELECT kind, count(*) FROM place GROUP BY kind").fetchall())
    assert kinds["country"] >= 240
    assert kinds["admin1"] >= 3000
    assert kinds["admin2"] >= 40000
    assert kinds["city"] + kinds["town"] + kinds["village"] + kinds["capital"] >= 200_000
    assert kinds["border"] >= 1  # the curated features are in


def test_name_key_folds_case_accents_and_punctuation() -> None:
    assert name_key("KHYBER-Pakhtūnkhwā") == name_key("Khyber Pakhtunkhwa") == "khyber pakhtunkhwa"
    assert name_key("the Durand Line") == "durand line"
    assert name_key("St. Louis") == "st louis"


def test_quetta_is_the_city_in_balochistan(gaz: Gazetteer) -> None:
    quetta = next(c for c in gaz.candidates("Quetta") if c.kind == "city")
    assert quetta.country == "PK" and quetta.admin1 == "Balochistan"
    assert abs(quetta.lat - 30.18) < 0.1 and abs(quetta.lon - 67.0) < 0.1


def test_pukhtunkhwa_spelling_finds_khyber_pakhtunkhwa(gaz: Gazetteer) -> None:
    found = gaz.candidates("Khyber Pukhtunkhwa")
    assert found and found[0].name == "Khyber Pakhtunkhwa" and found[0].kind == "admin1"
    assert 88 <= found[0].match < 100


def test_spin_boldak_is_in_afghanistan(gaz: Gazetteer) -> None:
    assert {c.country for c in gaz.candidates("Spin Boldak")} == {"AF"}


def test_all_caps_and_abbreviations(gaz: Gazetteer) -> None:
    assert any(c.name == "Kabul" and c.country == "AF" for c in gaz.candidates("KABUL"))
    assert gaz.candidates("Ill.")[0].name == "Illinois"
    assert gaz.candidates("U.S.")[0].country == "US"


def test_unknown_name_has_no_candidates(gaz: Gazetteer) -> None:
    assert gaz.candidates("Qwxzvillebury") == []


def test_public_helpers() -> None:
    from dateline.nlp.gazetteer import candidates, is_known_place

    assert is_known_place("Peshawar") and is_known_place("Durand Line")
    assert not is_known_place("Imran Khan")
    assert candidates("Georgia", limit=5)[0].kind in ("country", "admin1")


def test_abbreviations_name_areas_and_big_cities_only() -> None:
    from dateline.nlp.gazetteer import candidates

    assert candidates("MW") == []  # an agency in a dateline, not Meaux (whose GeoNames alternate name it is)
    assert candidates("UAE")[0].country == "AE"
    assert candidates("US")[0].kind == "country"
    assert all(c.kind != "village" for c in candidates("US"))
