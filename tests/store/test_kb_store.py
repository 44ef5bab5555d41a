"""The storage suite, run on SQLite and on a real PostgreSQL server (``db_url`` is parametrized)."""

from __future__ import annotations

import json
from pathlib import Path

import pyarrow.parquet as pq
import pytest
from kb_records import corpus, make_record
from sqlalchemy import Engine, inspect

from dateline.store import open_db
from dateline.store.dedup import StoryIndex
from dateline.store.export import export
from dateline.store.migrations import CURRENT_VERSION
from dateline.store.query import (
    Filters,
    actor_network,
    counts,
    facets,
    get_article,
    list_actors,
    list_events,
    list_places,
    list_quotes,
    search_articles,
    time_series,
)
from dateline.store.write import write_records


def _load(db_url: str, records: list[dict]) -> Engine:
    engine = open_db(db_url)
    with engine.begin() as conn:
        write_records(conn, records, stories=StoryIndex())
    return engine


def _titles(page) -> set[str]:  # type: ignore[no-untyped-def]
    return {item["title"] for item in page.items}


def test_records_read_back_exactly_and_rewrite_adds_nothing(db_url: str) -> None:
    records = corpus()
    engine = _load(db_url, records)
    assert counts(engine)["articles"] == 3
    for record in records:
        stored = get_article(engine, record["id"])
        assert stored is not None
        stored.pop("story_id")
        assert stored == record
    with engine.begin() as conn:
        stats = write_records(conn, records)
    assert (stats.inserted, stats.duplicates) == (0, 3)
    assert counts(engine) == {"articles": 3, "stories": 3, "actors": 4, "quotes": 4, "events": 2, "ingest_errors": 0}


def test_migrations_are_recorded_and_reapplying_is_a_no_op(db_url: str) -> None:
    engine = open_db(db_url)
    open_db(db_url)
    with engine.connect() as conn:
        versions = [v for (v,) in conn.exec_driver_sql("SELECT version FROM schema_version ORDER BY version")]
        tables = set(inspect(conn).get_table_names())
    assert versions == list(range(1, CURRENT_VERSION + 1))
    assert {"articles", "quotes", "events", "actors", "ingest_errors", "ingest_journal"} <= tables


def test_one_actor_id_across_articles(db_url: str) -> None:
    engine = _load(db_url, corpus())
    khan = list_actors(engine, Filters(actor="Imran Khan")).items
    assert len(khan) == 1 and khan[0]["articles"] == 2 and khan[0]["quotes"] == 2
    quotes = list_quotes(engine, Filters(actor="imran khan"))
    assert {q["title"] for q in quotes.items} == {"Khan rejects claims", "Border stays open"}
    assert list_quotes(engine, Filters(actor=str(khan[0]["id"]))).total == 2


@pytest.mark.parametrize(("filters", "expected"), [
    (Filters(text="Taliban"), {"Khan rejects claims", "Border stays open"}),
    (Filters(text="taliban border"), {"Border stays open"}),
    (Filters(actor="Imran Khan"), {"Khan rejects claims", "Border stays open"}),
    (Filters(place="quetta"), {"Khan rejects claims"}),
    (Filters(country="AF"), {"Border stays open", "O'Brien's 100% budget"}),
    (Filters(type="aid"), {"Border stays open"}),
    (Filters(since="2021-08"), {"Border stays open", "O'Brien's 100% budget"}),
    (Filters(until="2021-08-12"), {"Khan rejects claims", "Border stays open"}),
    (Filters(since="2021-07-06", until="2021-08"), {"Border stays open", "O'Brien's 100% budget"}),
    (Filters(since="2021-07-06", until="2021-08-19"), {"Border stays open"}),
    (Filters(anonymous=True), {"Border stays open"}),
    (Filters(denial=True), {"Border stays open"}),
    (Filters(text="Pakistan", anonymous=False), {"Khan rejects claims", "Border stays open"}),
])
def test_article_filters(db_url: str, filters: Filters, expected: set[str]) -> None:
    engine = _load(db_url, corpus())
    page = search_articles(engine, filters)
    assert _titles(page) == expected
    assert page.total == len(expected)


