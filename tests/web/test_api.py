"""The REST API against a real ``dateline serve`` process over a real SQLite knowledge base."""

from __future__ import annotations

import csv
import io

import httpx
import pytest
from conftest import HOSTILE, REPO, hostile_record, start_server, stop_server


def _csv_rows(response: httpx.Response) -> list[dict[str, str]]:
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/csv")
    return list(csv.DictReader(io.StringIO(response.text)))


def test_counts_reflect_the_ingested_articles(client: httpx.Client) -> None:
    counts = client.get("/api/counts").json()
    assert counts["articles"] == 4
    assert counts["quotes"] > 1 and counts["events"] > 1


def test_every_list_has_json_and_csv_twins_with_the_same_rows(client: httpx.Client) -> None:
    for path in ("/api/search", "/api/quotes", "/api/events", "/api/actors", "/api/places"):
        page = client.get(path, params={"limit": 5}).json()
        assert set(page) >= {"items", "total", "limit", "offset"}, path
        assert page["items"], path
        assert client.get(path + ".json", params={"limit": 5}).json() == page
        by_suffix = _csv_rows(client.get(path + ".csv", params={"limit": 5}))
        by_param = _csv_rows(client.get(path, params={"limit": 5, "format": "csv"}))
        assert by_suffix == by_param
        assert len(by_suffix) == len(page["items"]), path
    for path in ("/api/timeseries", "/api/attention", "/api/network", "/api/event-places", "/api/facets"):
        assert client.get(path + ".json").status_code == 200, path
        assert _csv_rows(client.get(path + ".csv")), path


def test_pagination_walks_every_row_once(client: httpx.Client) -> None:
    total = client.get("/api/quotes", params={"limit": 1000}).json()["total"]
    seen = []
    for offset in range(0, total, 7):
        page = client.get("/api/quotes", params={"limit": 7, "offset": offset}).json()
        assert page["total"] == total and page["offset"] == offset
        seen += [(q["article_id"], q["quote_id"]) for q in page["items"]]
    assert len(seen) == total == len(set(seen))


def test_article_endpoint_returns_the_full_record(client: httpx.Client) -> None:
    record = hostile_record()
    stored = client.get(f"/api/articles/{record['id']}").json()
    assert stored["body"] == record["body"] and stored["quotes"] == record["quotes"]
    assert client.get(f"/api/articles/{record['id']}.json").json() == stored
    assert client.get("/api/articles/" + "0" * 64).status_code == 404
    assert client.get("/api/articles/not..valid").status_code == 422


def test_filters_narrow_and_combine(client: httpx.Client) -> None:
    everything = client.get("/api/search").json()["total"]
    niger = client.get("/api/search", params={"q": "abducted"}).json()
    assert 0 < niger["total"] < everything
    assert {a["title"] for a in niger["items"]} == {"Gunmen seize three aid workers in western Niger; ministry says search under way"}
    anonymous = client.get("/api/quotes", params={"source": "anonymous"}).json()["items"]
    named = client.get("/api/quotes", params={"source": "named"}).json()["items"]
    assert anonymous and all(q["anonymous"] for q in anonymous)
    assert named and not any(q["anonymous"] for q in named)
    accuse = client.get("/api/events", params={"type": "accuse"}).json()["items"]
    assert accuse and {v["type"] for v in accuse} == {"ACCUSE"}
    dated = client.get("/api/events", params={"since": "2024-11-19", "until": "2024-11-19"}).json()["items"]
    assert dated and {v["day"] for v in dated} == {"2024-11-19"}
    assert client.get("/api/search", params={"country": "AF", "q": "Hostileton"}).json()["total"] == 1
    assert client.get("/api/search", params={"denial": "true"}).json()["total"] >= 1


def test_sql_special_text_is_data(client: httpx.Client) -> None:
    for words in ("O'Brien", "100%", "'; DROP TABLE articles; --", '" OR 1=1 --', "NEAR(a b)", "*"):
        response = client.get("/api/search", params={"q": words, "actor": words, "place": words})
        assert response.status_code == 200, words
    assert client.get("/api/counts").json()["articles"] == 4


def test_invalid_parameters_are_refused(client: httpx.Client) -> None:
    assert client.get("/api/events", params={"type": "DROP"}).status_code == 422
    assert client.get("/api/search", params={"country": "PAK"}).status_code == 422
    assert client.get("/api/search", params={"since": "yesterday"}).status_code == 422
    assert client.get("/api/search", params={"limit": 0}).status_code == 422
    assert client.get("/api/search", params={"limit": 100000}).status_code == 422
    assert client.get("/api/timeseries", params={"unit": "hour"}).status_code == 422
    assert client.get("/api/search.xml").status_code == 404
    assert client.get("/api/search", params={"source": "everyone"}).status_code == 422


def test_blank_form_fields_mean_no_filter(client: httpx.Client) -> None:
    blank = {name: "" for name in ("q", "actor", "place", "country", "type", "since", "until", "source", "denial")}
    assert client.get("/api/search", params=blank).json()["total"] == client.get("/api/search").json()["total"]
    assert client.get("/", params=blank).status_code == 200


