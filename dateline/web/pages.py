"""The web UI: server-rendered pages (Jinja2, autoescaped), each with a ``.json`` twin of the same data.

Charts are drawn in the browser by static scripts from the API endpoints named in ``data-src`` attributes.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path as FilePath
from typing import Annotated, Any

from fastapi import APIRouter, HTTPException, Path, Request
from fastapi.responses import HTMLResponse, Response
from fastapi.templating import Jinja2Templates
from jinja2 import Environment, FileSystemLoader

from dateline.store import query
from dateline.store.names import is_kb_actor
from dateline.store.query import Filters
from dateline.web.cache import aggregates
from dateline.web.deps import ARTICLE_ID, Eng, F, Suffix
from dateline.web.formats import respond
from dateline.web.highlight import fact_spans, pieces
from dateline.web.params import PLOVER_TYPES, Offset, filter_params, query_string
from dateline.web.security import safe_url

TEMPLATES = FilePath(__file__).parent / "templates"
PAGE_SIZE = 20

router = APIRouter(include_in_schema=False)
templates = Jinja2Templates(env=Environment(loader=FileSystemLoader(TEMPLATES), autoescape=True,
                                            trim_blocks=True, lstrip_blocks=True))
templates.env.globals.update(qs=query_string, safe_url=safe_url, plover_types=PLOVER_TYPES)


def twin(*paths: str) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Register a page at each path plus its ``.json`` / ``.csv`` twin (of the last path)."""
    def register(endpoint: Callable[..., Any]) -> Callable[..., Any]:
        router.add_api_route(paths[-1] + ".{suffix}", endpoint, methods=["GET"])
        for path in paths:
            router.add_api_route(path, endpoint, methods=["GET"], response_class=HTMLResponse)
        return endpoint
    return register


def render(request: Request, template: str, data: dict[str, Any], suffix: str | None, f: Filters | None = None,
           *, rows: str = "items") -> Response:
    """The page, or the same ``data`` as JSON, or its ``rows`` list as CSV."""
    if suffix == "json":
        return respond(data, "json", name=template)
    if suffix == "csv":
        return respond(list(data.get(rows) or []), "csv", name=template.removesuffix(".html"))
    if suffix is not None:
        raise HTTPException(404, "unknown format: use .json or .csv")
    params = filter_params(f) if f is not None else {}
    return templates.TemplateResponse(request, template, {**data, "params": params, "api_qs": query_string(params)})


@twin("/", "/search")
def search_page(request: Request, engine: Eng, f: F, suffix: Suffix, offset: Offset = 0) -> Response:
    active = bool(f.as_dict())
    page = query.search_articles(engine, f, limit=PAGE_SIZE, offset=offset)
    data = {"filters": f.as_dict(), "results": page.as_dict(), "items": page.items,
            "facets": aggregates.get(engine, f, ("facets", 10), lambda: query.facets(engine, f)),
            "counts": aggregates.get(engine, Filters(), "counts", lambda: query.counts(engine)), "active": active}
    return render(request, "search.html", data, suffix, f)


@router.get("/articles/{article_id}", response_class=HTMLResponse)
@router.get("/articles/{article_id}.{suffix}")  # registered first: the plain route would match "id.json"
def article_page(request: Request, engine: Eng, suffix: Suffix,
                 article_id: Annotated[str, Path(pattern=ARTICLE_ID)]) -> Response:
    record = query.get_article(engine, article_id)
    if record is None:
        raise HTTPException(404, "no such article")
    if suffix is not None:
        return render(request, "article.html", record, suffix)
    body = record.get("body") or ""
    entities = record.get("entities") or []
    data = {"record": record, "pieces": pieces(body, fact_spans(record)),
            "actors": [e for e in entities if is_kb_actor(e)],  # places and unnamed people are mentions, no actors
            "mentions": [e for e in entities if not is_kb_actor(e)],
            "entity_names": {e.get("id"): e.get("name") for e in entities},
            "place_names": {p.get("id"): p.get("name") for p in record.get("places") or []}}
    return templates.TemplateResponse(request, "article.html", data)


@twin("/map")
def map_page(request: Request, engine: Eng, f: F, suffix: Suffix) -> Response:
    from dateline.store.webqueries import event_places

    places = aggregates.get(engine, f, ("places", 500, 0), lambda: query.list_places(engine, f, limit=500)).items
    markers = aggregates.get(engine, f, ("event-places", 500), lambda: event_places(engine, f))
    data = {"filters": f.as_dict(), "places": places, "event_places": markers, "items": places}
    return render(request, "map.html", data, suffix, f)


@twin("/network")
def network_page(request: Request, engine: Eng, f: F, suffix: Suffix) -> Response:
    edges = aggregates.get(engine, f, ("network", 200), lambda: query.actor_network(engine, f))
    return render(request, "network.html", {"filters": f.as_dict(), "edges": edges, "items": edges}, suffix, f)


@twin("/timeline")
def timeline_page(request: Request, engine: Eng, f: F, suffix: Suffix, offset: Offset = 0) -> Response:
    page = query.list_events(engine, f, limit=50, offset=offset)
    data = {"filters": f.as_dict(), "events": page.as_dict(), "items": page.items}
    return render(request, "timeline.html", data, suffix, f)
