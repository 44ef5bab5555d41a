"""`dateline eval extraction GOLD`: dateline's HTML path and bare trafilatura on the same pages, scored side by side.

Scores come from the shared scorer (`<repo>/../shared/tools/score_extraction.py --metric aeb,wcxb,meta`),
run as a subprocess so that both systems are measured by exactly the same code.
"""

from __future__ import annotations

import gzip
import json
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from dateline.settings import Options

REPO = Path(__file__).resolve().parents[2]
SHARED = REPO / ".." / "shared"
DEFAULT_GOLD = SHARED / "data" / "extraction" / "wcxb-dev-articles.jsonl.gz"
SCORER = SHARED / "tools" / "score_extraction.py"
SYSTEMS = ("dateline", "trafilatura")


def read_pages(path: Path, limit: int | None = None) -> Iterator[dict[str, Any]]:
    """Gold pages one at a time (gzipped or not), so memory stays bounded on large files."""
    opener = gzip.open if path.suffix == ".gz" else open
    with opener(path, "rt", encoding="utf-8") as lines:
        count = 0
        for line in lines:
            if not line.strip():
                continue
            if limit is not None and count >= limit:
                return
            count += 1
            yield json.loads(line)


def format_authors(names: list[str]) -> str | None:
    """Names as bylines print them: "A", "A and B", "A, B, C"."""
    if not names:
        return None
    if len(names) == 2:
        return " and ".join(names)
    return ", ".join(names)


def predict_dateline(page: dict[str, Any], options: Options) -> dict[str, Any]:
    from dateline.clean import CleanError
    from dateline.clean.html import clean_html

    try:
        article = clean_html(page.get("html") or "", str(page["id"]), {"url": page.get("url")}, options)
    except CleanError:
        return {"id": page["id"], "body": "", "title": None, "author": None, "date": None}
    return {"id": page["id"], "body": article.body, "title": article.title,
            "author": format_authors(article.byline), "date": article.published}


def predict_trafilatura(page: dict[str, Any]) -> dict[str, Any]:
    """Bare trafilatura 2.3.1: extract() for the text, extract_metadata() for title/author/date."""
    import trafilatura

    html = page.get("html") or ""
    body = trafilatura.extract(html, include_comments=False) or ""
    metadata = trafilatura.extract_metadata(html, default_url=page.get("url"))
    return {"id": page["id"], "body": body,
            "title": metadata.title if metadata else None,
            "author": metadata.author if metadata else None,
            "date": metadata.date if metadata else None}


def score(gold: Path, predictions: Path) -> dict[str, Any]:
    completed = subprocess.run(
        [sys.executable, str(SCORER), str(gold), str(predictions), "--metric", "aeb,wcxb,meta", "--json",
         "--n-bootstrap", "200"],
        check=True, capture_output=True, text=True,
    )
    result: dict[str, Any] = json.loads(completed.stdout)
    return result


def _restricted_gold(gold: Path, out: Path, limit: int | None) -> Path:
    """The scorer reads the whole gold file: with --limit, write the first N pages (without HTML) to score."""
    if limit is None:
        return gold
    path = out / "gold-subset.jsonl"
    with path.open("w", encoding="utf-8") as handle:
        for page in read_pages(gold, limit):
            page.pop("html", None)
            handle.write(json.dumps(page, ensure_ascii=False) + "\n")
    return path


def _row(name: str, scores: dict[str, Any], empty: int) -> dict[str, Any]:
    meta = scores["meta"]
    return {"system": name, "aeb_f1": scores["aeb"]["f1"], "aeb_precision": scores["aeb"]["precision"],
            "aeb_recall": scores["aeb"]["recall"], "wcxb_f1": scores["wcxb"]["f1"],
            "title": meta["title"]["exact_match"], "author": meta["author"]["exact_match"],
            "date": meta["date"]["exact_match"], "empty": empty, "pages": scores["aeb"]["pages"]}


def print_table(rows: list[dict[str, Any]]) -> None:
    print(f"{'system':<12} {'aeb F1':>7} {'P':>6} {'R':>6} {'wcxb F1':>8} {'title':>6} {'author':>7} {'date':>6} "
          f"{'empty':>6} {'pages':>6}")
    for row in rows:
        print(f"{row['system']:<12} {row['aeb_f1']:>7.3f} {row['aeb_precision']:>6.3f} {row['aeb_recall']:>6.3f} "
              f"{row['wcxb_f1']:>8.3f} {row['title'] or 0:>6.3f} {row['author'] or 0:>7.3f} {row['date'] or 0:>6.3f} "
              f"{row['empty']:>6} {row['pages']:>6}")


def run(gold: Path | str | None = None, out: Path | str = Path("out/eval-extraction"),
        limit: int | None = None) -> dict[str, Any]:
    """Predict with both systems, write `<out>/<system>.jsonl`, score both, print and return the rows."""
    gold = Path(gold) if gold else DEFAULT_GOLD
    if not gold.exists():
        print(f"skipped: gold file {gold} is absent")
        return {}
    if not SCORER.exists():
        print(f"skipped: scorer {SCORER} is absent")
        return {}
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    options = Options()
    paths = {name: out / f"{name}.jsonl" for name in SYSTEMS}
    empty = dict.fromkeys(SYSTEMS, 0)
    with paths["dateline"].open("w", encoding="utf-8") as ours, paths["trafilatura"].open("w", encoding="utf-8") as bare:
        for page in read_pages(gold, limit):
            for name, handle, prediction in (("dateline", ours, predict_dateline(page, options)),
                                             ("trafilatura", bare, predict_trafilatura(page))):
                empty[name] += not (prediction["body"] or "").strip()
                handle.write(json.dumps(prediction, ensure_ascii=False) + "\n")
    scored_gold = _restricted_gold(gold, out, limit)
    rows = [_row(name, score(scored_gold, paths[name]), empty[name]) for name in SYSTEMS]
    print_table(rows)
    return {"rows": rows, "predictions": {name: str(path) for name, path in paths.items()}}
