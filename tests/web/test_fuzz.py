"""Property-based fuzzing of the API from its own OpenAPI schema (schemathesis on hypothesis), on both engines:
whatever the parameters (valid or not, per the schema), no answer is a 5xx and the database is unchanged.

Bounded: ``FUZZ_EXAMPLES`` generated requests per operation (env DATELINE_FUZZ_EXAMPLES to raise it) and no
per-example deadline; the requests made are counted and printed (the README's reliability figures)."""

from __future__ import annotations

import hashlib
import json
import os
from collections import Counter
from collections.abc import Iterator
from typing import Any

import pytest
import schemathesis
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis.errors import Unsatisfiable
from schemathesis import GenerationMode
from sqlalchemy import Engine, MetaData, select

from dateline.store import open_db
from dateline.store.dedup import StoryIndex
from dateline.store.write import write_records
from dateline.web.app import create_app

FUZZ_EXAMPLES = int(os.environ.get("DATELINE_FUZZ_EXAMPLES", "15"))
ANSWERS: Counter[str] = Counter()  # status classes of every fuzzed answer, per engine


def database_digest(engine: Engine) -> str:
    """A digest of every row of every table: equal digests, unchanged contents."""
    metadata = MetaData()
    metadata.reflect(engine)
    digest = hashlib.sha256()
    with engine.connect() as conn:
        for table in sorted(metadata.tables.values(), key=lambda t: t.name):
            if table.name.startswith("articles_fts"):
                continue  # FTS5 shadow tables: covered by the articles they index
            rows = conn.execute(select(table)).all()
            digest.update(table.name.encode())
            for row in sorted(json.dumps([str(v) for v in row]) for row in rows):
                digest.update(row.encode())
    return digest.hexdigest()


@pytest.fixture(scope="module", params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def fuzzed_app(request: pytest.FixtureRequest, web_db: str, tmp_path_factory: pytest.TempPathFactory
               ) -> Iterator[tuple[str, Any, TestClient]]:
    """The app on a copy of the web test articles (hostile one included), per engine; checks it is unchanged."""
    if request.param == "sqlite":
        url = str(tmp_path_factory.mktemp("fuzz") / "fuzz.db")
    else:
        url = request.getfixturevalue("postgres_server").create_database("fuzz")
    with open_db(web_db, create=False).connect() as conn:
        records = [json.loads(r) for r in conn.exec_driver_sql("SELECT record FROM articles ORDER BY seq").scalars()]
    engine = open_db(url)
    with engine.begin() as conn:
        write_records(conn, records, stories=StoryIndex())
    before = database_digest(engine)
    app = create_app(url)
    with TestClient(app, raise_server_exceptions=False) as client:
        yield request.param, app, client
    assert database_digest(engine) == before, "a fuzzed request changed the database"
    mine = {k.split()[1]: v for k, v in sorted(ANSWERS.items()) if k.startswith(request.param + " ")}
    print(f"\nfuzzed {request.param}: {sum(mine.values())} requests, answers {mine}, database unchanged")
    engine.dispose()


def test_no_request_is_a_server_error(fuzzed_app: tuple[str, Any, TestClient]) -> None:
    """Every operation of the API's own schema, with valid (positive) and invalid (negative) parameters."""
    engine_name, app, client = fuzzed_app
    api = schemathesis.openapi.from_asgi("/openapi.json", app)
    operations = [result.ok() for result in api.get_all_operations()]
    assert len(operations) >= 15 and all(op.method == "get" for op in operations)  # a read-only API
    failures: list[str] = []
    for operation in operations:
        for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):

            @settings(max_examples=FUZZ_EXAMPLES, deadline=None, derandomize=True, database=None,
                      suppress_health_check=list(HealthCheck), phases=[Phase.explicit, Phase.generate])
            @given(case=operation.as_strategy(generation_mode=mode))
            def fuzz(case: Any) -> None:
                response = client.request("GET", case.formatted_path, params=case.query, headers=case.headers)
                ANSWERS[f"{engine_name} {response.status_code // 100}xx"] += 1
                if response.status_code >= 500 or response.headers.get("x-content-type-options") != "nosniff":
                    failures.append(f"{case.formatted_path} {case.query} {case.headers} -> {response.status_code} "
                                    f"{response.text[:200]}")
                    raise AssertionError(failures[-1])

            try:
                fuzz()
            except AssertionError:
                pass  # hypothesis shrank it; the first failure of each operation is kept
            except Unsatisfiable:
                pass  # a parameter-less operation has no invalid request to make
    assert not failures, "\n".join(failures)
