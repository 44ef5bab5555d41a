"""Queries past COUNT_CAP matches (the plans chosen for many matches) give the rows plain SQL gives."""

from __future__ import annotations

import functools
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from kb_records import event, make_record
from sqlalchemy import Engine, func, select, text

from dateline.store import open_db, schema
from dateline.store.query import (
    COUNT_CAP,
    Filters,
    Unit,
    _next_period,
    facets,
    list_places,
    sample_matching_ids,
    search_articles,
    time_series,
)
from dateline.store.write import write_records

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO / "scripts"))

from make_corpus import build_db  # noqa: E402

A = schema.articles
N_ARTICLES = 1300


@pytest.fixture
def big(db_url: str) -> Engine:
    engine, _ = build_db(db_url, N_ARTICLES, seed_records=400)
    return engine


def _reference_ids(engine: Engine, where: Any) -> list[str]:
    """Every matching id newest first, by the plainest query (no plan choice, no cap)."""
    newest = (A.c.published.desc().nulls_last(), A.c.seq.desc())
    with engine.connect() as conn:
        return list(conn.execute(select(A.c.id).where(where).order_by(*newest)).scalars())


def _with_word(engine: Engine, word: str) -> Any:
    """Articles holding every word of ``word`` (one condition per call: two would share a bound name)."""
    if engine.dialect.name == "sqlite":
        every_word = " ".join(f'"{w}"' for w in word.split())
        return A.c.seq.in_(select(text("rowid")).select_from(text("articles_fts"))
                           .where(text("articles_fts MATCH :w").bindparams(w=every_word)))
    return text("articles.tsv @@ plainto_tsquery('english', :w)").bindparams(w=word)


@pytest.mark.slow
def test_pages_and_capped_totals_past_the_cap(big: Engine) -> None:
    # "Report" opens every generated body: every article matches, so every plan for many matches runs.
    everything = _reference_ids(big, _with_word(big, "Report"))
    assert len(everything) == N_ARTICLES
    first = search_articles(big, Filters(text="Report"), limit=20)
    later = search_articles(big, Filters(text="Report"), limit=20, offset=600)
    assert [a["id"] for a in first.items] == everything[:20]
    assert [a["id"] for a in later.items] == everything[600:620]
    assert (first.total, first.extra["total_is_lower_bound"]) == (COUNT_CAP, True)

    dated = Filters(text="Report", since="2021-03", until="2022-02")
    in_range = [i for i in everything if i in set(_reference_ids(
        big, (A.c.published >= "2021-03") & (func.substr(A.c.published, 1, 7) <= "2022-02")))]
    page = search_articles(big, dated, limit=50)
    assert [a["id"] for a in page.items] == in_range[:50]
    assert page.total <= len(in_range)
    assert page.total == len(in_range) or page.extra["total_is_lower_bound"]


@pytest.mark.slow
def test_text_search_with_other_filters_pages_like_sql_with_an_exact_total(big: Engine) -> None:
    accused = A.c.id.in_(select(schema.events.c.article_id).where(schema.events.c.type == "ACCUSE"))
    in_range = (A.c.published >= "2020-03") & (func.substr(A.c.published, 1, 7) <= "2022-02")
    expected = _reference_ids(big, _with_word(big, "Report") & accused & in_range)
    assert 30 < len(expected) < N_ARTICLES
    typed = Filters(text="Report", type="accuse", since="2020-03", until="2022-02")
    first = search_articles(big, typed, limit=10)
    later = search_articles(big, typed, limit=10, offset=20)
    assert [a["id"] for a in first.items] == expected[:10]
    assert [a["id"] for a in later.items] == expected[20:30]
    assert (first.total, first.extra["total_is_lower_bound"]) == (len(expected), False)
    assert all(a["snippet"] for a in first.items)


@pytest.mark.slow
def test_facets_and_filtered_places_count_a_sample_when_many_match(big: Engine) -> None:
    many = facets(big, Filters(text="Report"))
    assert many["sample"] is True and many["articles_counted"] == 1000
    assert sum(t["count"] for t in many["types"]) == 1000  # one event per generated article
    few = facets(big, Filters(text="Report", until="2020-03"))
    assert few["sample"] is False
    places = list_places(big, Filters(text="Report"), limit=100)
    assert places.extra["sample"] is True
    assert sum(p["articles"] for p in places.items) == 2 * 1000  # two places per generated article


