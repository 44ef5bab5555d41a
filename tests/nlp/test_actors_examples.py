"""The knowledge base of examples/ holds only actors: its whole actors table against a hand-written list, and
every page and export that names actors against the same list.

tests/data/actors/examples_actors.json lists, article by article, every actor a reader of the examples finds
(people, organisations, armed groups, governments, states) and nothing else. The test ingests examples/ with the
CLI, as `make run` does, and compares the actors table with that list: precision (rows that are listed actors;
a second row for one actor counts against it) and recall (listed actors that have a row). The README reports
the figures; the floors below are what the rules reach, so a regression fails here. Then the web answers
(/api/actors, /api/network, /api/facets, the search page's facet data, /api/events, /api/quotes, each article
page's actors list) and the exports (events, quotes, gdelt) may name no actor outside the list, and an event
party's code comes only with its actor.
"""

from __future__ import annotations

import csv
import json
import re
import sqlite3
import subprocess
import sys
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from dateline.store.names import normalise_name
from dateline.web.app import create_app

ROOT = Path(__file__).resolve().parents[2]
EXPECTED = ROOT / "tests" / "data" / "actors" / "examples_actors.json"
PRECISION_FLOOR = 0.93
RECALL_FLOOR = 0.90
NEVER = ("MW", "AP", "Associated Press", "BAGHDAD", "BRUSSELS", "MUSCAT", "NIAMEY", "SRINAGAR", "Black Sea",
         "Bosporus", "Indus Highway", "Rustaveli Avenue", "Line of Control", "Asia", "Bay and", "Turnout",
         "Caretaker Minister", "Organization for Security and Co-operation", "Coordination of Humanitarian Affairs",
         "My father", "Our men", "water cannon", "pepper spray", "a spokesman", "Foreign Office")


def expected_actors() -> Counter[str]:
    articles = json.loads(EXPECTED.read_text(encoding="utf-8"))["articles"]
    return Counter({normalise_name(name): 1 for names in articles.values() for name in names})


def table_scores(rows: Counter[str], expected: Counter[str]) -> tuple[float, float]:
    hits = sum(min(n, expected[name]) for name, n in rows.items())
    return hits / max(1, sum(rows.values())), hits / max(1, sum(expected.values()))


def test_scores_count_a_duplicate_row_against_precision() -> None:
    expected = Counter({"iraq": 1, "turkey": 1})
    assert table_scores(Counter({"iraq": 2, "turkey": 1}), expected) == (2 / 3, 1.0)
    assert table_scores(Counter({"iraq": 1, "mw": 1}), expected) == (0.5, 0.5)


@pytest.fixture(scope="module")
def examples_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    db = tmp_path_factory.mktemp("examples") / "kb.db"
    done = subprocess.run([sys.executable, "-m", "dateline", "ingest", str(ROOT / "examples"), "--db", str(db)],
                          capture_output=True, text=True, timeout=600, cwd=ROOT)
    assert done.returncode == 0, done.stderr[-2000:]
    return db


def actor_rows(db: Path) -> list[tuple[str, str]]:
    with sqlite3.connect(db) as conn:
        return list(conn.execute("SELECT name, type FROM actors"))


def test_examples_actors_table_is_the_hand_written_list(examples_db: Path) -> None:
    rows = Counter(normalise_name(name) for name, _ in actor_rows(examples_db))
    expected = expected_actors()
    precision, recall = table_scores(rows, expected)
    extra = sorted(name for name, n in rows.items() if n > expected[name])
    missing = sorted(name for name in expected if name not in rows)
    print(f"examples actors: {sum(rows.values())} rows, {sum(expected.values())} listed, "
          f"precision {precision:.3f} recall {recall:.3f}\n  not actors: {extra}\n  missing: {missing}")
    assert precision >= PRECISION_FLOOR, extra
    assert recall >= RECALL_FLOOR, missing


