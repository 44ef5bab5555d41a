"""`dateline train events` end to end on ten stories and a few steps: the command works and writes a loadable
model with every PLOVER type and NONE (the real run is in the model card; training is never part of make test)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import spacy
from typer.testing import CliRunner

from dateline.train import events as train_events

SILVER = train_events.DEFAULT_TRAIN


def test_held_out_split_is_deterministic_and_a_tenth() -> None:
    ids = [f"NGEC-SYN-{i:04d}" for i in range(4500)]
    held = [i for i in ids if train_events.held_out(i)]
    assert held == [i for i in ids if train_events.held_out(i)]
    assert 0.08 < len(held) / len(ids) < 0.12


def test_lead_sentence_is_the_first() -> None:
    text = "Rebels seized the town on Monday. Officials said the army would respond.\n\nMore text."
    assert train_events.lead_sentence(text) == "Rebels seized the town on Monday."


@pytest.mark.skipif(not SILVER.is_file(), reason="../shared/data/events is absent")
def test_train_command_runs_a_few_steps(tmp_path: Path) -> None:
    from dateline.cli import app  # registers `dateline train`

    out = tmp_path / "events"
    result = CliRunner().invoke(app, ["train", "events", "--limit", "10", "--max-steps", "4", "--out", str(out)])
    assert result.exit_code == 0, result.output
    figures = json.loads((out / "figures.json").read_text(encoding="utf-8"))
    assert figures["train_stories"] == 10 and figures["max_steps"] == 4
    assert 0.0 <= figures["held_out_story_type_accuracy"] <= 1.0
    model = spacy.load(out)
    assert set(model.get_pipe("textcat").labels) == set(train_events.LABELS)
    cats = model("Rebels attacked the town.").cats
    assert abs(sum(cats.values()) - 1.0) < 1e-4