@pytest.mark.slow
def test_facet_samples_are_the_most_recently_stored_matches(big: Engine) -> None:
    accused = A.c.id.in_(select(schema.events.c.article_id).where(schema.events.c.type == "ACCUSE"))
    cases = [(Filters(text="Belarus Mali"), _with_word(big, "Belarus Mali")),
             (Filters(text="Report", type="ACCUSE"), _with_word(big, "Report") & accused),
             (Filters(text="Belarus", since="2021"), _with_word(big, "Belarus") & (A.c.published >= "2021"))]
    for filters, where in cases:
        with big.connect() as conn:
            expected = list(conn.execute(select(A.c.id).where(where).order_by(A.c.seq.desc())).scalars())
        assert len(expected) > 50
        assert sample_matching_ids(big, filters, 50) == (expected[:50], True)
        assert sample_matching_ids(big, filters, len(expected)) == (expected, False)


def test_until_bound_is_the_next_period() -> None:
    assert _next_period("2021-08") == "2021-09"
    assert _next_period("2021-12") == "2022-01"
    assert _next_period("2021-12-31") == "2022-01-01"
    assert _next_period("2021") == "2022"
    assert _next_period("2021-13") is None
    assert _next_period("soon") is None


def _reference_series(engine: Engine, where: Any, width: int) -> list[dict[str, Any]]:
    """Matching articles per period by a plain GROUP BY (the SQL the in-process count replaces)."""
    period = func.substr(A.c.published, 1, width)
    query = (select(period, func.count()).where(where, func.length(A.c.published) >= width)
             .group_by(period).order_by(period))
    with engine.connect() as conn:
        return [{"period": p, "count": int(n)} for p, n in conn.execute(query)]


@pytest.mark.slow
def test_text_time_series_counted_in_process_equals_sql(big: Engine) -> None:
    word = _with_word(big, "Report")
    in_range = (A.c.published >= "2021-03") & (func.substr(A.c.published, 1, 7) <= "2022-02")
    units: tuple[tuple[Unit, int], ...] = (("day", 10), ("month", 7))
    for unit, width in units:
        assert time_series(big, Filters(text="Report"), unit=unit) == _reference_series(big, word, width)
        dated = Filters(text="Report", since="2021-03", until="2022-02")
        assert time_series(big, dated, unit=unit) == _reference_series(big, word & in_range, width)
    typed = Filters(text="Report", type="ACCUSE")
    accused = A.c.id.in_(select(schema.events.c.article_id).where(schema.events.c.type == "ACCUSE"))
    expected = _reference_series(big, word & accused, 7)
    assert 0 < sum(r["count"] for r in expected) < N_ARTICLES
    assert time_series(big, typed, unit="month") == expected
    weeks = time_series(big, Filters(text="Report"), unit="week")
    assert sum(r["count"] for r in weeks) == sum(r["count"] for r in _reference_series(big, word, 10))
    assert time_series(big, Filters(text="nosuchwordanywhere")) == []


def test_text_search_with_a_type_puts_undated_articles_last_and_sees_new_ones(db_url: str) -> None:
    def accused(body: str, published: str | None) -> dict[str, Any]:
        return make_record(body, published=published, events=[event("v1", body, "ACCUSE", body, source=None,
                                                                          target=None)])

    engine = open_db(db_url)
    with engine.begin() as conn:
        write_records(conn, [accused("Officials accused the floods agency.", None),
                             accused("Villagers accused floods planners.", "2022-08-29"),
                             accused("Nobody accused anyone of anything.", "2022-09-01"),
                             make_record("Floods without an event.", published="2022-09-03")])
    typed = Filters(text="floods", type="ACCUSE")
    assert [a["published"] for a in search_articles(engine, typed).items] == ["2022-08-29", None]
    with engine.begin() as conn:
        write_records(conn, [accused("Floods were accused again.", "2022-08-30")])
    page = search_articles(engine, typed)
    assert [a["published"] for a in page.items] == ["2022-08-30", "2022-08-29", None]
    assert page.total == 3
    dated = search_articles(engine, Filters(text="floods", type="ACCUSE", until="2022-08"))
    assert [a["published"] for a in dated.items] == ["2022-08-30", "2022-08-29"]


def test_text_time_series_sees_articles_stored_after_the_first_count(db_url: str) -> None:
    engine = open_db(db_url)
    with engine.begin() as conn:
        write_records(conn, [make_record("Floods reached Sukkur on Monday.", published="2022-08-29")])
    assert time_series(engine, Filters(text="floods")) == [{"period": "2022-08-29", "count": 1}]
    with engine.begin() as conn:
        write_records(conn, [make_record("More floods hit Sukkur, officials said.", published="2022-09-02"),
                             make_record("An undated note on floods.", published=None)])
    assert time_series(engine, Filters(text="floods"), unit="month") == [{"period": "2022-08", "count": 1},
                                                                          {"period": "2022-09", "count": 1}]