def article_pairs(db: Path) -> tuple[set[tuple[str, str]], set[tuple[str, str]]]:
    """(article, actor) pairs the KB links through its entities, and the pairs the list holds, by list key."""
    articles = json.loads(EXPECTED.read_text(encoding="utf-8"))["articles"]
    with sqlite3.connect(db) as conn:
        rows = list(conn.execute("SELECT a.source_uri, ac.name FROM entities e JOIN actors ac ON ac.id = e.actor_id "
                                 "JOIN articles a ON a.id = e.article_id"))
    def key_of(uri: str) -> str | None:  # "…/feed.xml#entry=3(…/mosul-reconstruction-audit.html)" is the page's
        return next((k for k in articles if uri.endswith("/" + k) or uri.endswith("/" + k + ")")), None)
    stored = {(k, normalise_name(name)) for uri, name in rows if (k := key_of(uri)) is not None}
    listed = {(k, normalise_name(name)) for k, names in articles.items() for name in names}
    return stored, listed


def test_each_article_links_the_actors_the_list_gives_it(examples_db: Path) -> None:
    stored, listed = article_pairs(examples_db)
    precision, recall = len(stored & listed) / max(1, len(stored)), len(stored & listed) / max(1, len(listed))
    print(f"examples (article, actor) pairs: {len(stored)} stored, {len(listed)} listed, precision {precision:.3f} "
          f"recall {recall:.3f}\n  not actors: {sorted(stored - listed)}\n  missing: {sorted(listed - stored)}")
    assert precision >= PRECISION_FLOOR and recall >= RECALL_FLOOR


def test_examples_table_holds_no_dateline_place_fragment_or_description(examples_db: Path) -> None:
    names = {normalise_name(name) for name, _ in actor_rows(examples_db)}
    assert not names & {normalise_name(n) for n in NEVER}
    with sqlite3.connect(examples_db) as conn:
        types = {t for (t,) in conn.execute("SELECT DISTINCT type FROM actors")}
        sources = [s for (s,) in conn.execute(
            "SELECT a.name FROM events v JOIN actors a ON a.id IN (v.source_actor_id, v.target_actor_id)")]
    assert types <= {"PERSON", "ORG", "NORP", "GPE"}
    assert not {normalise_name(s) for s in sources} & {normalise_name(n) for n in NEVER}


def test_one_office_has_one_row_across_articles(examples_db: Path) -> None:
    """"Pakistan's Foreign Office" in two stories (once tagged "Foreign Office" after "Pakistan's") is one actor,
    and its spokeswoman, unnamed, is no row of her own."""
    names = [normalise_name(name) for name, _ in actor_rows(examples_db)]
    assert names.count("pakistan s foreign office") == 1
    assert not any("spokeswoman" in name for name in names)


# ---------------------------------------------------------------- every page and export


@pytest.fixture(scope="module")
def client(examples_db: Path) -> TestClient:
    return TestClient(create_app(str(examples_db)))


def listed() -> set[str]:
    return set(expected_actors())


def outside_list(names: list[str | None]) -> list[str]:
    allowed = listed()
    return sorted({str(n) for n in names if n and normalise_name(n) not in allowed})


def all_items(client: TestClient, path: str) -> list[dict[str, Any]]:
    items: list[dict[str, Any]] = []
    while True:
        page = client.get(path, params={"limit": 200, "offset": len(items)})
        assert page.status_code == 200, page.text[:300]
        found = page.json()["items"]
        items += found
        if len(found) < 200:
            return items


def actor_names(client: TestClient) -> dict[int, str]:
    return {a["id"]: a["name"] for a in all_items(client, "/api/actors")}


