"""dateline eval places on a tiny gold file written here, and its measures on hand-made numbers."""

from __future__ import annotations

import json
import math
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from dateline.eval.places import MAX_ERROR_KM, error_auc, geocoding_measures, run, score_document

TEXT_1 = "Officials in Kabul met envoys from Pakistan on Monday."
TEXT_2 = "Trucks waited at Chaman while traders in Quetta complained."


def toponym(text: str, name: str, lat: float, lon: float, gid: int) -> dict[str, object]:
    start = text.index(name)
    return {"start": start, "end": start + len(name), "name": name, "lat": lat, "lon": lon, "geonameid": gid}


@pytest.fixture()
def gold_file(tmp_path: Path) -> Path:
    docs = [
        {"id": "a", "text": TEXT_1, "toponyms": [toponym(TEXT_1, "Kabul", 34.528, 69.172, 1138958),
                                                 toponym(TEXT_1, "Pakistan", 30.0, 70.0, 1168579)]},
        {"id": "b", "text": TEXT_2, "toponyms": [toponym(TEXT_2, "Chaman", 30.918, 66.453, 1181611),
                                                 toponym(TEXT_2, "Quetta", 30.184, 67.001, 1167528)]},
    ]
    path = tmp_path / "gold.jsonl"
    path.write_text("".join(json.dumps(d) + "\n" for d in docs), encoding="utf-8")
    return path


def test_run_on_a_tiny_gold_file(gold_file: Path) -> None:
    result = run(gold_file)
    assert result["documents"] == 2
    assert result["recognition"]["recall"] == 1.0 and result["recognition"]["precision"] == 1.0
    assert result["gold_toponyms"]["n"] == 4 and result["gold_toponyms"]["acc@161"] == 1.0
    assert result["end_to_end"]["acc@161"] == 1.0 and result["end_to_end"]["median_km"] < 161


def test_limit_and_cli(gold_file: Path) -> None:
    from dateline.cli import app

    outcome = CliRunner().invoke(app, ["eval", "places", str(gold_file), "--limit", "1"])
    assert outcome.exit_code == 0, outcome.output
    assert "1 documents" in outcome.output and "acc@161" in outcome.output


def test_missing_gold_file_skips_cleanly(tmp_path: Path) -> None:
    assert run(tmp_path / "absent.jsonl") == {}


def test_span_overlap_matching_counts_unresolved_for_recognition_only() -> None:
    gold = {"toponyms": [{"start": 0, "end": 5, "lat": 10.0, "lon": 10.0}],
            "unresolved": [{"start": 10, "end": 15}]}
    places: list[dict[str, Any]] = [{"lat": 10.0, "lon": 10.0, "mentions": [{"start": 0, "end": 4}]},
              {"lat": None, "lon": None, "mentions": [{"start": 11, "end": 15}, {"start": 20, "end": 25}]}]
    counts = score_document(gold, places)
    assert (counts["tp"], counts["fp"], counts["fn"]) == (2, 1, 0)
    assert counts["errors"] == [0.0]


def test_error_measures() -> None:
    assert error_auc([0.0, 0.0]) == 0.0
    assert math.isclose(error_auc([MAX_ERROR_KM - 1, MAX_ERROR_KM - 1]), 1.0)
    m = geocoding_measures([0.0, 100.0, 200.0, MAX_ERROR_KM])
    assert m["acc@161"] == 0.5 and m["median_km"] == 150.0
