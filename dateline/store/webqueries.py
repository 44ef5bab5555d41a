"""Read queries the web app needs beyond ``query.py``: attention over time and event markers for the map.

Same rules as ``query.py``: an Engine and a ``Filters`` in, JSON-ready dicts out, every value bound.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Engine, func, select

from dateline.store import schema
from dateline.store.query import EventCount, Filters, Unit, _event_conditions, event_count, one_answer, time_series

A, V = schema.articles, schema.events


def attention(engine: Engine, f: Filters, *, unit: Unit = "day",
              everything: list[dict[str, Any]] | None = None) -> list[dict[str, Any]]:
    """Matching articles per period beside all articles of that period, and their share (0..1).

    Periods with articles but no match are kept (count 0), so a chart shows the gaps. ``everything``
    is ``time_series(engine, Filters(), unit=unit)`` when the caller has it at hand (cached).
    """
    matching = {row["period"]: row["count"] for row in time_series(engine, f, unit=unit, of="articles")}
    if everything is None:
        everything = time_series(engine, Filters(), unit=unit, of="articles")
    first, last = (min(matching), max(matching)) if matching else (None, None)
    rows = []
    for row in everything:
        period, total = row["period"], row["count"]
        if first is None or not first <= period <= last:  # type: ignore[operator]
            continue
        count = matching.get(period, 0)
        rows.append({"period": period, "count": count, "all": total, "share": round(count / total, 6) if total else 0.0})
    return rows


@one_answer
def event_places(engine: Engine, f: Filters, *, limit: int = 500, count_as: EventCount = "clusters"
                 ) -> list[dict[str, Any]]:
    """Map markers for events: one per place (name and country) with its mean position and event count
    (happenings, or every report with ``count_as="reports"``)."""
    count = event_count(count_as).label("events")
    from dateline.store import childrows

    if childrows.answers(f, childrows.EVENT_FILTERS_HERE):  # a text filter: grouped in process
        rows, keep = childrows.matching_events(engine, f)
        return childrows.event_places(rows, keep, max(1, min(limit, 5000)), count_as)
    query = (select(V.c.place_name.label("name"), V.c.country, func.avg(V.c.lat).label("lat"),
                    func.avg(V.c.lon).label("lon"), count,
                    func.count(func.distinct(V.c.article_id)).label("articles"))
             .join(A, A.c.id == V.c.article_id)
             .where(*_event_conditions(engine, f), V.c.lat.is_not(None), V.c.lon.is_not(None))
             .group_by(V.c.place_name, V.c.country)
             .order_by(count.desc(), V.c.place_name)
             .limit(max(1, min(limit, 5000))))
    with engine.connect() as conn:
        return [dict(row) for row in conn.execute(query).mappings()]


__all__ = ["attention", "event_places"]
