"""Event clusters: reports of one happening in different articles, counted once.

Two events are reports of one happening when they have the same PLOVER type, days within ``DAYS`` of each
other (``events.day``: the event's resolved date, else its article's), compatible places (within
``KM`` km, the same name, or one inside the other: a city and its province or country) and compatible
actors (the same actor or actor code wherever both name one), and at least one of place or actor is
actually shared; never two events of one article, and a negated event ("did not attack") reports nothing.

At ingest each new event looks up the stored events of its type within the day window (the
``ix_events_type_day`` index) and joins the cluster most of whose members there it agrees with (every one of
them must agree); else it starts a cluster. Clusters are not merged afterwards: one that a later report
would bridge stays two, which is the cautious error for counts of "how many happened".

A cluster keeps the distinct figures its reports give (six killed, nine killed) and who they say did it, and
says ``conflict`` when either differs.
"""

from __future__ import annotations

import json
import math
import re
from datetime import date, timedelta
from typing import Any

from sqlalchemy import Connection, bindparam, func, select, update

from dateline.store import schema
from dateline.store.across.tables import event_clusters
from dateline.store.names import normalise_name

V, A = schema.events, schema.articles
KM = 50.0
DAYS = 1
NUMBER_WORDS = {w: n for n, w in enumerate((
    "zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven", "twelve",
    "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen", "nineteen", "twenty"))}
_NUMBER = re.compile(r"\b(\d{1,3}(?:,\d{3})+|\d+|" + "|".join(NUMBER_WORDS) + r")\b", re.I)
_AREAS = {"country", "admin1", "admin2", "region"}


def report_number(target_text: str | None, evidence: str | None) -> int | None:
    """The count a report gives (the first number of its target, "nine drivers"; else of its evidence)."""
    for text in (target_text, evidence):
        match = _NUMBER.search(text or "")
        if match:
            word = match.group(1).lower()
            return NUMBER_WORDS[word] if word in NUMBER_WORDS else int(word.replace(",", ""))
    return None


def distance_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    h = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * 6371.0 * math.asin(math.sqrt(h))


def places_agree(a: dict[str, Any], b: dict[str, Any]) -> bool | None:
    """True / False when both events have a place; None when one or both have none."""
    if not a.get("place_name") or not b.get("place_name"):
        return None
    if normalise_name(a["place_name"]) == normalise_name(b["place_name"]):
        return True
    for outer, inner in ((a, b), (b, a)):  # a province or country and a place inside it
        if outer.get("feature") in _AREAS and outer.get("country") and outer["country"] == inner.get("country") and \
                (outer["feature"] == "country" or normalise_name(outer["place_name"]) ==
                 normalise_name(inner.get("admin1"))):
            return True
    if None in (a.get("lat"), a.get("lon"), b.get("lat"), b.get("lon")):
        return False
    return distance_km(a["lat"], a["lon"], b["lat"], b["lon"]) <= KM


def _party_agrees(a: dict[str, Any], b: dict[str, Any], side: str) -> bool | None:
    """True (same actor or code), False (both named, different), None (one side unknown)."""
    ida, idb = a.get(f"{side}_actor_id"), b.get(f"{side}_actor_id")
    if ida is not None and idb is not None and ida == idb:
        return True
    ca, cb = a.get(f"{side}_actor_code"), b.get(f"{side}_actor_code")
    if ca and cb:
        return bool(ca == cb)
    if ida is not None and idb is not None:
        return False
    return None


def same_happening(a: dict[str, Any], b: dict[str, Any]) -> bool:
    if a["article_id"] == b["article_id"] or a["type"] != b["type"] or a.get("negated") or b.get("negated"):
        return False
    place = places_agree(a, b)
    if place is False:
        return False
    parties = [_party_agrees(a, b, "source"), _party_agrees(a, b, "target")]
    if False in parties:
        return False
    if place is None and a.get("country") and b.get("country") and a["country"] != b["country"]:
        return False
    return bool(place) or True in parties


def _window(day: str | None) -> tuple[str, str] | None:
    if not day or len(day) != 10:
        return None  # a month or year is too vague to say two reports are of one day's happening
    try:
        d = date.fromisoformat(day)
    except ValueError:
        return None
    return (d - timedelta(days=DAYS)).isoformat(), (d + timedelta(days=DAYS)).isoformat()


EVENT_COLUMNS = (V.c.article_id, V.c.local_id, V.c.type, V.c.day, V.c.negated, V.c.place_id, V.c.place_name,
                 V.c.lat, V.c.lon, V.c.country, V.c.source_actor_id, V.c.source_actor_code, V.c.source_text,
                 V.c.target_actor_id, V.c.target_actor_code, V.c.target_text, V.c.evidence, V.c.evidence_start,
                 V.c.cluster_id)