def test_api_actors_network_and_facets_name_only_listed_actors(client: TestClient) -> None:
    names = actor_names(client)
    assert len(names) >= 150 and not outside_list(list(names.values()))
    edges = client.get("/api/network", params={"limit": 1000}).json()
    assert edges and not outside_list([e["source_name"] for e in edges] + [e["target_name"] for e in edges])
    for facets in (client.get("/api/facets", params={"top": 100}).json(), client.get("/search.json").json()["facets"]):
        assert len(facets["actors"]) >= 10 and not outside_list([a["name"] for a in facets["actors"]])
        assert {a["id"] for a in facets["actors"]} <= set(names)


def test_events_and_quotes_have_actors_only_from_the_list_and_codes_only_with_actors(client: TestClient) -> None:
    names = actor_names(client)
    events = all_items(client, "/api/events")
    assert len(events) >= 50
    for side in ("source", "target"):
        ids = [v[f"{side}_actor_id"] for v in events if v[f"{side}_actor_id"] is not None]
        assert ids and set(ids) <= set(names)
        assert not outside_list([names[i] for i in ids])
        coded_without_actor = [v[f"{side}_text"] for v in events
                               if v[f"{side}_actor_code"] and v[f"{side}_actor_id"] is None]
        assert not coded_without_actor  # "BRUSSELS", "Russian troops": words, no actor, no code
    speakers = [q["speaker_actor_id"] for q in all_items(client, "/api/quotes") if q["speaker_actor_id"] is not None]
    assert speakers and not outside_list([names[i] for i in speakers])


def test_each_article_page_lists_only_actors_as_actors(client: TestClient, examples_db: Path) -> None:
    with sqlite3.connect(examples_db) as conn:
        ids = [i for (i,) in conn.execute("SELECT id FROM articles")]
    seen_actors = seen_mentions = 0
    for article in ids:
        page = client.get(f"/articles/{article}").text
        actors = page.split('<ul id="actors">', 1)[1].split("</ul>", 1)[0]
        shown = [re.sub(r"&#3?9;|&#x27;", "'", n) for n in re.findall(r'data-fact="[^"]+">([^<]*)</a>', actors)]
        assert not outside_list([n.replace("&amp;", "&") for n in shown]), article
        seen_actors += len(shown)
        seen_mentions += page.count('class="fact entity mention"')
    assert seen_actors >= 150 and seen_mentions > 50  # places and unnamed people are shown apart, as mentions


def export(examples_db: Path, table: str, out: Path) -> list[dict[str, str]]:
    done = subprocess.run([sys.executable, "-m", "dateline", "export", "--table", table, "--format", "csv",
                           "--out", str(out), "--db", str(examples_db)], capture_output=True, text=True, timeout=300,
                          cwd=ROOT)
    assert done.returncode == 0, done.stderr[-2000:]
    with out.open(encoding="utf-8", newline="") as rows:
        return list(csv.DictReader(rows))


def test_exports_name_only_listed_actors(examples_db: Path, tmp_path: Path) -> None:
    with sqlite3.connect(examples_db) as conn:
        names = {str(i): n for i, n in conn.execute("SELECT id, name FROM actors")}
    gdelt = export(examples_db, "gdelt", tmp_path / "gdelt.csv")
    assert len(gdelt) >= 50
    for n in ("1", "2"):
        assert not outside_list([row[f"Actor{n}Name"] for row in gdelt])
        assert not [row[f"Actor{n}Code"] for row in gdelt if row[f"Actor{n}Code"] and not row[f"Actor{n}Name"]]
    assert any(row["Actor1Code"] and row["Actor1Name"] for row in gdelt)
    events = export(examples_db, "events", tmp_path / "events.csv")
    ids = [row[f"{side}_actor_id"] for row in events for side in ("source", "target") if row[f"{side}_actor_id"]]
    assert ids and not outside_list([names[i] for i in ids])
    quotes = export(examples_db, "quotes", tmp_path / "quotes.csv")
    speakers = [names[row["speaker_actor_id"]] for row in quotes if row["speaker_actor_id"]]
    assert speakers and not outside_list(speakers)
