"""Records in: one article and all its parts per call, inside the caller's transaction; idempotent by id.

Only parameter binding reaches the database: article text is data, never SQL.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from hashlib import sha256
from typing import Any, Protocol

from sqlalchemy import Connection, Table, delete, select, text
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.sql.dml import Insert

from dateline.store import schema
from dateline.store.across import index_articles
from dateline.store.names import actor_key, is_kb_actor, normalise_name

# Cue lemmas that make a quote a denial ("denied that …"); events carry their own ``negated`` flag.
DENIAL_LEMMAS = frozenset({"deny", "dismiss", "refute", "rebut", "reject", "disavow", "dispute"})
PG_WRITER_LOCK = 7208  # pg_advisory_xact_lock key of writers (7207 is the migrations')


class StoryAssigner(Protocol):
    """Gives each new article its story id (near-duplicate group), then keeps what finds it again."""

    def assign(self, conn: Connection, record_id: str, body: str) -> tuple[str, Any]: ...

    def keep(self, conn: Connection, record_id: str, values: Any) -> None: ...


@dataclass(slots=True)
class WriteStats:
    inserted: int = 0
    duplicates: int = 0


def now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def insert_ignoring_conflicts(conn: Connection, table: Table) -> Insert:
    """INSERT that skips rows whose unique key is already present (both engines)."""
    dialect = postgresql if conn.dialect.name == "postgresql" else sqlite
    return dialect.insert(table).on_conflict_do_nothing()


def lock_for_writing(conn: Connection) -> None:
    """Writers of one PostgreSQL database take turns, a transaction each (the lock ends with it).

    Under READ COMMITTED two writers would both find an article missing and both insert it, or take the row
    locks of shared actors in different orders and deadlock. SQLite serializes writers already (one write lock),
    and a row another writer stored between our look-up and our insert is skipped (``_insert_article``)."""
    if conn.dialect.name == "postgresql":
        conn.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": PG_WRITER_LOCK})


def write_records(conn: Connection, records: Iterable[dict[str, Any]], *,
                  stories: StoryAssigner | None = None) -> WriteStats:
    """Insert the records not yet stored (by id); the rest count as duplicates.

    Safe beside other writers: a record another process stored meanwhile counts as a duplicate, not an error."""
    batch = list(records)
    stats = WriteStats()
    lock_for_writing(conn)
    stored = _existing_ids(conn, [r["id"] for r in batch])
    fresh: list[dict[str, Any]] = []
    for record in batch:
        if record["id"] in stored:
            stats.duplicates += 1
        else:
            stored.add(record["id"])
            fresh.append(record)
    if not fresh:
        return stats
    actor_ids = _actor_ids(conn, [e for r in fresh for e in r.get("entities") or [] if is_kb_actor(e)])
    parts: dict[str, list[dict[str, Any]]] = {t.name: [] for t in schema.ARTICLE_PARTS}
    written: list[dict[str, Any]] = []
    for record in fresh:
        story_id, values = (record["id"], None) if stories is None else \
            stories.assign(conn, record["id"], record.get("body") or "")
        if not _insert_article(conn, record, story_id):
            stats.duplicates += 1  # another writer stored it after our look-up
            continue
        if stories is not None:
            stories.keep(conn, record["id"], values)
        _collect_parts(record, actor_ids, parts)
        written.append(record)
    fresh = written  # from here on, only what this transaction stored
    for table in schema.ARTICLE_PARTS:
        if parts[table.name]:
            conn.execute(table.insert(), parts[table.name])
    index_articles(conn, [r["id"] for r in fresh])  # claims, event clusters, sourcing counts (store/across)
    stats.inserted = len(fresh)
    return stats


def write_errors(conn: Connection, failures: Sequence[tuple[str, str]], *, stored_sources: Iterable[str] = ()) -> int:
    """One ``ingest_errors`` row per failing (source, reason): the same failure seen again adds nothing.

    The table holds each source's latest outcome, so an earlier row of a source seen again in this batch goes:
    the source is stored now (``stored_sources``: a retry that succeeded) or fails for another reason. Rows are
    removed rather than flagged because a superseded failure is no longer a fact about the knowledge base
    (counts, summaries and the web read the table as "what is missing"); the ingest log keeps the history."""
    lock_for_writing(conn)
    rows = [{"key": sha256(f"{source}\n{reason}".encode()).hexdigest(), "source": source, "reason": reason,
             "reason_kind": reason_kind(reason), "at": now()} for source, reason in failures]
    _delete_superseded_errors(conn, {*stored_sources, *(source for source, _ in failures)}, [r["key"] for r in rows])
    if rows:
        conn.execute(insert_ignoring_conflicts(conn, schema.ingest_errors), rows)
    return len(rows)


def _delete_superseded_errors(conn: Connection, sources: set[str], current_keys: list[str]) -> None:
    """Rows of these sources other than the failures just seen (whose rows, if already there, stay as they are)."""
    if not sources:
        return
    table = schema.ingest_errors
    stale = delete(table).where(table.c.source.in_(sorted(sources)))
    if current_keys:
        stale = stale.where(table.c.key.not_in(current_keys))
    conn.execute(stale)


def reason_kind(reason: str) -> str:
    """A short class of failure for summaries: the reason up to its first colon, semicolon or parenthesis, its
    numbers shown as N ("file is N MB, over the N MB limit for one article"), so that alike failures group."""
    head = re.split(r"[:;(]", reason, maxsplit=1)[0]
    words = ["N" if any(c.isdigit() for c in w) else w for w in head.split()][:12]
    return " ".join(words)[:64].strip() or "unknown"


def _existing_ids(conn: Connection, ids: list[str]) -> set[str]:
    if not ids:
        return set()
    return set(conn.execute(select(schema.articles.c.id).where(schema.articles.c.id.in_(ids))).scalars())


def _actor_ids(conn: Connection, entities: list[dict[str, Any]]) -> dict[str, int]:
    """Actor id by key, creating actors not seen before."""
    rows: dict[str, dict[str, Any]] = {}
    for e in entities:
        key = actor_key(e.get("name"), e.get("role"), e.get("country"))
        rows.setdefault(key, {"key": key, "name": e.get("name") or "", "name_norm": normalise_name(e.get("name")),
                              "type": e.get("type"), "role": e.get("role"), "country": e.get("country"),
                              "actor_code": e.get("actor")})
    if not rows:
        return {}
    table = schema.actors
    conn.execute(insert_ignoring_conflicts(conn, table), list(rows.values()))
    found = conn.execute(select(table.c.key, table.c.id).where(table.c.key.in_(list(rows))))
    return {key: actor_id for key, actor_id in found}


def _insert_article(conn: Connection, record: dict[str, Any], story_id: str) -> bool:
    """Whether the row went in (False: an article with this id is there already)."""
    body = record.get("body") or ""
    source = record.get("source") or {}
    dateline = record.get("dateline") or {}
    row = {
        "id": record["id"], "story_id": story_id,
        "source_uri": source.get("uri") or "", "source_format": source.get("format"),
        "url": record.get("url"), "title": record.get("title"),
        "byline": "; ".join(record.get("byline") or []) or None, "publisher": record.get("publisher"),
        "published": (record.get("published") or None) and str(record["published"])[:10],
        "published_precision": record.get("published_precision"),
        "dateline_place": dateline.get("place"), "dateline_agency": dateline.get("agency"),
        "language": record.get("language"), "body": body, "word_count": len(body.split()),
        "record": json.dumps(record, ensure_ascii=False), "ingested_at": now(),
    }
    seq = conn.execute(insert_ignoring_conflicts(conn, schema.articles).returning(schema.articles.c.seq),
                       row).scalar_one_or_none()
    if seq is None:
        return False
    if conn.dialect.name == "sqlite":
        conn.exec_driver_sql("INSERT INTO articles_fts(rowid, title, body) VALUES (?, ?, ?)",
                             (seq, row["title"] or "", body))
    return True


def _collect_parts(record: dict[str, Any], actor_ids: dict[str, int], parts: dict[str, list[dict[str, Any]]]) -> None:
    article_id = record["id"]
    for position, item in enumerate(record.get("removed") or []):
        parts["removed"].append({"article_id": article_id, "position": position, "kind": item.get("kind"),
                                 "text": item.get("text"), "date": item.get("date")})
    for position, item in enumerate(record.get("media") or []):
        parts["media"].append({"article_id": article_id, "position": position, "alt_text": item.get("alt_text"),
                               "caption": item.get("caption"), "credit": item.get("credit")})
    entity_actor: dict[str, int] = {}
    for number, e in enumerate(record.get("entities") or [], 1):
        if not is_kb_actor(e):
            continue  # a place or an unnamed description: the record keeps it, the actors' tables do not
        local_id = str(e.get("id") or f"e{number}")
        entity_actor[local_id] = actor_ids[actor_key(e.get("name"), e.get("role"), e.get("country"))]
        mention_list = e.get("mentions") or []
        parts["entities"].append({"article_id": article_id, "local_id": local_id, "actor_id": entity_actor[local_id],
                                  "name": e.get("name") or "", "type": e.get("type"), "role": e.get("role"),
                                  "country": e.get("country"), "actor_code": e.get("actor"),
                                  "mention_count": len(mention_list)})
        parts["mentions"].extend(_mention_rows(article_id, "entity_id", local_id, mention_list))
    places_by_id: dict[str, dict[str, Any]] = {}
    for number, p in enumerate(record.get("places") or [], 1):
        local_id = str(p.get("id") or f"p{number}")
        places_by_id[local_id] = p
        mention_list = p.get("mentions") or []
        parts["places"].append({"article_id": article_id, "local_id": local_id, "name": p.get("name") or "",
                                "name_norm": normalise_name(p.get("name")), "geonames_id": p.get("geonames_id"),
                                "lat": p.get("lat"), "lon": p.get("lon"), "country": p.get("country"),
                                "admin1": p.get("admin1"), "feature": p.get("feature"),
                                "confidence": p.get("confidence"), "mention_count": len(mention_list)})
        parts["place_mentions"].extend(_mention_rows(article_id, "place_id", local_id, mention_list))
    for number, q in enumerate(record.get("quotes") or [], 1):
        parts["quotes"].append(_quote_row(article_id, number, q, entity_actor))
    for number, v in enumerate(record.get("events") or [], 1):
        parts["events"].append(_event_row(record, number, v, entity_actor, places_by_id))


def _mention_rows(article_id: str, owner_column: str, owner: str, mentions: list[dict[str, Any]]
                  ) -> list[dict[str, Any]]:
    return [{"article_id": article_id, owner_column: owner, "position": position,
             "start_char": m.get("start", 0), "end_char": m.get("end", 0), "text": m.get("text")}
            for position, m in enumerate(mentions)]


def _span(item: dict[str, Any] | None) -> tuple[str | None, int | None, int | None]:
    item = item or {}
    return item.get("text"), item.get("start"), item.get("end")


def _quote_row(article_id: str, number: int, q: dict[str, Any], entity_actor: dict[str, int]) -> dict[str, Any]:
    content, content_start, content_end = _span(q.get("content"))
    cue = q.get("cue") or {}
    speaker = q.get("speaker") or {}
    lemma = (cue.get("lemma") or "").lower() or None
    return {
        "article_id": article_id, "local_id": str(q.get("id") or f"q{number}"), "kind": q.get("kind"),
        "content": content, "content_start": content_start, "content_end": content_end,
        "cue": cue.get("text"), "cue_lemma": lemma, "cue_start": cue.get("start"), "cue_end": cue.get("end"),
        "speaker_text": speaker.get("text"), "speaker_entity": speaker.get("entity"),
        "speaker_actor_id": entity_actor.get(speaker.get("entity") or ""),
        "speaker_name": speaker.get("name"), "anonymous": bool(speaker.get("anonymous")),
        "anonymity_reason": speaker.get("anonymity_reason"), "speaker_description": speaker.get("description"),
        "denial": lemma in DENIAL_LEMMAS,
    }


def _event_row(record: dict[str, Any], number: int, v: dict[str, Any], entity_actor: dict[str, int],
               places_by_id: dict[str, dict[str, Any]]) -> dict[str, Any]:
    source = v.get("source") or {}
    target = v.get("target") or {}
    place = places_by_id.get(v.get("place") or "") or {}
    evidence, evidence_start, evidence_end = _span(v.get("evidence"))
    date = (v.get("date") or None) and str(v["date"])[:10]
    published = (record.get("published") or None) and str(record["published"])[:10]
    source_id, target_id = entity_actor.get(source.get("entity") or ""), entity_actor.get(target.get("entity") or "")
    return {
        "article_id": record["id"], "local_id": str(v.get("id") or f"v{number}"), "type": v.get("type"),
        "mode": v.get("mode"),
        # A party's code is its actor's: one that is no actor of the KB ("Russian troops", "BRUSSELS") keeps its
        # words here and its CAMEO-style code in the record, so export, network, facets and actors agree.
        "source_text": source.get("text"), "source_entity": source.get("entity"),
        "source_actor_id": source_id, "source_actor_code": source.get("actor") if source_id is not None else None,
        "target_text": target.get("text"), "target_entity": target.get("entity"),
        "target_actor_id": target_id, "target_actor_code": target.get("actor") if target_id is not None else None,
        "place_id": v.get("place"), "place_name": place.get("name"), "lat": place.get("lat"), "lon": place.get("lon"),
        "country": place.get("country"), "date": date, "date_text": v.get("date_text"), "day": date or published,
        "negated": bool(v.get("negated")), "attributed_to": v.get("attributed_to"),
        "evidence": evidence, "evidence_start": evidence_start, "evidence_end": evidence_end,
        "confidence": v.get("confidence"),
    }
