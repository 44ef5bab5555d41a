"""The article body cut into pieces at every fact boundary, so each piece knows which facts cover it.

Facts overlap freely (an entity inside a quote inside an event's evidence), so the body is not nested
into tags: it is split at every start and end offset, and each piece lists the facts covering it. The
template escapes every piece's text; nothing here produces markup.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

KINDS = {"entities": "entity", "places": "place", "quotes": "quote", "events": "event"}


@dataclass(frozen=True, slots=True)
class FactSpan:
    fact_id: str
    kind: str
    start: int
    end: int


@dataclass(slots=True)
class Piece:
    text: str
    fact_ids: tuple[str, ...] = ()
    kinds: tuple[str, ...] = ()
    anchors: list[str] = field(default_factory=list)  # facts whose first span starts here


def fact_spans(record: dict[str, Any]) -> list[FactSpan]:
    """Every span a fact stands on: entity and place mentions, quote contents, event evidence."""
    body_len = len(record.get("body") or "")
    spans: list[FactSpan] = []
    for key, kind in KINDS.items():
        for fact in record.get(key) or []:
            fact_id = str(fact.get("id", ""))
            for span in _spans_of(fact, key):
                start, end = span.get("start"), span.get("end")
                if isinstance(start, int) and isinstance(end, int) and 0 <= start < end <= body_len:
                    spans.append(FactSpan(fact_id, kind, start, end))
    return spans


def _spans_of(fact: dict[str, Any], key: str) -> list[dict[str, Any]]:
    if key in ("entities", "places"):
        return [m for m in fact.get("mentions") or [] if isinstance(m, dict)]
    part = fact.get("content") if key == "quotes" else fact.get("evidence")
    return [part] if isinstance(part, dict) else []


def pieces(body: str, spans: list[FactSpan]) -> list[Piece]:
    """``body`` split at every span boundary; one sweep over the sorted boundaries."""
    bounds = sorted({0, len(body), *(s.start for s in spans), *(s.end for s in spans)})
    starting: dict[int, list[FactSpan]] = {}
    for span in spans:
        starting.setdefault(span.start, []).append(span)
    active: list[FactSpan] = []
    anchored: set[str] = set()
    out: list[Piece] = []
    for start, end in zip(bounds, bounds[1:], strict=False):
        active = [s for s in active if s.end > start] + starting.get(start, [])
        ids = tuple(dict.fromkeys(s.fact_id for s in active))
        kinds = tuple(sorted({s.kind for s in active}))
        anchors = [i for i in ids if i not in anchored]
        anchored.update(anchors)
        out.append(Piece(body[start:end], ids, kinds, anchors))
    return out
