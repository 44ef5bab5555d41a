"""The aggregate cache: unfiltered answers are reused until an article is stored; filtered never are."""

from __future__ import annotations

import sys
from pathlib import Path

from dateline.store import open_db
from dateline.store.query import Filters, list_places
from dateline.store.write import write_records
from dateline.web.cache import AggregateCache

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "store"))
from kb_records import corpus, make_record  # noqa: E402


def test_unfiltered_answers_are_reused_until_an_article_is_stored(tmp_path: Path) -> None:
    engine = open_db(str(tmp_path / "kb.db"))
    records = corpus()
    with engine.begin() as conn:
        write_records(conn, records[:2])
    cache = AggregateCache()
    calls: list[int] = []

    def places() -> int:
        calls.append(1)
        return list_places(engine, Filters()).total

    first = cache.get(engine, Filters(), "places", places)
    assert cache.get(engine, Filters(), "places", places) == first
    assert len(calls) == 1
    with engine.begin() as conn:
        write_records(conn, [records[2], make_record("A new story from Kabul.")])
    cache.get(engine, Filters(), "places", places)
    assert len(calls) == 2  # a stored article makes the kept answer stale

    cache.get(engine, Filters(place="Quetta"), "places", places)
    cache.get(engine, Filters(place="Quetta"), "places", places)
    assert len(calls) == 4  # filtered answers are never kept


def test_entries_expire_and_the_oldest_go_first(tmp_path: Path) -> None:
    engine = open_db(str(tmp_path / "kb.db"))
    cache = AggregateCache(ttl=0.0, max_entries=2)
    calls: list[str] = []
    for key in ("a", "a", "b", "c"):
        cache.get(engine, Filters(), key, lambda key=key: calls.append(key))  # type: ignore[misc]
    assert calls == ["a", "a", "b", "c"]  # ttl 0: nothing is reused
    assert len(cache._entries) == 2
