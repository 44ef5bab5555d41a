"""Across articles (issue 15): API latency of claims, sourcing and cluster counts, and the ingest cost of the layer.

    .venv/bin/python benchmarks/bench_across.py --db big.db --db postgresql://…/big --runs 30
    .venv/bin/python benchmarks/bench_across.py --ingest 60

``--db``: a knowledge base whose articles are indexed across articles (``dateline across --db …`` indexes
any that are not, e.g. after ``scripts/make_corpus.py --db`` cloned them in SQL). Each endpoint is asked
``--runs`` times of a real ``dateline serve`` on loopback after one warm-up request; p50 and p95 in ms.
Filtered time series, network and map are never cached by the app, so they time the cluster counting itself.

``--ingest N``: N articles from ``scripts/make_corpus.py`` ingested into a fresh SQLite file twice, with the
layer's hook and with it switched off (the same process, the pipeline loaded once); prints articles/s of both,
their ratio, and the share of the first run's time spent inside the hook.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import httpx

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "tests" / "web"))
sys.path.insert(0, str(REPO / "scripts"))
from conftest import start_server, stop_server  # noqa: E402
from make_corpus import articles  # noqa: E402


def endpoints(base: str) -> list[tuple[str, str]]:
    top = httpx.get(base + "/api/claims", params={"limit": 1}, timeout=60).json()["items"]
    cluster = httpx.get(base + "/api/clusters", params={"limit": 1}, timeout=60).json()["items"]
    paths = [
        ("claims (travelled, most articles first)", "/api/claims"),
        ("claims, words in content", "/api/claims?q=border"),
        ("claims, denied", "/api/claims?denied=true"),
        ("claims, lost attribution, recent first", "/api/claims?lost=true&order=recent"),
        ("claims, since a date", "/api/claims?since=2023-06-01&order=first"),
    ]
    if top:
        paths.append(("claim trail", f"/api/claims/{top[0]['id']}"))
    paths += [(f"sourcing by {by}", f"/api/sourcing?by={by}") for by in ("publisher", "month", "country", "type", "actor")]
    paths += [("sourcing by month, a year", "/api/sourcing?by=month&since=2022-01&until=2022-12")]
    paths += [("clusters (most reports first)", "/api/clusters"),
              ("clusters of a type, reported twice+", "/api/clusters?type=ASSAULT&min_articles=2")]
    if cluster:
        paths.append(("cluster reports", f"/api/clusters/{cluster[0]['id']}"))
    for count in ("clusters", "reports"):
        paths += [(f"events per month, a type ({count})", f"/api/timeseries?of=events&unit=month&type=ASSAULT&count={count}"),
                  (f"events per day, a country ({count})", f"/api/timeseries?of=events&country=PK&count={count}"),
                  (f"network, a type ({count})", f"/api/network?type=ACCUSE&count={count}"),
                  (f"event places, a type ({count})", f"/api/event-places?type=AID&count={count}")]
    return paths


def latency(db: str, runs: int) -> list[dict[str, Any]]:
    process, base = start_server(db, env={"DATELINE_UPLOAD_TOKEN": ""})
    rows = []
    try:
        with httpx.Client(base_url=base, timeout=120) as http:
            first = time.perf_counter()
            http.get("/api/timeseries", params={"of": "events", "unit": "month"}).raise_for_status()
            rows.append({"endpoint": "events per month, everything (first, uncached)", "p50_ms": None,
                         "p95_ms": round((time.perf_counter() - first) * 1000, 1)})
            for name, path in endpoints(base):
                http.get(path).raise_for_status()
                times = []
                for _ in range(runs):
                    t = time.perf_counter()
                    http.get(path).raise_for_status()
                    times.append((time.perf_counter() - t) * 1000)
                times.sort()
                rows.append({"endpoint": name, "p50_ms": round(statistics.median(times), 1),
                             "p95_ms": round(times[max(0, int(len(times) * 0.95) - 1)], 1)})
    finally:
        stop_server(process)
    return rows


def ingest_cost(n: int) -> dict[str, Any]:
    import dateline.store.write as write
    from dateline.nlp.pipeline import load_nlp
    from dateline.settings import Options
    from dateline.store import open_db
    from dateline.store.ingest import ingest

    hook = write.index_articles
    inside = [0.0, 0.0]  # wall, CPU of this thread (process time would count other threads' work meanwhile)

    def timed(conn: Any, ids: Any) -> int:
        wall, cpu = time.perf_counter(), time.thread_time()
        done = hook(conn, ids)
        inside[0] += time.perf_counter() - wall
        inside[1] += time.thread_time() - cpu
        return done

    nlp = load_nlp()
    with tempfile.TemporaryDirectory() as tmp:
        corpus = Path(tmp) / "corpus.jsonl"
        with corpus.open("w", encoding="utf-8") as sink:
            for item in articles(n):
                sink.write(json.dumps(item, ensure_ascii=False) + "\n")
        warm = Path(tmp) / "warm.jsonl"  # the pipeline's and the layer's first-use costs, paid before timing
        warm.write_text("".join(json.dumps(a, ensure_ascii=False) + "\n" for a in articles(3, seed=99)))
        ingest([str(warm)], open_db(str(Path(tmp) / "warm.db")), Options(), nlp=nlp)
        runs = {}
        for name, fn in (("without", lambda conn, ids: 0), ("with", timed)):
            write.index_articles = fn  # type: ignore[assignment]
            wall, cpu = time.perf_counter(), time.process_time()
            summary = ingest([str(corpus)], open_db(str(Path(tmp) / f"{name}.db")), Options(), nlp=nlp)
            runs[name] = (summary.ingested, time.perf_counter() - wall, time.process_time() - cpu)
        write.index_articles = hook
        engine = open_db(str(Path(tmp) / "with.db"))
        with engine.connect() as conn:
            claims = conn.exec_driver_sql("SELECT count(*), sum(articles > 1) FROM claims").one()
            clusters = conn.exec_driver_sql("SELECT count(*), sum(articles > 1) FROM event_clusters").one()
    (n_off, wall_off, cpu_off), (n_on, wall_on, cpu_on) = runs["without"], runs["with"]
    return {"articles": n_on, "without_articles_per_s": round(n_off / wall_off, 2),
            "with_articles_per_s": round(n_on / wall_on, 2), "ratio_wall": round((n_on / wall_on) / (n_off / wall_off), 3),
            "ratio_cpu": round(cpu_off / cpu_on, 3), "hook_share_wall": round(inside[0] / wall_on, 3),
            "hook_share_cpu": round(inside[1] / cpu_on, 3), "hook_ms_per_article_cpu": round(inside[1] / n_on * 1000, 2),
            "claims": claims[0], "travelled_claims": claims[1], "clusters": clusters[0], "shared_clusters": clusters[1]}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--db", action="append", default=[], help="knowledge base(s) to time the API on")
    parser.add_argument("--runs", type=int, default=30)
    parser.add_argument("--ingest", type=int, default=0, help="articles for the ingest cost run")
    args = parser.parse_args()
    for db in args.db:
        print(f"== {db.split('@')[-1]}")
        for row in latency(db, args.runs):
            p50 = "" if row["p50_ms"] is None else f"{row['p50_ms']:8.1f}"
            print(f"  {row['endpoint']:<52} p50 {p50:>8} ms   p95 {row['p95_ms']:8.1f} ms")
    if args.ingest:
        print(json.dumps(ingest_cost(args.ingest), indent=1))


if __name__ == "__main__":
    main()
