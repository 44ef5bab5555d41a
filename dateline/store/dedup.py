"""Near-duplicates: wire copies of one story (new lede, trimmed end) share a ``story_id``.

Each body becomes a MinHash over word 5-shingles. Locality-sensitive hashing cuts the signature into
``BANDS`` bands of ``ROWS`` values; two bodies whose estimated Jaccard similarity is near ``THRESHOLD`` or
above very likely share a band. The bands' hashes are rows of ``story_bands`` (indexed), so finding the
candidates of a new article is one indexed query: memory stays flat however large the archive grows,
and grouping carries across ingest runs. Candidates are then checked against their stored signature
(``signatures``), and the new article joins the earliest matching story.
"""

from __future__ import annotations

import re
from functools import cache
from hashlib import blake2b
from typing import Any

import numpy as np
from sqlalchemy import Connection, select

from dateline.store import schema

NUM_PERM = 64
BANDS, ROWS = 16, 4  # BANDS * ROWS == NUM_PERM; the S-curve's midpoint (1/BANDS) ** (1/ROWS) = 0.5
SCHEME = "affine32"
THRESHOLD = 0.5
SHINGLE_WORDS = 5
_WORD = re.compile(r"\w+")


def shingles(body: str, size: int = SHINGLE_WORDS) -> set[bytes]:
    words = _WORD.findall(body.lower())
    if len(words) < size:
        return {" ".join(words).encode()}
    return {" ".join(words[i:i + size]).encode() for i in range(len(words) - size + 1)}


@cache
def _empty_minhash() -> Any:
    from datasketch import MinHash  # imported on use: it pulls in scipy (~1 s), which Ray actors never need

    return MinHash(num_perm=NUM_PERM, seed=1, scheme=SCHEME)


def signature(body: str, size: int = SHINGLE_WORDS) -> np.ndarray:
    """The body's MinHash values (NUM_PERM unsigned 64-bit integers) over word ``size``-shingles.

    Copies one empty MinHash: making its permutations anew cost ~170 µs a call, more than the hashing."""
    minhash = _empty_minhash().copy()
    minhash.update_batch(list(shingles(body, size)))
    return minhash.hashvalues.astype(np.uint64)


def band_keys(values: np.ndarray, bands: int = BANDS, rows: int = ROWS) -> list[int]:
    """One signed 64-bit key per band (the band's number is hashed in, so equal values in two bands differ)."""
    keys = []
    for band in range(bands):
        digest = blake2b(values[band * rows:(band + 1) * rows].tobytes(), digest_size=8,
                         person=band.to_bytes(16, "little")).digest()
        keys.append(int.from_bytes(digest, "little", signed=True))
    return keys


def similarity(a: np.ndarray, b: np.ndarray) -> float:
    """Estimated Jaccard similarity of two bodies: the share of equal MinHash values."""
    return float(np.count_nonzero(a == b)) / len(a)


class StoryIndex:
    """Gives each new article its story id; ``keep`` then stores its signature and band keys, in the
    caller's transaction, so the next article of the same batch already finds it."""

    def __init__(self, threshold: float = THRESHOLD) -> None:
        self.threshold = threshold

    def assign(self, conn: Connection, record_id: str, body: str) -> tuple[str, np.ndarray]:
        """(story id, signature): the smallest story id among stored articles similar enough, else its own."""
        values = signature(body)
        bands, articles, signatures = schema.story_bands, schema.articles, schema.signatures
        candidates = conn.execute(
            select(articles.c.id, articles.c.story_id, signatures.c.minhash).distinct()
            .join(articles, articles.c.id == bands.c.article_id)
            .join(signatures, signatures.c.article_id == bands.c.article_id)
            .where(bands.c.band_key.in_(band_keys(values)), bands.c.article_id != record_id))
        similar = [story_id for _, story_id, blob in candidates
                   if similarity(values, np.frombuffer(blob, dtype=np.uint64)) >= self.threshold]
        # The smallest story id wins: a deterministic choice when a copy resembles two stories.
        return min(similar, default=record_id), values

    def keep(self, conn: Connection, record_id: str, values: np.ndarray) -> None:
        """Store the signature and its band keys (after the article row, which they refer to)."""
        conn.execute(schema.signatures.insert(), [{"article_id": record_id, "minhash": values.tobytes()}])
        conn.execute(schema.story_bands.insert(), _band_rows(record_id, values))


def _band_rows(article_id: str, values: np.ndarray) -> list[dict[str, object]]:
    return [{"band_key": key, "article_id": article_id} for key in sorted(set(band_keys(values)))]


def index_stored_signatures(conn: Connection, page: int = 5_000) -> None:
    """Band keys for every stored signature (the migration that introduced ``story_bands``), a page at a time."""
    sig = schema.signatures
    last = ""
    while True:
        rows = conn.execute(select(sig.c.article_id, sig.c.minhash).where(sig.c.article_id > last)
                            .order_by(sig.c.article_id).limit(page)).all()
        if not rows:
            return
        conn.execute(schema.story_bands.insert(),
                     [row for article_id, blob in rows
                      for row in _band_rows(article_id, np.frombuffer(blob, dtype=np.uint64))])
        last = rows[-1][0]
