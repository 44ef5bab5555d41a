"""Across articles on the web: claim trails, event clusters and sourcing profiles (API and pages).

Every list is JSON and CSV like the rest of /api; the pages are server-rendered (autoescaped) and draw their
charts in the browser from the same endpoints (static/js/trail.js, sourcing.js), with Observable Plot.
"""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, HTTPException, Path, Query, Request
from fastapi.responses import HTMLResponse, Response

from dateline.store.across import read
from dateline.store.across.sourcing import DIMENSIONS, profile
from dateline.store.query import MAX_ID
from dateline.web.deps import Eng, Suffix
from dateline.web.formats import pick_format, respond
from dateline.web.params import DATE, PLOVER_TYPES, FormatParam, Limit, Offset, query_string

router = APIRouter(tags=["across articles"])
pages = APIRouter(include_in_schema=False)

Words = Annotated[str | None, Query(max_length=300, description="Words the claim's content holds (all of them).")]
Speaker = Annotated[str | None, Query(max_length=300, description="Words of the speaker's name.")]
Since = Annotated[str | None, Query(pattern=DATE, description="ISO date, month or year (inclusive).")]
Until = Annotated[str | None, Query(pattern=DATE, description="ISO date, month or year (inclusive).")]
Flag = Annotated[Literal["true", "false", ""] | None, Query(description="true or false; empty: either.")]
MinArticles = Annotated[int, Query(ge=1, le=1000, description="Only those in at least this many articles.")]
By = Annotated[Literal["publisher", "month", "country", "type", "actor"], Query(description="Group by.")]
ClaimOrder = Annotated[Literal["articles", "recent", "first"], Query(description="articles, recent or first.")]


def _flag(value: str | None) -> bool | None:
    return {"true": True, "false": False}.get(value or "")


def _claim_filters(q: str | None, speaker: str | None, since: str | None, until: str | None, min_articles: int,
                   denied: str | None, lost: str | None) -> read.ClaimFilters:
    try:
        return read.ClaimFilters(text=(q or "").strip() or None, speaker=(speaker or "").strip() or None,
                                 since=since or None, until=until or None, min_articles=min_articles,
                                 denied=_flag(denied), lost=_flag(lost))
    except ValueError as exc:  # a date that does not exist
        raise HTTPException(422, str(exc)) from None


def _cluster_filters(type: str | None, country: str | None, since: str | None, until: str | None,
                     min_articles: int, conflict: str | None) -> read.ClusterFilters:
    event_type = (type or "").strip().upper() or None
    if event_type is not None and event_type not in PLOVER_TYPES:
        raise HTTPException(422, f"type must be one of {', '.join(PLOVER_TYPES)}")
    try:
        return read.ClusterFilters(type=event_type, country=(country or "").strip().upper() or None,
                                   since=since or None, until=until or None, min_articles=min_articles,
                                   conflict=_flag(conflict))
    except ValueError as exc:  # a date that does not exist
        raise HTTPException(422, str(exc)) from None


def _twin(r: APIRouter, path: str, **kwargs: object):  # type: ignore[no-untyped-def]
    def register(endpoint):  # type: ignore[no-untyped-def]
        r.add_api_route(path + ".{suffix}", endpoint, methods=["GET"], include_in_schema=False)
        r.add_api_route(path, endpoint, methods=["GET"], **kwargs)  # type: ignore[arg-type]
        return endpoint
    return register


# ---------------------------------------------------------------- API


@_twin(router, "/api/claims")
def claims(engine: Eng, suffix: Suffix, q: Words = None, speaker: Speaker = None, since: Since = None,
           until: Until = None, min_articles: MinArticles = 2, denied: Flag = None, lost: Flag = None,
           order: ClaimOrder = "articles", limit: Limit = 50, offset: Offset = 0, fmt: FormatParam = "json") -> Response:
    """Claims that travelled across articles: first appearance (date, outlet, attribution), counts of articles,
    outlets and denials, and whether the attribution was lost on the way."""
    f = _claim_filters(q, speaker, since, until, min_articles, denied, lost)
    return respond(read.list_claims(engine, f, order=order, limit=limit, offset=offset), pick_format(suffix, fmt),
                   name="claims")


@router.get("/api/claims/{claim_id}")
@router.get("/api/claims/{claim_id}.json", include_in_schema=False)
def claim(engine: Eng, claim_id: Annotated[int, Path(ge=1, le=MAX_ID)]) -> Response:
    """One claim's trail: every appearance in order with outlet, attribution and span, and its denials."""
    found = read.get_claim(engine, claim_id)
    if found is None:
        raise HTTPException(404, "no such claim")
    return respond(found, "json", name="claim")


