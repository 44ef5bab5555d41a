"""JSON and CSV responses built from the same data (every list has both, Datasette style)."""

from __future__ import annotations

import csv
import io
import json
from typing import Any

from fastapi import HTTPException
from fastapi.responses import Response

from dateline.store.query import Page

# Spreadsheets run cells starting with these as formulas; article text is hostile, so such cells get a quote.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def pick_format(suffix: str | None, param: str) -> str:
    """The format from a ``.json``/``.csv`` path suffix (wins) or the ``format`` parameter."""
    fmt = suffix if suffix is not None else param
    if fmt not in ("json", "csv"):
        raise HTTPException(404, "unknown format: use .json or .csv")
    return fmt


def respond(data: Page | list[dict[str, Any]] | dict[str, Any], fmt: str, *, name: str) -> Response:
    """``data`` as JSON, or its rows as CSV (a Page's items, a list, or a dict's ``rows_key`` list)."""
    if fmt == "csv":
        rows = data.items if isinstance(data, Page) else data if isinstance(data, list) else data.get("items", [])
        return Response(to_csv(rows), media_type="text/csv; charset=utf-8",
                        headers={"Content-Disposition": f'attachment; filename="{name}.csv"'})
    payload = data.as_dict() if isinstance(data, Page) else data
    # Serialised once (JSONResponse's own settings); dates and other non-JSON values as strings.
    body = json.dumps(payload, default=str, ensure_ascii=False, allow_nan=False, separators=(",", ":"))
    return Response(body, media_type="application/json")


def to_csv(rows: list[dict[str, Any]]) -> str:
    columns: list[str] = []
    for row in rows:
        columns.extend(k for k in row if k not in columns)
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=columns, extrasaction="ignore")
    writer.writeheader()
    for row in rows:
        writer.writerow({k: csv_cell(v) for k, v in row.items()})
    return out.getvalue()


def csv_cell(value: Any) -> Any:
    if isinstance(value, dict | list):
        value = json.dumps(value, ensure_ascii=False)
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value
