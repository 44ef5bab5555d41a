"""Event clusters on both engines: the written story's three happenings (convoy attack, protest, arrests), each
reported by several outlets, and what the reports disagree on."""

from __future__ import annotations

import csv
from pathlib import Path
from typing import Any

import pytest
from across_story import ENGINES, story_engine
from sqlalchemy import Engine, func, select

from dateline.store import schema
from dateline.store.across import read
from dateline.store.across.clusters import distance_km, places_agree, report_number
from dateline.store.export import export
from dateline.store.query import Filters, actor_network, time_series
from dateline.store.webqueries import event_places


@pytest.fixture(scope="module", params=ENGINES)
def story(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Engine:
    return story_engine(request, tmp_path_factory)


def _shared(engine: Engine, type: str) -> list[dict[str, Any]]:
    """Clusters of ``type`` reported by more than one article, with their reports."""
    page = read.list_clusters(engine, read.ClusterFilters(type=type, min_articles=2), limit=100)
    return [c for c in (read.get_cluster(engine, item["id"]) for item in page.items) if c is not None]


def _outlets(cluster: dict[str, Any]) -> set[tuple[str, str]]:
    return {(r["publisher"], r["published"]) for r in cluster["reports"]}


def test_the_arrests_are_one_event_whose_reports_disagree_on_the_number(story: Engine) -> None:
    [arrests] = _shared(story, "COERCE")
    assert _outlets(arrests) == {("Nile Dispatch", "2024-09-06"), ("Harbour Tribune", "2024-09-06")}
    assert arrests["numbers"] == [12, 15] and arrests["conflict"] is True
    assert (arrests["day"], arrests["articles"], arrests["outlets"]) == ("2024-09-06", 2, 2)


def test_the_convoy_attack_is_reported_by_two_outlets_with_six_and_nine_dead(story: Engine) -> None:
    attacks = _shared(story, "ASSAULT")
    assert attacks and all(_outlets(c) == {("Meridian Wire", "2024-09-02"), ("Sahel Courier", "2024-09-02")}
                           for c in attacks)
    assert any(c["numbers"] == [6, 9] and c["conflict"] for c in attacks)


def test_the_protest_is_one_event_of_two_outlets(story: Engine) -> None:
    [protest] = _shared(story, "PROTEST")
    assert _outlets(protest) == {("Harbour Tribune", "2024-09-04"), ("Meridian Wire", "2024-09-04")}
    assert protest["place_name"] == "El Fasher"


def test_other_happenings_stay_apart_and_every_event_has_one_cluster(story: Engine) -> None:
    V = schema.events
    with story.connect() as conn:
        assert conn.execute(select(func.count()).select_from(V).where(V.c.cluster_id.is_(None))).scalar_one() == 0
        nyala = conn.execute(select(V.c.cluster_id).where(V.c.place_name == "Nyala")).scalars().all()
        events = conn.execute(select(func.count()).select_from(V)).scalar_one()
        clusters = conn.execute(select(func.count(func.distinct(V.c.cluster_id)))).scalar_one()
    assert nyala and all(read.get_cluster(story, c)["articles"] == 1 for c in nyala)  # type: ignore[index]
    assert clusters < events
    for item in read.list_clusters(story, read.ClusterFilters(min_articles=2), limit=100).items:
        cluster = read.get_cluster(story, item["id"])
        assert cluster is not None
        by_article: dict[str, set[Any]] = {}
        for r in cluster["reports"]:
            by_article.setdefault(r["article_id"], set()).add(r["evidence_start"])
        assert all(len(starts) == 1 for starts in by_article.values())  # one report (sentence) per article


def test_rules() -> None:
    assert report_number("nine drivers", None) == 9 and report_number(None, "arrested 1,200 people") == 1200
    assert round(distance_km(13.628, 25.349, 14.2, 24.66)) in range(90, 100)  # El Fasher - Kutum
    city = {"place_name": "Kutum", "country": "SD", "admin1": "North Darfur", "feature": "city", "lat": 14.2, "lon": 24.66}
    province = {"place_name": "North Darfur", "country": "SD", "admin1": None, "feature": "admin1", "lat": 16, "lon": 25}
    far = {"place_name": "Nyala", "country": "SD", "admin1": "South Darfur", "feature": "city", "lat": 12.05, "lon": 24.88}
    assert places_agree(city, province) is True and places_agree(city, far) is False
    assert places_agree(city, {"place_name": None}) is None


def test_time_series_network_map_and_export_count_happenings_unless_asked_for_reports(story: Engine,
                                                                                     tmp_path: Path) -> None:
    happenings = {r["period"]: r["count"] for r in time_series(story, Filters(), of="events")}
    reports = {r["period"]: r["count"] for r in time_series(story, Filters(), of="events", count="reports")}
    V = schema.events
    with story.connect() as conn:
        per_day = dict(conn.execute(select(V.c.day, func.count(func.distinct(V.c.cluster_id))).group_by(V.c.day)).all())
        all_reports = dict(conn.execute(select(V.c.day, func.count()).group_by(V.c.day)).all())
    assert happenings == per_day and reports == all_reports
    assert happenings["2024-09-06"] < reports["2024-09-06"]
    places = {r["name"]: r["events"] for r in event_places(story, Filters())}
    reported = {r["name"]: r["events"] for r in event_places(story, Filters(), count_as="reports")}
    assert all(places[name] <= reported[name] for name in places) and places != reported
    assert sum(e["count"] for e in actor_network(story, Filters())) <= \
        sum(e["count"] for e in actor_network(story, Filters(), count="reports"))
    assert export(story, tmp_path / "g.csv", "csv", "gdelt") == sum(all_reports.values())
    with (tmp_path / "g.csv").open() as rows:
        table = list(csv.DictReader(rows))
    [arrests] = _shared(story, "COERCE")
    rows = [r for r in table if r["cluster_id"] == str(arrests["id"])]
    assert len(rows) == len(arrests["reports"]) >= 2 and {r["n_reports"] for r in rows} == {str(len(rows))}
