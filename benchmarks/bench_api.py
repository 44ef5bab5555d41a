"""API latency (p50/p95) of search, time series and map data, and first page load, on a real server.

    .venv/bin/python benchmarks/bench_api.py --db big.db            # an existing knowledge base
    .venv/bin/python benchmarks/bench_api.py --db big.db --postgres 100000 --runs 20   # and the same on PostgreSQL
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
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "scripts"))
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


# Every list endpoint (with its own parameters) × the filters an analyst types.
ENDPOINTS: dict[str, tuple[str, dict[str, Any]]] = {
    "search": ("/api/search", {}), "quotes": ("/api/quotes", {}), "events": ("/api/events", {}),
    "event-places": ("/api/event-places", {}), "places": ("/api/places", {"limit": 500}),
    "actors": ("/api/actors", {}), "network": ("/api/network", {}),
    "timeseries articles": ("/api/timeseries", {"of": "articles", "unit": "month"}),
    "timeseries quotes": ("/api/timeseries", {"of": "quotes", "unit": "week"}),
    "timeseries events": ("/api/timeseries", {"of": "events", "unit": "month"}),
    "facets": ("/api/facets", {}), "attention": ("/api/attention", {}),
}
FILTERS: dict[str, Callable[[random.Random], dict[str, Any]]] = {
    "no filter": lambda rng: {},
    "text": lambda rng: {"q": rng.choice(WORDS)},
    "text+type": lambda rng: {"q": rng.choice(WORDS), "type": rng.choice(["ASSAULT", "ACCUSE", "AID"])},
    "text+source": lambda rng: {"q": rng.choice(WORDS), "source": rng.choice(["anonymous", "named"])},
    "text+dates": lambda rng: {"q": rng.choice(WORDS), "since": "2021-03", "until": "2022-06"},
}


def bench_endpoints(base: str, runs: int) -> list[float]:
    """The grid of p95s (ms), printed as a table; returns every cell's p95."""
    rng = random.Random(1)
    with httpx.Client(base_url=base, timeout=60) as http:
        # The server computes the unfiltered aggregates in a thread at start; asking for them once
        # here waits for that, so the timed requests below do not share the CPU with it.
        # The per-process date column and (PostgreSQL) id array are read last; a text time series and a
        # text + type search wait for them.
        for path in ("/api/counts", "/api/facets", "/api/attention", "/api/places?limit=500", "/api/event-places",
                     "/api/network", "/api/timeseries?q=border", "/api/search?q=border&type=ACCUSE"):
            http.get(path).raise_for_status()
        print(f"p95 ms over {runs} requests per cell (words drawn from {len(WORDS)}; p50 in brackets)")
        print(f"{'endpoint':22}" + "".join(f"{name:>17}" for name in FILTERS))
        p95s = []
        for endpoint, (path, own) in ENDPOINTS.items():
            cells = []
            for make in FILTERS.values():
                timed(http, path, {**own, **make(rng)})  # warm-up
                p50, p95 = percentiles([timed(http, path, {**own, **make(rng)}) for _ in range(runs)])
                p95s.append(p95)
                cells.append(f"{p95:9.1f} ({p50:5.1f})")
            print(f"{endpoint:22}" + "".join(f"{c:>17}" for c in cells), flush=True)
        print(f"cells with p95 >= 100 ms: {sum(p >= 100 for p in p95s)} of {len(p95s)}; worst p95 {max(p95s):.1f} ms")
    return p95s


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
    parser.add_argument("--postgres", type=int, default=0, metavar="N",
                        help="Also on PostgreSQL: a throwaway server filled with N articles by scripts/make_corpus.py.")
    parser.add_argument("--no-browser", action="store_true", help="Skip the first page load timings.")
    args = parser.parse_args()
    if args.make:
        started = time.perf_counter()
        make_db(args.db, args.source_db, args.make)
        print(f"made {args.make} articles in {time.perf_counter() - started:.1f} s")
    counts = subprocess.run([sys.executable, "-c", "import json,sys; from dateline.store import open_db; "
                             "from dateline.store.query import counts; print(json.dumps(counts(open_db(sys.argv[1]))))",
                             args.db], capture_output=True, text=True, check=True).stdout.strip()
    print(f"database {args.db}: {counts}")
    serve(args.db, args.runs, browser=not args.no_browser)
    if args.postgres:
        from make_corpus import build_db

        from dateline.store.pgtemp import TempPostgres

        server = TempPostgres().start()
        try:
            url = server.create_database("bench_api")
            started = time.perf_counter()
            build_db(url, args.postgres)
            print(f"\nPostgreSQL: made {args.postgres} articles in {time.perf_counter() - started:.0f} s")
            serve(url, args.runs, browser=False)
        finally:
            server.stop()


def serve(db: str, runs: int, *, browser: bool) -> None:
    process, base = start_server(db)
    try:
        bench_endpoints(base, runs)
        if browser:
            bench_first_load(base)
    finally:
        stop_server(process)


if __name__ == "__main__":
    main()
