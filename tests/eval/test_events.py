"""dateline eval events: scoring rules on hand-made predictions, and a small real run."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from dateline.eval import events as ev

SHARED_EVENTS = Path(__file__).resolve().parents[2] / ".." / "shared" / "data" / "events"


def _event(event_type: str, source: str | None = None, target: str | None = None, negated: bool = False) -> dict[str, Any]:
    return {"type": event_type, "negated": negated,
            "source": {"text": source, "entity": None, "actor": None} if source else None,
            "target": {"text": target, "entity": None, "actor": None} if target else None}


def test_type_matching_is_per_document_and_ignores_negated_predictions() -> None:
    items: list[dict[str, Any]] = [
        {"id": "a", "events": [{"type": "CONSULT", "source": "ARN", "target": "GON"},
                               {"type": "CONSULT", "source": "GON", "target": "ARN"}]},
        {"id": "b", "events": [{"type": "ASSAULT", "source": "MOR", "target": "GON"}]},
        {"id": "c", "events": [], "gold_no_event": True},
    ]
    predictions = [
        [_event("CONSULT", "Arnor", "Gondor")],
        [_event("ASSAULT", "Mordor", "Gondor", negated=True), _event("ACCUSE", "Gondor", "Mordor")],
        [_event("PROTEST", "Students")],
    ]
    result = ev.score_gold(items, predictions)
    types = result["types"]
    assert types["per_type"]["CONSULT"] == {"precision": 1.0, "recall": 1.0, "f1": 1.0, "tp": 1, "fp": 0, "fn": 0, "support": 1}
    assert types["per_type"]["ASSAULT"]["fn"] == 1  # the negated prediction does not count
    assert types["per_type"]["PROTEST"]["fp"] == 1  # a gold "no event" sentence
    assert types["micro"]["tp"] == 1 and types["micro"]["fp"] == 2 and types["micro"]["fn"] == 1
    # with actors: one of the two CONSULT directions found (loose: first three letters of the name)
    assert result["with_actors"]["per_type"]["CONSULT"]["tp"] == 1
    assert result["with_actors"]["per_type"]["CONSULT"]["fn"] == 1


def test_unmapped_only_documents_are_skipped_and_mixed_ones_give_no_false_positives() -> None:
    items: list[dict[str, Any]] = [
        {"id": "a", "events": [], "gold_no_event": False, "events_unmapped": [{"type": None, "cameo": "023"}]},
        {"id": "b", "events": [{"type": "AGREE", "source": "ARN", "target": "GON"}],
         "events_unmapped": [{"type": None, "cameo": "224"}]},
    ]
    predictions = [[_event("ASSAULT", "Arnor")], [_event("AGREE", "Arnor", "Gondor"), _event("ASSAULT", "Arnor")]]
    result = ev.score_gold(items, predictions)
    assert result["skipped_unmapped"] == 1 and result["documents"] == 1
    assert result["types"]["micro"]["fp"] == 0 and result["types"]["micro"]["tp"] == 1


def test_silver_scores_recall_and_top_type() -> None:
    items = [{"id": "s1", "synthetic": True, "events": [{"type": "PROTEST"}]},
             {"id": "s2", "synthetic": True, "events": [{"type": "AID"}]}]
    predictions = [[_event("PROTEST", "Teachers"), _event("PROTEST", "Nurses"), _event("COERCE", "Police")], []]
    result = ev.score_silver(items, predictions)
    assert result["recall"] == {"AID": 0.0, "PROTEST": 1.0}
    assert result["top_type_accuracy"] == 0.5


def test_missing_gold_file_is_skipped(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert ev.run(tmp_path / "absent.jsonl") == {}
    assert "skipped" in capsys.readouterr().out


def test_run_on_written_sentences(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    gold = tmp_path / "gold.jsonl"
    rows = [{"id": "1", "text": "North Korea threatened to attack South Korea.", "events": [{"type": "THREATEN"}]},
            {"id": "2", "text": "Police arrested dozens of protesters in the capital.", "events": [{"type": "COERCE"}]},
            {"id": "3", "text": "The weather was fine.", "events": [], "gold_no_event": True}]
    gold.write_text("\n".join(json.dumps(r) for r in rows), encoding="utf-8")
    result = ev.run(gold)
    assert result["types"]["micro"]["f1"] == 1.0
    assert "micro P 1.000 R 1.000 F1 1.000" in capsys.readouterr().out


@pytest.mark.slow
def test_petrarch2_unit_tests_floor() -> None:
    path = SHARED_EVENTS / "petrarch2-unit-tests.jsonl"
    if not path.exists():
        pytest.skip("../shared/data/events is absent")
    result = ev.run(path, limit=60)
    assert result["types"]["micro"]["f1"] >= 0.30