TEXT_FILTERS = [Filters(), Filters(type="ASSAULT"), Filters(actor="Taliban", text="border"), Filters(text="border"), Filters(text="Report"), Filters(text="border", type="ASSAULT"),
                Filters(text="border", anonymous=True), Filters(text="Report", anonymous=False, denial=False),
                Filters(text="border", since="2021-01", until="2022-06"), Filters(text="Taliban", type="accuse"),
                Filters(text="border", country="PK"), Filters(text="nosuchwordanywhere")]


def _by_sql(monkeypatch: pytest.MonkeyPatch, ask: Any) -> Any:
    """``ask()`` answered by the SQL path (the articles of a text filter joined, not listed in process)."""
    from dateline.store import childrows

    with monkeypatch.context() as patch:
        patch.setattr(childrows, "answers", lambda *args, **kwargs: False)
        return ask()


@pytest.mark.slow
def test_text_filtered_quotes_events_and_series_in_process_equal_sql(big: Engine,
                                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    from dateline.store.query import actor_network, list_actors, list_events, list_quotes
    from dateline.store.webqueries import event_places

    by_place = functools.partial(sorted, key=lambda r: (r["name"] or "", r["country"] or ""))
    asked = 0
    for f in TEXT_FILTERS:
        questions: list[Callable[[], Any]] = [
            lambda f=f: search_articles(big, f, limit=9, offset=3).as_dict() if f.text else None,
            functools.partial(time_series, big, f, unit="month", of="articles"),
            functools.partial(sample_matching_ids, big, f, 50),
            lambda f=f: facets(big, f),
            functools.partial(actor_network, big, f),
            functools.partial(actor_network, big, f, limit=3, count="reports"),
            lambda f=f: list_actors(big, f, limit=3, offset=0).as_dict(),
            lambda f=f: list_actors(big, f, limit=50, offset=2).as_dict(),
            lambda f=f: list_quotes(big, f, limit=7, offset=0).as_dict(),
            lambda f=f: list_quotes(big, f, limit=20, offset=13).as_dict(),
            lambda f=f: list_events(big, f, limit=7, offset=0).as_dict(),
            lambda f=f: list_events(big, f, limit=25, offset=30).as_dict(),
            functools.partial(time_series, big, f, unit="week", of="quotes"),
            functools.partial(time_series, big, f, unit="month", of="events"),
            functools.partial(time_series, big, f, unit="day", of="events", count="reports"),
            lambda f=f: by_place(event_places(big, f)),
            lambda f=f: by_place(event_places(big, f, count_as="reports")),
        ]
        for ask in questions:
            got, expected = ask(), _by_sql(monkeypatch, ask)
            if isinstance(got, list) and got and "lat" in got[0]:  # means: equal to float rounding
                for row in got + expected:
                    row["lat"], row["lon"] = round(row["lat"], 6), round(row["lon"], 6)
            assert got == expected, f
            asked += bool(got["items"] if isinstance(got, dict) and "items" in got else got)
    assert asked > 100  # most questions found something: the comparison is not of empty answers


def test_kept_arrays_refresh_in_the_background_and_at_once_when_an_article_is_added(db_url: str) -> None:
    import threading

    from dateline.store.periods import PerEngine

    engine = open_db(db_url)
    reads: list[int] = []
    release = threading.Event()

    class Kept:
        def __init__(self, newest: int) -> None:
            self.newest, self.made_at = newest, time.monotonic()

    def read(conn: Any, newest: int) -> Kept:
        reads.append(newest)
        if len(reads) == 2:
            release.wait(10)  # the background read, held until the test has been answered
        return Kept(newest)

    kept = PerEngine(read, ttl=0.0)  # every value is past its ttl at once
    first = kept.get(engine)
    assert kept.get(engine) is first  # answered from the stale value …
    release.set()
    deadline = time.monotonic() + 10
    while len(reads) < 2 and time.monotonic() < deadline:
        time.sleep(0.01)
    while kept.get(engine) is first and time.monotonic() < deadline:  # … then the refreshed one is kept
        time.sleep(0.01)
    assert len(reads) >= 2
    with engine.begin() as conn:
        write_records(conn, [make_record("A new story about the border crossing, added after the first read.")])
    after = kept.get(engine)
    assert after.newest > first.newest  # an added article is read at once, never answered stale
