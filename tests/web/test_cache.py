"""The aggregate cache: unfiltered answers are reused until an article is stored; filtered never are."""

from __future__ import annotations

import sys
import time
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


def test_expired_entries_are_served_while_computed_again_and_the_oldest_go_first(tmp_path: Path) -> None:
    engine = open_db(str(tmp_path / "kb.db"))
    cache = AggregateCache(ttl=0.0, max_entries=2)
    calls: list[str] = []

    def answer(key: str) -> str:
        calls.append(key)
        return f"{key}{len(calls)}"

    assert cache.get(engine, Filters(), "a", lambda: answer("a")) == "a1"
    assert cache.get(engine, Filters(), "a", lambda: answer("a")) == "a1"  # expired (ttl 0): kept answer at once
    deadline = time.monotonic() + 10
    while cache.get(engine, Filters(), "a", lambda: answer("a")) == "a1" and time.monotonic() < deadline:
        time.sleep(0.01)  # ... while a background thread computes it again
    assert calls[:2] == ["a", "a"]
    while cache._refreshing and time.monotonic() < deadline:
        time.sleep(0.01)  # the last look may have started another refresh: let it land first
    for key in ("b", "c"):
        cache.get(engine, Filters(), key, lambda key=key: answer(key))  # type: ignore[misc]
    assert len(cache._entries) == 2 and (id(engine), "a") not in cache._entries  # the oldest went first
