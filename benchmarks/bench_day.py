"""A day of news, timed: N realistic articles (~700 words; half HTML pages, half JSON Lines) ingested into SQLite.

    .venv/bin/python benchmarks/bench_day.py [--n 5000] [--workers 2]          # the day, with a projection
    .venv/bin/python benchmarks/bench_day.py --n 2000 --pairs 3                # --workers 2 / --workers 1

The day: ``dateline ingest --workers W`` runs in a subprocess on the generated folder; its wall time gives
articles/s and words/s, its peak memory is the largest sum of the resident sizes of it and its workers
(sampled from /proc every 0.2 s). Bare ``nlp.pipe`` (the spaCy model alone, one process, this run) over the
same cleaned bodies is the yardstick, and 100,000 articles are projected from the measured rate.
Where the time goes is measured in this process on a sample (``--sample``) of the same inputs: cleaning
(``clean_raw``), the model (bare ``nlp.pipe``), dateline's components (the full pipeline minus the model),
the store (``write_records``), as shares of one process's time.
``--pairs K`` times ``--workers 1`` and ``--workers 2`` alternately K times each on the same corpus (fresh
databases) and prints the median of the pairs' ratios.
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import date, timedelta
from html import escape
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "scripts"))

from make_corpus import source_sentences, vocabulary  # noqa: E402

PAGE = """<!doctype html><html><head><meta charset="utf-8"><title>{title} | The Daily Wire Service</title>
<meta property="og:title" content="{title}"><meta name="author" content="{author}">
<meta property="article:published_time" content="{published}T08:00:00Z"></head>
<body><header><nav><a href="/">Home</a> <a href="/world">World</a> <a href="/politics">Politics</a></nav></header>
<main><article><h1>{title}</h1><p class="byline">By {author}</p>
<figure><img src="/p.jpg" alt="A street scene"><figcaption>Residents on Monday. Photo: Agency</figcaption></figure>
{paragraphs}
<aside class="related"><h3>Related stories</h3><ul><li><a href="/a">Talks resume</a></li>
<li><a href="/b">Aid arrives</a></li></ul></aside></article></main>
<footer><p>Advertisement</p><p>Subscribe to our newsletter</p><p>Copyright 2024</p></footer></body></html>
"""
AUTHORS = ["Amina Yusuf", "Daniel Ortega", "Leyla Mammadova", "Ruben Hakobyan", "Sara Lindqvist"]


def day_articles(n: int, seed: int = 11) -> list[dict[str, Any]]:
    """``n`` articles of about 700 words: demo sentences in new orders, a few rarer words, five years of dates."""
    rng = random.Random(seed)
    sentences, words = source_sentences(), vocabulary(rng, 5000)
    start = date(2020, 1, 1)
    out = []
    for i in range(n):
        body: list[str] = []
        while sum(len(s.split()) for s in body) < 690:
            body.append(rng.choice(sentences))
        paragraphs = [" ".join(body[j:j + 3]) for j in range(0, len(body), 3)]
        paragraphs[0] = f"Report {i} ({' '.join(rng.choice(words) for _ in range(6))}). " + paragraphs[0]
        out.append({"title": f"{body[0][:70]} ({i})", "paragraphs": paragraphs, "author": rng.choice(AUTHORS),
                    "published": (start + timedelta(days=rng.randrange(5 * 365))).isoformat()})
    return out


def write_day(folder: Path, articles: list[dict[str, Any]]) -> None:
    """Even articles as HTML pages (a folder per hundred), odd ones as lines of JSON Lines files of 100."""
    folder.mkdir(parents=True, exist_ok=True)
    lines: list[str] = []
    for i, a in enumerate(articles):
        if i % 2 == 0:
            page = PAGE.format(title=escape(a["title"]), author=a["author"], published=a["published"],
                               paragraphs="\n".join(f"<p>{escape(p)}</p>" for p in a["paragraphs"]))
            sub = folder / f"html-{i // 200:03d}"
            sub.mkdir(exist_ok=True)
            (sub / f"story-{i:06d}.html").write_text(page, encoding="utf-8")
        else:
            lines.append(json.dumps({"title": a["title"], "text": "\n\n".join(a["paragraphs"]), "byline": a["author"],
                                     "published": a["published"], "url": f"https://example.org/{i}"}))
            if len(lines) == 100:
                (folder / f"wire-{i:06d}.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
                lines = []
    if lines:
        (folder / "wire-last.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")


def _tree_rss(pid: int) -> int:
    """Resident bytes of ``pid`` and every descendant."""
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                ppid = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
            except (OSError, IndexError, ValueError):
                continue
            children.setdefault(ppid, []).append(int(entry.name))
    total, todo = 0, [pid]
    while todo:
        p = todo.pop()
        todo.extend(children.get(p, []))
        try:
            for line in Path(f"/proc/{p}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    total += int(line.split()[1]) * 1024
        except OSError:
            pass
    return total


def timed_ingest(folder: Path, db: Path, workers: int) -> tuple[float, int, str]:
    """(seconds, peak resident bytes of the ingest and its workers, its summary line)."""
    command = [str(REPO / ".venv" / "bin" / "dateline"), "ingest", str(folder), "--db", str(db), "--quiet",
               "--workers", str(workers)]
    started = time.perf_counter()
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    peak = 0
    while process.poll() is None:
        peak = max(peak, _tree_rss(process.pid))
        time.sleep(0.2)
    seconds = time.perf_counter() - started
    stderr = process.stderr.read() if process.stderr else ""
    if process.returncode not in (0, 1):
        raise SystemExit(f"ingest failed ({process.returncode}): {stderr}")
    return seconds, peak, stderr.strip().splitlines()[-1] if stderr.strip() else ""


def breakdown(folder: Path, sample: int) -> dict[str, float]:
    """Seconds of cleaning, the model, dateline's components and the store for ``sample`` inputs, one process."""
    from dateline.analyze import _to_article
    from dateline.clean.article import Article
    from dateline.ingest import read_inputs
    from dateline.nlp.pipeline import build_nlp, load_nlp
    from dateline.record import build_record
    from dateline.settings import Options
    from dateline.store import open_db
    from dateline.store.write import write_records

    options = Options()
    raws = []
    for raw in read_inputs([str(folder)], options):
        raws.append(raw)
        if len(raws) >= sample:
            break
    started = time.perf_counter()
    articles = [a for a in (_to_article(raw, options) for raw in raws) if isinstance(a, Article)]
    cleaning = time.perf_counter() - started
    bodies = [a.body for a in articles]
    model, full = build_nlp(components=()), load_nlp()
    list(model.pipe(bodies[:4]))
    list(full.pipe(bodies[:4]))
    started = time.perf_counter()
    list(model.pipe(bodies, batch_size=options.batch_size))
    bare = time.perf_counter() - started
    started = time.perf_counter()
    docs = list(full.pipe(bodies, batch_size=options.batch_size))
    pipeline = time.perf_counter() - started
    records = [build_record(a, d) for a, d in zip(articles, docs, strict=True)]
    with tempfile.TemporaryDirectory() as tmp:
        engine = open_db(str(Path(tmp) / "kb.db"))
        started = time.perf_counter()
        for i in range(0, len(records), 32):
            with engine.begin() as conn:
                write_records(conn, records[i:i + 32])
        store = time.perf_counter() - started
    return {"articles": len(articles), "words": sum(len(b.split()) for b in bodies), "cleaning": cleaning,
            "model": bare, "components": max(0.0, pipeline - bare), "store": store}




