"""FastAPI dependencies: the app's Engine, the filters, and a route's ``.json``/``.csv`` suffix."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request
from sqlalchemy import Engine

from dateline.store.query import Filters
from dateline.web.params import filters


def engine_of(request: Request) -> Engine:
    engine: Engine = request.app.state.engine
    return engine


def suffix_of(request: Request) -> str | None:
    """The ``.json``/``.csv`` twin's suffix, when the request came through a twin route."""
    suffix = request.path_params.get("suffix")
    return str(suffix) if suffix is not None else None


Eng = Annotated[Engine, Depends(engine_of)]
F = Annotated[Filters, Depends(filters)]
Suffix = Annotated[str | None, Depends(suffix_of)]
ARTICLE_ID = r"^[0-9A-Za-z_-]{1,64}$"
