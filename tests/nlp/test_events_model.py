"""The learned type scorer beside the event rules: how its judgement combines with a rule's, what each event
says produced it, loading once and loudly, and quiet out of the domain (our own off-domain articles)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from events_coding import code
from spacy.language import Language

import dateline.nlp.models as models
from dateline.nlp.events import scoring
from dateline.nlp.models import ModelMissing, load_model
from dateline.nlp.pipeline import build_nlp
from dateline.train.events import PLOVER_TYPES as LABELS

DATA = Path(__file__).resolve().parents[1] / "data" / "events"
PRODUCERS = {"rule", "model", "rule+model"}
def _cats(**shares: float) -> dict[str, float]:
    rest = (1.0 - sum(shares.values())) / (17 - len(shares))
    return {t: shares.get(t, rest) for t in (*LABELS, "NONE")}


def test_judgement_keeps_rejects_and_defers_to_constrained_rules() -> None:
    kept = scoring.judge("ASSAULT", 0.8, True, _cats(ASSAULT=0.7))
    assert kept is not None and kept.type == "ASSAULT" and kept.produced_by == "rule+model" and kept.confidence == 0.75
    doubted = scoring.judge("SUPPORT", 0.8, True, _cats(REJECT=0.9, SUPPORT=0.001))
    assert doubted is not None and doubted.type == "SUPPORT" and doubted.produced_by == "rule"  # never retyped
    assert doubted.confidence < 0.5
    assert scoring.judge("AGREE", 0.8, True, _cats(NONE=0.9, AGREE=0.05)) is None  # no event here, says the model
    assert scoring.judge("AGREE", 0.8, True, _cats(NONE=0.3, COERCE=0.35, AGREE=0.05)) is not None  # NONE not first
    # a rule with a preposition or a condition ("walked out of", "granted asylum") is never overruled
    constrained = scoring.judge("REJECT", 0.8, False, _cats(NONE=0.9, REJECT=0.001))
    assert constrained is not None and constrained.type == "REJECT" and constrained.produced_by == "rule"
    assert constrained.confidence < 0.8
    assert scoring.judge("AID", 0.7, True, {}) == scoring.Judgement("AID", 0.7, "rule")


def test_model_loads_once_per_process() -> None:
    assert load_model("events") is load_model("events")
    assert "NONE" in load_model("events").get_pipe("textcat").labels


def test_missing_model_is_a_loud_error(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setattr(models, "MODELS_DIR", tmp_path)
    load_model.cache_clear()
    try:
        with pytest.raises(ModelMissing, match=r"'events' model is missing.*dateline train events"):
            build_nlp(components=("dateline_events",))
    finally:
        load_model.cache_clear()


def test_every_event_says_what_produced_it(events_nlp: Language) -> None:
    events = code(events_nlp, "Rebels attacked the town on Monday. The government condemned the attack and "
                       "the two sides agreed to a ceasefire.")
    assert {e["type"] for e in events} >= {"ASSAULT"}
    for event in events:
        assert event["produced_by"] in PRODUCERS
        assert 0.0 < event["confidence"] <= 1.0
        assert "_bare" not in event


@pytest.mark.parametrize("text, wrong", [
    ("Parents in western Mosul said they had heard such promises before.", "AGREE"),
    ("They spoke on condition of anonymity because they were not authorized to discuss internal communications.",
     "CONSULT"),
    ("The officials were not permitted to discuss the negotiations.", "CONSULT"),
])
def test_words_around_quotes_are_no_events(events_nlp: Language, text: str, wrong: str) -> None:
    assert wrong not in {e["type"] for e in code(events_nlp, text)}


def test_a_name_is_no_trigger(events_nlp: Language) -> None:
    events = code(events_nlp, "One of the landers will carry the Volatiles Investigating Polar Exploration Rover, a robot.")
    assert not [e for e in events if e["type"] == "ACCUSE"]


def _off_domain() -> list[dict[str, Any]]:
    lines = (DATA / "off_domain.jsonl").read_text(encoding="utf-8").splitlines()
    return [json.loads(line) for line in lines if line.strip()]


def test_off_domain_articles_are_ours_and_varied() -> None:
    articles = _off_domain()
    assert len(articles) >= 5 and len({a["topic"] for a in articles}) >= 5


def test_off_domain_articles_give_few_or_no_events(events_nlp: Language) -> None:
    counts = {a["id"]: len(code(events_nlp, a["text"])) for a in _off_domain()}
    assert max(counts.values()) <= 3, counts
    assert sum(counts.values()) <= len(counts), counts  # on average at most one per article
    landers = code(events_nlp, _off_domain()[0]["text"])
    assert not [e for e in landers if e["type"] in ("MOBILIZE", "ACCUSE")]
