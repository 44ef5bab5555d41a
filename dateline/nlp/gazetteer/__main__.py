"""python -m dateline.nlp.gazetteer build [PATH]: build the gazetteer index (default: default_path())."""

from __future__ import annotations

import sys
import time
from pathlib import Path

from dateline.nlp.gazetteer import Gazetteer, default_path
from dateline.nlp.gazetteer.build import build


def main(argv: list[str]) -> int:
    if not argv or argv[0] != "build" or len(argv) > 2:
        print(__doc__)
        return 2
    path = Path(argv[1]) if len(argv) == 2 else default_path()
    started = time.perf_counter()
    build(path)
    print(f"gazetteer: {Gazetteer(path).count():,} places in {path} ({time.perf_counter() - started:.1f} s)")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
