"""Generate N varied articles from the demo corpus, for the ingest and search benchmarks.

    python scripts/make_corpus.py 1000 out/corpus.jsonl                 # articles: {title, text, published}
    python scripts/make_corpus.py 100000 out/records.jsonl --records    # synthetic records (no NLP needed)

Variation: sentences drawn from the demo articles (examples/, else the seed article) in new orders, a
vocabulary of rarer words mixed in so searches have realistic selectivity, and dates spread over five
years. ``--records`` also attaches entities, quotes, events and places drawn from fixed pools, with
offsets pointing at words in the generated body, so the search benchmark needs no NLP run.
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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("n", type=int)
    parser.add_argument("out", type=Path)
    parser.add_argument("--records", action="store_true", help="write synthetic records instead of articles")
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    args.out.parent.mkdir(parents=True, exist_ok=True)
    items = records(args.n, args.seed) if args.records else articles(args.n, args.seed)
    with args.out.open("w", encoding="utf-8") as sink:
        for item in items:
            sink.write(json.dumps(item, ensure_ascii=False) + "\n")


if __name__ == "__main__":
    main()
