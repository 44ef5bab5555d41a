"""Read-only helpers over the Doc extensions: which actor or place covers a character span."""

from __future__ import annotations

from typing import Any

from spacy.tokens import Doc


def _covering(items: list[dict[str, Any]] | None, start: int, end: int) -> dict[str, Any] | None:
    """The item with a mention overlapping [start, end), preferring the tightest overlap."""
    best, best_overlap = None, 0
    for item in items or []:
        for m in item.get("mentions", []):
            overlap = min(end, m["end"]) - max(start, m["start"])
            if overlap > best_overlap:
                best, best_overlap = item, overlap
    return best


def actor_at(doc: Doc, start: int, end: int) -> dict[str, Any] | None:
    """The entity (from ``doc._.dateline_actors``) with a mention over the span, or None."""
    return _covering(doc._.dateline_actors, start, end)


def place_at(doc: Doc, start: int, end: int) -> dict[str, Any] | None:
    """The place (from ``doc._.dateline_places``) with a mention over the span, or None."""
    return _covering(doc._.dateline_places, start, end)
