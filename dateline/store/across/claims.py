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

import json
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

import numpy as np
from sqlalchemy import Connection, and_, bindparam, select, update

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
        self.values = signature(claim_words(self.content), SHINGLE)[:BANDS * ROWS]
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


_COMPLEMENTIZER = re.compile(r"^\W*that\s+", re.I)


def claim_words(content: str) -> str:
    """The words compared: reported speech's leading "that" is the reporter's, not the claim's ("said that the
    attackers came …" and "“The attackers came …”" carry the same content)."""
    return _COMPLEMENTIZER.sub("", content)


@lru_cache(maxsize=8192)
def _shingles(content: str) -> frozenset[bytes]:
    """A stored wording's shingles, kept while it is compared with many quotes and sentences."""
    return frozenset(shingles(claim_words(content), SHINGLE))


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
    """Claims, appearances and denial links for one stored article (its quotes from the ``quotes`` table).

    A handful of statements whatever the number of quotes: one query finds every stored wording and denial
    sharing a band with the article's quotes and sentences (with their claims' figures), the decisions are
    made here, and new claims, updated claims, appearances, bands and denial links are written in one
    statement each (per-quote round trips were most of the layer's cost)."""
    items = quote_items(article, quotes)
    sentences = _statement_items(article, quotes)
    for item in (*items, *sentences):
        item.sign()
    keys = sorted({k for item in items for k in item.keys} | {k for s in sentences for k in s.keys[:STATEMENT_BANDS]})
    if not keys:
        return
    index = _Index(conn, keys)
    for item in items:
        if item.kind == "denial":
            index.add_denial(item)
        else:
            index.add_quote(item)
    for sentence in sentences:
        index.add_statement(sentence)
    index.write(conn)


_CLAIM_FIELDS = ("speaker_key", "speaker_name", "content", "first_article_id", "first_quote_id", "first_published",
                 "first_publisher", "first_attribution", "first_at", "last_published", "appearances", "articles",
                 "outlets", "denials", "lost_attribution", "first_named_at", "last_unnamed_at", "publishers")


@dataclass(slots=True, eq=False)
class _Claim:
    """A claim's row as this article changes it (``id`` None until a new one is inserted)."""

    id: int | None
    row: dict[str, Any]
    bands: set[int] = field(default_factory=set)  # its wordings' band keys among those looked up
    in_article: bool = False
    changed: bool = False

    def add(self, item: Item) -> None:
        r, at = self.row, _at(item)
        publishers = list(r["publishers"])
        if (item.publisher or "") not in publishers:
            publishers.append(item.publisher or "")
        r.update(appearances=r["appearances"] + 1, articles=r["articles"] + (0 if self.in_article else 1),
                 outlets=len(publishers), publishers=publishers)
        self.in_article = True
        if item.published and (r["last_published"] is None or item.published > r["last_published"]):
            r["last_published"] = item.published
        if r["first_at"] is None or at <= r["first_at"]:
            r.update(content=item.content, first_article_id=item.article_id, first_quote_id=item.quote_id,
                     first_published=item.published, first_publisher=item.publisher,
                     first_attribution=item.attribution, first_at=at)
        if item.attribution == A_NAMED:
            r["first_named_at"] = min(r["first_named_at"] or at, at)
            if r["speaker_key"] is None:
                r["speaker_key"], r["speaker_name"] = item.speaker_key, item.speaker_name
        else:
            r["last_unnamed_at"] = max(r["last_unnamed_at"] or at, at)
        r["lost_attribution"] = bool(r["first_named_at"] and r["last_unnamed_at"]
                                     and r["last_unnamed_at"] > r["first_named_at"])
        self.changed = True


