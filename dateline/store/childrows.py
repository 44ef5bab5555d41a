"""Quotes and events with a text filter, answered in process: the few columns the filters and orders need,
kept per engine beside ``periods.published_columns``.

A common word matches most of the knowledge base ("border": 77 % of the 100,000 generated articles), so
``quotes?q=border`` joined 77,000 articles' quotes and sorted them (0.4-2.5 s). The full-text index lists
the matching articles (``query.matching_seqs``, as for article searches), numpy keeps their quotes or
events that pass the other filters, orders them and counts them; the database then reads only the rows of
the page (the articles it needs by id). Stored rows are never rewritten, only added with new articles, so
the arrays stay right until ``max(articles.seq)`` moves (``periods.PerEngine``).
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt
from sqlalchemy import Connection, select

from dateline.store import periods, schema

Q, V, E, ACT = schema.quotes, schema.events, schema.entities, schema.actors
Seqs = periods.Seqs
Mask = npt.NDArray[np.bool_]
NONE = -1


def _article_seqs(conn: Connection, newest: int, article_ids: list[str]) -> Seqs:
    """The ``seq`` of each article id (NONE when unknown), in order."""
    keys = periods._read_keys(conn, newest)
    if not article_ids or not len(keys.ids):
        return np.full(len(article_ids), NONE, dtype=np.int64)
    wanted = np.array([i.encode() for i in article_ids], dtype=keys.ids.dtype)
    at = np.minimum(np.searchsorted(keys.ids, wanted), len(keys.ids) - 1)
    return np.where(keys.ids[at] == wanted, keys.seq_of_id[at], NONE)


def _codes(values: list[Any]) -> tuple[list[Any], npt.NDArray[np.int32]]:
    """(distinct values in sorted order, the index of each value): None sorts first."""
    distinct = sorted(set(values), key=_none_first)
    index = {v: i for i, v in enumerate(distinct)}
    return distinct, np.fromiter((index[v] for v in values), dtype=np.int32, count=len(values))


def _none_first(value: Any) -> Any:
    """A sort key with None before any value, also inside tuples ((None, "IQ") beside ("Mosul", "IQ"))."""
    return tuple(_none_first(v) for v in value) if isinstance(value, tuple) else (value is not None, value)


@dataclass(frozen=True, slots=True)
class QuoteRows:
    newest: int
    article_seq: Seqs
    anonymous: Mask
    denial: Mask
    speaker_actor_id: Seqs  # NONE: no actor
    made_at: float

    def matching(self, articles: Seqs, anonymous: bool | None, denial: bool | None) -> Mask:
        keep = _among_sorted(self.article_seq, articles)
        if anonymous is not None:
            keep &= self.anonymous == anonymous
        if denial is not None:
            keep &= self.denial == denial
        return keep


@dataclass(frozen=True, slots=True)
class EventRows:
    newest: int
    article_seq: Seqs
    types: list[str | None]
    type_code: npt.NDArray[np.int32]
    days: list[str | None]  # distinct ``day`` values, sorted (None first)
    day_code: npt.NDArray[np.int32]
    negated: Mask
    lat: npt.NDArray[np.float64]
    lon: npt.NDArray[np.float64]
    places: list[tuple[str | None, str | None]]  # distinct (place_name, country), sorted
    place_code: npt.NDArray[np.int32]
    cluster_id: Seqs  # the happening it reports (store/across), NONE when not clustered yet
    source_actor_id: Seqs  # NONE: none
    target_actor_id: Seqs
    made_at: float

    def counted(self, rows: npt.NDArray[np.int64], groups: npt.NDArray[np.int64], n: int, count: str
                ) -> npt.NDArray[np.int64]:
        """Events per group (``groups[i]`` in 0..n-1 for ``rows[i]``): every report, or (``clusters``) each
        happening once per group and each event not clustered yet once, as ``query.event_count`` counts."""
        if count == "reports":
            return np.bincount(groups, minlength=n).astype(np.int64)
        clusters = self.cluster_id[rows]
        alone = clusters == NONE
        pairs = _distinct((groups[~alone] << 40) | clusters[~alone])
        return (np.bincount(groups[alone], minlength=n) + np.bincount(pairs >> 40, minlength=n)).astype(np.int64)

    def matching(self, articles: Seqs, *, type: str | None, since: str | None, until: str | None,
                 denial: bool | None) -> Mask:
        keep = _among_sorted(self.article_seq, articles)
        if type:
            wanted = type.upper()
            keep &= np.isin(self.type_code, [i for i, t in enumerate(self.types) if t == wanted])
        if since or until:
            kept = [i for i, d in enumerate(self.days) if d is not None and (not since or d >= since)
                    and (not until or d[:len(until)] <= until)]
            keep &= np.isin(self.day_code, kept)
        if denial is not None:
            keep &= self.negated == denial
        return keep

    def day_values(self, rows: npt.NDArray[np.int64], width: int, count: str) -> list[tuple[str, int]]:
        """(period, events) of the events ``rows`` by their ``day``: its first ``width`` characters."""
        periods = sorted({d[:width] for d in self.days if d is not None and len(d) >= width})
        period_of_day = np.array([periods.index(d[:width]) if d is not None and len(d) >= width else NONE
                                  for d in self.days] or [NONE], dtype=np.int64)
        groups = period_of_day[self.day_code[rows]]
        dated = groups != NONE
        per_period = self.counted(rows[dated], groups[dated], len(periods), count)
        return [(p, int(n)) for p, n in zip(periods, per_period.tolist(), strict=True) if n]


def _among_sorted(values: Seqs, seqs: Seqs) -> Mask:
    """``np.isin(values, seqs)`` for article seqs (``values`` may hold NONE): a lookup in a dense mask."""
    return _dense(seqs, int(max(values.max(initial=0), seqs.max(initial=0))))[values]


def _distinct(values: npt.NDArray[np.int64]) -> npt.NDArray[np.int64]:
    """``np.unique(values)`` by a sort (numpy's hashing unique took 10 times longer on 100,000 values)."""
    ordered = np.sort(values)
    return ordered[np.concatenate(([True], ordered[1:] != ordered[:-1]))] if len(ordered) else ordered


def _dense(seqs: Seqs, newest: int) -> Mask:
    """A mask over seq 0..newest (and one slot more, always False, that NONE = -1 reads)."""
    mask = np.zeros(newest + 2, dtype=bool)
    mask[seqs[(seqs >= 0) & (seqs <= newest)]] = True
    return mask


def _read_quotes(conn: Connection, newest: int) -> QuoteRows:
    rows = conn.execute(select(Q.c.article_id, Q.c.anonymous, Q.c.denial, Q.c.speaker_actor_id)).all()
    return QuoteRows(newest, _article_seqs(conn, newest, [r[0] for r in rows]),
                     np.array([bool(r[1]) for r in rows], dtype=bool), np.array([bool(r[2]) for r in rows], dtype=bool),
                     np.array([NONE if r[3] is None else r[3] for r in rows], dtype=np.int64), time.monotonic())


@dataclass(frozen=True, slots=True)
class EntityRows:
    """Every (article, actor) row of ``entities`` with its mention count, and the actors themselves."""

    newest: int
    article_seq: Seqs
    actor_id: Seqs
    mention_count: Seqs
    actors: dict[int, tuple[str, str | None, str | None, str | None, str | None]]  # id -> name, type, role, …
    made_at: float


def _read_entities(conn: Connection, newest: int) -> EntityRows:
    rows = conn.execute(select(E.c.article_id, E.c.actor_id, E.c.mention_count)).all()
    actors = {int(r[0]): tuple(r[1:]) for r in conn.execute(select(ACT.c.id, ACT.c.name, ACT.c.type, ACT.c.role,
                                                                   ACT.c.country, ACT.c.actor_code))}
    return EntityRows(newest, _article_seqs(conn, newest, [r[0] for r in rows]),
                      np.array([r[1] for r in rows], dtype=np.int64), np.array([r[2] or 0 for r in rows], dtype=np.int64),
                      actors, time.monotonic())  # type: ignore[arg-type]


def _read_events(conn: Connection, newest: int) -> EventRows:
    rows = conn.execute(select(V.c.article_id, V.c.type, V.c.day, V.c.negated, V.c.lat, V.c.lon, V.c.place_name,
                               V.c.country, V.c.cluster_id, V.c.source_actor_id, V.c.target_actor_id)).all()
    types, type_code = _codes([r[1] for r in rows])
    days, day_code = _codes([r[2] for r in rows])
    places, place_code = _codes([(r[6], r[7]) for r in rows])
    lat = np.array([np.nan if r[4] is None else r[4] for r in rows], dtype=np.float64)
    lon = np.array([np.nan if r[5] is None else r[5] for r in rows], dtype=np.float64)
    cluster, source, target = (np.array([NONE if r[k] is None else r[k] for r in rows], dtype=np.int64)
                               for k in (8, 9, 10))
    return EventRows(newest, _article_seqs(conn, newest, [r[0] for r in rows]), types, type_code, days, day_code,
                     np.array([bool(r[3]) for r in rows], dtype=bool), lat, lon, places, place_code, cluster, source,
                     target, time.monotonic())


def page_articles(order_key: npt.NDArray[np.int64], article_seq: Seqs, n: int) -> Seqs:
    """The articles holding the first ``n`` rows by ``order_key`` descending (ties kept whole): a page of
    rows ordered by (key, then anything within one article) lies among their rows."""
    if n < len(order_key):
        cut = -np.partition(-order_key, n - 1)[n - 1]
        article_seq = article_seq[order_key >= cut]
    return _distinct(article_seq)


def event_places(rows: EventRows, keep: Mask, limit: int, count: str) -> list[dict[str, Any]]:
    """Map markers of the events ``keep`` that have a position: per (place name, country), as
    ``webqueries.event_places`` groups them in SQL (events desc, then name)."""
    keep = keep & ~np.isnan(rows.lat) & ~np.isnan(rows.lon)
    codes = rows.place_code[keep]
    n = len(rows.places)
    reports = np.bincount(codes, minlength=n)
    events = rows.counted(np.flatnonzero(keep), codes.astype(np.int64), n, count)
    lat = np.bincount(codes, weights=rows.lat[keep], minlength=n)  # the mean over every report, as avg() in SQL
    lon = np.bincount(codes, weights=rows.lon[keep], minlength=n)
    pairs = _distinct(codes.astype(np.int64) << 40 | rows.article_seq[keep])
    articles = np.bincount((pairs >> 40).astype(np.int64), minlength=n)
    found = np.flatnonzero(reports)
    order = sorted(found.tolist(), key=lambda i: (-int(events[i]), rows.places[i][0] is not None,
                                                   rows.places[i][0] or ""))
    return [{"name": rows.places[i][0], "country": rows.places[i][1], "lat": float(lat[i] / reports[i]),
             "lon": float(lon[i] / reports[i]), "events": int(events[i]), "articles": int(articles[i])}
            for i in order[:limit]]


quote_rows: periods.PerEngine[QuoteRows] = periods.PerEngine(_read_quotes)
entity_rows: periods.PerEngine[EntityRows] = periods.PerEngine(_read_entities)
event_rows: periods.PerEngine[EventRows] = periods.PerEngine(_read_events)


# ---------------------------------------------------------------- the queries (called by query.py, webqueries.py)
# Filters of quotes and events answered here; with any other (an actor, a place, a country) the SQL path answers.
QUOTE_FILTERS_HERE = frozenset({"text", "place", "country", "type", "since", "until", "story", "anonymous", "denial"})
EVENT_FILTERS_HERE = frozenset({"text", "type", "since", "until", "story", "anonymous", "denial"})


def answers(f: Any, names: frozenset[str] | None, *, text_needed: bool = True) -> bool:
    """Whether ``f`` has a text filter with words (unless not ``text_needed``) and only filters in ``names``
    (any: None). The tests turn this off to compare with the SQL path."""
    from dateline.store.query import _WORD

    return (bool(_WORD.search(f.text or "")) or not text_needed) and (names is None or set(f.as_dict()) <= names)


def _articles(engine: Any, f: Any) -> Seqs:
    """The articles ``f`` keeps (it has a text filter), sorted."""
    from dateline.store.query import matching_seqs

    return matching_seqs(engine, f, periods.published_columns.get(engine))


def keep_by_rows(engine: Any, seqs: Seqs, f: Any) -> Seqs:
    """The articles of ``seqs`` (sorted) that ``f``'s filters on an article's events and quotes keep (type,
    anonymous, denial), read from the arrays here: in SQL each listed every article of a common value (an
    anonymous source is in most articles) to intersect with."""
    newest = int(seqs.max(initial=0))
    if f.type:
        events = event_rows.get(engine)
        codes = [i for i, t in enumerate(events.types) if t == f.type.upper()]
        seqs = seqs[_dense(events.article_seq[np.isin(events.type_code, codes)], newest)[seqs]]
    if f.anonymous is not None:
        quotes = quote_rows.get(engine)
        seqs = seqs[_dense(quotes.article_seq[quotes.anonymous == f.anonymous], newest)[seqs]]
    if f.denial is not None:
        quotes, events = quote_rows.get(engine), event_rows.get(engine)
        denying = _dense(quotes.article_seq[quotes.denial], newest) | _dense(events.article_seq[events.negated], newest)
        seqs = seqs[denying[seqs] == f.denial]
    return seqs


def _rows_page(engine: Any, select_rows: Any, article_column: Any, conditions: list[Any], order_key: Any, seqs: Any,
               limit: int, offset: int) -> Any:
    """The page of quote or event rows: only the articles the page can reach (``page_articles`` over the matching
    rows' ``order_key``) are read from the database; the total is exact up to COUNT_CAP, like ``query._page``."""
    from dateline.store.query import COUNT_CAP, Page, _among

    ids = periods.article_keys.get(engine).ids_of(page_articles(order_key, seqs, offset + limit))
    total = len(seqs)
    with engine.connect() as conn:
        items = [dict(r) for r in conn.execute(select_rows.where(_among(engine, article_column, ids), *conditions)
                                               .limit(limit).offset(offset)).mappings()] if ids else []
    return Page(items, min(total, COUNT_CAP), limit, offset, {"total_is_lower_bound": total > COUNT_CAP})


def quotes_page(engine: Any, f: Any, select_quotes: Any, quote_conditions: list[Any], limit: int, offset: int) -> Any:
    """A page of ``select_quotes`` (the list_quotes query without conditions) for ``f``; exact total up to
    COUNT_CAP, like ``query._page``."""
    from dataclasses import replace

    from dateline.store.query import MAX_LIMIT

    limit, offset = max(1, min(limit, MAX_LIMIT)), max(0, offset)
    articles = _articles(engine, replace(f, anonymous=None, denial=None))
    rows = quote_rows.get(engine)
    keep = rows.matching(articles, f.anonymous, f.denial)
    column = periods.published_columns.get(engine)
    seqs = column._known(rows.article_seq[keep])
    order_key = (column.rank_of_seq[seqs].astype(np.int64) << 32) | seqs
    return _rows_page(engine, select_quotes, Q.c.article_id, quote_conditions, order_key, seqs, limit, offset)


def matching_events(engine: Any, f: Any) -> tuple[EventRows, Mask]:
    """The events ``f`` keeps (only filters in EVENT_FILTERS_HERE); a text filter is not needed."""
    from dataclasses import replace

    from dateline.store.query import article_conditions

    rest = replace(f, type=None, since=None, until=None, denial=None)
    rows = event_rows.get(engine)
    if answers(rest, None):
        articles = _articles(engine, rest)
    elif rest.as_dict():
        with engine.connect() as conn:
            articles = periods.seqs_where(conn, article_conditions(engine, rest))
    else:
        articles = _distinct(rows.article_seq)
    return rows, rows.matching(articles, type=f.type, since=f.since, until=f.until, denial=f.denial)


def network(engine: Any, f: Any, limit: int, count: str) -> list[dict[str, Any]]:
    """``query.actor_network``: (source, target, type) edges of the matching events, heaviest first."""
    rows, keep = matching_events(engine, f)
    keep &= (rows.source_actor_id != NONE) & (rows.target_actor_id != NONE)
    at = np.flatnonzero(keep)
    edge = (rows.source_actor_id[at] << 42) | (rows.target_actor_id[at] << 12) | rows.type_code[at]
    edges = _distinct(edge)
    per_edge = rows.counted(at, np.searchsorted(edges, edge), len(edges), count)
    names = entity_rows.get(engine).actors
    found = [(int(e >> 42), int((e >> 12) & ((1 << 30) - 1)), rows.types[int(e & 4095)], int(n))
             for e, n in zip(edges.tolist(), per_edge.tolist(), strict=True)]
    found.sort(key=lambda r: (-r[3], r[2] or "", r[0], r[1]))
    return [{"source_actor_id": s, "source_name": names[s][0], "target_actor_id": t, "target_name": names[t][0],
             "type": type_, "count": n} for s, t, type_, n in found[:limit] if s in names and t in names]


def events_page(engine: Any, f: Any, select_events: Any, event_conditions: list[Any], limit: int, offset: int) -> Any:
    """A page of ``select_events`` (ordered by day, article, event) for ``f``, as ``quotes_page``."""
    from dateline.store.query import MAX_LIMIT

    limit, offset = max(1, min(limit, MAX_LIMIT)), max(0, offset)
    rows, keep = matching_events(engine, f)
    seqs = rows.article_seq[keep]
    order_key = (rows.day_code[keep].astype(np.int64) << 32) | seqs
    return _rows_page(engine, select_events, V.c.article_id, event_conditions, order_key, seqs, limit, offset)


def quote_series(engine: Any, f: Any, width: int) -> list[tuple[str, int]]:
    """(period, quotes) of the matching articles' quotes, by their article's publication date."""
    rows = quote_rows.get(engine)
    return periods.published_columns.get(engine).counts(
        rows.article_seq[_among_sorted(rows.article_seq, _articles(engine, f))], width)


def event_series(engine: Any, f: Any, width: int, count: str) -> list[tuple[str, int]]:
    rows, keep = matching_events(engine, f)
    return rows.day_values(np.flatnonzero(keep), width, count)


def actors_page(engine: Any, f: Any, actor_ids: list[int] | None, limit: int, offset: int) -> Any:
    """``query.list_actors``: actors of the matching articles by articles (then name, id), with their mentions
    and the quotes they gave there, grouped in process."""
    from dataclasses import replace

    from dateline.store.query import COUNT_CAP, MAX_LIMIT, Page, article_conditions

    limit, offset = max(1, min(limit, MAX_LIMIT)), max(0, offset)
    rest = replace(f, actor=None)
    entities, quotes = entity_rows.get(engine), quote_rows.get(engine)
    if answers(rest, None):
        articles: Seqs | None = _articles(engine, rest)
    elif rest.as_dict():
        with engine.connect() as conn:
            articles = periods.seqs_where(conn, article_conditions(engine, rest))
    else:
        articles = None  # every article
    keep = np.ones(len(entities.article_seq), dtype=bool) if articles is None else \
        _among_sorted(entities.article_seq, articles)
    if actor_ids is not None:
        keep &= np.isin(entities.actor_id, actor_ids)
    actor_id, seqs = entities.actor_id[keep], entities.article_seq[keep]
    found = _distinct(actor_id)
    at = np.searchsorted(found, actor_id)
    mentions = np.bincount(at, weights=entities.mention_count[keep], minlength=len(found))
    pairs = _distinct((at.astype(np.int64) << 40) | (seqs & ((1 << 40) - 1)))
    per_actor = np.bincount(pairs >> 40, minlength=len(found))
    spoken = quotes.speaker_actor_id if articles is None else \
        quotes.speaker_actor_id[_among_sorted(quotes.article_seq, articles)]
    spoken = spoken[np.isin(spoken, found)]
    quoted = np.bincount(np.searchsorted(found, spoken), minlength=len(found))
    order = sorted(range(len(found)), key=lambda i: (-int(per_actor[i]), entities.actors[int(found[i])][0],
                                                       int(found[i])))
    items = []
    for i in order[offset:offset + limit]:
        name, type_, role, country, code = entities.actors[int(found[i])]
        items.append({"id": int(found[i]), "name": name, "type": type_, "role": role, "country": country,
                      "actor_code": code, "articles": int(per_actor[i]), "mentions": int(mentions[i]),
                      "quotes": int(quoted[i])})
    return Page(items, min(len(found), COUNT_CAP), limit, offset, {"total_is_lower_bound": len(found) > COUNT_CAP})
