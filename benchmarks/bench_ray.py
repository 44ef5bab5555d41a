"""Ray ingest with 2 workers against 1 on the same files (target: >= 1.7x on a 2-core machine).

    python benchmarks/bench_ray.py [--n 160] [--cluster] [--base 120]

Each run is a fresh ``ray_ingest`` process writing Parquet, so the database is not what is measured. Articles
come from scripts/make_corpus.py, one JSON Lines file each, or all in one file with ``--one-file`` (Ray then
cuts it into spans of whole lines).

- default: every run starts its own local Ray (``ray.init(num_cpus=workers)``), as ``dateline ingest --engine
  ray`` does; times include starting Ray, loading the model in every actor and shutting Ray down.
- ``--base N0``: also times the first N0 of the same articles, and reports the speed-up on the articles
  between N0 and N (the difference of the two times), where every fixed cost (processes, Ray, model loads)
  cancels out: what more workers buy on a long ingest.
- ``--cluster``: a Ray head is started once (``ray start --head --num-cpus 2``) and both runs join it with
  ``--address``, as jobs on a standing cluster do; times include connecting and loading the model in every actor.
- ``--pool`` (with ``--cluster``): also times the same actors fed by a plain ``ray.util.ActorPool`` instead of
  Ray Data, to show what Ray Data's own driver machinery costs on two cores.

Every run prints the driver's CPU seconds: on two cores, what the driver spends is taken from the second actor.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from statistics import median

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
import resource
import sys
from pathlib import Path
from dateline.scale.ray_ingest import ray_ingest
summary = ray_ingest([sys.argv[1]], db=None, workers=int(sys.argv[2]), parquet=Path(sys.argv[3]),
                     address=sys.argv[4] or None)
usage = resource.getrusage(resource.RUSAGE_SELF)
print(usage.ru_utime + usage.ru_stime)
"""

# The same actors and writer, fed by a plain ActorPool: no Ray Data executor, stats or autoscaling actors.
POOL = """
import resource
import sys
import time
from pathlib import Path
import ray
from ray.util import ActorPool
from dateline.scale.ray_ingest import AnalyzeFiles, _pairs, _write_parquet
from dateline.settings import Options
from dateline.store.ingest import IngestSummary
files = sorted(Path(sys.argv[1]).iterdir())
ray.init(address=sys.argv[4], log_to_driver=False)
actor = ray.remote(num_cpus=1)(AnalyzeFiles)
pool = ActorPool([actor.remote(Options()) for _ in range(int(sys.argv[2]))])
chunks = [files[i:i + 16] for i in range(0, len(files), 16)]
batches = [{"path": [str(p) for p in chunk], "size": [p.stat().st_size for p in chunk], "mtime_ns": [0] * len(chunk),
            "start": [-1] * len(chunk), "end": [-1] * len(chunk), "first_line": [1] * len(chunk)} for chunk in chunks]
rows = (dict(zip(out, values)) for out in pool.map(lambda a, b: a.__call__.remote(b), batches)
        for values in zip(*out.values()))
_write_parquet(_pairs(rows, []), Path(sys.argv[3]), IngestSummary(files=len(files)), time.perf_counter())
usage = resource.getrusage(resource.RUSAGE_SELF)
print(usage.ru_utime + usage.ru_stime)
"""