def test_sql_and_search_syntax_in_data_and_queries_are_data(db_url: str) -> None:
    engine = _load(db_url, corpus())
    assert _titles(search_articles(engine, Filters(text="O'Brien"))) == {"O'Brien's 100% budget"}
    assert _titles(search_articles(engine, Filters(text="DROP TABLE articles;--"))) == {"O'Brien's 100% budget"}
    assert search_articles(engine, Filters(text="%")).total == 0
    assert search_articles(engine, Filters(text='" OR 1=1 --')).total == 0
    assert search_articles(engine, Filters(text="NEAR(taliban AND*")).total == 0  # FTS syntax is not parsed
    assert search_articles(engine, Filters(actor="%")).total == 0
    assert list_quotes(engine, Filters(actor="O'Brien")).items[0]["content"] == "100% of the budget was spent"
    assert counts(engine)["articles"] == 3  # the table is still there


def test_search_stems_words_on_both_engines(db_url: str) -> None:
    engine = _load(db_url, [make_record("Police said the kidnapping of two aid workers was planned for weeks.",
                                        title="Aid workers taken", published="2023-02-14"),
                            make_record("Talks resumed in Doha on Monday.", title="Talks", published="2023-02-15")])
    for words in ("kidnapped", "kidnaps", "Kidnapping", "worker"):
        assert _titles(search_articles(engine, Filters(text=words))) == {"Aid workers taken"}, words
    assert time_series(engine, Filters(text="kidnapped")) == [{"period": "2023-02-14", "count": 1}]
    # Stemming joins inflections of one word, never different words.
    assert search_articles(engine, Filters(text="planet")).items == []


def test_quote_and_event_filters(db_url: str) -> None:
    engine = _load(db_url, corpus())
    anonymous = list_quotes(engine, Filters(anonymous=True)).items
    assert [q["anonymity_reason"] for q in anonymous] == ["because he was not authorised to speak"]
    assert [q["cue_lemma"] for q in list_quotes(engine, Filters(denial=True)).items] == ["deny"]
    events = list_events(engine, Filters(type="ACCUSE")).items
    assert len(events) == 1 and events[0]["place_name"] == "Quetta" and events[0]["lat"] == pytest.approx(30.2)
    assert events[0]["day"] == "2021-07-04"  # the event's own date wins over publication
    assert list_events(engine, Filters(denial=True)).items[0]["type"] == "AID"
    assert list_events(engine, Filters(since="2021-08")).total == 1
    edges = actor_network(engine, Filters())
    assert [(e["source_name"], e["target_name"], e["type"], e["count"]) for e in edges] == [
        ("Pakistan", "Taliban", "AID", 1)]
    markers = {p["name"]: p for p in list_places(engine, Filters()).items}
    assert set(markers) == {"Islamabad", "Quetta", "Chaman", "Kabul"}
    f = facets(engine, Filters(text="Pakistan"))
    assert f["sources"] == {"anonymous": 1, "named": 2}
    assert f["actors"][0]["name"] in {"Imran Khan", "Pakistan"} and f["actors"][0]["count"] == 2


def test_pagination(db_url: str) -> None:
    engine = _load(db_url, corpus())
    first = search_articles(engine, Filters(), limit=2)
    second = search_articles(engine, Filters(), limit=2, offset=2)
    assert first.total == second.total == 3
    assert [i["title"] for i in first.items] == ["O'Brien's 100% budget", "Border stays open"]
    assert [i["title"] for i in second.items] == ["Khan rejects claims"]


