"""Claim trails: the same content quoted across articles, how its attribution changed, and who denied it.

A quote's content becomes a MinHash over word 3-shingles (``dedup.signature``; a quote is a sentence, not a
body, so shorter shingles than the story bands'), cut into ``BANDS`` bands of ``ROWS`` values stored in
``claim_bands``: the candidates of a new quote are one indexed query. A candidate is the same content when
the share of the shorter text's shingles found in the longer (counted exactly) reaches ``MATCH``: "the attackers came from across the border with Chad" and "The attackers came
from across the Chad border and they went back the same way" are one claim.

The same content is the same claim when it comes from the same named speaker (the same actor, or names that
agree: "Haroun" and "Adam Haroun"), or when it lost its speaker on the way (an anonymous source, or a bare
sentence restating it: ``statement`` appearances). A named speaker never joins another named speaker's
claim. A denial quote ("denied that …") is never an appearance: it links to every claim whose content it
carries (``DENIAL_MATCH``), whichever of the two is ingested first.

Bare restatements are looked for in each new article's sentences outside its quotes, against claims
already stored: one stated before its first quoted appearance was ingested is not found (news is mostly
ingested in publication order; ``dateline across --rebuild`` re-reads everything in that order).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

import numpy as np
from sqlalchemy import Connection, and_, func, select, update

from dateline.store.across.tables import claim_appearances, claim_bands, claim_denials, claims
from dateline.store.dedup import shingles, signature
from dateline.store.names import normalise_name

SHINGLE = 3
BANDS, ROWS = 24, 2  # the signature's first 48 values; P(candidate) 0.84 at Jaccard 0.27, 0.96 at 0.35, 0.999 at 0.5:
# a six-shingle quote inside a thirteen-shingle one (Jaccard 0.27) is still found
MATCH = 0.55  # share of the shorter content's shingles in the other: the same claim ("the border with Chad" ~ "the Chad border")
DENIAL_MATCH = 0.5  # a denial carries (most of) the content it denies
MIN_WORDS = 4  # "we will respond" is said by everyone: not a claim to follow
STATEMENT_MIN_WORDS = 6
# A bare restatement is near-identical to what was quoted: half the bands find it (P 0.97 at Jaccard 0.5, 0.79 at
# 0.35), and halve the keys every new article's ~35 sentences look up.
STATEMENT_BANDS = 12
_WORD = re.compile(r"\w+")
_SENTENCE = re.compile(r"[^\s].*?(?:[.!?][\"”’]?(?=\s+[\"“‘(A-Z0-9])|$)", re.S)

A_NAMED, A_ANONYMOUS, A_UNATTRIBUTED = "named", "anonymous", "unattributed"


@dataclass(slots=True)
class Item:
    """One quote (or bare sentence) of an article, as the claim index sees it."""

    article_id: str
    quote_id: str
    kind: str  # quote | statement | denial
    attribution: str
    speaker_key: str | None
    speaker_name: str | None
    content: str
    start: int | None
    end: int | None
    published: str | None
    publisher: str | None
    seq: int = 0  # the article's, for the order of appearances published the same day
    values: np.ndarray | None = None
    shingle_set: frozenset[bytes] | None = None
    keys: list[int] = field(default_factory=list)

    def sign(self) -> None:
        self.shingle_set = _shingles(self.content)
        self.values = signature(self.content, SHINGLE)[:BANDS * ROWS]
        self.keys = claim_band_keys(self.values)


def attribution_of(anonymous: bool, speaker_name: str | None, speaker_text: str | None) -> str:
    if anonymous:
        return A_ANONYMOUS
    return A_NAMED if (speaker_name or speaker_text or "").strip() else A_UNATTRIBUTED


def speaker_key(actor_id: int | None, name: str | None) -> str | None:
    if actor_id is not None:
        return f"a:{actor_id}"
    norm = normalise_name(name)
    return f"n:{norm}"[:320] if norm else None


def same_speaker(a_key: str | None, a_name: str | None, b_key: str | None, b_name: str | None) -> bool:
    """Two named speakers are one when their actor is, or their names agree (a surname alone counts)."""
    if a_key is not None and a_key == b_key:
        return True
    a, b = normalise_name(a_name).split(), normalise_name(b_name).split()
    if not a or not b or a[-1] != b[-1]:
        return False
    return len(a) == 1 or len(b) == 1 or a == b


def containment(a: Item, b_content: str) -> float:
    """The share of the smaller word 3-shingle set found in the other (computed exactly: MinHash only finds
    the candidates; 32 values estimate a 6-shingle overlap too roughly to decide on)."""
    if a.shingle_set is None:
        a.shingle_set = _shingles(a.content)
    other = _shingles(b_content)
    return len(a.shingle_set & other) / max(1, min(len(a.shingle_set), len(other)))


_BAND_MIX = np.array([0x9E3779B97F4A7C15, 0xC2B2AE3D27D4EB4F], dtype=np.uint64)


def claim_band_keys(values: np.ndarray) -> list[int]:
    """One signed 64-bit key per band of ``ROWS`` values, mixed with the band's number, in one numpy pass.

    A quote and the ~35 sentences of each new article need keys: ``dedup.band_keys`` (a blake2b digest per
    band, kept for the stored story bands) cost ~0.1 ms a band, a third of the layer's time per article."""
    rows = values[:BANDS * ROWS].reshape(BANDS, ROWS)
    with np.errstate(over="ignore"):
        mixed = (rows * _BAND_MIX[:ROWS]).sum(axis=1, dtype=np.uint64) ^ (np.arange(BANDS, dtype=np.uint64) * _BAND_MIX[1])
        mixed ^= mixed >> np.uint64(29)
    return mixed.view(np.int64).tolist()  # type: ignore[no-any-return]