def _with_places(conn: Connection, rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Add each event's place feature and province (for "a city inside the province named")."""
    keys = {(r["article_id"], r["place_id"]) for r in rows if r.get("place_id")}
    if keys:
        P = schema.places
        found = {(p.article_id, p.local_id): p for p in conn.execute(
            select(P.c.article_id, P.c.local_id, P.c.feature, P.c.admin1)
            .where(P.c.article_id.in_(sorted({k[0] for k in keys}))))}
        for r in rows:
            place = found.get((r["article_id"], r.get("place_id")))
            r["feature"], r["admin1"] = (place.feature, place.admin1) if place is not None else (None, None)
    return rows


def index_article(conn: Connection, article: dict[str, Any], events: list[dict[str, Any]]) -> None:
    """Give each event of one stored article its cluster (``events.cluster_id``).

    Two codings of one sentence (same type, target and evidence: "Militiamen ambushed …" coded once with each
    of two sources) are one report: the second joins the first's cluster. Otherwise an article's events go
    to different clusters. A few statements per article whatever its number of events: the stored events
    near all of them in one query, the choices here, then new clusters, changed clusters and the events'
    cluster ids written in one statement each."""
    if not events:
        return
    P, ec = schema.places, event_clusters
    place_names = set(conn.execute(select(P.c.name_norm).where(P.c.article_id == article["id"])).scalars())
    events = _with_places(conn, [dict(e) for e in events])
    nearby = _nearby(conn, article["id"], events)
    used: set[Any] = set()
    codings: dict[tuple[Any, ...], Any] = {}
    fresh: list[dict[str, Any]] = []
    chosen: list[tuple[dict[str, Any], Any, bool]] = []  # (event, cluster id or ("new", i), article seen there)
    for event in events:
        coding = (event["type"], normalise_name(event["target_text"]), event.get("evidence_start"))
        key = codings.get(coding) if coding[1] or coding[2] is not None else None
        if key is None:
            key = _matching_cluster(event, nearby, used)
        if key is None:
            fresh.append({"type": event["type"], "place_name": event["place_name"], "lat": event["lat"],
                          "lon": event["lon"], "country": event["country"],
                          "source_actor_id": event["source_actor_id"], "target_actor_id": event["target_actor_id"],
                          "day": None, "last_day": None, "first_at": None, "first_article_id": article["id"],
                          "first_event_id": event["local_id"], "reports": 0, "articles": 0, "outlets": 0,
                          "numbers": [], "sources": [], "publishers": [], "conflict": False})
            key = ("new", len(fresh) - 1)
        chosen.append((event, key, key in used))
        used.add(key)
        codings.setdefault(coding, key)
    stored_ids = sorted({k for _, k, _ in chosen if isinstance(k, int)})
    stored = {r["id"]: _decoded(dict(r)) for r in conn.execute(
        select(ec.c.id, *(ec.c[f] for f in _STATE_FIELDS)).where(ec.c.id.in_(stored_ids))).mappings()} \
        if stored_ids else {}
    for event, key, seen in chosen:
        _add_report(fresh[key[1]] if isinstance(key, tuple) else stored[key], article, event,
                    new_article=not seen, place_names=place_names)
    ids: list[int] = []
    if fresh:
        ids = [int(i) for i in conn.execute(ec.insert().returning(ec.c.id, sort_by_parameter_order=True),
                                            [_encoded(r) for r in fresh]).scalars()]
    if stored:
        conn.execute(update(ec).where(ec.c.id == bindparam("cluster_id")).values(
            {f: bindparam(f) for f in _STATE_FIELDS}),
            [{"cluster_id": i, **{f: v for f, v in _encoded(r).items() if f in _STATE_FIELDS}}
             for i, r in stored.items()])
    conn.execute(update(V).where(V.c.article_id == bindparam("a"), V.c.local_id == bindparam("l"))
                 .values(cluster_id=bindparam("c")),
                 [{"a": e["article_id"], "l": e["local_id"], "c": ids[k[1]] if isinstance(k, tuple) else k}
                  for e, k, _ in chosen])


_STATE_FIELDS = ("day", "last_day", "first_at", "first_article_id", "first_event_id", "reports", "articles",
                 "outlets", "numbers", "sources", "publishers", "conflict")
_LISTS = ("numbers", "sources", "publishers")


def _decoded(row: dict[str, Any]) -> dict[str, Any]:
    return {**row, **{f: json.loads(row[f] or "[]") for f in _LISTS}}


def _encoded(row: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in {**row, **{f: json.dumps(row[f], ensure_ascii=False) for f in _LISTS}}.items()
            if k != "id"}


def _words(text: str | None) -> set[str]:
    return {w for w in normalise_name(text).split() if len(w) > 3}


def _nearby(conn: Connection, article_id: str, events: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Clustered events of other articles of the same types within a day of any of ``events``."""
    windows = [w for e in events if not e["negated"] and e["type"] and (w := _window(e["day"]))]
    types = sorted({e["type"] for e in events if e["type"]})
    if not windows:
        return []
    rows = [dict(r) for r in conn.execute(
        select(*EVENT_COLUMNS).where(V.c.type.in_(types), V.c.day >= min(w[0] for w in windows),
                                     V.c.day <= max(w[1] for w in windows), V.c.cluster_id.is_not(None),
                                     V.c.article_id != article_id)).mappings()]
    return _with_places(conn, rows)


def _matching_cluster(event: dict[str, Any], nearby: list[dict[str, Any]], used: set[Any]) -> int | None:
    """The cluster every member of which (within the day window) reports the same happening as ``event``:
    the one whose targets share most words with its target ("nine drivers" goes with "six drivers", not
    with "a convoy"), then the largest, then the oldest."""
    window = _window(event["day"])
    if window is None or event["negated"] or not event["type"]:
        return None
    by_cluster: dict[int, list[dict[str, Any]]] = {}
    for row in nearby:
        if row["type"] == event["type"] and window[0] <= (row["day"] or "") <= window[1]:
            by_cluster.setdefault(row["cluster_id"], []).append(row)
    target = _words(event["target_text"])
    best: tuple[int, int, int] | None = None  # (-shared target words, -members, cluster id)
    for cluster_id, members in by_cluster.items():
        if cluster_id in used or not all(same_happening(event, m) for m in members):
            continue
        shared = max(len(target & _words(m["target_text"])) for m in members)
        key = (-shared, -len(members), cluster_id)
        if best is None or key < best:
            best = key
    return None if best is None else best[2]


def _sources_differ(sources: list[str]) -> bool:
    """Two reports name different perpetrators: neither name's words hold the other's ("Police" and "Sudanese
    police" agree; "Gunmen" and "Militiamen" do not)."""
    words = [set(normalise_name(s).split()) for s in sources]
    return any(not (a <= b or b <= a) for i, a in enumerate(words) for b in words[i + 1:])


def _first_at(article: dict[str, Any], event: dict[str, Any]) -> str:
    return f"{article.get('published') or '9999'}/{event.get('day') or '9999'}/{article['id']}"


def _add_report(state: dict[str, Any], article: dict[str, Any], event: dict[str, Any], *, new_article: bool,
                place_names: set[str]) -> None:
    """Update a cluster's counts, days, first report and the figures its reports give from one new report
    (never a re-read of all its reports: a story cloned by fifty outlets would make that quadratic)."""
    number = report_number(event.get("target_text"), event.get("evidence"))
    if number is not None and number not in state["numbers"]:
        state["numbers"] = sorted([*state["numbers"], number])
    source = (event.get("source_text") or "").strip()
    # A source that is a place of its article is a dateline taken for an actor ("EL FASHER, Sudan — Gunmen …"):
    # no one's account of who did it.
    if source and normalise_name(source) not in place_names and \
            normalise_name(source) not in {normalise_name(s) for s in state["sources"]}:
        state["sources"] = sorted([*state["sources"], source], key=normalise_name)
    if (article.get("publisher") or "") not in state["publishers"]:
        state["publishers"] = [*state["publishers"], article.get("publisher") or ""]
    day = event.get("day")
    state.update(reports=state["reports"] + 1, articles=state["articles"] + (1 if new_article else 0),
                 outlets=len(state["publishers"]),
                 conflict=len(state["numbers"]) > 1 or _sources_differ(state["sources"]),
                 day=min(d for d in (state["day"], day) if d) if (state["day"] or day) else None,
                 last_day=max(d for d in (state["last_day"], day) if d) if (state["last_day"] or day) else None)
    at = _first_at(article, event)
    if state["first_at"] is None or at < state["first_at"]:
        state.update(first_at=at, first_article_id=article["id"], first_event_id=event["local_id"])


def count_column() -> Any:
    """``count(distinct cluster_id)`` plus events not yet clustered, each its own: the clusters among rows."""
    return func.count(func.distinct(V.c.cluster_id)) + func.count().filter(V.c.cluster_id.is_(None))
