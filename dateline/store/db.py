"""Opening a database: URL rules, SQLite pragmas, read-only opening, and migrations applied on open.

Only ``ingest`` (and code that means to fill a database) opens with ``create=True``; every command that reads
opens with ``create=False``, so a mistyped ``--db`` is an error, not a new empty file. A SQLite file that
cannot be written (a read-only mount, a file of another user) is opened read-only: no WAL switch, no
migration, and its schema must then be current.
"""

from __future__ import annotations

import os
import random
import sqlite3
import time
from functools import partial
from typing import Any
from urllib.parse import quote

from sqlalchemy import Engine, create_engine, event

from dateline.store.migrations import DatabaseMissing, DatabaseRefused, check_version, migrate

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


def sqlite_path(url: str) -> str | None:
    """The file of a SQLite URL; None for other engines and in-memory databases."""
    if not url.startswith("sqlite"):
        return None
    path = url.split(":///", 1)[1] if ":///" in url else ""
    return path.split("?", 1)[0] if path and path != ":memory:" and not path.startswith("file:") else None


def writable(path: str) -> bool:
    """Whether this process can write the file and make its -wal and -shm files beside it.

    ``access(2)`` answers for the real filesystem: a read-only mount refuses even root."""
    folder = os.path.dirname(os.path.abspath(path))
    return os.access(folder, os.W_OK) and (not os.path.exists(path) or os.access(path, os.W_OK))


def read_only_mount(path: str) -> bool:
    try:
        return bool(os.statvfs(os.path.dirname(os.path.abspath(path))).f_flag & os.ST_RDONLY)
    except OSError:
        return False


def open_db(db: str = DEFAULT_DB, *, create: bool = True) -> Engine:
    """An Engine on the database, migrated to the current schema.

    ``create=False``: the database must exist already (DatabaseMissing otherwise). A schema newer than this
    dateline's is refused either way (SchemaTooNew), with both versions and the fix in the message."""
    url = database_url(db)
    path = sqlite_path(url)
    if path is not None and not create and not os.path.isfile(path):
        raise DatabaseMissing(f"there is no database at {path}: check --db (or DATELINE_DB), or make one with "
                              "`dateline ingest PATH --db " + path + "`")
    read_only = path is not None and os.path.exists(path) and not writable(path)
    if read_only and create:
        raise DatabaseRefused(f"the database {path} cannot be written here (a read-only filesystem, or another "
                              "user's file): ingest needs to write it. Read commands and serve use it as it is; "
                              "to add articles, copy it somewhere writable.")
    if url.startswith("sqlite"):
        if read_only:
            assert path is not None
            # mode=ro: no write is ever tried. On a read-only mount the -shm file WAL readers need cannot be
            # made, and nothing can change the file there, so SQLite may read it as immutable.
            options = "mode=ro&immutable=1" if read_only_mount(path) else "mode=ro"
            url = f"sqlite:///file:{quote(os.path.abspath(path))}?{options}&uri=true"
        engine = create_engine(url, connect_args={"timeout": 30})
        event.listen(engine, "connect", partial(_sqlite_pragmas, read_only=read_only))
    else:
        engine = create_engine(url, pool_pre_ping=True, connect_args={"connect_timeout": 10, "options": PG_OPTIONS})
    try:
        if read_only:
            check_version(engine, upgradable=False)
        else:
            migrate(engine, create=create)
    except DatabaseRefused:
        engine.dispose()
        raise
    except Exception as exc:
        engine.dispose()
        if path is not None and not create and "file is not a database" in str(exc):
            raise DatabaseMissing(f"{path} is not a SQLite database: check --db") from exc
        raise
    return engine


__all__ = ["DEFAULT_DB", "DatabaseMissing", "DatabaseRefused", "database_url", "is_sqlite", "open_db"]


WAL_SWITCH_SECONDS = 30.0


def _switch_to_wal(cursor: Any) -> None:
    """Put the file in WAL mode, waiting for a writer that holds it: the switch needs the file to itself, and
    SQLite answers "database is locked" at once (its busy timeout does not cover it) when a second process
    opens the same fresh file at that moment. A file already in WAL mode needs nothing."""
    deadline = time.monotonic() + WAL_SWITCH_SECONDS
    while True:
        try:
            if str(cursor.execute("PRAGMA journal_mode").fetchone()[0]).lower() == "wal":
                return
            cursor.execute("PRAGMA journal_mode=WAL")
            return
        except sqlite3.OperationalError as exc:
            if "locked" not in str(exc) or time.monotonic() > deadline:
                raise
            time.sleep(0.05 + random.random() * 0.1)


def _sqlite_pragmas(dbapi_connection: Any, _record: Any, *, read_only: bool = False) -> None:
    cursor = dbapi_connection.cursor()
    if not read_only:
        # WAL lets readers (the web app, Datasette) work while an ingest writes. It is a property of the file,
        # set by whoever writes: a read-only opening reads whichever journal mode the file has.
        _switch_to_wal(cursor)
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.close()
