"""Search latency on a generated knowledge base (default 100,000 articles), on SQLite and PostgreSQL.

    python benchmarks/bench_search.py [--n 100000] [--engines sqlite,postgresql] [--repeat 40]
    python benchmarks/bench_search.py --db big.db --db postgresql://…/big    # existing knowledge bases

Records come from scripts/make_corpus.py (``build_db``: synthetic seed records, then bulk SQL clones;
no NLP). Prints p50/p95 in ms for: a selective text search, a common-word text search, an actor
filter, a text + type + date-range search, and date-range event counts (by month).
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "scripts"))

from make_corpus import build_db  # noqa: E402
from sqlalchemy import func, select  # noqa: E402

from dateline.store import open_db, schema  # noqa: E402
from dateline.store.query import Filters, search_articles, time_series  # noqa: E402


def build(db: str, n: int) -> tuple[Any, list[str]]:
    started = time.perf_counter()
    engine, rare_words = build_db(db, n)
    print(f"  built {n} articles in {time.perf_counter() - started:.0f} s", flush=True)
    return engine, rare_words


def existing(db: str) -> tuple[Any, list[str]]:
    """An existing knowledge base made by make_corpus.py, and words from its first bodies."""
    engine = open_db(db)
    with engine.connect() as conn:
        bodies = conn.execute(select(schema.articles.c.body).order_by(schema.articles.c.seq).limit(200)).scalars()
        rare_words = [body.split()[2] for body in bodies]
        total = conn.execute(select(func.count()).select_from(schema.articles)).scalar_one()
    print(f"  {total} articles", flush=True)
    return engine, rare_words


def measure(name: str, run: Callable[[int], Any], repeat: int) -> dict[str, float]:
    run(0)  # warm the caches once
    times = []
    for i in range(repeat):
        t = time.perf_counter()
        run(i + 1)
        times.append((time.perf_counter() - t) * 1000)
    times.sort()
    p50, p95 = statistics.median(times), times[min(len(times) - 1, int(len(times) * 0.95))]
    print(f"  {name:<34} p50 {p50:7.1f} ms   p95 {p95:7.1f} ms", flush=True)
    return {"p50": p50, "p95": p95}


def bench(engine: Any, rare_words: list[str], repeat: int) -> None:
    rng = random.Random(3)
    actors = ["Imran Khan", "Taliban", "United Nations", "Belarus", "Ashraf Ghani"]

    def months(i: int) -> list[dict[str, Any]]:
        year, month = 2020 + i % 5, 1 + i % 6
        return time_series(engine, Filters(since=f"{year}-{month:02d}", until=f"{year}-{month + 5:02d}"),
                           unit="month", of="events")

    measure("text search (selective word)", lambda i: search_articles(engine, Filters(text=rng.choice(rare_words))),
            repeat)
    measure("text search (common word)", lambda i: search_articles(engine, Filters(text="Taliban")), repeat)
    measure("actor filter", lambda i: search_articles(engine, Filters(actor=actors[i % len(actors)])), repeat)
    measure("text + type + date range", lambda i: search_articles(engine, Filters(
        text="Taliban", type="ACCUSE", since=f"{2020 + i % 4}-06", until=f"{2021 + i % 4}-06")), repeat)
    measure("date-range event counts (6 months)", months, repeat)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--n", type=int, default=100_000)
    parser.add_argument("--engines", default="sqlite,postgresql")
    parser.add_argument("--repeat", type=int, default=40)
    parser.add_argument("--db", action="append", default=[], help="measure this existing knowledge base instead")
    args = parser.parse_args()
    for db in args.db:
        print(f"{db}:", flush=True)
        engine, words = existing(db)
        bench(engine, words, args.repeat)
        engine.dispose()
    if args.db:
        return
    for engine_name in args.engines.split(","):
        print(f"{engine_name}, {args.n} articles:", flush=True)
        if engine_name == "sqlite":
            with tempfile.TemporaryDirectory() as tmp:
                engine, words = build(str(Path(tmp) / "bench.db"), args.n)
                bench(engine, words, args.repeat)
        else:
            from dateline.store.pgtemp import TempPostgres

            with TempPostgres() as server:
                engine, words = build(server.create_database("bench"), args.n)
                bench(engine, words, args.repeat)
                engine.dispose()


if __name__ == "__main__":
    main()