def test_time_series_and_attention(client: httpx.Client) -> None:
    days = client.get("/api/timeseries", params={"of": "events"}).json()
    months = client.get("/api/timeseries", params={"of": "events", "unit": "month"}).json()
    assert sum(r["count"] for r in days) == sum(r["count"] for r in months) > 0
    assert all(len(r["period"]) == 7 for r in months)
    attention = client.get("/api/attention", params={"q": "Hostileton"}).json()
    assert attention and all(0 <= r["share"] <= 1 and r["count"] <= r["all"] for r in attention)
    assert sum(r["count"] for r in attention) == 1


def test_network_edges_lead_to_their_evidence(client: httpx.Client) -> None:
    edges = client.get("/api/network").json()
    assert edges
    edge = next(e for e in edges if e["source_name"].startswith("Mallory"))
    events = client.get("/api/events", params={"source_actor_id": edge["source_actor_id"],
                                               "target_actor_id": edge["target_actor_id"],
                                               "type": edge["type"]}).json()["items"]
    assert len(events) == edge["count"] and "accused" in events[0]["evidence"]


def test_security_headers_on_pages_and_api(client: httpx.Client) -> None:
    for path in ("/", "/api/counts", "/map", "/static/css/app.css"):
        headers = client.get(path).headers
        assert "script-src 'self'" in headers["content-security-policy"], path
        assert "unsafe-inline" not in headers["content-security-policy"].split("script-src")[1].split(";")[0]
        assert headers["x-content-type-options"] == "nosniff"
        assert headers["x-frame-options"] == "DENY"


def test_responses_are_compressed_and_static_files_cached(client: httpx.Client) -> None:
    page = client.get("/", headers={"Accept-Encoding": "gzip"})
    assert page.headers["content-encoding"] == "gzip" and "<html" in page.text  # httpx inflated it
    series = client.get("/api/attention", headers={"Accept-Encoding": "gzip"})
    assert series.headers["content-type"] == "application/json"
    assert series.json() == client.get("/api/attention", headers={"Accept-Encoding": "identity"}).json()
    assert "max-age" in client.get("/static/js/charts.js").headers["cache-control"]
    assert "cache-control" not in client.get("/api/counts").headers  # data is never cached by the browser


def test_no_path_traversal_through_static_or_vendor(client: httpx.Client) -> None:
    assert client.get("/static/css/app.css").status_code == 200
    for path in ("/static/../app.py", "/static/%2e%2e/app.py", "/static/..%2fapp.py", "/static/%2e%2e%2f%2e%2e%2fpyproject.toml",
                 "/vendor/..%2fpackage.json", "/vendor/package.json", "/vendor/%2e%2e%2fapp.py"):
        response = client.get(path)
        assert response.status_code == 404, path
        assert "create_app" not in response.text and "[project]" not in response.text


def test_csv_cells_cannot_become_formulas(client: httpx.Client) -> None:
    rows = _csv_rows(client.get("/api/search.csv", params={"q": "Hostileton"}))
    assert rows[0]["title"].startswith("'=HYPERLINK")


def test_api_is_read_only_and_upload_is_off_without_a_token(client: httpx.Client) -> None:
    assert client.post("/api/ingest", content=b"text").status_code in (404, 405)
    assert client.delete("/api/articles/" + "0" * 64).status_code == 405
    assert client.post("/api/search").status_code == 405
    assert "/api/ingest" not in client.get("/openapi.json").json()["paths"]


def test_openapi_and_offline_docs(client: httpx.Client) -> None:
    spec = client.get("/openapi.json").json()
    assert {"/api/search", "/api/quotes", "/api/events", "/api/actors", "/api/places", "/api/timeseries",
            "/api/articles/{article_id}"} <= set(spec["paths"])
    docs = client.get("/docs").text
    assert "cdn" not in docs.lower() and "/vendor/swagger-ui-bundle.js" in docs
    assert client.get("/vendor/swagger-ui-bundle.js").status_code == 200


def test_hostile_text_is_escaped_in_every_page(client: httpx.Client) -> None:
    record = hostile_record()
    pages = [f"/articles/{record['id']}", "/?q=Hostileton", "/timeline", "/map", "/network",
             "/?actor=" + HOSTILE[:20]]
    for path in pages:
        html = client.get(path).text
        for raw in ("<script>alert", "<img src=x", "<svg onload", 'href="javascript:'):
            assert raw not in html, (path, raw)
    article = client.get(f"/articles/{record['id']}").text
    assert "&lt;script&gt;alert(" in article and "&lt;img src=x onerror=" in article


@pytest.mark.slow
def test_upload_needs_the_configured_token(web_db: str, tmp_path) -> None:  # type: ignore[no-untyped-def]
    import shutil

    db = str(tmp_path / "upload.db")
    shutil.copy(web_db, db)
    process, base = start_server(db, env={"DATELINE_UPLOAD_TOKEN": "s3cret-token"})
    try:
        with httpx.Client(base_url=base, timeout=120) as http:
            text = (REPO / "examples" / "tbilisi-protest-arrests.txt").read_bytes()
            assert http.post("/api/ingest", content=text).status_code == 401
            assert http.post("/api/ingest", content=text, headers={"Authorization": "Bearer wrong"}).status_code == 401
            auth = {"Authorization": "Bearer s3cret-token"}
            assert http.post("/api/ingest", params={"filename": "../../x.py"}, content=text,
                             headers=auth).status_code == 415
            result = http.post("/api/ingest", params={"filename": "../../tbilisi.txt"}, content=text, headers=auth)
            assert result.status_code == 200 and result.json()["ingested"] == 1
            assert http.get("/api/counts").json()["articles"] == 5
    finally:
        stop_server(process)