def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--n", type=int, default=5000)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--sample", type=int, default=300, help="inputs timed stage by stage in one process")
    parser.add_argument("--pairs", type=int, default=0, help="time --workers 1 and 2 alternately, this many times")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "day"
        articles = day_articles(args.n)
        write_day(folder, articles)
        words = sum(len(" ".join(a["paragraphs"]).split()) for a in articles)
        print(f"{args.n} articles, {words} words ({words / args.n:.0f} per article), half HTML, half JSON Lines")
        if args.pairs:
            ratios = []
            for k in range(args.pairs):
                rates = {}
                for workers in (1, 2) if k % 2 == 0 else (2, 1):
                    seconds, _, line = timed_ingest(folder, Path(tmp) / f"pair-{k}-{workers}.db", workers)
                    rates[workers] = args.n / seconds
                    print(f"  pair {k + 1}: --workers {workers}: {seconds:7.1f} s  {rates[workers]:6.2f} articles/s")
                ratios.append(rates[2] / rates[1])
            print(f"--workers 2 / --workers 1, median of {args.pairs} pairs: {statistics.median(ratios):.2f} "
                  f"(pairs: {', '.join(f'{r:.2f}' for r in ratios)})")
            return 0
        seconds, peak, line = timed_ingest(folder, Path(tmp) / "day.db", args.workers)
        print(f"dateline ingest --workers {args.workers}: {seconds:.1f} s, {args.n / seconds:.2f} articles/s, "
              f"{words / seconds:.0f} words/s, peak memory {peak / 2**20:.0f} MiB (ingest + workers)")
        print(f"  its summary: {line}")
        b = breakdown(folder, args.sample)
        print(f"bare nlp.pipe (model only, one process): {b['articles'] / b['model']:.2f} articles/s, "
              f"{b['words'] / b['model']:.0f} words/s; ingest words/s over it: "
              f"{(words / seconds) / (b['words'] / b['model']):.2f}")
        print(f"projected for 100,000 such articles on this machine: {100_000 / (args.n / seconds) / 3600:.1f} h")
        one = sum(b[k] for k in ("cleaning", "model", "components", "store"))
        print(f"where one process's time goes ({b['articles']} articles): " + ", ".join(
            f"{k} {b[k] / one:.0%} ({1000 * b[k] / b['articles']:.0f} ms/article)"
            for k in ("model", "components", "cleaning", "store")))
    return 0


if __name__ == "__main__":
    sys.exit(main())
