"""Words per second of dateline's whole pipeline against bare ``nlp.pipe`` of the same model, in one run.

    .venv/bin/python benchmarks/bench_pipeline.py [--repeat N] [--rounds R]

Texts: the seed article (../shared/gold/seed/article.txt, when present), examples/*.txt and the actors evaluation
texts (tests/data/actors/eval.jsonl), repeated N times. Both pipelines are loaded and warmed up first (dictionaries
and the gazetteer are loaded once per process, outside the timing), then timed alternately R times; the best
round of each counts, which is fairest on a shared machine. The target is a ratio of at least 0.85.
"""

from __future__ import annotations

import argparse
import json
import time
from collections.abc import Callable
from pathlib import Path

from spacy.language import Language

from dateline.nlp.pipeline import build_nlp

REPO = Path(__file__).resolve().parents[1]


def corpus() -> list[str]:
    texts = []
    seed = REPO / ".." / "shared" / "gold" / "seed" / "article.txt"
    if seed.exists():
        texts.append(seed.read_text(encoding="utf-8"))
    texts += [p.read_text(encoding="utf-8") for p in sorted((REPO / "examples").glob("*.txt"))]
    gold = REPO / "tests" / "data" / "actors" / "eval.jsonl"
    if gold.exists():
        texts += [json.loads(line)["text"] for line in gold.read_text(encoding="utf-8").splitlines() if line.strip()]
    return texts


def timed(run: Callable[[], None]) -> float:
    start = time.perf_counter()
    run()
    return time.perf_counter() - start


def consume(nlp: Language, texts: list[str]) -> Callable[[], None]:
    def run() -> None:
        for _ in nlp.pipe(texts, batch_size=16):
            pass

    return run


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--repeat", type=int, default=5, help="how many times the corpus is repeated")
    parser.add_argument("--rounds", type=int, default=3, help="timed rounds of each pipeline")
    args = parser.parse_args()

    texts = corpus() * args.repeat
    words = sum(len(t.split()) for t in texts)
    bare = build_nlp(components=())
    full = build_nlp()
    warm = corpus()
    consume(bare, warm)()
    consume(full, warm)()  # loads dictionaries, gazetteer and caches outside the timing

    bare_times, full_times = [], []
    for _ in range(args.rounds):
        bare_times.append(timed(consume(bare, texts)))
        full_times.append(timed(consume(full, texts)))
    bare_wps, full_wps = words / min(bare_times), words / min(full_times)
    print(f"texts {len(texts)}  words {words}  rounds {args.rounds}")
    print(f"bare nlp.pipe ({', '.join(bare.pipe_names)}): {bare_wps:,.0f} words/s")
    print(f"dateline pipeline (+ {', '.join(full.pipe_names[len(bare.pipe_names):])}): {full_wps:,.0f} words/s")
    print(f"ratio {full_wps / bare_wps:.3f}  (target >= 0.85)")
    print_component_shares(full, bare, texts, min(bare_times), args.rounds)


def print_component_shares(full: Language, bare: Language, texts: list[str], bare_seconds: float,
                           rounds: int) -> None:
    """Each dateline component's time on the model's output, as a share of the bare model's time (the best of
    ``rounds`` runs over the same documents, like the pipelines above)."""
    docs = list(full.pipe(texts, disable=full.pipe_names[len(bare.pipe_names):]))
    for name in full.pipe_names[len(bare.pipe_names):]:
        component = full.get_pipe(name)
        times = []
        for _ in range(rounds):
            start = time.perf_counter()
            done = [component(doc) for doc in docs]
            times.append(time.perf_counter() - start)
        docs = done
        seconds = min(times)
        print(f"  {name:24s} {seconds:7.2f} s  = {100 * seconds / bare_seconds:5.1f}% of the bare model's time")


if __name__ == "__main__":
    main()
