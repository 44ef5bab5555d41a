"""Near-duplicates: wire copies of one story (new lede, trimmed end) share a ``story_id``.

Each body becomes a MinHash over word 5-shingles; an LSH index finds earlier articles with an
estimated Jaccard similarity above the threshold, and the new article joins the earliest one's story.
Signatures are stored (``signatures`` table) so grouping carries across ingest runs.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

import numpy as np
from sqlalchemy import Connection, select

from dateline.store import schema

if TYPE_CHECKING:
    from datasketch import MinHash

NUM_PERM = 64
SCHEME = "affine32"
THRESHOLD = 0.5
SHINGLE_WORDS = 5
_WORD = re.compile(r"\w+")


def shingles(body: str) -> set[bytes]:
    words = _WORD.findall(body.lower())
    if len(words) < SHINGLE_WORDS:
        return {" ".join(words).encode()}
    return {" ".join(words[i:i + SHINGLE_WORDS]).encode() for i in range(len(words) - SHINGLE_WORDS + 1)}


def signature(body: str) -> MinHash:
    from datasketch import MinHash  # imported on use: it pulls in scipy (~1 s), which Ray actors never need

    minhash = MinHash(num_perm=NUM_PERM, seed=1, scheme=SCHEME)
    minhash.update_batch(list(shingles(body)))
    return minhash


class StoryIndex:
    """The LSH index of every stored article; ``assign`` gives a new article its story id."""

    def __init__(self, threshold: float = THRESHOLD) -> None:
        from datasketch import MinHashLSH

        self.lsh = MinHashLSH(threshold=threshold, num_perm=NUM_PERM)
        self.story_of: dict[str, str] = {}

    @classmethod
    def load(cls, conn: Connection, threshold: float = THRESHOLD) -> StoryIndex:
        from datasketch import MinHash

        index = cls(threshold)
        rows = conn.execute(select(schema.signatures.c.article_id, schema.signatures.c.minhash,
                                   schema.articles.c.story_id)
                            .join(schema.articles, schema.articles.c.id == schema.signatures.c.article_id))
        for article_id, blob, story_id in rows:
            values = np.frombuffer(blob, dtype=np.uint64)
            index._add(article_id, MinHash(num_perm=NUM_PERM, seed=1, hashvalues=values, scheme=SCHEME), story_id)
        return index

    def assign(self, record_id: str, body: str) -> tuple[str, bytes]:
        minhash = signature(body)
        candidates = [c for c in self.lsh.query(minhash) if c != record_id]
        # The smallest story id wins: a deterministic choice when a copy resembles two stories.
        story_id = min((self.story_of[c] for c in candidates), default=record_id)
        self._add(record_id, minhash, story_id)
        return story_id, minhash.hashvalues.astype(np.uint64).tobytes()

    def _add(self, article_id: str, minhash: MinHash, story_id: str) -> None:
        if article_id in self.story_of:
            return
        self.lsh.insert(article_id, minhash)
        self.story_of[article_id] = story_id
