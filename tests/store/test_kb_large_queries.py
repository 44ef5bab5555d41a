"""Queries past COUNT_CAP matches (the plans chosen for many matches) give the rows plain SQL gives."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine, func, select, text

from dateline.store import schema
from dateline.store.query import COUNT_CAP, Filters, _next_period, facets, list_places, search_articles

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
    if engine.dialect.name == "sqlite":
        return A.c.seq.in_(select(text("rowid")).select_from(text("articles_fts"))
                           .where(text("articles_fts MATCH :w").bindparams(w=f'"{word}"')))
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
def test_facets_and_filtered_places_count_a_sample_when_many_match(big: Engine) -> None:
    many = facets(big, Filters(text="Report"))
    assert many["sample"] is True and many["articles_counted"] == 1000
    assert sum(t["count"] for t in many["types"]) == 1000  # one event per generated article
    few = facets(big, Filters(text="Report", until="2020-03"))
    assert few["sample"] is False
    places = list_places(big, Filters(text="Report"), limit=100)
    assert places.extra["sample"] is True
    assert sum(p["articles"] for p in places.items) == 2 * 1000  # two places per generated article


def test_until_bound_is_the_next_period() -> None:
    assert _next_period("2021-08") == "2021-09"
    assert _next_period("2021-12") == "2022-01"
    assert _next_period("2021-12-31") == "2022-01-01"
    assert _next_period("2021") == "2022"
    assert _next_period("2021-13") is None
    assert _next_period("soon") is None
