"""Across articles: claim trails, event clusters and sourcing profiles, kept up to date at ingest.

``index_articles`` runs in the writer's transaction after an article's parts are stored (write.py), so a
claim, a cluster and the sourcing counts always agree with the articles committed. Each article is indexed
once (``across_articles``); ``catch_up`` indexes the stored articles that are not yet (a database made before
this layer, or articles cloned in bulk SQL), oldest publication first.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from sqlalchemy import Connection, Engine, delete, func, select, update

from dateline.store import schema
from dateline.store.across import claims, clusters, sourcing
from dateline.store.across.tables import across_articles, metadata

A, Q, V, E, P = schema.articles, schema.quotes, schema.events, schema.entities, schema.places
QUOTE_COLUMNS = (Q.c.article_id, Q.c.local_id, Q.c.content, Q.c.content_start, Q.c.content_end, Q.c.cue_start,
                 Q.c.cue_end, Q.c.speaker_text, Q.c.speaker_entity, Q.c.speaker_actor_id, Q.c.speaker_name,
                 Q.c.anonymous, Q.c.anonymity_reason, Q.c.speaker_description, Q.c.denial)
CATCH_UP_PAGE = 200


def index_articles(conn: Connection, article_ids: Sequence[str]) -> int:
    """Index the stored articles among ``article_ids`` not indexed yet, in the order given; returns how many."""
    done = set(conn.execute(select(across_articles.c.article_id)
                            .where(across_articles.c.article_id.in_(list(article_ids)))).scalars())
    todo = [i for i in dict.fromkeys(article_ids) if i not in done]
    if not todo:
        return 0
    articles = {r["id"]: dict(r) for r in conn.execute(
        select(A.c.id, A.c.seq, A.c.published, A.c.publisher, A.c.body).where(A.c.id.in_(todo))).mappings()}
    todo = [i for i in todo if i in articles]
    quotes = _by_article(conn.execute(select(*QUOTE_COLUMNS).where(Q.c.article_id.in_(todo))
                                      .order_by(Q.c.article_id, Q.c.content_start, Q.c.local_id)).mappings())
    events = _by_article(conn.execute(select(*clusters.EVENT_COLUMNS).where(V.c.article_id.in_(todo))
                                      .order_by(V.c.article_id, V.c.local_id)).mappings())
    entities = _by_article(conn.execute(select(E.c.article_id, E.c.local_id, E.c.actor_id, E.c.type, E.c.role,
                                               E.c.country).where(E.c.article_id.in_(todo))).mappings())
    place_countries = _by_article(conn.execute(select(P.c.article_id, P.c.country)
                                               .where(P.c.article_id.in_(todo))).mappings())
    counts: list[dict[str, Any]] = []
    for article_id in todo:
        article = articles[article_id]
        article["id"] = article_id
        claims.index_article(conn, article, quotes.get(article_id, []))
        clusters.index_article(conn, article, events.get(article_id, []))
        article_entities = entities.get(article_id, [])
        keys = sourcing.article_keys(
            article,
            [p["country"] for p in place_countries.get(article_id, [])] +
            [v["country"] for v in events.get(article_id, []) if v["country"]],
            [v["type"] for v in events.get(article_id, [])], [e["actor_id"] for e in article_entities])
        counts += sourcing.rows_for(article, sourcing.quote_counts(
            quotes.get(article_id, []), {e["local_id"]: e for e in article_entities}), keys)
    sourcing.add_counts(conn, counts)
    conn.execute(across_articles.insert(), [{"article_id": i} for i in todo])
    return len(todo)


def _by_article(rows: Any) -> dict[str, list[dict[str, Any]]]:
    out: dict[str, list[dict[str, Any]]] = {}
    for row in rows:
        out.setdefault(row["article_id"], []).append(dict(row))
    return out


def pending(conn: Connection) -> int:
    """Stored articles not indexed yet."""
    return int(conn.execute(select(func.count()).select_from(A).where(
        A.c.id.not_in(select(across_articles.c.article_id)))).scalar_one())


def catch_up(engine: Engine, *, page: int = CATCH_UP_PAGE, progress: Callable[[int], None] | None = None) -> int:
    """Index every stored article not indexed yet, oldest publication first, a page per transaction."""
    total = 0
    while True:
        with engine.begin() as conn:
            ids = list(conn.execute(
                select(A.c.id).where(A.c.id.not_in(select(across_articles.c.article_id)))
                .order_by(func.coalesce(A.c.published, "9999"), A.c.seq).limit(page)).scalars())
            if not ids:
                return total
            total += index_articles(conn, ids)
        if progress is not None:
            progress(total)


def rebuild(engine: Engine, *, progress: Callable[[int], None] | None = None) -> int:
    """Forget every claim, cluster and count, and index all articles again (after the rules changed)."""
    with engine.begin() as conn:
        for table in reversed(metadata.sorted_tables):
            conn.execute(delete(table))
        conn.execute(update(V).values(cluster_id=None))
    return catch_up(engine, progress=progress)


def create(conn: Connection) -> None:
    """Migration: the layer's tables, ``events.cluster_id``, and (small databases) their contents."""
    from sqlalchemy import inspect

    metadata.create_all(conn, checkfirst=True)
    if "cluster_id" not in {c["name"] for c in inspect(conn).get_columns("events")}:
        conn.exec_driver_sql("ALTER TABLE events ADD COLUMN cluster_id INTEGER")
    conn.exec_driver_sql("CREATE INDEX IF NOT EXISTS ix_events_cluster ON events (cluster_id)")
    stored = int(conn.execute(select(func.count()).select_from(A)).scalar_one())
    if stored <= MIGRATE_INLINE:
        for start in range(0, stored, CATCH_UP_PAGE):
            ids = list(conn.execute(select(A.c.id).order_by(func.coalesce(A.c.published, "9999"), A.c.seq)
                                    .offset(start).limit(CATCH_UP_PAGE)).scalars())
            index_articles(conn, ids)


MIGRATE_INLINE = 5000  # above this, opening the database stays quick: `dateline across` indexes the rest

__all__ = ["catch_up", "create", "index_articles", "pending", "rebuild"]