class _Index:
    """The stored wordings near one article's quotes and sentences, and what the article adds to them."""

    def __init__(self, conn: Connection, keys: list[int]) -> None:
        ca, cb, c = claim_appearances, claim_bands, claims
        rows = conn.execute(
            select(ca.c.article_id, ca.c.quote_id, ca.c.claim_id, ca.c.kind, ca.c.attribution, ca.c.speaker_key,
                   ca.c.speaker_name, ca.c.content, ca.c.start_char, ca.c.end_char, ca.c.published, ca.c.publisher,
                   cb.c.band_key, cb.c.claim_id.label("band_claim"), *(c.c[f].label(f"c_{f}") for f in _CLAIM_FIELDS))
            .join(ca, and_(ca.c.article_id == cb.c.article_id, ca.c.quote_id == cb.c.quote_id))
            .outerjoin(c, c.c.id == ca.c.claim_id)
            .where(cb.c.band_key.in_(keys))).mappings().all()
        self.claims: dict[int, _Claim] = {}
        self.by_key: dict[int, list[Any]] = {}
        for row in rows:
            self.by_key.setdefault(row["band_key"], []).append(row)
            if row["claim_id"] is not None and row["claim_id"] not in self.claims:
                fields = {f: row[f"c_{f}"] for f in _CLAIM_FIELDS}
                fields["publishers"] = json.loads(fields["publishers"] or "[]")
                self.claims[row["claim_id"]] = _Claim(row["claim_id"], fields)
            if row["band_claim"] is not None and row["band_claim"] in self.claims:
                self.claims[row["band_claim"]].bands.add(row["band_key"])
        self.local: list[tuple[Item, _Claim]] = []  # this article's appearances so far
        self.denials: list[Item] = []  # this article's denials
        self.appearances: list[tuple[Item, _Claim | None]] = []
        self.links: set[tuple[int, str, str]] = set()  # (id(claim), denial article, denial quote) to write
        self.link_claims: dict[int, _Claim] = {}

    def _stored(self, item: Item, kinds: tuple[str, ...], bands: int | None = None) -> list[Any]:
        found = {(r["article_id"], r["quote_id"]): r for k in item.keys[:bands] for r in self.by_key.get(k, ())
                 if r["kind"] in kinds}
        return list(found.values())

    def _link(self, claim: _Claim, denial: Item) -> None:
        key = (id(claim), denial.article_id, denial.quote_id)
        if key not in self.links:
            self.links.add(key)
            self.link_claims[id(claim)] = claim
            claim.row["denials"] += 1
            claim.changed = True

    def add_denial(self, denial: Item) -> None:
        for row in self._stored(denial, ("quote", "statement")):
            if row["claim_id"] is not None and containment(denial, row["content"]) >= DENIAL_MATCH:
                self._link(self.claims[row["claim_id"]], denial)
        for item, claim in self.local:
            if containment(denial, item.content) >= DENIAL_MATCH:
                self._link(claim, denial)
        self.denials.append(denial)
        self.appearances.append((denial, None))

    def add_quote(self, item: Item) -> None:
        scores: dict[int, tuple[float, _Claim]] = {}
        for row in self._stored(item, ("quote", "statement")):
            if row["claim_id"] is not None:
                score = containment(item, row["content"])
                claim = self.claims[row["claim_id"]]
                if score >= MATCH and score > scores.get(id(claim), (0.0, claim))[0]:
                    scores[id(claim)] = (score, claim)
        for other, claim in self.local:
            score = containment(item, other.content)
            if score >= MATCH and score > scores.get(id(claim), (0.0, claim))[0]:
                scores[id(claim)] = (score, claim)
        fitting = [(score, claim) for score, claim in scores.values()
                   if item.attribution != A_NAMED or claim.row["speaker_key"] is None
                   or same_speaker(item.speaker_key, item.speaker_name, claim.row["speaker_key"],
                                   claim.row["speaker_name"])]
        if fitting:  # the closest wording; among equals the oldest claim (new ones last)
            claim = min(fitting, key=lambda sc: (-sc[0], sc[1].id if sc[1].id is not None else 1 << 62))[1]
        else:
            claim = _Claim(None, {"speaker_key": item.speaker_key, "speaker_name": item.speaker_name,
                                  "content": item.content, "first_article_id": item.article_id,
                                  "first_quote_id": item.quote_id, "first_published": item.published,
                                  "first_publisher": item.publisher, "first_attribution": item.attribution,
                                  "first_at": None, "last_published": None, "appearances": 0, "articles": 0,
                                  "outlets": 0, "denials": 0, "lost_attribution": False, "first_named_at": None,
                                  "last_unnamed_at": None, "publishers": []})
        claim.add(item)
        for row in self._stored(item, ("denial",)):
            if containment(item, row["content"]) >= DENIAL_MATCH:
                self._link(claim, _denial_of(row))
        for denial in self.denials:
            if containment(denial, item.content) >= DENIAL_MATCH:
                self._link(claim, denial)
        self.local.append((item, claim))
        self.appearances.append((item, claim))

    def add_statement(self, item: Item) -> None:
        here = {id(claim) for _, claim in self.local}
        best: tuple[float, int, _Claim] | None = None
        for row in self._stored(item, ("quote",), STATEMENT_BANDS):
            claim: _Claim | None = self.claims.get(row["claim_id"]) if row["claim_id"] is not None else None
            if claim is None or id(claim) in here:
                continue
            score = containment(item, row["content"])
            if score >= MATCH and (best is None or (-score, claim.id or 0) < (-best[0], best[1])):
                best = (score, claim.id or 0, claim)
        if best is not None:
            best[2].add(item)
            self.local.append((item, best[2]))
            self.appearances.append((item, best[2]))

    def write(self, conn: Connection) -> None:
        stored = {self.link_claims[k[0]].id for k in self.links} - {None}
        if stored:  # links an earlier appearance of the same claim already made are not made (or counted) again
            cd = claim_denials
            known = {tuple(r) for r in conn.execute(select(cd.c.claim_id, cd.c.article_id, cd.c.quote_id)
                                                    .where(cd.c.claim_id.in_(sorted(stored))))}
            for key in [k for k in self.links if (self.link_claims[k[0]].id, k[1], k[2]) in known]:
                self.links.discard(key)
                self.link_claims[key[0]].row["denials"] -= 1
        touched = list(({id(c): c for _, c in self.appearances if c is not None} | self.link_claims).values())
        fresh = [c for c in touched if c.id is None]
        if fresh:
            ids = conn.execute(claims.insert().returning(claims.c.id, sort_by_parameter_order=True),
                               [_claim_row(c) for c in fresh]).scalars().all()
            for claim, claim_id in zip(fresh, ids, strict=True):
                claim.id = int(claim_id)
        changed = [c for c in touched if c.changed and all(c is not f for f in fresh)]
        if changed:
            conn.execute(update(claims).where(claims.c.id == bindparam("claim_id")).values(
                {f: bindparam(f) for f in _CLAIM_FIELDS}), [{"claim_id": c.id, **_claim_row(c)} for c in changed])
        appearance_rows, band_rows = [], []
        for item, owner in self.appearances:
            claim_id = owner.id if owner is not None else None
            appearance_rows.append({
                "article_id": item.article_id, "quote_id": item.quote_id, "claim_id": claim_id, "kind": item.kind,
                "attribution": item.attribution, "speaker_key": item.speaker_key, "speaker_name": item.speaker_name,
                "content": item.content, "start_char": item.start, "end_char": item.end,
                "published": item.published, "publisher": item.publisher})
            new_keys = sorted(set(item.keys) - (owner.bands if owner is not None else set()))
            if owner is not None:
                owner.bands.update(new_keys)
            band_rows += [{"band_key": k, "claim_id": claim_id, "article_id": item.article_id,
                           "quote_id": item.quote_id} for k in new_keys]
        if appearance_rows:
            conn.execute(claim_appearances.insert(), appearance_rows)
        if band_rows:
            conn.execute(claim_bands.insert(), band_rows)
        if self.links:
            conn.execute(claim_denials.insert(), [
                {"claim_id": self.link_claims[key[0]].id, "article_id": key[1], "quote_id": key[2]}
                for key in sorted(self.links, key=lambda k: (k[1], k[2], self.link_claims[k[0]].id or 0))])


def _claim_row(claim: _Claim) -> dict[str, Any]:
    return {**claim.row, "publishers": json.dumps(claim.row["publishers"], ensure_ascii=False)}


def _denial_of(row: Any) -> Item:
    return Item(row["article_id"], row["quote_id"], "denial", row["attribution"], row["speaker_key"],
                row["speaker_name"], row["content"], row["start_char"], row["end_char"], row["published"],
                row["publisher"])


def _statement_items(article: dict[str, Any], quotes: list[dict[str, Any]]) -> list[Item]:
    """The article's sentences outside its quotes, as candidate bare restatements of stored claims."""
    body = article["body"] or ""
    spans = [(q["content_start"], q["content_end"]) for q in quotes if q["content_start"] is not None]
    spans += [(q["cue_start"], q["cue_end"]) for q in quotes if q["cue_start"] is not None]
    return [Item(article["id"], f"s{start}", "statement", A_UNATTRIBUTED, None, None, body[start:end].strip(),
                 start, end, article["published"], article["publisher"], article.get("seq") or 0)
            for start, end in sentences_outside(body, spans)]


def _at(item: Item) -> str:
    return f"{item.published or '9999'}/{item.seq:012d}/{item.start or 0:09d}"
