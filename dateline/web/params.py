"""Query parameters shared by API and pages: filters, paging and output format, all validated here."""

from __future__ import annotations

from typing import Annotated, Any, Literal
from urllib.parse import urlencode

from fastapi import HTTPException, Query

from dateline.store.query import MAX_ID, Filters

PLOVER_TYPES = ("AGREE", "CONSULT", "SUPPORT", "CONCEDE", "COOPERATE", "AID", "RETREAT", "REQUEST", "ACCUSE",
                "REJECT", "THREATEN", "PROTEST", "SANCTION", "MOBILIZE", "COERCE", "ASSAULT")
DATE = r"^(\d{4}(-\d{2}(-\d{2})?)?)?$"  # empty: a blank form field, no filter
FILTER_NAMES = ("q", "actor", "place", "country", "type", "since", "until", "source", "denial", "story")

Format = Literal["json", "csv"]


def filters(
    q: Annotated[str | None, Query(max_length=500, description="Words in title or body (all must appear).")] = None,
    actor: Annotated[str | None, Query(max_length=300, description="Actor id or name.")] = None,
    place: Annotated[str | None, Query(max_length=300, description="Place name.")] = None,
    country: Annotated[str | None, Query(pattern=r"^([A-Za-z]{2})?$", description="ISO 3166-1 alpha-2.")] = None,
    type: Annotated[str | None, Query(max_length=16, description="PLOVER event type.")] = None,
    since: Annotated[str | None, Query(pattern=DATE, description="ISO date, month or year (inclusive).")] = None,
    until: Annotated[str | None, Query(pattern=DATE, description="ISO date, month or year (inclusive).")] = None,
    source: Annotated[str | None, Query(pattern=r"^(named|anonymous)?$",
                                        description="named or anonymous: only such sources.")] = None,
    denial: Annotated[str | None, Query(pattern=r"^(true|false)?$",
                                        description="true: denial quotes / negated events; false: none.")] = None,
    story: Annotated[str | None, Query(max_length=64, description="Story id (near-duplicate group).")] = None,
) -> Filters:
    """The store's Filters from query parameters; empty strings (blank form fields) mean no filter."""
    event_type = (type or "").strip().upper() or None
    if event_type is not None and event_type not in PLOVER_TYPES:
        raise HTTPException(422, f"type must be one of {', '.join(PLOVER_TYPES)}")
    try:  # Filters checks that dates exist (2021-02-30 does not)
        return Filters(text=_blank(q), actor=_blank(actor), place=_blank(place), country=_blank(country),
                       type=event_type, since=_blank(since), until=_blank(until),
                       anonymous={"anonymous": True, "named": False}.get(source or ""),
                       denial={"true": True, "false": False}.get(denial or ""), story=_blank(story))
    except ValueError as exc:
        raise HTTPException(422, str(exc)) from None


def _blank(value: str | None) -> str | None:
    return value.strip() or None if value is not None else None


def filter_params(f: Filters) -> dict[str, str]:
    """Filters back to query parameters (for links that keep the current search)."""
    out: dict[str, str] = {}
    names = {"text": "q", "anonymous": "source"}
    for key, value in f.as_dict().items():
        if key == "anonymous":
            out["source"] = "anonymous" if value else "named"
        elif isinstance(value, bool):
            out[key] = "true" if value else "false"
        else:
            out[names.get(key, key)] = str(value)
    return out


def query_string(params: dict[str, Any], **changes: Any) -> str:
    """``?a=1&b=2`` from params with changes applied (None removes a key); "" when nothing is left."""
    merged = {**params, **changes}
    kept = {k: v for k, v in merged.items() if v is not None and v != ""}
    return "?" + urlencode(kept) if kept else ""


Limit = Annotated[int, Query(ge=1, le=1000, description="Rows per page.")]
Offset = Annotated[int, Query(ge=0, le=10_000_000, description="Rows to skip.")]
ActorId = Annotated[int | None, Query(ge=0, le=MAX_ID, description="Actor id.")]
FormatParam = Annotated[Format, Query(alias="format", description="json or csv (or use a .json/.csv suffix).")]
