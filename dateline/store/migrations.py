"""Versioned migrations: numbered functions applied in order, each recorded in ``schema_version``.

A migration runs in its own transaction and is never edited once released; changes are new numbers.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

from sqlalchemy import Connection, Engine, inspect, select, text

from dateline.store import schema

Migration = Callable[[Connection], None]


def _create_tables(conn: Connection) -> None:
    schema.metadata.create_all(conn)


def _full_text_search(conn: Connection) -> None:
    if conn.dialect.name == "sqlite":
        # External-content FTS5 index over articles(title, body), keyed by articles.seq; write.py fills it.
        # Datasette finds the index by its double-quoted content="articles" option and offers ?_search=.
        conn.exec_driver_sql(
            "CREATE VIRTUAL TABLE IF NOT EXISTS articles_fts USING fts5("
            "title, body, content=\"articles\", content_rowid=\"seq\", tokenize='unicode61 remove_diacritics 2')")
    else:
        # tsvector is capped at 1 MB: the first 500,000 characters of the body are indexed.
        conn.exec_driver_sql(
            "ALTER TABLE articles ADD COLUMN IF NOT EXISTS tsv tsvector GENERATED ALWAYS AS "
            "(to_tsvector('english', coalesce(title, '') || ' ' || left(body, 500000))) STORED")
        conn.exec_driver_sql("CREATE INDEX IF NOT EXISTS ix_articles_tsv ON articles USING GIN (tsv)")


def _newest_first_index(conn: Connection) -> None:
    index = next(i for i in schema.articles.indexes if i.name == "ix_articles_published_seq")
    index.create(conn, checkfirst=True)


def _fast_filter_indexes(conn: Connection) -> None:
    # Covering indexes: "articles of actor X / at place Y / with event type T" and the map's and network's
    # GROUP BYs read only the index, never the wide rows. They replace nothing, so older plans still work.
    statements = [
        "CREATE INDEX IF NOT EXISTS ix_entities_actor_article ON entities (actor_id, article_id)",
        "CREATE INDEX IF NOT EXISTS ix_places_name_article ON places (name_norm, article_id)",
        "CREATE INDEX IF NOT EXISTS ix_events_type_article ON events (type, article_id)",
        "CREATE INDEX IF NOT EXISTS ix_quotes_article_anonymous ON quotes (article_id, anonymous)",
        "CREATE INDEX IF NOT EXISTS ix_articles_seq_published ON articles (seq, published)",
    ]
    if conn.dialect.name == "postgresql":
        # Newest-first pages sort "published DESC NULLS LAST": only an index in exactly that order serves
        # them (the ascending index read backwards puts NULLs first, so PostgreSQL sorted every match).
        statements.append("CREATE INDEX IF NOT EXISTS ix_articles_newest ON articles (published DESC NULLS LAST, "
                          "seq DESC)")
    for statement in statements:
        conn.exec_driver_sql(statement)


def _narrow_text_index(conn: Connection) -> None:
    if conn.dialect.name != "postgresql":
        return  # SQLite's FTS5 index already lists matching rowids without reading the articles
    # Counting the articles that hold a common word visits every match's heap row. Those of ``articles``
    # are wide (~750 bytes), so the same tsvector and GIN index also live in a narrow table whose
    # tsvector goes out of line (toast_tuple_target): ~70 bytes a row, a tenth of the pages to visit.
    # A trigger keeps it in step with ``articles`` whoever writes; the search pages keep ``articles.tsv``.
    for statement in (
        "CREATE TABLE IF NOT EXISTS article_words (seq integer PRIMARY KEY, tsv tsvector NOT NULL) "
        "WITH (toast_tuple_target = 128)",
        "INSERT INTO article_words (seq, tsv) SELECT seq, tsv FROM articles ON CONFLICT (seq) DO NOTHING",
        "CREATE INDEX IF NOT EXISTS ix_article_words_tsv ON article_words USING GIN (tsv)",
        "CREATE OR REPLACE FUNCTION dateline_article_words() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
        "IF TG_OP = 'DELETE' THEN DELETE FROM article_words WHERE seq = OLD.seq; RETURN NULL; END IF; "
        "INSERT INTO article_words (seq, tsv) VALUES (NEW.seq, NEW.tsv) "
        "ON CONFLICT (seq) DO UPDATE SET tsv = EXCLUDED.tsv; RETURN NULL; END $$",
        "DROP TRIGGER IF EXISTS tr_article_words ON articles",
        "CREATE TRIGGER tr_article_words AFTER INSERT OR UPDATE OR DELETE ON articles "
        "FOR EACH ROW EXECUTE FUNCTION dateline_article_words()",
    ):
        conn.exec_driver_sql(statement)


def _stemmed_full_text(conn: Connection) -> None:
    if conn.dialect.name != "sqlite":
        return  # PostgreSQL's 'english' configuration stems already
    # Searches for "kidnapped" should find "kidnapping" on SQLite as on PostgreSQL: the index is made
    # again with the Porter stemmer in front of the same tokenizer, from the articles themselves.
    conn.exec_driver_sql("DROP TABLE IF EXISTS articles_fts")
    conn.exec_driver_sql(
        "CREATE VIRTUAL TABLE articles_fts USING fts5(title, body, content=\"articles\", content_rowid=\"seq\", "
        "tokenize='porter unicode61 remove_diacritics 2')")
    conn.exec_driver_sql("INSERT INTO articles_fts(articles_fts) VALUES ('rebuild')")


def _story_bands(conn: Connection) -> None:
    # Near-duplicate grouping looked up an in-memory LSH index loaded from every signature: memory grew
    # with the archive. The bands now live in an indexed table, filled here from the stored signatures.
    from dateline.store.dedup import index_stored_signatures

    if inspect(conn).has_table("story_bands"):
        return  # a fresh database: migration 1 made it from the current schema, empty like signatures
    schema.story_bands.create(conn)
    index_stored_signatures(conn)



def _across_articles(conn: Connection) -> None:
    from dateline.store.across import create

    create(conn)


MIGRATIONS: list[tuple[int, str, Migration]] = [
    (1, "tables", _create_tables),
    (2, "full-text search", _full_text_search),
    (3, "index for newest-first pages", _newest_first_index),
    (4, "covering indexes for filters, map and network", _fast_filter_indexes),
    (5, "narrow full-text table for counting matches (PostgreSQL)", _narrow_text_index),
    (6, "stemmed full-text search (SQLite, Porter)", _stemmed_full_text),
    (7, "near-duplicate LSH bands in the database", _story_bands),
    (8, "claims, event clusters and sourcing counts (dateline/store/across)", _across_articles),
]
CURRENT_VERSION = MIGRATIONS[-1][0]


def applied_version(conn: Connection) -> int:
    if not inspect(conn).has_table("schema_version"):
        return 0
    versions = conn.execute(select(schema.schema_version.c.version)).scalars().all()
    return max(versions, default=0)


def migrate(engine: Engine) -> int:
    """Apply every migration not yet applied; returns the schema version now in place."""
    with engine.begin() as conn:
        if conn.dialect.name == "postgresql":
            # Two processes opening a fresh database at once must not both create it.
            conn.execute(text("SELECT pg_advisory_xact_lock(7207)"))
        version = applied_version(conn)
        for number, description, step in MIGRATIONS:
            if number <= version:
                continue
            if number == 1:
                schema.schema_version.create(conn, checkfirst=True)
            step(conn)
            conn.execute(schema.schema_version.insert().values(
                version=number, description=description, applied_at=datetime.now(UTC).isoformat(timespec="seconds")))
    return CURRENT_VERSION