@lru_cache(maxsize=8192)
def _shingles(content: str) -> frozenset[bytes]:
    """A stored wording's shingles, kept while it is compared with many quotes and sentences."""
    return frozenset(shingles(content, SHINGLE))


def quote_items(article: dict[str, Any], quotes: Iterable[dict[str, Any]]) -> list[Item]:
    """Items for an article's quotes with enough words (denials kept whatever their length)."""
    items = []
    for q in quotes:
        content = (q["content"] or "").strip()
        if len(_WORD.findall(content)) < (2 if q["denial"] else MIN_WORDS):
            continue
        attribution = attribution_of(bool(q["anonymous"]), q["speaker_name"], q["speaker_text"])
        named = attribution == A_NAMED
        items.append(Item(article["id"], q["local_id"], "denial" if q["denial"] else "quote", attribution,
                          speaker_key(q["speaker_actor_id"], q["speaker_name"]) if named else None,
                          (q["speaker_name"] or q["speaker_text"]) if attribution != A_UNATTRIBUTED else None,
                          content, q["content_start"], q["content_end"], article["published"], article["publisher"],
                          article.get("seq") or 0))
    return items


def sentences_outside(body: str, spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """(start, end) of the body's sentences that overlap no quote span and have enough words."""
    found = []
    for match in _SENTENCE.finditer(body):
        start, end = match.start(), match.end()
        if any(s < end and start < e for s, e in spans):
            continue
        if len(_WORD.findall(match.group())) >= STATEMENT_MIN_WORDS:
            found.append((start, end))
    return found


def index_article(conn: Connection, article: dict[str, Any], quotes: list[dict[str, Any]]) -> None:
    """Claims, appearances and denial links for one stored article (its quotes from the ``quotes`` table)."""
    items = quote_items(article, quotes)
    for item in items:
        item.sign()
        if item.kind == "denial":
            _store(conn, item, None)
            for claim_id in _denied_claims(conn, item):
                _link_denial(conn, claim_id, item)
        else:
            claim_id = _join_or_create(conn, item)
            for denial in _denials_of(conn, item):
                _link_denial(conn, claim_id, denial)
    _index_statements(conn, article, quotes)


# ---------------------------------------------------------------- matching


def _candidates(conn: Connection, keys: list[int], kinds: tuple[str, ...], *, with_key: bool = False) -> list[Any]:
    """Stored wordings (or denials) sharing a band key with ``keys`` (with the key shared, when asked)."""
    ca, cb = claim_appearances, claim_bands
    columns = [ca.c.article_id, ca.c.quote_id, ca.c.claim_id, ca.c.kind, ca.c.speaker_key, ca.c.speaker_name,
               ca.c.content, ca.c.start_char, ca.c.end_char, ca.c.published, ca.c.publisher, ca.c.attribution]
    rows = conn.execute(
        select(*columns, *([cb.c.band_key] if with_key else [])).distinct()
        .join(ca, and_(ca.c.article_id == cb.c.article_id, ca.c.quote_id == cb.c.quote_id))
        .where(cb.c.band_key.in_(keys), ca.c.kind.in_(kinds)))
    return list(rows)


def _keys(item: Item) -> list[int]:
    if not item.keys:
        item.sign()
    return item.keys


def _join_or_create(conn: Connection, item: Item) -> int:
    scores: dict[int, float] = {}
    for row in _candidates(conn, _keys(item), ("quote", "statement")):
        score = containment(item, row.content)
        if score >= MATCH and row.claim_id is not None:
            scores[row.claim_id] = max(scores.get(row.claim_id, 0.0), score)
    chosen = None
    if scores:
        speakers = {r.id: (r.speaker_key, r.speaker_name) for r in conn.execute(
            select(claims.c.id, claims.c.speaker_key, claims.c.speaker_name).where(claims.c.id.in_(list(scores))))}
        fitting = [cid for cid in scores if item.attribution != A_NAMED or speakers[cid][0] is None
                   or same_speaker(item.speaker_key, item.speaker_name, *speakers[cid])]
        if fitting:
            chosen = min(fitting, key=lambda cid: (-scores[cid], cid))
    if chosen is None:
        chosen = int(conn.execute(claims.insert().returning(claims.c.id), {
            "speaker_key": item.speaker_key, "speaker_name": item.speaker_name, "content": item.content,
            "first_article_id": item.article_id, "first_quote_id": item.quote_id,
            "first_published": item.published, "first_publisher": item.publisher,
            "first_attribution": item.attribution, "last_published": item.published, "appearances": 0,
            "articles": 0, "outlets": 0, "denials": 0, "lost_attribution": False, "first_at": _at(item)}).scalar_one())
    elif item.attribution == A_NAMED:
        conn.execute(update(claims).where(claims.c.id == chosen, claims.c.speaker_key.is_(None))
                     .values(speaker_key=item.speaker_key, speaker_name=item.speaker_name))
    _join(conn, chosen, item)
    return chosen


def _store(conn: Connection, item: Item, claim_id: int | None) -> None:
    """The appearance (or denial) row, and the band keys its wording adds to its claim's."""
    conn.execute(claim_appearances.insert(), {
        "article_id": item.article_id, "quote_id": item.quote_id, "claim_id": claim_id, "kind": item.kind,
        "attribution": item.attribution, "speaker_key": item.speaker_key, "speaker_name": item.speaker_name,
        "content": item.content, "start_char": item.start, "end_char": item.end, "published": item.published,
        "publisher": item.publisher})
    keys = set(_keys(item))
    if claim_id is not None:
        keys -= set(conn.execute(select(claim_bands.c.band_key).where(
            claim_bands.c.claim_id == claim_id, claim_bands.c.band_key.in_(sorted(keys)))).scalars())
    if keys:
        conn.execute(claim_bands.insert(), [{"band_key": key, "claim_id": claim_id, "article_id": item.article_id,
                                             "quote_id": item.quote_id} for key in sorted(keys)])


def _at(item: Item) -> str:
    return f"{item.published or '9999'}/{item.seq:012d}/{item.start or 0:09d}"


def _join(conn: Connection, claim_id: int, item: Item) -> None:
    """Store ``item`` as an appearance of the claim and update the claim's figures from it alone."""
    ca, c = claim_appearances, claims.c
    seen = conn.execute(select(func.count().filter(ca.c.article_id == item.article_id),
                               func.count().filter(func.coalesce(ca.c.publisher, "") == (item.publisher or "")))
                        .where(ca.c.claim_id == claim_id)).one()
    _store(conn, item, claim_id)
    claim = conn.execute(select(c.first_at, c.first_named_at, c.last_unnamed_at, c.last_published)
                         .where(c.id == claim_id)).one()
    at = _at(item)
    values: dict[str, Any] = {"appearances": c.appearances + 1, "articles": c.articles + (0 if seen[0] else 1),
                              "outlets": c.outlets + (0 if seen[1] else 1)}
    if claim.last_published is None or (item.published or "") > claim.last_published:
        values["last_published"] = item.published or claim.last_published
    if at <= claim.first_at:
        values.update(content=item.content, first_article_id=item.article_id, first_quote_id=item.quote_id,
                      first_published=item.published, first_publisher=item.publisher,
                      first_attribution=item.attribution, first_at=at)
    named, unnamed = claim.first_named_at, claim.last_unnamed_at
    if item.attribution == A_NAMED:
        named = min(named or at, at)
        values["first_named_at"] = named
    else:
        unnamed = max(unnamed or at, at)
        values["last_unnamed_at"] = unnamed
    values["lost_attribution"] = named is not None and unnamed is not None and unnamed > named
    conn.execute(update(claims).where(c.id == claim_id).values(**values))


def _denied_claims(conn: Connection, denial: Item) -> set[int]:
    found = set()
    for row in _candidates(conn, _keys(denial), ("quote", "statement")):
        if row.claim_id is not None and \
                containment(denial, row.content) >= DENIAL_MATCH:
            found.add(int(row.claim_id))
    return found


def _denials_of(conn: Connection, item: Item) -> list[Item]:
    """Denials stored before this appearance whose content carries it."""
    found = []
    for row in _candidates(conn, _keys(item), ("denial",)):
        if containment(item, row.content) >= DENIAL_MATCH:
            found.append(Item(row.article_id, row.quote_id, "denial", row.attribution, row.speaker_key,
                              row.speaker_name, row.content, row.start_char, row.end_char, row.published,
                              row.publisher))
    return found


def _link_denial(conn: Connection, claim_id: int, denial: Item) -> None:
    key = {"claim_id": claim_id, "article_id": denial.article_id, "quote_id": denial.quote_id}
    cd = claim_denials
    if conn.execute(select(func.count()).select_from(cd).where(
            cd.c.claim_id == claim_id, cd.c.article_id == denial.article_id, cd.c.quote_id == denial.quote_id)
            ).scalar_one():
        return
    conn.execute(cd.insert(), key)
    conn.execute(update(claims).where(claims.c.id == claim_id).values(denials=claims.c.denials + 1))


def _index_statements(conn: Connection, article: dict[str, Any], quotes: list[dict[str, Any]]) -> None:
    """Sentences outside the article's quotes that restate a stored claim: its unattributed appearances."""
    body = article["body"] or ""
    spans = [(q["content_start"], q["content_end"]) for q in quotes if q["content_start"] is not None]
    spans += [(q["cue_start"], q["cue_end"]) for q in quotes if q["cue_start"] is not None]
    sentences = []
    for start, end in sentences_outside(body, spans):
        item = Item(article["id"], f"s{start}", "statement", A_UNATTRIBUTED, None, None, body[start:end].strip(),
                    start, end, article["published"], article["publisher"], article.get("seq") or 0)
        item.sign()
        sentences.append(item)
    if not sentences:
        return
    keys = sorted({key for item in sentences for key in item.keys[:STATEMENT_BANDS]})
    by_key: dict[int, list[Any]] = {}
    for row in _candidates(conn, keys, ("quote",), with_key=True):
        by_key.setdefault(row.band_key, []).append(row)
    if not by_key:
        return
    here = set(conn.execute(select(claim_appearances.c.claim_id).where(
        claim_appearances.c.article_id == article["id"], claim_appearances.c.claim_id.is_not(None))).scalars())
    for item in sentences:
        best: tuple[float, int] | None = None
        # Only the wordings sharing a band with this sentence (not every candidate of the article).
        rows = {(r.article_id, r.quote_id): r for key in item.keys[:STATEMENT_BANDS] for r in by_key.get(key, ())}
        for row in rows.values():
            if row.claim_id is None or row.claim_id in here:
                continue
            score = containment(item, row.content)
            if score >= MATCH and (best is None or (-score, row.claim_id) < (-best[0], best[1])):
                best = (score, int(row.claim_id))
        if best is not None:
            _join(conn, best[1], item)
            here.add(best[1])
