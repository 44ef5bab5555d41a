"""Shared fixtures: a throwaway PostgreSQL server for the session, and a database URL per engine."""

from __future__ import annotations

import itertools
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO / ".." / "shared"
_database_numbers = itertools.count(1)


@pytest.fixture(scope="session")
def postgres_server() -> Iterator[object]:
    """One PostgreSQL server for the whole session (initdb in a temp dir, loopback port), stopped at the end."""
    from dateline.store.pgtemp import PostgresUnavailable, TempPostgres

    try:
        server = TempPostgres().start()
    except PostgresUnavailable as exc:
        print(f"\nPostgreSQL tests skipped: {exc}", file=sys.stderr)
        pytest.skip(f"PostgreSQL unavailable: {exc}")
    yield server
    server.stop()


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """A fresh empty database on each engine: a SQLite file, or a new database on the session's server."""
    if request.param == "sqlite":
        return str(tmp_path / "kb.db")
    server = request.getfixturevalue("postgres_server")
    return server.create_database(f"test_{next(_database_numbers)}")  # type: ignore[attr-defined, no-any-return]


@pytest.fixture(scope="session")
def model_nlp():  # type: ignore[no-untyped-def]
    """The real spaCy model without dateline's components: stable while those are being written."""
    from dateline.nlp.pipeline import build_nlp

    return build_nlp(components=())
