"""API latency (p50/p95) of search, time series and map data, and first page load, on a real server.

    .venv/bin/python benchmarks/bench_api.py --db big.db            # an existing knowledge base
    .venv/bin/python benchmarks/bench_api.py --make 5000 --source-db dateline.db --db /tmp/bench.db

``--make N`` fills ``--db`` with N articles cloned from ``--source-db`` (a knowledge base made by
``dateline ingest examples/``): each copy gets a distinct closing sentence (so a distinct id) and a
publication date spread over two years. The server is ``dateline serve`` in its own process on loopback.
"""

from __future__ import annotations

import argparse
import copy
import random
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests" / "web"))
from conftest import start_server, stop_server  # noqa: E402

from dateline.record import article_id  # noqa: E402
from dateline.store import open_db  # noqa: E402
from dateline.store.query import Filters, get_article, search_articles  # noqa: E402
from dateline.store.write import write_records  # noqa: E402

WORDS = ["Taliban", "border", "aid", "police", "minister", "protest", "drought", "talks", "sanctions", "attack"]


def make_db(target: str, source: str, n: int, seed: int = 7) -> None:
    """``n`` varied copies of the source knowledge base's articles written into ``target``."""
    src = open_db(source, create=False)
    ids = [a["id"] for a in search_articles(src, Filters(), limit=1000).items]
    records = [r for r in (get_article(src, i) for i in ids) if r]
    rng = random.Random(seed)
    engine = open_db(target)
    start = date(2023, 1, 1)
    batch: list[dict[str, Any]] = []
    for i in range(n):
        record = copy.deepcopy(records[i % len(records)])
        record.pop("story_id", None)
        record["body"] += f"\n\nCopy {i} of this story for the benchmark."
        record["id"] = article_id(record["body"])
        record["published"] = (start + timedelta(days=rng.randrange(730))).isoformat()
        for event in record.get("events") or []:
            event["date"] = record["published"] if rng.random() < 0.5 else event.get("date")
        batch.append(record)
        if len(batch) == 500:
            with engine.begin() as conn:
                write_records(conn, batch)
            batch = []
    if batch:
        with engine.begin() as conn:
            write_records(conn, batch)


def percentiles(samples: list[float]) -> tuple[float, float]:
    ordered = sorted(samples)
    return statistics.median(ordered), ordered[min(len(ordered) - 1, int(round(0.95 * (len(ordered) - 1))))]


def timed(http: httpx.Client, path: str, params: dict[str, Any]) -> float:
    started = time.perf_counter()
    response = http.get(path, params=params)
    elapsed = (time.perf_counter() - started) * 1000
    response.raise_for_status()
    return elapsed


def bench_endpoints(base: str, runs: int) -> None:
    rng = random.Random(1)
    cases: dict[str, tuple[str, Callable[[], dict[str, Any]]]] = {
        "search (text)": ("/api/search", lambda: {"q": rng.choice(WORDS)}),
        "search (text + type + dates)": ("/api/search", lambda: {"q": rng.choice(WORDS), "type": "ACCUSE",
                                                                  "since": "2023-06", "until": "2024-06"}),
        "time series (articles/day, text)": ("/api/timeseries", lambda: {"q": rng.choice(WORDS)}),
        "time series (events/month, type)": ("/api/timeseries", lambda: {"of": "events", "unit": "month",
                                                                         "type": "ACCUSE"}),
        "attention (day, text)": ("/api/attention", lambda: {"q": rng.choice(WORDS)}),
        "map: places": ("/api/places", lambda: {"limit": 500}),
        "map: event places": ("/api/event-places", lambda: {}),
        "map: places (text)": ("/api/places", lambda: {"limit": 500, "q": rng.choice(WORDS)}),
        "facets (text)": ("/api/facets", lambda: {"q": rng.choice(WORDS)}),
        "network": ("/api/network", lambda: {}),
    }
    with httpx.Client(base_url=base, timeout=60) as http:
        # The server computes the unfiltered aggregates in a thread at start; asking for them once
        # here waits for that, so the timed requests below do not share the CPU with it.
        # The per-process date column and (PostgreSQL) id array are read last; a text time series and a
        # text + type search wait for them.
        for path in ("/api/counts", "/api/facets", "/api/attention", "/api/places?limit=500", "/api/event-places",
                     "/api/network", "/api/timeseries?q=border", "/api/search?q=border&type=ACCUSE"):
            http.get(path).raise_for_status()
        print(f"{'endpoint':36} {'p50 ms':>8} {'p95 ms':>8}")
        for name, (path, params) in cases.items():
            timed(http, path, params())  # warm-up
            p50, p95 = percentiles([timed(http, path, params()) for _ in range(runs)])
            print(f"{name:36} {p50:8.1f} {p95:8.1f}")


def bench_first_load(base: str, runs: int = 10) -> None:
    with httpx.Client(base_url=base, timeout=60) as http:
        p50, p95 = percentiles([timed(http, "/", {}) for _ in range(max(10, runs))])
    print(f"{'first page HTML (GET /)':36} {p50:8.1f} {p95:8.1f}")
    chromium = Path("/usr/bin/chromium")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        return
    if not chromium.exists():
        return
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(chromium), args=["--no-sandbox", "--disable-gpu",
                                                                         "--disable-background-networking"])
        loads, in_page = [], []
        for _ in range(runs):
            context = browser.new_context()  # a fresh context: nothing cached, every file fetched
            page = context.new_page()
            started = time.perf_counter()
            page.goto(base + "/", wait_until="load")
            page.wait_for_selector("#attention svg")
            loads.append((time.perf_counter() - started) * 1000)
            # The page's own clock, navigation start to chart drawn (charts.js marks it), without the
            # round trips between this script and the browser that the wall-clock figure includes.
            in_page.append(page.evaluate("performance.getEntriesByName('chart-drawn:attention')[0].startTime"))
            context.close()
        browser.close()
    p50, p95 = percentiles(loads)
    print(f"{'first page load in Chromium (+chart)':36} {p50:8.1f} {p95:8.1f}")
    p50, p95 = percentiles(in_page)
    print(f"{'  same, browser clock (nav -> chart)':36} {p50:8.1f} {p95:8.1f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--db", required=True)
    parser.add_argument("--make", type=int, default=0, help="Fill --db with this many cloned articles first.")
    parser.add_argument("--source-db", default="dateline.db")
    parser.add_argument("--runs", type=int, default=50)
    args = parser.parse_args()
    if args.make:
        started = time.perf_counter()
        make_db(args.db, args.source_db, args.make)
        print(f"made {args.make} articles in {time.perf_counter() - started:.1f} s")
    counts = subprocess.run([sys.executable, "-c", "import json,sys; from dateline.store import open_db; "
                             "from dateline.store.query import counts; print(json.dumps(counts(open_db(sys.argv[1]))))",
                             args.db], capture_output=True, text=True, check=True).stdout.strip()
    print(f"database {args.db}: {counts}")
    process, base = start_server(args.db)
    try:
        bench_endpoints(base, args.runs)
        bench_first_load(base)
    finally:
        stop_server(process)


if __name__ == "__main__":
    main()
