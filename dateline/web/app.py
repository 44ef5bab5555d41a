"""``create_app(db_url)``: the REST API, the web UI, static files and security headers on one FastAPI app."""

from __future__ import annotations

import os
import threading
from pathlib import Path

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.middleware.gzip import GZipMiddleware
from fastapi.responses import JSONResponse, Response
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException as StarletteHTTPException

from dateline.store import open_db
from dateline.web import across, api, pages, vendor
from dateline.web.security import security_middleware
from dateline.web.upload import TOKEN_ENV, upload_router

STATIC = Path(__file__).parent / "static"


def create_app(db_url: str, *, upload_token: str | None = None, allowed_hosts: list[str] | None = None) -> FastAPI:
    """The app on the existing knowledge base at ``db_url`` (SQLite path or postgresql:// URL).

    Upload-to-ingest exists only when a token is given or set in ``DATELINE_UPLOAD_TOKEN``. ``allowed_hosts``:
    the Host header names answered (None: any; ``dateline serve`` passes the served host's). Raises
    DatabaseRefused (missing database, newer schema …) with a message for the user.
    """
    app = FastAPI(title="dateline", description="News articles as sourced, structured records: search, quotes, "
                  "events, actors, places and time series. Read-only; every list as JSON or CSV.",
                  docs_url=None, redoc_url=None)
    app.state.engine = open_db(db_url, create=False)
    # Outermost but for compression: its Host check, headers and 500 cover every answer, errors included.
    app.middleware("http")(security_middleware(allowed_hosts))
    # Added last, so outermost: every response above 1 kB (pages, JSON, CSV, scripts) is compressed.
    app.add_middleware(GZipMiddleware, minimum_size=1024)
    app.include_router(api.router)
    token = upload_token or os.environ.get(TOKEN_ENV) or None
    if token:
        app.include_router(upload_router(token))
    app.include_router(across.router)  # claims, clusters, sourcing (issue 15)
    app.include_router(across.pages)
    app.include_router(vendor.router)
    app.include_router(pages.router)
    app.mount("/static", StaticFiles(directory=STATIC), name="static")
    app.add_exception_handler(StarletteHTTPException, _error)  # type: ignore[arg-type]
    app.add_exception_handler(RequestValidationError, _invalid)  # type: ignore[arg-type]
    threading.Thread(target=api.warm_aggregates, args=(app.state.engine,), name="warm-aggregates", daemon=True).start()
    return app


def _wants_html(request: Request) -> bool:
    path = request.url.path
    return not path.startswith("/api/") and not path.endswith((".json", ".csv")) and \
        "text/html" in request.headers.get("accept", "")


async def _error(request: Request, exc: StarletteHTTPException) -> Response:
    if _wants_html(request):
        return pages.templates.TemplateResponse(request, "error.html", {"status": exc.status_code,
                                                                        "detail": str(exc.detail)},
                                                status_code=exc.status_code)
    return JSONResponse({"detail": exc.detail}, status_code=exc.status_code, headers=exc.headers)


async def _invalid(request: Request, exc: RequestValidationError) -> Response:
    detail = [{"loc": list(e.get("loc", ())), "msg": e.get("msg", "")} for e in exc.errors()]
    if _wants_html(request):
        return pages.templates.TemplateResponse(request, "error.html", {"status": 422, "detail": "invalid parameters",
                                                                        "errors": detail}, status_code=422)
    return JSONResponse({"detail": detail}, status_code=422)


__all__ = ["create_app"]
