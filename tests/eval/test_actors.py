"""dateline eval actors: the scoring is right on hand-made cases, and the project's own set stays above its floors."""

from __future__ import annotations

from typing import Any

import pytest

from dateline.eval.actors import DEFAULT_GOLD, Tally, evaluate, load_gold, measures, role_matches, score_document


def entity(name: str, *spans: tuple[int, int], role: str | None = None, country: str | None = None,
           type_: str = "PERSON") -> dict[str, Any]:
    return {"name": name, "type": type_, "role": role, "country": country, "actor": None,
            "mentions": [{"start": s, "end": e, "text": ""} for s, e in spans]}


def scores(gold: list[dict[str, Any]], system: list[dict[str, Any]]) -> dict[str, float]:
    tally = Tally()
    score_document(gold, system, tally)
    return measures(tally)


def test_perfect_chains_score_one() -> None:
    gold = [entity("A", (0, 5), (10, 12), role="President", country="PK"), entity("B", (20, 25), (30, 32))]
    result = scores(gold, gold)
    assert result["muc_f1"] == result["b3_f1"] == result["role_accuracy"] == result["country_accuracy"] == 1.0


def test_a_split_chain_costs_recall_and_a_merge_costs_precision() -> None:
    gold = [entity("A", (0, 5), (10, 12), (40, 42)), entity("B", (20, 25), (30, 32))]
    split = [entity("A", (0, 5), (10, 12)), entity("A2", (40, 42)), entity("B", (20, 25), (30, 32))]
    merged = [entity("AB", (0, 5), (10, 12), (40, 42), (20, 25), (30, 32))]
    assert scores(gold, split)["muc_r"] == pytest.approx(2 / 3)
    assert scores(gold, split)["muc_p"] == 1.0
    assert scores(gold, merged)["muc_r"] == 1.0
    assert scores(gold, merged)["muc_p"] < 1.0 and scores(gold, merged)["b3_p"] < 1.0


def test_overlapping_spans_match_and_places_are_not_scored() -> None:
    gold = [entity("Elena Marsh", (0, 29), (40, 45))]
    system = [entity("Elena Marsh", (18, 29), (40, 45)), entity("Kabul", (50, 55), type_="GPE")]
    assert scores(gold, system)["b3_f1"] == 1.0


def test_role_matching_is_by_content_words() -> None:
    assert role_matches("powerful militia commander", "militia commander")
    assert role_matches("Prime Minister of Pakistan", "Prime Minister of Pakistan")
    assert not role_matches("general", "army spokesman")
    assert not role_matches(None, "doctor")


@pytest.mark.slow
def test_own_evaluation_set_floors() -> None:
    if not DEFAULT_GOLD.exists():
        pytest.skip("no actors gold set")
    docs = load_gold(DEFAULT_GOLD)
    assert len(docs) >= 15
    result = evaluate(docs)
    assert result["muc_f1"] >= 0.90
    assert result["b3_f1"] >= 0.88
    assert result["role_accuracy"] >= 0.85
    assert result["country_accuracy"] >= 0.85
