"""Pages per second: dateline's HTML path vs bare `trafilatura.extract`, on the same WCXB pages in one run.

    .venv/bin/python benchmarks/bench_extraction.py [--pages 200] [--rounds 2]

Each round times dateline then bare trafilatura, and the order alternates between rounds (a load change on a
shared machine then hits both); the ratio printed is per round, then over all rounds.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Callable
from typing import Any

from dateline.eval.extraction import DEFAULT_GOLD, read_pages
from dateline.settings import Options


def pages_per_second(pages: list[dict[str, Any]], extract: Callable[[dict[str, Any]], object]) -> float:
    start = time.perf_counter()
    for page in pages:
        extract(page)
    return len(pages) / (time.perf_counter() - start)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--pages", type=int, default=200)
    parser.add_argument("--rounds", type=int, default=2)
    args = parser.parse_args()
    if not DEFAULT_GOLD.exists():
        print(f"skipped: {DEFAULT_GOLD} is absent")
        return 0
    import trafilatura

    from dateline.clean import CleanError
    from dateline.clean.html import clean_html

    pages = list(read_pages(DEFAULT_GOLD, args.pages))
    options = Options()

    def ours(page: dict[str, Any]) -> object:
        try:
            return clean_html(page["html"], page["id"], {"url": page.get("url")}, options)
        except CleanError:
            return None

    def bare(page: dict[str, Any]) -> object:
        return trafilatura.extract(page["html"], include_comments=False)

    ours(pages[0])  # start the worker process outside the timing
    print(f"{len(pages)} WCXB pages")
    totals = {"dateline clean_html": 0.0, "bare trafilatura.extract": 0.0}
    for round_number in range(args.rounds):
        systems = [("dateline clean_html", ours), ("bare trafilatura.extract", bare)]
        rates = {name: pages_per_second(pages, extract) for name, extract in systems[::-1 if round_number % 2 else 1]}
        for name, rate in rates.items():
            totals[name] += len(pages) / rate
        ours_rate, bare_rate = rates["dateline clean_html"], rates["bare trafilatura.extract"]
        print(f"round {round_number + 1}: dateline {ours_rate:6.1f} pages/s, bare {bare_rate:6.1f} pages/s, "
              f"ratio {ours_rate / bare_rate:5.2f}")
    ours_rate, bare_rate = (args.rounds * len(pages) / seconds for seconds in totals.values())
    print(f"dateline clean_html      {ours_rate:7.1f} pages/s")
    print(f"bare trafilatura.extract {bare_rate:7.1f} pages/s")
    print(f"ratio dateline / bare    {ours_rate / bare_rate:7.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
