"""Ingest throughput against bare ``nlp.pipe`` on the same texts, and ingest peak memory at 1x and 10x.

    python benchmarks/bench_ingest.py [--n 40] [--memory] [--model-only]

Throughput: the generated articles (scripts/make_corpus.py) are cleaned once to get their bodies; the
same pipeline then runs (a) bare ``nlp.pipe`` over the bodies and (b) ``dateline.store.ingest`` from the
files into a fresh SQLite file. The ratio is ingest words/s over bare words/s (target >= 0.8).
Memory: ``dateline ingest`` runs in a subprocess on n and 10n articles; peak RSS comes from getrusage.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "scripts"))

from make_corpus import articles  # noqa: E402


def write_corpus(path: Path, n: int) -> None:
    with path.open("w", encoding="utf-8") as sink:
        for item in articles(n):
            sink.write(json.dumps(item, ensure_ascii=False) + "\n")


def throughput(n: int, model_only: bool) -> None:
    from dateline.analyze import _to_article
    from dateline.clean.article import Article
    from dateline.ingest import read_inputs
    from dateline.nlp.pipeline import build_nlp, load_nlp
    from dateline.settings import Options
    from dateline.store import open_db
    from dateline.store.ingest import ingest

    nlp = build_nlp(components=()) if model_only else load_nlp()
    with tempfile.TemporaryDirectory() as tmp:
        corpus = Path(tmp) / "corpus.jsonl"
        write_corpus(corpus, n)
        options = Options()
        cleaned = [_to_article(raw, options) for raw in read_inputs([str(corpus)], options)]
        bodies = [a.body for a in cleaned if isinstance(a, Article)]
        words = sum(len(b.split()) for b in bodies)
        list(nlp.pipe(bodies[:4]))  # warm up
        t = time.perf_counter()
        for _ in nlp.pipe(bodies, batch_size=options.batch_size):
            pass
        bare = time.perf_counter() - t
        t = time.perf_counter()
        summary = ingest([str(corpus)], open_db(str(Path(tmp) / "kb.db")), options, nlp=nlp)
        full = time.perf_counter() - t
    print(f"{len(bodies)} articles, {words} words ({'model only' if model_only else 'full pipeline'})")
    print(f"  bare nlp.pipe : {len(bodies) / bare:6.2f} articles/s  {words / bare:8.0f} words/s")
    print(f"  dateline ingest: {summary.ingested / full:6.2f} articles/s  {summary.words / full:8.0f} words/s")
    print(f"  ratio (ingest / bare, words/s): {(summary.words / full) / (words / bare):.2f}")


def peak_memory(n: int, model_only: bool) -> None:
    for size in (n, 10 * n):
        with tempfile.TemporaryDirectory() as tmp:
            corpus = Path(tmp) / "corpus.jsonl"
            write_corpus(corpus, size)
            code = ("import resource,sys; from dateline.store import open_db; from dateline.store.ingest import ingest;"
                    "from dateline.nlp.pipeline import build_nlp, load_nlp;"
                    f"nlp = build_nlp(components=()) if {model_only} else load_nlp();"
                    f"s = ingest([{str(corpus)!r}], open_db({str(Path(tmp) / 'kb.db')!r}), nlp=nlp);"
                    "print(s.ingested, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)")
            out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
            ingested, kib = out.split()
            print(f"  {size:6d} articles ingested {ingested}: peak RSS {int(kib) / 1024:.0f} MiB")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--n", type=int, default=40)
    parser.add_argument("--memory", action="store_true", help="also measure peak memory at n and 10n")
    parser.add_argument("--model-only", action="store_true", help="the spaCy model without dateline's components")
    args = parser.parse_args()
    throughput(args.n, args.model_only)
    if args.memory:
        peak_memory(args.n, args.model_only)


if __name__ == "__main__":
    main()
