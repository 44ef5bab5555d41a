"""The written corpus of tests/data/across (one story, four fictional outlets, a week), ingested for real.

Every expectation in test_claims/test_clusters/test_sourcing is about what the claim, cluster and sourcing
logic makes of the records the real pipeline produces from it, found by words of the story rather than by ids.
"""

from __future__ import annotations

import itertools
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine

from dateline.store import open_db
from dateline.store.across import read
from dateline.store.ingest import ingest
from dateline.store.query import get_article

STORY = Path(__file__).resolve().parents[1] / "data" / "across" / "story.jsonl"
_numbers = itertools.count(1)


def story_engine(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Engine:
    """The story ingested into a fresh database of the requested engine (``request.param``)."""
    if request.param == "sqlite":
        url = str(tmp_path_factory.mktemp("across") / "kb.db")
    else:
        url = request.getfixturevalue("postgres_server").create_database(f"across_{next(_numbers)}")
    engine = open_db(url)
    summary = ingest([str(STORY)], engine)
    assert summary.ingested == 9, summary.as_dict()
    return engine


ENGINES = ["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)]


def claim_with(engine: Engine, words: str) -> dict[str, Any]:
    """The one claim whose content holds ``words``."""
    page = read.list_claims(engine, read.ClaimFilters(text=words, min_articles=1), limit=10)
    assert len(page.items) == 1, [c["content"] for c in page.items]
    claim = read.get_claim(engine, page.items[0]["id"])
    assert claim is not None
    return claim


def trail(claim: dict[str, Any]) -> list[tuple[str, str, str]]:
    return [(a["publisher"], a["published"], a["attribution"]) for a in claim["appearances"]]


def assert_spans(engine: Engine, rows: list[dict[str, Any]]) -> None:
    """Every appearance or denial points at its own words in its article's body."""
    for row in rows:
        record = get_article(engine, row["article_id"])
        assert record is not None
        assert record["body"][row["start_char"]:row["end_char"]].strip() == row["content"], row