def test_time_series_by_day_week_month(db_url: str) -> None:
    engine = _load(db_url, corpus())
    assert time_series(engine, Filters(), unit="month") == [{"period": "2021-07", "count": 1},
                                                            {"period": "2021-08", "count": 2}]
    assert time_series(engine, Filters(), unit="week") == [
        {"period": "2021-07-05", "count": 1}, {"period": "2021-08-09", "count": 1}, {"period": "2021-08-16", "count": 1}]
    assert time_series(engine, Filters(anonymous=True), unit="day") == [{"period": "2021-08-12", "count": 1}]
    assert time_series(engine, Filters(), unit="day", of="events") == [{"period": "2021-07-04", "count": 1},
                                                                       {"period": "2021-08-12", "count": 1}]
    assert sum(p["count"] for p in time_series(engine, Filters(), unit="month", of="quotes")) == 4


def test_wire_copies_are_grouped_into_one_story(db_url: str) -> None:
    story = " ".join(f"Sentence {i} of the wire story tells what the minister said about the border crossing."
                     for i in range(40))
    other = " ".join(f"Line {i}: floods in the south displaced farmers and closed schools for weeks." for i in range(40))
    original = make_record(story, title="original")
    new_lede = make_record("A new lede written by the local paper. " + story.split(". ", 2)[2], title="new lede")
    trimmed = make_record(story[: int(len(story) * 0.8)], title="trimmed")
    unrelated = make_record(other, title="unrelated")
    engine = _load(db_url, [original, new_lede, unrelated])
    with engine.begin() as conn:  # a later run still joins copies to the stored story
        write_records(conn, [trimmed], stories=StoryIndex())
    stories = {i["title"]: i["story_id"] for i in search_articles(engine, Filters()).items}
    assert stories["original"] == stories["new lede"] == stories["trimmed"]
    assert stories["unrelated"] != stories["original"]
    assert counts(engine)["stories"] == 2


def test_a_database_from_before_the_band_table_gets_its_bands(db_url: str) -> None:
    """Migration 7 fills story_bands from the stored signatures: copies still find stories stored before it."""
    story = " ".join(f"Sentence {i} of the wire story tells what the minister said about the border crossing."
                     for i in range(40))
    engine = _load(db_url, [make_record(story, title="original")])
    with engine.begin() as conn:  # the database as version 6 left it: signatures, no bands
        conn.exec_driver_sql("DROP TABLE story_bands")
        conn.exec_driver_sql("DELETE FROM schema_version WHERE version >= 7")  # 7 and every later one
    engine = open_db(db_url)
    with engine.begin() as conn:
        assert (conn.exec_driver_sql("SELECT count(*) FROM story_bands").scalar() or 0) > 0
        write_records(conn, [make_record(story[: int(len(story) * 0.8)], title="trimmed")], stories=StoryIndex())
    stories = {i["title"]: i["story_id"] for i in search_articles(engine, Filters()).items}
    assert stories["trimmed"] == stories["original"]


def test_exports(db_url: str, tmp_path: Path) -> None:
    engine = _load(db_url, corpus())
    assert export(engine, tmp_path / "r.jsonl", "jsonl", "records") == 3
    lines = [json.loads(x) for x in (tmp_path / "r.jsonl").read_text().splitlines()]
    assert {r["id"] for r in lines} == {r["id"] for r in corpus()}
    assert export(engine, tmp_path / "q.csv", "csv", "quotes") == 4
    assert (tmp_path / "q.csv").read_text().splitlines()[0].startswith("article_id,quote_id,")
    assert export(engine, tmp_path / "g.parquet", "parquet", "gdelt") == 2
    table = pq.read_table(tmp_path / "g.parquet").to_pylist()
    aid = next(r for r in table if r["EventType"] == "AID")
    assert (aid["Actor1Name"], aid["Actor2Name"], aid["IsNegated"]) == ("Pakistan", "Taliban", True)
    accuse = next(r for r in table if r["EventType"] == "ACCUSE")
    assert accuse["ActionGeo_Lat"] == pytest.approx(30.2) and accuse["Day"] == "2021-07-04"
    assert export(engine, tmp_path / "e.parquet", "parquet", "events") == 2
    assert pq.read_table(tmp_path / "e.parquet").num_rows == 2