@_twin(router, "/api/clusters")
def clusters(engine: Eng, suffix: Suffix, type: Annotated[str | None, Query(max_length=16)] = None,
             country: Annotated[str | None, Query(pattern=r"^([A-Za-z]{2})?$")] = None, since: Since = None,
             until: Until = None, min_articles: MinArticles = 1, conflict: Flag = None, limit: Limit = 50,
             offset: Offset = 0, fmt: FormatParam = "json") -> Response:
    """Event clusters: one happening with all its reports (counts of reports, articles and outlets), and the
    figures and perpetrators its reports disagree on."""
    f = _cluster_filters(type, country, since, until, min_articles, conflict)
    return respond(read.list_clusters(engine, f, limit=limit, offset=offset), pick_format(suffix, fmt),
                   name="clusters")


@router.get("/api/clusters/{cluster_id}")
@router.get("/api/clusters/{cluster_id}.json", include_in_schema=False)
def cluster(engine: Eng, cluster_id: Annotated[int, Path(ge=1, le=MAX_ID)]) -> Response:
    """One event cluster with every report of it (article, outlet, evidence span)."""
    found = read.get_cluster(engine, cluster_id)
    if found is None:
        raise HTTPException(404, "no such cluster")
    return respond(found, "json", name="cluster")


@_twin(router, "/api/sourcing")
def sourcing(engine: Eng, suffix: Suffix, by: By = "publisher", since: Since = None, until: Until = None,
             limit: Annotated[int, Query(ge=1, le=1000)] = 50, fmt: FormatParam = "json") -> Response:
    """Sourcing profile by publisher, month, country, PLOVER type or actor: quotes by named and anonymous
    sources (counts and shares), the share of anonymous ones giving a reason, reasons grouped, speaker kinds."""
    rows = profile(engine, by, since=since or None, until=until or None, limit=limit)
    return respond(rows, pick_format(suffix, fmt), name=f"sourcing-by-{by}")


# ---------------------------------------------------------------- pages


def _page(request: Request, template: str, data: dict[str, object]) -> Response:
    from dateline.web.pages import templates

    return templates.TemplateResponse(request, template, data)


@pages.get("/claims", response_class=HTMLResponse)
def claims_page(request: Request, engine: Eng, q: Words = None, speaker: Speaker = None, since: Since = None,
                until: Until = None, min_articles: MinArticles = 2, denied: Flag = None, lost: Flag = None,
                order: ClaimOrder = "articles", offset: Offset = 0) -> Response:
    f = _claim_filters(q, speaker, since, until, min_articles, denied, lost)
    page = read.list_claims(engine, f, order=order, limit=25, offset=offset)
    params = {k: v for k, v in {"q": q, "speaker": speaker, "since": since, "until": until, "denied": denied,
                                "lost": lost, "order": order if order != "articles" else None,
                                "min_articles": min_articles if min_articles != 2 else None}.items() if v}
    return _page(request, "claims.html", {"page": page.as_dict(), "params": params, "qs": query_string,
                                          "api_qs": ""})


@pages.get("/claims/{claim_id}", response_class=HTMLResponse)
def claim_page(request: Request, engine: Eng, claim_id: Annotated[int, Path(ge=1, le=MAX_ID)]) -> Response:
    found = read.get_claim(engine, claim_id)
    if found is None:
        raise HTTPException(404, "no such claim")
    return _page(request, "claim.html", {"claim": found, "api_qs": ""})


@pages.get("/clusters", response_class=HTMLResponse)
def clusters_page(request: Request, engine: Eng, type: Annotated[str | None, Query(max_length=16)] = None,
                  since: Since = None, until: Until = None, min_articles: MinArticles = 2, conflict: Flag = None,
                  offset: Offset = 0) -> Response:
    f = _cluster_filters(type, None, since, until, min_articles, conflict)
    page = read.list_clusters(engine, f, limit=25, offset=offset)
    params = {k: v for k, v in {"type": type, "since": since, "until": until, "conflict": conflict,
                                "min_articles": min_articles if min_articles != 2 else None}.items() if v}
    return _page(request, "clusters.html", {"page": page.as_dict(), "params": params, "api_qs": ""})


@pages.get("/clusters/{cluster_id}", response_class=HTMLResponse)
def cluster_page(request: Request, engine: Eng, cluster_id: Annotated[int, Path(ge=1, le=MAX_ID)]) -> Response:
    found = read.get_cluster(engine, cluster_id)
    if found is None:
        raise HTTPException(404, "no such cluster")
    return _page(request, "cluster.html", {"cluster": found, "api_qs": ""})


@pages.get("/sourcing", response_class=HTMLResponse)
def sourcing_page(request: Request, engine: Eng, by: By = "publisher", since: Since = None,
                  until: Until = None) -> Response:
    rows = profile(engine, by, since=since or None, until=until or None, limit=50)
    params = {k: v for k, v in {"by": by, "since": since, "until": until}.items() if v}
    return _page(request, "sourcing.html", {"rows": rows, "by": by, "dimensions": DIMENSIONS, "params": params,
                                            "src_qs": query_string(params), "api_qs": ""})
