"""The across-article API and pages against a real server: claims, clusters, sourcing, the count switch, and
hostile article text escaped everywhere."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator

import httpx
import pytest
from across_kb import across_server  # noqa: F401  (fixture)
from conftest import ATTACKS


@pytest.fixture(scope="module")
def http(across_server: str) -> Iterator[httpx.Client]:  # noqa: F811
    with httpx.Client(base_url=across_server, timeout=30) as client:
        yield client


def _claim(http: httpx.Client, words: str) -> dict:  # type: ignore[type-arg]
    [found] = http.get("/api/claims", params={"q": words}).json()["items"]
    trail = http.get(f"/api/claims/{found['id']}").json()
    assert trail["id"] == found["id"]
    return trail  # type: ignore[no-any-return]


def test_claims_list_and_trails(http: httpx.Client) -> None:
    page = http.get("/api/claims").json()
    assert page["total"] == len(page["items"]) >= 3 and all(c["articles"] >= 2 for c in page["items"])
    denied = _claim(http, "came from across")
    assert denied["attribution_path"] == ["named", "anonymous", "named"]
    assert [d["publisher"] for d in denied["denials"]] == ["Sahel Courier"]
    lost = _claim(http, "carrying food")
    assert lost["attribution_path"] == ["named", "anonymous", "unattributed"] and lost["denials"] == []
    assert http.get("/api/claims", params={"denied": "true"}).json()["items"][0]["id"] == denied["id"]
    assert http.get("/api/claims/999999").status_code == 404
    assert http.get("/api/claims", params={"since": "2024/01"}).status_code == 422


def test_claims_csv_is_the_same_list_with_formulas_defused(http: httpx.Client) -> None:
    rows = list(csv.DictReader(io.StringIO(http.get("/api/claims.csv").text)))
    assert {r["id"] for r in rows} == {str(c["id"]) for c in http.get("/api/claims").json()["items"]}
    assert all(not r["content"].startswith(("=", "+", "-", "@")) for r in rows)


def test_clusters_and_the_count_switch(http: httpx.Client) -> None:
    shared = http.get("/api/clusters", params={"min_articles": 2}).json()["items"]
    arrests = next(c for c in shared if c["type"] == "COERCE")
    assert arrests["numbers"] == [12, 15] and arrests["conflict"] is True
    reports = http.get(f"/api/clusters/{arrests['id']}").json()["reports"]
    assert {r["publisher"] for r in reports} == {"Nile Dispatch", "Harbour Tribune"}
    happenings = http.get("/api/timeseries", params={"of": "events"}).json()
    every = http.get("/api/timeseries", params={"of": "events", "count": "reports"}).json()
    assert sum(r["count"] for r in happenings) < sum(r["count"] for r in every)
    assert http.get("/api/network", params={"count": "reports"}).status_code == 200
    assert http.get("/api/event-places", params={"count": "nonsense"}).status_code == 422
    assert http.get("/api/clusters", params={"type": "PARTY"}).status_code == 422


def test_sourcing_by_every_dimension_with_csv(http: httpx.Client) -> None:
    for by in ("publisher", "month", "country", "type", "actor"):
        rows = http.get("/api/sourcing", params={"by": by}).json()
        assert rows and all(r["named"] + r["anonymous"] == r["quotes"] for r in rows), by
        table = list(csv.DictReader(io.StringIO(http.get("/api/sourcing.csv", params={"by": by}).text)))
        assert [t["key"] for t in table] == [str(r["key"]) for r in rows]
    publishers = {r["key"] for r in http.get("/api/sourcing").json()}
    assert {"Meridian Wire", "Sahel Courier", "Nile Dispatch", "Harbour Tribune"} <= publishers
    assert http.get("/api/sourcing", params={"by": "colour"}).status_code == 422


def test_pages_render_and_escape_hostile_text(http: httpx.Client) -> None:
    hostile = _claim(http, "coming")
    assert hostile["articles"] == 2
    for path in ("/claims", f"/claims/{hostile['id']}", "/clusters?min_articles=1", "/sourcing?by=publisher",
                 "/sourcing?by=actor"):
        response = http.get(path, headers={"accept": "text/html"})
        assert response.status_code == 200, path
        for attack in ATTACKS:
            if not attack.startswith("javascript"):
                assert attack not in response.text, (path, attack)
    page = http.get(f"/claims/{hostile['id']}").text
    assert "&lt;script&gt;alert(&#34;s&#34;)&lt;/script&gt;" in page
    assert http.get("/claims/999999", headers={"accept": "text/html"}).status_code == 404
    trail = http.get(f"/claims/{_claim(http, 'came from across')['id']}").text
    assert trail.count('href="/articles/') == 5 and "Abakar Mahamat" in trail


@pytest.mark.parametrize("path", ["/api/claims", "/api/clusters", "/api/claims.csv"])
def test_dates_that_do_not_exist_are_refused(http: httpx.Client, path: str) -> None:
    # The pattern admits 2021-02-30; compared as text it would silently match nothing.
    for bad in ("2021-02-30", "2021-13"):
        answer = http.get(path, params={"since": bad})
        assert answer.status_code == 422, (bad, answer.text)
        assert "exists" in answer.text
    assert http.get(path, params={"since": "2021-02-28", "until": "2021-03"}).status_code == 200
