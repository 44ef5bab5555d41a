"""Generate N varied articles from the demo corpus, for the ingest and search benchmarks.

    python scripts/make_corpus.py 1000 out/corpus.jsonl                 # articles: {title, text, published}
    python scripts/make_corpus.py 100000 out/records.jsonl --records    # synthetic records (no NLP needed)
    python scripts/make_corpus.py 100000 big.db --db                    # a knowledge base (or postgresql://…)

Variation: sentences drawn from the demo articles (examples/, else the seed article) in new orders, a
vocabulary of rarer words mixed in so searches have realistic selectivity, and dates spread over five
years. ``--records`` also attaches entities, quotes, events and places drawn from fixed pools, with
offsets pointing at words in the generated body, so the search benchmark needs no NLP run.
``--db`` writes ``SEED_RECORDS`` synthetic records through the normal write path, then clones them in
bulk SQL (``INSERT … SELECT``) until there are N articles: each copy gets a new id, a closing word
naming its round (so the body differs) and dates shifted by a few days; article parts are cloned
with their article. That builds 100,000 articles in minutes instead of the hour row-by-row writes take.
"""

from __future__ import annotations

import argparse
import json
import random
import re
from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Engine, case, func, select

REPO = Path(__file__).resolve().parents[1]
ACTORS = [("Imran Khan", "PERSON", "PK", "PAKGOV"), ("Ashraf Ghani", "PERSON", "AF", "AFGGOV"),
          ("Taliban", "ORG", "AF", "AFGINS"), ("Pakistan", "GPE", "PK", "PAK"), ("Afghanistan", "GPE", "AF", "AFG"),
          ("United Nations", "ORG", None, "IGOUNO"), ("Ismail Khan", "PERSON", "AF", "AFGMIL"),
          ("European Union", "ORG", None, "IGOEU"), ("Belarus", "GPE", "BY", "BLR"), ("Mali", "GPE", "ML", "MLI")]
PLACES = [("Kabul", "AF", 34.53, 69.17), ("Islamabad", "PK", 33.72, 73.06), ("Chaman", "PK", 30.92, 66.45),
          ("Quetta", "PK", 30.18, 67.00), ("Minsk", "BY", 53.90, 27.57), ("Bamako", "ML", 12.65, -8.0),
          ("El Fasher", "SD", 13.63, 25.35), ("Parachinar", "PK", 33.90, 70.10)]
TYPES = ["ACCUSE", "AID", "ASSAULT", "REJECT", "CONSULT", "SANCTION", "THREATEN", "SUPPORT", "PROTEST", "REQUEST"]


def source_sentences() -> list[str]:
    texts = [p.read_text(errors="replace") for p in sorted((REPO / "examples").glob("*.txt"))
             if not p.name.startswith("fr-")]  # English text only
    seed = REPO / ".." / "shared" / "gold" / "seed" / "article.txt"
    if seed.exists():
        texts.append(seed.read_text())
    sentences = [s.strip() for t in texts for s in re.split(r"(?<=[.!?])\s+", t) if 40 < len(s.strip()) < 400]
    if not sentences:
        raise SystemExit("no demo texts found (examples/*.txt or ../shared/gold/seed/article.txt)")
    return sentences


def vocabulary(rng: random.Random, size: int = 20000) -> list[str]:
    syllables = ["ka", "ri", "mo", "zan", "tel", "vor", "qui", "lah", "dun", "bes", "ox", "ny", "pra", "gul"]
    return ["".join(rng.choice(syllables) for _ in range(rng.randint(2, 4))) for _ in range(size)]


def articles(n: int, seed: int = 7) -> Iterator[dict[str, Any]]:
    rng = random.Random(seed)
    sentences, words = source_sentences(), vocabulary(rng)
    start = date(2020, 1, 1)
    for i in range(n):
        picked = rng.sample(sentences, k=min(len(sentences), rng.randint(8, 14)))
        rare = " ".join(rng.choice(words) for _ in range(12))
        paragraphs = [" ".join(picked[j:j + 3]) for j in range(0, len(picked), 3)]
        text = f"Report {i}: {rare}.\n\n" + "\n\n".join(paragraphs)
        yield {"title": f"{picked[0][:70]} ({i})", "text": text,
               "published": (start + timedelta(days=rng.randrange(5 * 365))).isoformat(), "url": f"https://example.org/{i}"}


def _span(body: str, words: str) -> dict[str, Any]:
    start = body.find(words)
    return {"start": start, "end": start + len(words), "text": words}


