"""The written story (tests/data/across) ingested for real, plus two hostile articles quoting the same hostile
words (a claim whose every field is an attack), served by a real ``dateline serve``."""

from __future__ import annotations

import copy
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from conftest import REPO, hostile_record, start_server, stop_server

from dateline.record import article_id
from dateline.store import open_db
from dateline.store.dedup import StoryIndex
from dateline.store.ingest import ingest
from dateline.store.write import write_records

STORY = REPO / "tests" / "data" / "across" / "story.jsonl"


def hostile_copy() -> dict[str, Any]:
    """The hostile article again, a day later, with one more sentence: the same quote in a second article."""
    record = copy.deepcopy(hostile_record())
    record["body"] += " Nobody else commented."
    record["id"] = article_id(record["body"])
    record["published"] = "2024-11-21"
    return record


def across_db(directory: Path) -> str:
    path = str(directory / "across.db")
    engine = open_db(path)
    assert ingest([str(STORY)], engine).ingested == 9
    with engine.begin() as conn:
        write_records(conn, [hostile_record(), hostile_copy()], stories=StoryIndex())
    engine.dispose()
    return path


@pytest.fixture(scope="session")
def across_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    process, base = start_server(across_db(tmp_path_factory.mktemp("across")), env={"DATELINE_UPLOAD_TOKEN": ""})
    yield base
    stop_server(process)
