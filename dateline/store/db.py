"""Opening a database: URL rules, SQLite pragmas, and migrations applied on open."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Engine, create_engine, event

from dateline.store.migrations import migrate

DEFAULT_DB = "dateline.db"
# Session settings for PostgreSQL: JIT compiles big plans for ~100 ms; the API's queries are short and
# answer faster uncompiled.
PG_OPTIONS = "-c jit=off"


def database_url(db: str) -> str:
    """A SQLAlchemy URL: a plain path is a SQLite file; ``postgresql://`` means psycopg 3."""
    if db.startswith(("postgresql://", "postgres://")):
        return "postgresql+psycopg://" + db.split("://", 1)[1]
    if "://" in db:
        return db
    return "sqlite:///" + db


def is_sqlite(engine: Engine) -> bool:
    return engine.dialect.name == "sqlite"


def open_db(db: str = DEFAULT_DB, *, create: bool = True) -> Engine:
    """An Engine on the database, migrated to the current schema (``create=False`` only checks it)."""
    url = database_url(db)
    if url.startswith("sqlite"):
        engine = create_engine(url, connect_args={"timeout": 30})
        event.listen(engine, "connect", _sqlite_pragmas)
    else:
        engine = create_engine(url, pool_pre_ping=True, connect_args={"connect_timeout": 10, "options": PG_OPTIONS})
    if create:
        migrate(engine)
    return engine


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    # WAL lets readers (the web app, Datasette) work while an ingest writes.
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.close()