def records(n: int, seed: int = 7) -> Iterator[dict[str, Any]]:
    from dateline.record import article_id

    rng = random.Random(seed + 1)
    for i, art in enumerate(articles(n, seed)):
        cast = rng.sample(ACTORS, k=3)
        where = rng.sample(PLACES, k=2)
        body = art["text"] + "\n\n" + " ".join(f"{name} was mentioned in {place[0]}." for (name, *_), place
                                                 in zip(cast, where * 2, strict=False))
        entities = [{"id": f"e{k + 1}", "name": name, "type": kind, "role": None, "country": cc, "actor": code,
                     "mentions": [_span(body, name)]} for k, (name, kind, cc, code) in enumerate(cast)]
        places = [{"id": f"p{k + 1}", "name": name, "geonames_id": None, "lat": lat, "lon": lon, "country": cc,
                   "admin1": None, "feature": "city", "confidence": 0.9, "mentions": [_span(body, name)]}
                  for k, (name, cc, lat, lon) in enumerate(where)]
        anonymous = rng.random() < 0.3
        quotes = [{"id": "q1", "kind": "direct", "content": _span(body, body[:60]), "cue": None,
                   "speaker": {"text": cast[0][0], "entity": None if anonymous else "e1",
                               "name": "an official" if anonymous else cast[0][0], "anonymous": anonymous,
                               "anonymity_reason": "not authorised to speak" if anonymous else None,
                               "description": None}}]
        events = [{"id": "v1", "type": rng.choice(TYPES), "mode": None,
                   "source": {"text": cast[0][0], "entity": "e1", "actor": cast[0][3]},
                   "target": {"text": cast[1][0], "entity": "e2", "actor": cast[1][3]}, "place": "p1",
                   "date": art["published"], "date_text": None, "negated": rng.random() < 0.1,
                   "attributed_to": "q1", "evidence": _span(body, body[:80]), "confidence": 0.6}]
        yield {"schema_version": 1, "id": article_id(body), "source": {"uri": f"generated:{i}", "format": "jsonl"},
               "url": art["url"], "title": art["title"], "byline": [], "publisher": "Generated",
               "published": art["published"], "published_precision": "day", "dateline": None, "language": "en",
               "body": body, "removed": [], "media": [], "entities": entities, "places": places, "quotes": quotes,
               "events": events, "notes": ["generated for benchmarks"], "provenance": {}}


SEED_RECORDS = 2000


def build_db(db: str, n: int, *, seed: int = 7, seed_records: int = SEED_RECORDS) -> tuple[Engine, list[str]]:
    """A knowledge base of ``n`` articles at ``db``; returns its engine and rare words for searches."""
    from dateline.store import open_db
    from dateline.store.write import write_records

    engine = open_db(db)
    first = min(n, seed_records)
    batch = list(records(first, seed))
    rare_words = [r["body"].split()[2] for r in batch[:200]]
    with engine.begin() as conn:
        for start in range(0, len(batch), 500):
            write_records(conn, batch[start:start + 500])
    made, copy_round = first, 0
    while made < n:
        copy_round += 1
        take = min(first, n - made)
        with engine.begin() as conn:
            _clone_round(conn, copy_round, take)
        made += take
    with engine.begin() as conn:
        if conn.dialect.name == "sqlite":
            conn.exec_driver_sql("INSERT INTO articles_fts(articles_fts) VALUES ('rebuild')")
            conn.exec_driver_sql("ANALYZE")
    if engine.dialect.name == "postgresql":
        with engine.connect() as conn:
            conn.execution_options(isolation_level="AUTOCOMMIT").exec_driver_sql("VACUUM ANALYZE")
    return engine, rare_words


def _clone_round(conn: Connection, copy_round: int, take: int) -> None:
    """Copies of the first ``take`` seed articles and all their parts, as round ``copy_round``."""
    from dateline.store import schema

    suffix = f"{copy_round:08x}"  # replaces the last 8 hex digits of the id: distinct, still 64 characters
    shift = copy_round % 29 + 1
    seeds = select(schema.articles.c.id).where(schema.articles.c.seq <= take)
    for table in (schema.articles, *schema.ARTICLE_PARTS):
        id_column = "id" if table is schema.articles else "article_id"
        values: list[Any] = []
        for column in table.columns:
            if column.name == "seq" or column.name == "tsv":
                continue
            if column.name in (id_column, "story_id"):
                values.append(func.substr(column, 1, 56).concat(suffix).label(column.name))
            elif column.name == "body":
                values.append(column.concat(f" Round{suffix}.").label(column.name))
            elif (table.name, column.name) in (("articles", "published"), ("events", "date"), ("events", "day")):
                values.append(_shifted(conn, column, shift).label(column.name))
            else:
                values.append(column)
        source = select(*values).where(table.c[id_column].in_(seeds))
        conn.execute(table.insert().from_select([v.name for v in values], source))


def _shifted(conn: Connection, column: Any, days: int) -> Any:
    """An ISO day ``days`` later (SQL); months and years are kept as they are."""
    if conn.dialect.name == "sqlite":
        moved = func.date(column, f"+{days} days")
    else:
        moved = func.to_char(func.to_date(column, "YYYY-MM-DD") + days, "YYYY-MM-DD")
    return case((func.length(column) == 10, moved), else_=column)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("n", type=int)
    parser.add_argument("out", help="output file, or with --db a database path or postgresql:// URL")
    parser.add_argument("--records", action="store_true", help="write synthetic records instead of articles")
    parser.add_argument("--db", action="store_true", help="OUT is a database (path or postgresql:// URL) to fill")
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    if args.db:
        build_db(args.out, args.n, seed=args.seed)
        return
    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    items = records(args.n, args.seed) if args.records else articles(args.n, args.seed)
    with out.open("w", encoding="utf-8") as sink:
        for item in items:
            sink.write(json.dumps(item, ensure_ascii=False) + "\n")


if __name__ == "__main__":
    main()
