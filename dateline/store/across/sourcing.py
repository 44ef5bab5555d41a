"""Sourcing profiles: who is quoted by name and who anonymously, with what reason, by publisher, month,
country, PLOVER type and actor.

Each quote is counted once per article at ingest into ``sourcing_counts`` rows keyed by (dimension, key,
month), so a profile is a sum over a few rows, never a scan of the quotes. An article's quotes count under
its publisher and month, under every country its places and events are in, every event type it reports, and
every actor it mentions ("about what"). Anonymity reasons and speaker kinds are grouped by the word lists
below (the wording of the reason as the article gave it stays in ``quotes.anonymity_reason``).
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from typing import Any

from sqlalchemy import Connection, Engine, func, select
from sqlalchemy.dialects import postgresql, sqlite

from dateline.store import schema
from dateline.store.across.tables import SOURCING_COUNTS, sourcing_counts

DIMENSIONS = ("publisher", "month", "country", "type", "actor")
REASONS = {
    "safety": r"fear|reprisal|retaliat|safety|security of|threat|danger|harm|punish|retribution|persecut",
    "unauthorised": r"authori[sz]|permi|allowed|cleared to|not supposed|policy|rules|official capacity|"
                    r"speak (?:publicly|to the (?:media|press)|on the record)",
    "sensitive": r"sensitiv|delicate|confidential|private|classified|secret",
    "investigation": r"investigat|inquiry|probe|negotiat|talks|ongoing|pending|under way|case|trial|court",
}
KINDS = {
    "official": r"official|minister|ministry|spokes|government|governor|police|officer|commander|army|military|"
                r"diplomat|ambassador|president|mayor|authorit|agency|department|council|lawmaker|senator|"
                r"colonel|general|security (?:source|force)|prosecutor",
    "expert": r"analyst|researcher|expert|professor|economist|scholar|academic|specialist|think tank|observer",
    "witness": r"witness|resident|villager|survivor|local|neighbo|relative|famil|shopkeeper|farmer|driver|"
               r"student|teacher|doctor|nurse|parent|mother|father|victim|protester|worker|refugee|passenger",
    "group": r"group|organi[sz]ation|charity|union|party|movement|rebels?|militia|committee|coalition|association|"
             r"company|firm",
}
_REASONS = {k: re.compile(v, re.I) for k, v in REASONS.items()}
_KINDS = {k: re.compile(v, re.I) for k, v in KINDS.items()}


def reason_group(reason: str | None) -> str | None:
    """safety, unauthorised, sensitive, investigation or other; None when no reason was given."""
    if not (reason or "").strip():
        return None
    for group, pattern in _REASONS.items():
        if pattern.search(reason or ""):
            return group
    return "other"


def speaker_kind(description: str | None, speaker_text: str | None, role: str | None, entity_type: str | None) -> str:
    """official, expert, witness (witnesses and residents), group, or other — from the words describing the
    speaker (their description, the words naming them, their role), else a named organisation is a group."""
    words = " ".join(w for w in (description, role, speaker_text) if w)
    for kind, pattern in _KINDS.items():
        if pattern.search(words):
            return kind
    return "group" if entity_type in ("ORG", "NORP") else "other"


def quote_counts(quotes: Iterable[dict[str, Any]], entities: dict[str, dict[str, Any]]) -> Counter[str]:
    """The sourcing counters of one article's quotes (``entities`` by local id, for roles and types)."""
    counts: Counter[str] = Counter()
    for q in quotes:
        counts["quotes"] += 1
        if q["anonymous"]:
            counts["anonymous"] += 1
            group = reason_group(q["anonymity_reason"])
            if group is not None:
                counts["with_reason"] += 1
                counts[f"reason_{group}"] += 1
        else:
            counts["named"] += 1
        entity = entities.get(q["speaker_entity"] or "") or {}
        counts[f"kind_{speaker_kind(q['speaker_description'], q['speaker_text'], entity.get('role'), entity.get('type'))}"] += 1
    return counts


