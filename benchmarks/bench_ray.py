"""Ray ingest with 2 workers against 1 on the same files (target: >= 1.7x on a 2-core machine).

    python benchmarks/bench_ray.py [--n 160] [--cluster] [--base 120]

Each run is a fresh ``ray_ingest`` process writing Parquet, so the database is not what is measured. Articles
come from scripts/make_corpus.py, one JSON Lines file each (Ray spreads work by file).

- default: every run starts its own local Ray (``ray.init(num_cpus=workers)``), as ``dateline ingest --engine
  ray`` does; times include starting Ray, loading the model in every actor and shutting Ray down.
- ``--base N0``: also times the first N0 of the same articles, and reports the speed-up on the articles
  between N0 and N (the difference of the two times), where every fixed cost (processes, Ray, model loads)
  cancels out: what more workers buy on a long ingest.
- ``--cluster``: a Ray head is started once (``ray start --head --num-cpus 2``) and both runs join it with
  ``--address``, as jobs on a standing cluster do; times include connecting and loading the model in every actor.
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

# The machine's own ceiling: the same single-process code over half the files in each of two processes.
BARE = """
import sys
from pathlib import Path
from dateline.settings import Options
from dateline.store.ingest import InputFile, analyze_files
files = sorted(Path(sys.argv[1]).iterdir())
part, parts = int(sys.argv[2]), int(sys.argv[3])
mine = [InputFile(str(p), p.stat().st_size, 0) for p in files[part::parts]]
print(sum(1 for result, _ in analyze_files(mine, Options()) if result.record))
"""

RUN = """
import sys
from pathlib import Path
from dateline.scale.ray_ingest import ray_ingest
summary = ray_ingest([sys.argv[1]], db=None, workers=int(sys.argv[2]), parquet=Path(sys.argv[3]),
                     address=sys.argv[4] or None)
print(summary.ingested if hasattr(summary, "ingested") else summary)
"""


def timed_run(folder: Path, workers: int, out: Path, address: str = "") -> float:
    started = time.perf_counter()
    subprocess.run([sys.executable, "-c", RUN, str(folder), str(workers), str(out), address], check=True,
                   capture_output=True, text=True)
    return time.perf_counter() - started


def timed_bare(folder: Path, processes: int) -> float:
    started = time.perf_counter()
    running = [subprocess.Popen([sys.executable, "-c", BARE, str(folder), str(part), str(processes)],
                                stdout=subprocess.DEVNULL) for part in range(processes)]
    if any(process.wait() for process in running):
        raise SystemExit("a bare process failed")
    return time.perf_counter() - started


def ray_command(*args: str) -> None:
    subprocess.run([str(Path(sys.executable).with_name("ray")), *args], check=True, capture_output=True, text=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--n", type=int, default=160, help="articles (default 160)")
    parser.add_argument("--cluster", action="store_true", help="both runs join one standing local Ray head")
    parser.add_argument("--bare", action="store_true",
                        help="also time 1 vs 2 plain processes without Ray (the machine's own ceiling)")
    parser.add_argument("--base", type=int, default=0, help="also time the first BASE articles (marginal speed-up)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder, base_folder = Path(tmp) / "in", Path(tmp) / "base"
        folder.mkdir()
        base_folder.mkdir()
        words = 0
        for number, item in enumerate(articles(args.n)):
            line = json.dumps(item, ensure_ascii=False) + "\n"
            (folder / f"a{number:05d}.jsonl").write_text(line)
            if number < args.base:
                (base_folder / f"a{number:05d}.jsonl").write_text(line)
            words += len((item.get("text") or item.get("html") or "").split())
        address = ""
        if args.cluster:
            ray_command("start", "--head", "--num-cpus", "2", "--include-dashboard", "false",
                        "--disable-usage-stats")
            address = "auto"
        try:
            times = {(n, workers): timed_run(base_folder if n == args.base else folder, workers,
                                             Path(tmp) / f"out-{n}-{workers}", address)
                     for n in ([args.base] if args.base else []) + [args.n] for workers in (1, 2)}
        finally:
            if args.cluster:
                ray_command("stop")
        bare = (timed_bare(folder, 1), timed_bare(folder, 2)) if args.bare else None
    print(f"{args.n} articles, ~{words:,} words, {'standing cluster' if args.cluster else 'Ray started per run'}")
    for n in ([args.base] if args.base else []) + [args.n]:
        one, two = times[(n, 1)], times[(n, 2)]
        print(f"{n:5d} articles: 1 worker {one:7.1f} s, 2 workers {two:7.1f} s, speed-up {one / two:.2f}x")
    if args.base:
        one = times[(args.n, 1)] - times[(args.base, 1)]
        two = times[(args.n, 2)] - times[(args.base, 2)]
        print(f"articles {args.base}..{args.n}: 1 worker {one:.1f} s, 2 workers {two:.1f} s, "
              f"speed-up {one / two:.2f}x (fixed costs cancel)")
    if bare:
        print(f"no Ray, {args.n} articles: 1 process {bare[0]:.1f} s, 2 processes {bare[1]:.1f} s, "
              f"speed-up {bare[0] / bare[1]:.2f}x (the machine's ceiling)")
    print("target >= 1.7x")


if __name__ == "__main__":
    main()