def timed_run(folder: Path, workers: int, out: Path, address: str = "", script: str = RUN) -> tuple[float, float]:
    """(wall seconds, driver CPU seconds) of one run in a fresh process."""
    started = time.perf_counter()
    done = subprocess.run([sys.executable, "-c", script, str(folder), str(workers), str(out), address], check=True,
                          capture_output=True, text=True)
    return time.perf_counter() - started, float(done.stdout.split()[-1])


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
    parser.add_argument("--pool", action="store_true", help="also time a plain ActorPool (needs --cluster)")
    parser.add_argument("--one-file", action="store_true",
                        help="all articles in one JSON Lines file (Ray cuts it into spans of lines)")
    parser.add_argument("--repeat", type=int, default=1,
                        help="pairs of runs, 1 and 2 workers in alternating order; medians are reported")
    args = parser.parse_args()
    if args.pool and (not args.cluster or args.one_file):
        parser.error("--pool joins the standing cluster (add --cluster) and reads a file per article")
    with tempfile.TemporaryDirectory() as tmp:
        folder, base_folder, warm_folder = write_corpus(Path(tmp), args.n, args.base, args.one_file)
        address = ""
        if args.cluster:
            ray_command("start", "--head", "--num-cpus", "2", "--include-dashboard", "false",
                        "--disable-usage-stats")
            address = "auto"
            # Ray Data creates its detached helper actors on a cluster's first job: not in either timed run.
            timed_run(warm_folder, 2, Path(tmp) / "warm", address)
        runs: dict[str, list[dict[int, tuple[float, float]]]] = {}
        try:
            for repeat in range(args.repeat):
                order = (1, 2) if repeat % 2 == 0 else (2, 1)
                if args.base:
                    runs.setdefault(f"{args.base:5d} articles", []).append(
                        {w: timed_run(base_folder, w, Path(tmp) / f"b{repeat}-{w}", address) for w in order})
                runs.setdefault(f"{args.n:5d} articles", []).append(
                    {w: timed_run(folder, w, Path(tmp) / f"o{repeat}-{w}", address) for w in order})
                if args.pool:
                    runs.setdefault("ActorPool, no Ray Data", []).append(
                        {w: timed_run(folder, w, Path(tmp) / f"p{repeat}-{w}", address, POOL) for w in order})
        finally:
            if args.cluster:
                ray_command("stop")
        if args.bare:
            runs["no Ray, plain processes"] = [{w: (timed_bare(folder, w), 0.0) for w in (1, 2)}
                                               for _ in range(args.repeat)]
    words = sum(len((item.get("text") or item.get("html") or "").split()) for item in articles(args.n))
    print(f"{args.n} articles, ~{words:,} words, {'in one file' if args.one_file else 'a file each'}, "
          f"{'standing cluster' if args.cluster else 'Ray started per run'}, {args.repeat} pair(s) of runs")
    for name, pairs in runs.items():
        one, two = median(p[1][0] for p in pairs), median(p[2][0] for p in pairs)
        ratios = ", ".join(f"{p[1][0] / p[2][0]:.2f}" for p in pairs)
        driver = "" if name.startswith("no Ray") else \
            f", driver CPU {median(p[1][1] for p in pairs):.1f} / {median(p[2][1] for p in pairs):.1f} s"
        print(f"{name}: 1 worker {one:.1f} s, 2 workers {two:.1f} s (medians{driver}); "
              f"speed-up per pair {ratios}; median {median(p[1][0] / p[2][0] for p in pairs):.2f}x")
    if args.base:
        full, base = runs[f"{args.n:5d} articles"], runs[f"{args.base:5d} articles"]
        marginal = [(f[1][0] - b[1][0]) / (f[2][0] - b[2][0]) for f, b in zip(full, base, strict=True)]
        print(f"articles {args.base}..{args.n} (fixed costs cancel): speed-up per pair "
              f"{', '.join(f'{m:.2f}' for m in marginal)}; median {median(marginal):.2f}x")
    print("target >= 1.7x")


def write_corpus(tmp: Path, n: int, base: int, one_file: bool) -> tuple[Path, Path, Path]:
    """One JSON Lines file per article (or one for all) in ``in/``; the first ``base`` again in ``base/``, 8 in
    ``warm/``."""
    folders = tmp / "in", tmp / "base", tmp / "warm"
    for folder in folders:
        folder.mkdir()
    for number, item in enumerate(articles(n)):
        line = json.dumps(item, ensure_ascii=False) + "\n"
        for folder, limit in zip(folders, (n, base, 8), strict=True):
            if number < limit:
                with (folder / ("all.jsonl" if one_file else f"a{number:05d}.jsonl")).open("a") as out:
                    out.write(line)
    return folders


if __name__ == "__main__":
    main()
