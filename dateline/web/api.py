"""The REST API under /api: read-only, every list paginated and available as JSON and CSV."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Annotated, Any, Literal

from fastapi import APIRouter, HTTPException, Path, Query
from fastapi.responses import JSONResponse, Response
from sqlalchemy import Engine

from dateline.store import periods, query, webqueries
from dateline.web.cache import aggregates
from dateline.web.deps import ARTICLE_ID, Eng, F, Suffix
from dateline.web.formats import pick_format, respond
from dateline.web.params import ActorId, FormatParam, Limit, Offset

log = logging.getLogger(__name__)
router = APIRouter(prefix="/api", tags=["api"])
UnitParam = Annotated[Literal["day", "week", "month"], Query(description="Period of each count.")]
CountParam = Annotated[Literal["clusters", "reports"], Query(
    description="Events counted once per happening (clusters of reports, the default) or once per report.")]


def listing(path: str) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Register a GET endpoint at ``path`` and its ``path.json`` / ``path.csv`` twin."""
    def register(endpoint: Callable[..., Any]) -> Callable[..., Any]:
        router.add_api_route(path + ".{suffix}", endpoint, methods=["GET"], include_in_schema=False)
        router.add_api_route(path, endpoint, methods=["GET"])
        return endpoint
    return register


@router.get("/counts")
def counts(engine: Eng) -> dict[str, int]:
    """How many articles, stories, actors, quotes, events and ingest errors the knowledge base holds."""
    return aggregates.get(engine, query.Filters(), "counts", lambda: query.counts(engine))


@listing("/search")
def search(engine: Eng, f: F, suffix: Suffix, limit: Limit = 20, offset: Offset = 0,
           fmt: FormatParam = "json") -> Response:
    """Articles matching the filters, newest first, each with a snippet."""
    return respond(query.search_articles(engine, f, limit=limit, offset=offset), pick_format(suffix, fmt),
                   name="articles")


@router.get("/articles/{article_id}")
@router.get("/articles/{article_id}.json", include_in_schema=False)  # registered first: the plain route would match
def article(engine: Eng, article_id: Annotated[str, Path(pattern=ARTICLE_ID)]) -> JSONResponse:
    """The full record of one article (shared/spec/record.md), with its story id."""
    record = query.get_article(engine, article_id)
    if record is None:
        raise HTTPException(404, "no such article")
    return JSONResponse(record)


@listing("/quotes")
def quotes(engine: Eng, f: F, suffix: Suffix, limit: Limit = 50, offset: Offset = 0,
           fmt: FormatParam = "json") -> Response:
    """Quotes with their speaker (anonymous flag and reason), newest articles first."""
    return respond(query.list_quotes(engine, f, limit=limit, offset=offset), pick_format(suffix, fmt), name="quotes")


@listing("/events")
def events(engine: Eng, f: F, suffix: Suffix, limit: Limit = 50, offset: Offset = 0, fmt: FormatParam = "json",
           source_actor_id: ActorId = None, target_actor_id: ActorId = None) -> Response:
    """Events (PLOVER type, source and target, place, date, evidence sentence), newest first."""
    page = query.list_events(engine, f, limit=limit, offset=offset, source_actor_id=source_actor_id,
                             target_actor_id=target_actor_id)
    return respond(page, pick_format(suffix, fmt), name="events")


@listing("/actors")
def actors(engine: Eng, f: F, suffix: Suffix, limit: Limit = 50, offset: Offset = 0,
           fmt: FormatParam = "json") -> Response:
    """Actors in matching articles (one id across articles) with article, mention and quote counts."""
    return respond(query.list_actors(engine, f, limit=limit, offset=offset), pick_format(suffix, fmt), name="actors")


@listing("/places")
def places(engine: Eng, f: F, suffix: Suffix, limit: Limit = 100, offset: Offset = 0,
           fmt: FormatParam = "json") -> Response:
    """Places named in matching articles, with position and article counts (the map's place markers)."""
    page = aggregates.get(engine, f, ("places", limit, offset),
                          lambda: query.list_places(engine, f, limit=limit, offset=offset))
    return respond(page, pick_format(suffix, fmt), name="places")


