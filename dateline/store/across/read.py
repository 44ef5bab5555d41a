"""Reading the across-article layer: claim lists and trails, cluster lists and their reports.

Same rules as ``query.py``: JSON-ready dicts, lists as a ``Page``, every value bound as a parameter.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any, Literal

from sqlalchemy import ColumnElement, Engine, and_, func, or_, select

from dateline.store import schema
from dateline.store.across.tables import claim_appearances, claim_denials, claims, event_clusters
from dateline.store.query import MAX_LIMIT, Page, _until_bound, check_date_filter, one_answer

A, Q, V, ACT = schema.articles, schema.quotes, schema.events, schema.actors
ClaimOrder = Literal["articles", "recent", "first"]


@dataclass(frozen=True, slots=True)
class ClaimFilters:
    text: str | None = None  # words the claim's content holds (all of them)
    speaker: str | None = None  # words of the speaker's name
    since: str | None = None  # first appearance on or after
    until: str | None = None
    min_articles: int = 2  # claims that travelled: in at least this many articles
    denied: bool | None = None
    lost: bool | None = None  # named first, later anonymous or unattributed

    def __post_init__(self) -> None:  # dates that do not exist (2021-02-30) are refused, as in query.Filters
        for name in ("since", "until"):
            check_date_filter(getattr(self, name), name)


def _claim_conditions(f: ClaimFilters) -> list[ColumnElement[bool]]:
    c = claims.c
    conds: list[ColumnElement[bool]] = []
    if f.min_articles > 1:
        conds.append(c.articles >= f.min_articles)
    for word in (f.text or "").split():
        conds.append(func.lower(c.content).contains(word.lower(), autoescape=True))
    for word in (f.speaker or "").split():
        conds.append(func.lower(c.speaker_name).contains(word.lower(), autoescape=True))
    if f.since:
        conds.append(c.first_published >= f.since)
    if f.until:
        conds.extend(_until_bound(c.first_published, f.until))
    if f.denied is not None:
        conds.append(c.denials > 0 if f.denied else c.denials == 0)
    if f.lost is not None:
        conds.append(c.lost_attribution == f.lost)
    return conds


CLAIM_COLUMNS = (claims.c.id, claims.c.content, claims.c.speaker_name, claims.c.first_published,
                 claims.c.first_publisher, claims.c.first_attribution, claims.c.first_article_id,
                 claims.c.first_quote_id, claims.c.last_published, claims.c.appearances, claims.c.articles,
                 claims.c.outlets, claims.c.denials, claims.c.lost_attribution)


@one_answer
def list_claims(engine: Engine, f: ClaimFilters, *, order: ClaimOrder = "articles", limit: int = 50,
                offset: int = 0) -> Page:
    """Claims (travelled ones by default), most articles first (or most recent, or earliest first)."""
    limit, offset = max(1, min(limit, MAX_LIMIT)), max(0, offset)
    c = claims.c
    sort = {"articles": (c.articles.desc(), c.id.desc()),
            "recent": (func.coalesce(c.last_published, "").desc(), c.id.desc()),
            "first": (func.coalesce(c.first_published, "9999"), c.id)}[order]
    query = select(*CLAIM_COLUMNS).where(*_claim_conditions(f)).order_by(*sort)
    with engine.connect() as conn:
        items = [dict(r) for r in conn.execute(query.limit(limit + 1).offset(offset)).mappings()]
        more = len(items) > limit
        items = items[:limit]
        if offset == 0 and not more:
            total, capped = len(items), False
        else:
            counted = select(claims.c.id).where(*_claim_conditions(f)).limit(10_001).subquery()
            total = int(conn.execute(select(func.count()).select_from(counted)).scalar_one())
            capped, total = total > 10_000, min(total, 10_000)
    return Page(items, total, limit, offset, {"total_is_lower_bound": capped})


def get_claim(engine: Engine, claim_id: int) -> dict[str, Any] | None:
    """One claim with its trail: every appearance in order (date, outlet, attribution, span, article) and the
    denials linked to it."""
    ca, cd = claim_appearances, claim_denials
    with engine.connect() as conn:
        row = conn.execute(select(*CLAIM_COLUMNS).where(claims.c.id == claim_id)).mappings().first()
        if row is None:
            return None
        claim = dict(row)
        claim["appearances"] = [dict(r) for r in conn.execute(
            select(ca.c.article_id, ca.c.quote_id, ca.c.kind, ca.c.attribution, ca.c.speaker_name, ca.c.content,
                   ca.c.start_char, ca.c.end_char, ca.c.published, ca.c.publisher, A.c.title, A.c.url)
            .join(A, A.c.id == ca.c.article_id).where(ca.c.claim_id == claim_id)
            .order_by(func.coalesce(ca.c.published, "9999"), A.c.seq, ca.c.start_char)).mappings()]
        claim["denials"] = [dict(r) for r in conn.execute(
            select(ca.c.article_id, ca.c.quote_id, ca.c.speaker_name, ca.c.content, ca.c.start_char, ca.c.end_char,
                   ca.c.published, ca.c.publisher, A.c.title, A.c.url)
            .join(cd, and_(cd.c.article_id == ca.c.article_id, cd.c.quote_id == ca.c.quote_id))
            .join(A, A.c.id == ca.c.article_id).where(cd.c.claim_id == claim_id)
            .order_by(func.coalesce(ca.c.published, "9999"), A.c.seq)).mappings()]
    claim["attribution_path"] = _path([a["attribution"] for a in claim["appearances"]])
    return claim


def _path(forms: list[str]) -> list[str]:
    """The attribution forms in order with repeats folded: named, anonymous, unattributed."""
    out: list[str] = []
    for form in forms:
        if not out or out[-1] != form:
            out.append(form)
    return out


# ---------------------------------------------------------------- clusters


@dataclass(frozen=True, slots=True)
class ClusterFilters:
    type: str | None = None
    country: str | None = None
    since: str | None = None
    until: str | None = None
    min_articles: int = 1  # reported by at least this many articles
    conflict: bool | None = None

    def __post_init__(self) -> None:  # dates that do not exist (2021-02-30) are refused, as in query.Filters
        for name in ("since", "until"):
            check_date_filter(getattr(self, name), name)


CLUSTER_COLUMNS = tuple(event_clusters.c)


@one_answer
def list_clusters(engine: Engine, f: ClusterFilters, *, limit: int = 50, offset: int = 0) -> Page:
    """Event clusters, most reports first: each one happening with its report, article and outlet counts."""
    limit, offset = max(1, min(limit, MAX_LIMIT)), max(0, offset)
    c = event_clusters.c
    conds: list[ColumnElement[bool]] = []
    if f.min_articles > 1:
        conds.append(c.articles >= f.min_articles)
    if f.type:
        conds.append(c.type == f.type.upper())
    if f.country:
        conds.append(c.country == f.country.upper())
    if f.since:
        conds.append(c.day >= f.since)
    if f.until:
        conds.extend(_until_bound(c.day, f.until))
    if f.conflict is not None:
        conds.append(c.conflict == f.conflict)
    query = select(*CLUSTER_COLUMNS).where(*conds).order_by(c.reports.desc(), c.id.desc())
    with engine.connect() as conn:
        items = [_decoded(dict(r)) for r in conn.execute(query.limit(limit + 1).offset(offset)).mappings()]
        more = len(items) > limit
        items = items[:limit]
        if offset == 0 and not more:
            total, capped = len(items), False
        else:
            counted = select(c.id).where(*conds).limit(10_001).subquery()
            total = int(conn.execute(select(func.count()).select_from(counted)).scalar_one())
            capped, total = total > 10_000, min(total, 10_000)
    return Page(items, total, limit, offset, {"total_is_lower_bound": capped})


def _decoded(row: dict[str, Any]) -> dict[str, Any]:
    row["numbers"] = json.loads(row.get("numbers") or "[]")
    row["sources"] = json.loads(row.get("sources") or "[]")
    return row


def get_cluster(engine: Engine, cluster_id: int) -> dict[str, Any] | None:
    """One cluster with all its reports (event, article, outlet, evidence span)."""
    with engine.connect() as conn:
        row = conn.execute(select(*CLUSTER_COLUMNS).where(event_clusters.c.id == cluster_id)).mappings().first()
        if row is None:
            return None
        cluster = _decoded(dict(row))
        cluster["reports"] = [dict(r) for r in conn.execute(
            select(V.c.article_id, V.c.local_id.label("event_id"), V.c.type, V.c.source_text, V.c.target_text,
                   V.c.place_name, V.c.day, V.c.date_text, V.c.evidence, V.c.evidence_start, V.c.evidence_end,
                   A.c.title, A.c.publisher, A.c.published, A.c.url)
            .join(A, A.c.id == V.c.article_id).where(V.c.cluster_id == cluster_id)
            .order_by(func.coalesce(A.c.published, "9999"), A.c.seq, V.c.local_id)).mappings()]
    return cluster


def claims_of_article(engine: Engine, article_id: str) -> list[dict[str, Any]]:
    """The travelled claims an article takes part in (for the article page's links to their trails)."""
    ca = claim_appearances
    with engine.connect() as conn:
        return [dict(r) for r in conn.execute(
            select(ca.c.quote_id, claims.c.id, claims.c.articles, claims.c.denials)
            .join(claims, claims.c.id == ca.c.claim_id)
            .where(ca.c.article_id == article_id, or_(claims.c.articles > 1, claims.c.denials > 0))).mappings()]
