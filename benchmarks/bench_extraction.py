"""Pages per second: dateline's HTML path vs bare `trafilatura.extract`, on the same WCXB pages in one run.

    .venv/bin/python benchmarks/bench_extraction.py [--pages 200]
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
    ours_rate = pages_per_second(pages, ours)
    bare_rate = pages_per_second(pages, bare)
    print(f"{len(pages)} WCXB pages")
    print(f"dateline clean_html      {ours_rate:7.1f} pages/s")
    print(f"bare trafilatura.extract {bare_rate:7.1f} pages/s")
    print(f"ratio dateline / bare    {ours_rate / bare_rate:7.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
