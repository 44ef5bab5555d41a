"""Analyze time with and without dateline_places on the seed article and the examples.

    .venv/bin/python benchmarks/bench_places.py [--repeat N]

Each round analyzes every input once through each pipeline (rounds alternate, so machine load hits both);
the gazetteer's answer cache is cleared before every round, so lookups are cold. Prints the overhead in %
(target: at most 5 %).
"""

from __future__ import annotations

import argparse
import statistics
import time
from pathlib import Path

from spacy.language import Language
from spacy.tokens import Doc

from dateline.analyze import analyze
from dateline.nlp.gazetteer import gazetteer
from dateline.nlp.pipeline import COMPONENTS, build_nlp

REPO = Path(__file__).resolve().parents[1]
SEED = REPO / ".." / "shared" / "gold" / "seed" / "article.txt"


def inputs() -> list[str]:
    paths = [p for p in sorted((REPO / "examples").glob("*")) if p.is_file() and p.suffix in (".html", ".txt", ".htm")]
    if SEED.exists():
        paths.insert(0, SEED)
    return [str(p) for p in paths]


def timed(paths: list[str], nlp: object) -> float:
    gazetteer().clear_cache()
    started = time.perf_counter()
    results = list(analyze(paths, nlp=nlp))
    elapsed = time.perf_counter() - started
    assert all(r.ok for r in results), [r.error for r in results if not r.ok]
    return elapsed


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    paths = inputs()
    with_places = build_nlp()
    without = build_nlp(tuple(c for c in COMPONENTS if c != "dateline_places"))
    timed(paths, with_places), timed(paths, without)  # warm up: model caches, gazetteer file in the OS cache
    on, off = [], []
    for _ in range(args.repeat):
        on.append(timed(paths, with_places))
        off.append(timed(paths, without))
    t_on, t_off = statistics.median(on), statistics.median(off)
    print(f"{len(paths)} inputs, {args.repeat} rounds (median): with places {t_on * 1000:.0f} ms, "
          f"without {t_off * 1000:.0f} ms, overhead {100 * (t_on - t_off) / t_off:+.1f} %")
    # The difference above drowns in machine noise on a shared box; timing the component itself does not.
    component = [component_time(paths, without, with_places) for _ in range(args.repeat)]
    print(f"dateline_places alone (cold cache): {statistics.median(component) * 1000:.1f} ms per round, "
          f"{100 * statistics.median(component) / t_off:.1f} % of analyze time without it")


def component_time(paths: list[str], without: Language, with_places: Language) -> float:
    """Seconds spent in dateline_places over the inputs' docs, run after the rest of the pipeline."""
    resolver = with_places.get_pipe("dateline_places")
    docs = _docs(paths, without)
    gazetteer().clear_cache()
    started = time.perf_counter()
    for doc in docs:
        resolver(doc)
    return time.perf_counter() - started


def _docs(paths: list[str], nlp: Language) -> list[Doc]:
    """The inputs' cleaned bodies through the pipeline without dateline_places."""
    texts = [r.record["body"] for r in analyze(paths, nlp=nlp) if r.ok and r.record]
    return list(nlp.pipe(texts))


if __name__ == "__main__":
    main()
