"""dateline eval quotes: span scoring, PolNeAR's content convention, and a run over written documents."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from dateline.eval.quotes import polnear_content, run, score_spans

SHARED = Path(__file__).parents[2] / ".." / "shared"


def test_exact_and_overlap_matching() -> None:
    gold = {(0, 10), (20, 40), (50, 60)}
    predicted = {(0, 10), (22, 40), (50, 53), (70, 80)}
    counts = score_spans(gold, predicted)
    assert (counts.gold, counts.predicted, counts.exact) == (3, 4, 1)
    # (22, 40) covers 18 of 20 gold characters; (50, 53) only 3 of 10
    assert (counts.overlap_gold, counts.overlap_pred) == (2, 2)
    figures = counts.figures()
    assert figures["exact"]["precision"] == pytest.approx(1 / 4)
    assert figures["overlap"]["recall"] == pytest.approx(2 / 3)


def test_one_prediction_matches_one_gold_span() -> None:
    counts = score_spans({(0, 10), (0, 12)}, {(0, 12)})
    assert counts.overlap_gold == 1 and counts.overlap_pred == 1


def test_content_widened_to_polnear_convention() -> None:
    text = 'He said that the plan works. “It works,” she said.'
    indirect = {"kind": "indirect", "content": {"start": 13, "end": 27}}
    assert text[slice(*polnear_content(text, indirect))] == "that the plan works"
    direct = {"kind": "direct", "content": {"start": 30, "end": 39}}
    assert text[slice(*polnear_content(text, direct))] == "“It works,”"


def test_missing_gold_file_is_skipped(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert run(tmp_path / "absent.jsonl") == {}
    assert "nothing to evaluate" in capsys.readouterr().out


@pytest.mark.slow
def test_run_on_written_documents(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    text = "The mayor said that the bridge would reopen in May.\n\n“We are ready,” said Lena Ortiz."
    quotes = [
        {"content": {"start": 15, "end": 50}, "cue": {"start": 10, "end": 14}, "source": {"start": 0, "end": 9}},
        {"content": {"start": 53, "end": 68}, "cue": {"start": 69, "end": 73}, "source": {"start": 74, "end": 84}},
    ]
    assert text[15:50] == "that the bridge would reopen in May"
    assert text[53:68] == "“We are ready,”"
    gold = tmp_path / "gold.jsonl"
    gold.write_text(json.dumps({"id": "d1", "text": text, "quotes": quotes}) + "\n", encoding="utf-8")
    figures = run(gold)
    assert figures["documents"] == 1
    for part in ("content", "cue", "source"):
        assert figures[part]["exact"]["f1"] == pytest.approx(1.0), part
    assert "content" in capsys.readouterr().out


@pytest.mark.slow
def test_polnear_dev_floor() -> None:
    dev = SHARED / "data" / "quotes" / "polnear-dev.jsonl"
    if not dev.exists():
        pytest.skip("PolNeAR dev set not present")
    figures = run(dev, limit=5)
    assert figures["documents"] == 5
    assert figures["content"]["overlap"]["precision"] >= 0.5
    assert figures["source"]["overlap"]["precision"] >= 0.5