def article_keys(article: dict[str, Any], countries: Iterable[str], types: Iterable[str],
                 actors: Iterable[int]) -> list[tuple[str, str]]:
    keys = [("publisher", (article["publisher"] or "unknown")[:300]), ("month", (article["published"] or "")[:7])]
    keys += [("country", c) for c in sorted({c for c in countries if c})]
    keys += [("type", t) for t in sorted({t for t in types if t})]
    keys += [("actor", str(a)) for a in sorted(set(actors))]
    return keys


def add_counts(conn: Connection, rows: list[dict[str, Any]]) -> None:
    """Add rows of counters to ``sourcing_counts`` (insert, or add to the row already there)."""
    if not rows:
        return
    merged: dict[tuple[str, str, str], dict[str, Any]] = {}
    for row in rows:
        key = (row["dimension"], row["key"], row["month"])
        if key in merged:
            for name in SOURCING_COUNTS:
                merged[key][name] += row[name]
        else:
            merged[key] = dict(row)
    dialect = postgresql if conn.dialect.name == "postgresql" else sqlite
    insert = dialect.insert(sourcing_counts)
    statement = insert.on_conflict_do_update(
        index_elements=["dimension", "key", "month"],
        set_={name: sourcing_counts.c[name] + insert.excluded[name] for name in SOURCING_COUNTS})
    conn.execute(statement, list(merged.values()))


def rows_for(article: dict[str, Any], counts: Counter[str], keys: list[tuple[str, str]]) -> list[dict[str, Any]]:
    if not counts["quotes"]:
        return []
    month = (article["published"] or "")[:7]
    return [{"dimension": dim, "key": key, "month": month, **{name: counts[name] for name in SOURCING_COUNTS}}
            for dim, key in keys]


def profile(engine: Engine, by: str = "publisher", *, since: str | None = None, until: str | None = None,
            key: str | None = None, limit: int = 50) -> list[dict[str, Any]]:
    """One row per key of ``by`` (most quotes first): counts, shares of named and anonymous sources, the share
    of anonymous sources giving a reason, reasons grouped and speaker kinds. ``since``/``until`` are months
    (a date's month counts); ``key`` keeps one key."""
    if by not in DIMENSIONS:
        raise ValueError(f"by must be one of {', '.join(DIMENSIONS)}, not {by!r}")
    s = sourcing_counts
    sums = [func.sum(s.c[name]).label(name) for name in SOURCING_COUNTS]
    query = select(s.c.key, *sums).where(s.c.dimension == by).group_by(s.c.key)
    if since:
        query = query.where(s.c.month >= since[:7])
    if until:
        query = query.where(s.c.month <= until[:7], s.c.month != "")
    if key is not None:
        query = query.where(s.c.key == key)
    order = [s.c.key] if by == "month" else [func.sum(s.c.quotes).desc(), s.c.key]
    query = query.order_by(*order).limit(max(1, min(limit, 1000)))
    with engine.connect() as conn:
        rows = [dict(r) for r in conn.execute(query).mappings()]
        names = {}
        if by == "actor" and rows:
            ACT = schema.actors
            ids = [int(r["key"]) for r in rows if str(r["key"]).isdigit()]
            names = {str(i): n for i, n in conn.execute(select(ACT.c.id, ACT.c.name).where(ACT.c.id.in_(ids)))}
    return [_shares(row, names.get(row["key"])) for row in rows]


def _shares(row: dict[str, Any], name: str | None) -> dict[str, Any]:
    out: dict[str, Any] = {"key": row["key"]}
    if name is not None:
        out["name"] = name
    counts = {n: int(row[n] or 0) for n in SOURCING_COUNTS}
    out.update(counts)
    quotes, anonymous = counts["quotes"], counts["anonymous"]
    out["named_share"] = round(counts["named"] / quotes, 4) if quotes else 0.0
    out["anonymous_share"] = round(anonymous / quotes, 4) if quotes else 0.0
    out["reason_share"] = round(counts["with_reason"] / anonymous, 4) if anonymous else 0.0
    return out
