"""Hostile values against the web app (issue 17): ids past the integer range, dates that do not exist, a bug's
500 and a foreign Host header all answer cleanly, with the security headers; on both engines."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from fastapi.testclient import TestClient

from dateline.store import open_db
from dateline.store.dedup import StoryIndex
from dateline.store.write import write_records
from dateline.web.app import create_app
from dateline.web.security import HEADERS, default_allowed_hosts, host_name, parse_allowed_hosts

BIG_IDS = ["2147483648", "9223372036854775808", "99999999999999999999"]


def _listing_paths(app: Any) -> list[str]:
    """Every GET path of the app that takes the ``actor`` filter (API lists and pages)."""
    paths = []
    for path, operations in app.openapi()["paths"].items():
        parameters = (operations.get("get") or {}).get("parameters") or []
        if "{" not in path and any(p["name"] == "actor" for p in parameters):
            paths.append(path)
    return paths + ["/", "/search", "/map", "/network", "/timeline"]


def _records(web_db: str) -> list[dict[str, Any]]:
    import json

    from sqlalchemy import text

    with open_db(web_db, create=False).connect() as conn:
        return [json.loads(r) for r in conn.execute(text("SELECT record FROM articles ORDER BY seq")).scalars()]


@pytest.fixture
def app_client(db_url: str, web_db: str) -> Iterator[TestClient]:
    """The app in process on the web test articles, copied into a fresh database of each engine."""
    engine = open_db(db_url)
    with engine.begin() as conn:
        write_records(conn, _records(web_db), stories=StoryIndex())
    engine.dispose()
    with TestClient(create_app(db_url), raise_server_exceptions=False) as client:
        yield client


def _has_security_headers(response: httpx.Response) -> bool:
    return all(response.headers.get(name) == value for name, value in HEADERS.items()) and \
        "default-src 'self'" in response.headers.get("content-security-policy", "")


@pytest.mark.parametrize("actor", BIG_IDS)
def test_actor_ids_past_the_integer_range_answer_with_nothing(app_client: TestClient, actor: str) -> None:
    paths = _listing_paths(app_client.app)
    assert "/api/search" in paths and "/api/events" in paths
    for path in paths:
        response = app_client.get(path, params={"actor": actor})
        assert response.status_code == 200, (path, response.status_code, response.text[:300])
        assert _has_security_headers(response), path
        if path in ("/api/search", "/api/quotes", "/api/events", "/api/actors"):
            assert response.json()["total"] == 0, path
    for name in ("source_actor_id", "target_actor_id"):
        response = app_client.get("/api/events", params={name: actor})
        assert response.status_code == 422 and _has_security_headers(response), response.text


@pytest.mark.parametrize("value", ["2021-13-45", "2021-02-30", "2021-00"])
def test_dates_that_do_not_exist_are_a_422(app_client: TestClient, value: str) -> None:
    for name in ("since", "until"):
        response = app_client.get("/api/search", params={name: value})
        assert response.status_code == 422, response.text
        assert "exists" in response.text and _has_security_headers(response)
        page = app_client.get("/search", params={name: value}, headers={"accept": "text/html"})
        assert page.status_code == 422 and page.headers["content-type"].startswith("text/html")
    assert app_client.get("/api/search", params={"since": "2024-02-29"}).status_code == 200


def test_a_bug_is_a_json_500_with_the_security_headers(web_db: str) -> None:
    app = create_app(web_db)

    def broken() -> None:
        raise RuntimeError("a bug in an endpoint")

    app.add_api_route("/api/broken", broken)
    with TestClient(app, raise_server_exceptions=False) as client:
        response = client.get("/api/broken")
        assert response.status_code == 500
        assert response.headers["content-type"] == "application/json"
        assert response.json()["detail"].startswith("internal error")
        assert "a bug in an endpoint" not in response.text  # no internals to the client
        assert _has_security_headers(response)
        assert client.get("/api/counts").status_code == 200  # and the app keeps answering


def test_a_foreign_host_header_is_refused_by_the_real_server(server: str) -> None:
    port = server.rsplit(":", 1)[1]
    with httpx.Client(base_url=server, timeout=10) as client:
        for host in (f"127.0.0.1:{port}", f"localhost:{port}", "localhost"):
            assert client.get("/api/counts", headers={"host": host}).status_code == 200, host
        for host in ("evil.example", f"rebind.attacker.test:{port}", "127.0.0.1.attacker.test"):
            refused = client.get("/api/counts", headers={"host": host})
            assert refused.status_code == 400, host
            assert "Host header" in refused.json()["detail"] and _has_security_headers(refused)


def test_allowed_hosts_defaults_and_overrides() -> None:
    assert set(default_allowed_hosts("127.0.0.1") or []) == {"127.0.0.1", "localhost", "::1"}
    assert default_allowed_hosts("0.0.0.0") is None  # every interface: no one name to check against
    assert default_allowed_hosts("news.example") == ["news.example"]
    assert parse_allowed_hosts("a.example, B.example", "127.0.0.1") == ["a.example", "b.example"]
    assert parse_allowed_hosts("*", "127.0.0.1") is None
    assert [host_name(h) for h in ("LocalHost:8000", "[::1]:8000", "::1", "example.org")] == \
        ["localhost", "::1", "::1", "example.org"]
