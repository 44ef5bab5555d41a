"""Versioned migrations: numbered functions applied in order, each recorded in ``schema_version``.

A migration runs in its own transaction and is never edited once released; changes are new numbers.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

from sqlalchemy import Connection, Engine, inspect, select, text

from dateline.store import schema

Migration = Callable[[Connection], None]
PG_MIGRATION_LOCK = 7207  # pg_advisory_xact_lock key: one process migrates a PostgreSQL database at a time


class DatabaseRefused(RuntimeError):
    """This database cannot be used as it is; the message names the versions or the path, and the fix."""


class DatabaseMissing(DatabaseRefused):
    """A command that only reads was pointed at a database that does not exist or holds no knowledge base."""


class SchemaTooNew(DatabaseRefused):
    """The database was made or upgraded by a newer dateline: this one would misread it."""


class SchemaTooOld(DatabaseRefused):
    """The database needs migrations that cannot run here (it is open read-only)."""


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


def _name(engine: Engine) -> str:
    return engine.url.render_as_string(hide_password=True)


def _refuse_newer(engine: Engine, version: int) -> None:
    if version > CURRENT_VERSION:
        from dateline import __version__

        raise SchemaTooNew(
            f"the database {_name(engine)} has schema version {version}, newer than version {CURRENT_VERSION} that "
            f"this dateline ({__version__}) knows; a newer dateline wrote it. Upgrade dateline "
            "(`pip install -U dateline`, or `git pull && make setup`) to use it, or point --db at another database.")


def _current_version(engine: Engine) -> int:
    with engine.connect() as conn:
        return applied_version(conn)


def check_version(engine: Engine, *, upgradable: bool = False) -> int:
    """The schema version, refused when newer than this code, absent, or (``upgradable=False``) older."""
    version = _current_version(engine)
    _refuse_newer(engine, version)
    if version == 0:
        raise DatabaseMissing(f"{_name(engine)} holds no dateline knowledge base yet: make one with `dateline ingest`")
    if version < CURRENT_VERSION and not upgradable:
        raise SchemaTooOld(
            f"the database {_name(engine)} has schema version {version}, older than version {CURRENT_VERSION} of "
            "this dateline, and cannot be upgraded because it is open read-only: run any dateline command on it "
            "once where it can be written (or copy it somewhere writable), then use it here.")
    return version


def migrate(engine: Engine, *, create: bool = True) -> int:
    """Apply every migration not yet applied; returns the schema version now in place.

    ``create=False`` refuses a database with no schema at all (DatabaseMissing). Concurrent openers wait:
    SQLite's write lock (BEGIN IMMEDIATE) or a PostgreSQL advisory lock is held while the version is read
    again and the missing migrations run, so a second process finds them applied rather than re-applying them."""
    version = check_version(engine, upgradable=True) if not create else _current_version(engine)
    _refuse_newer(engine, version)
    if version == CURRENT_VERSION:
        return version  # the usual case: no lock, no write, so readers never wait for each other
    with engine.begin() as conn:
        _lock_for_migrating(conn)
        version = applied_version(conn)
        _refuse_newer(engine, version)
        for number, description, step in MIGRATIONS:
            if number <= version:
                continue
            if number == 1:
                schema.schema_version.create(conn, checkfirst=True)
            step(conn)
            conn.execute(schema.schema_version.insert().values(
                version=number, description=description, applied_at=datetime.now(UTC).isoformat(timespec="seconds")))
    return CURRENT_VERSION


def _lock_for_migrating(conn: Connection) -> None:
    if conn.dialect.name == "postgresql":
        conn.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": PG_MIGRATION_LOCK})
    else:
        # pysqlite starts transactions only before INSERT/UPDATE/DELETE: DDL would run in autocommit, one
        # statement at a time, and a second process would create the same tables. BEGIN IMMEDIATE takes the
        # write lock now (waiting up to the busy timeout), and everything until COMMIT happens under it.
        conn.exec_driver_sql("BEGIN IMMEDIATE")