@listing("/event-places")
def event_places(engine: Eng, f: F, suffix: Suffix, limit: Limit = 500, fmt: FormatParam = "json",
                 count: CountParam = "clusters") -> Response:
    """Where matching events happened: one row per place with its event count (the map's event markers)."""
    rows = aggregates.get(engine, f, ("event-places", limit, count),
                          lambda: webqueries.event_places(engine, f, limit=limit, count_as=count))
    return respond(rows, pick_format(suffix, fmt), name="event-places")


@listing("/facets")
def facets(engine: Eng, f: F, suffix: Suffix, top: Annotated[int, Query(ge=1, le=100)] = 10,
           fmt: FormatParam = "json") -> Response:
    """Counts beside a search: top actors, places, event types; named and anonymous quotes."""
    data = aggregates.get(engine, f, ("facets", top), lambda: query.facets(engine, f, top=top))
    if pick_format(suffix, fmt) == "csv":
        rows = [{"facet": kind, "value": row.get("name") or row.get("type"), "id": row.get("id"),
                 "country": row.get("country"), "count": row["count"]}
                for kind in ("actors", "places", "types") for row in data[kind]]
        rows += [{"facet": "sources", "value": k, "count": v} for k, v in data["sources"].items()]
        return respond(rows, "csv", name="facets")
    return respond(data, "json", name="facets")


@listing("/timeseries")
def timeseries(engine: Eng, f: F, suffix: Suffix, unit: UnitParam = "day",
               of: Annotated[Literal["articles", "quotes", "events"], Query(description="What to count.")] = "articles",
               fmt: FormatParam = "json", count: CountParam = "clusters") -> Response:
    """Counts per day, week (its Monday) or month of articles, quotes or events matching the filters."""
    rows = aggregates.get(engine, f, ("timeseries", unit, of, count),
                          lambda: query.time_series(engine, f, unit=unit, of=of, count=count))
    return respond(rows, pick_format(suffix, fmt), name=f"{of}-per-{unit}")


@listing("/attention")
def attention(engine: Eng, f: F, suffix: Suffix, unit: UnitParam = "day", fmt: FormatParam = "json") -> Response:
    """Matching articles per period, all articles per period, and the share (attention over time)."""
    everything = aggregates.get(engine, query.Filters(), ("timeseries", unit, "articles"),
                                lambda: query.time_series(engine, query.Filters(), unit=unit, of="articles"))
    rows = aggregates.get(engine, f, ("attention", unit),
                          lambda: webqueries.attention(engine, f, unit=unit, everything=everything))
    return respond(rows, pick_format(suffix, fmt), name=f"attention-per-{unit}")


@listing("/network")
def network(engine: Eng, f: F, suffix: Suffix, limit: Annotated[int, Query(ge=1, le=1000)] = 200,
            fmt: FormatParam = "json", count: CountParam = "clusters") -> Response:
    """Weighted actor network: (source actor, PLOVER type, target actor, event count), heaviest first."""
    edges = aggregates.get(engine, f, ("network", limit, count),
                           lambda: query.actor_network(engine, f, limit=limit, count=count))
    return respond(edges, pick_format(suffix, fmt), name="network")


def warm_aggregates(engine: Engine) -> None:
    """Compute the unfiltered answers the front pages ask for (search, chart, map, network) into the
    cache, so the first visitor after a start does not wait seconds for them. Run in a thread."""
    everything = query.Filters()
    try:
        counts(engine)
        facets(engine, everything, None, top=10, fmt="json")
        attention(engine, everything, None, unit="day", fmt="json")
        places(engine, everything, None, limit=500, offset=0, fmt="json")
        event_places(engine, everything, None, limit=500, fmt="json")
        network(engine, everything, None, limit=200, fmt="json")
        periods.published_columns.get(engine)
        if engine.dialect.name == "postgresql":
            periods.article_keys.get(engine)  # the id -> seq map of text searches with other filters
    except Exception:  # a cold cache is slower, never wrong: requests compute what is missing
        log.exception("warming the aggregate cache failed")
