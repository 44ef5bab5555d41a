"""Ingest retries what failed for a passing reason: a crash inside the pipeline leaves the file out of the journal,
the next run reads it again, stores its articles once and drops the superseded error row. Bad input stays done."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from spacy.language import Language
from spacy.tokens import Doc
from sqlalchemy import Engine, text

from dateline.store import open_db
from dateline.store.ingest import IngestSummary, ingest

CRASH_PIPE = "test_crash_on_marker"
CRASHES: dict[str, type[Exception]] = {"MemoryError": MemoryError, "RuntimeError": RuntimeError}


@Language.factory(CRASH_PIPE, default_config={"marker": "", "error": "RuntimeError"})
def make_crash_on_marker(nlp: Language, name: str, marker: str, error: str) -> Callable[[Doc], Doc]:
    """A pipeline component that fails (as a real component would) on every document containing ``marker``."""
    exception = CRASHES[error]

    def crash_on_marker(doc: Doc) -> Doc:
        if marker in doc.text:
            raise exception(f"simulated {error} on {marker!r}")
        return doc

    return crash_on_marker


def _paragraph(topic: str, n: int) -> str:
    return (f"Officials in the capital said on Monday that {topic} number {n} had been delayed by the storm. "
            f"The ministry said a new plan for {topic} {n} would be published next week after talks with donors.")


def make_inputs(folder: Path) -> None:
    """Three text articles, a JSON Lines file of three, and an empty file (bad input)."""
    folder.mkdir()
    for n in range(3):
        (folder / f"story-{n}.txt").write_text(f"Road report {n}\n\n{_paragraph('road', n)}\n")
    lines = [json.dumps({"title": f"Bridge report {n}", "text": _paragraph("bridge", n)}) for n in range(3)]
    (folder / "wire.jsonl").write_text("\n".join(lines) + "\n")
    (folder / "empty.txt").write_bytes(b"")


@pytest.fixture
def crashing(model_nlp: Language) -> Iterator[Callable[[str, str], None]]:
    """Adds the crashing component to the shared model for one test, and always takes it out again."""

    def add(marker: str, error: str) -> None:
        if CRASH_PIPE in model_nlp.pipe_names:
            model_nlp.remove_pipe(CRASH_PIPE)
        model_nlp.add_pipe(CRASH_PIPE, config={"marker": marker, "error": error})

    yield add
    if CRASH_PIPE in model_nlp.pipe_names:
        model_nlp.remove_pipe(CRASH_PIPE)


def _state(engine: Engine) -> dict[str, Any]:
    with engine.connect() as conn:
        return {
            "articles": sorted(s for (s,) in conn.execute(text("SELECT source_uri FROM articles"))),
            "errors": sorted((s, r) for s, r in conn.execute(text("SELECT source, reason FROM ingest_errors"))),
            "journal": sorted(Path(p).name for (p,) in conn.execute(text("SELECT path FROM ingest_journal"))),
        }


def _run(folder: Path, engine: Engine, nlp: Language) -> IngestSummary:
    return ingest([str(folder)], engine, nlp=nlp, commit_every=2)


def test_crash_in_pipeline_is_retried_without_duplicates(db_url: str, tmp_path: Path, model_nlp: Language,
                                                         crashing: Callable[[str, str], None]) -> None:
    folder = tmp_path / "in"
    make_inputs(folder)
    engine = open_db(db_url)

    crashing("number 1 had", "MemoryError")  # one text file, and one line of the JSON Lines file
    first = _run(folder, engine, model_nlp)
    state = _state(engine)
    assert (first.ingested, first.failures, first.to_retry) == (4, 3, 2)
    assert state["journal"] == ["empty.txt", "story-0.txt", "story-2.txt"]  # bad input is done; crashes are not
    failed = {Path(source.split("#")[0]).name: reason for source, reason in state["errors"]}
    assert failed["story-1.txt"].startswith("NLP failed: MemoryError")
    assert failed["wire.jsonl"].startswith("NLP failed: MemoryError")
    assert "empty" in failed["empty.txt"]

    model_nlp.remove_pipe(CRASH_PIPE)
    second = _run(folder, engine, model_nlp)
    state = _state(engine)
    assert (second.files, second.files_skipped) == (2, 3)  # only the two files with a crash are read again
    assert (second.ingested, second.failures, second.to_retry) == (2, 0, 0)
    assert second.duplicates == 2  # the JSON Lines file's other lines were already in
    assert len(state["articles"]) == len(set(state["articles"])) == 6
    assert [Path(s).name for s, _ in state["errors"]] == ["empty.txt"]  # the superseded rows are gone
    assert state["journal"] == ["empty.txt", "story-0.txt", "story-1.txt", "story-2.txt", "wire.jsonl"]

    third = _run(folder, engine, model_nlp)
    assert (third.files, third.ingested, third.failures) == (0, 0, 0)
    assert _state(engine) == state


def test_retry_failing_again_keeps_one_error_row_with_the_latest_reason(
        db_url: str, tmp_path: Path, model_nlp: Language, crashing: Callable[[str, str], None]) -> None:
    folder = tmp_path / "in"
    make_inputs(folder)
    engine = open_db(db_url)

    crashing("road number 1", "MemoryError")
    _run(folder, engine, model_nlp)
    crashing("road number 1", "RuntimeError")
    again = _run(folder, engine, model_nlp)
    state = _state(engine)
    assert (again.files, again.ingested, again.failures, again.to_retry) == (1, 0, 1, 1)
    story_errors = [reason for source, reason in state["errors"] if source.endswith("story-1.txt")]
    assert len(story_errors) == 1 and story_errors[0].startswith("NLP failed: RuntimeError")
    assert "story-1.txt" not in state["journal"]
