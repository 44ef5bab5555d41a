"""store/: the knowledge base. Records in, queries out, on SQLite (default) or PostgreSQL.

    from dateline.store import open_db
    engine = open_db("dateline.db")          # or "postgresql://user@host/db"
"""

from dateline.store.db import DEFAULT_DB, database_url, open_db

__all__ = ["DEFAULT_DB", "database_url", "open_db"]
