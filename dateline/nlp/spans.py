"""Read-only helpers over the Doc extensions: which actor or place covers a character span."""

from __future__ import annotations

import bisect
from typing import Any

from spacy.tokens import Doc


class MentionIndex:
    """The mentions of a list of actors or places, sorted by start: a component that asks many times per
    document builds one and looks spans up in it instead of scanning every mention each time."""

    def __init__(self, items: list[dict[str, Any]] | None) -> None:
        # (start, end, order of the mention in the list, item): ties are settled by that order
        entries = [(m["start"], m["end"], order, item)
                   for order, (item, m) in enumerate((item, m) for item in items or [] for m in item.get("mentions", []))]
        entries.sort(key=lambda entry: entry[0])
        self._entries = entries
        self._starts = [entry[0] for entry in entries]
        self._longest = max((end - start for start, end, _, _ in entries), default=0)

    def covering(self, start: int, end: int) -> dict[str, Any] | None:
        """The item with a mention overlapping [start, end), preferring the tightest overlap (the earliest
        mention in list order among equals)."""
        # an overlapping mention starts before ``end`` and, being at most ``_longest`` long, after start - _longest
        first = bisect.bisect_right(self._starts, start - self._longest)
        last = bisect.bisect_left(self._starts, end)
        best, best_overlap, best_order = None, 0, 0
        for m_start, m_end, order, item in self._entries[first:last]:
            overlap = min(end, m_end) - max(start, m_start)
            if overlap > best_overlap or (overlap == best_overlap and best is not None and order < best_order):
                best, best_overlap, best_order = item, overlap, order
        return best


def actor_at(doc: Doc, start: int, end: int) -> dict[str, Any] | None:
    """The entity (from ``doc._.dateline_actors``) with a mention over the span, or None."""
    return MentionIndex(doc._.dateline_actors).covering(start, end)


def place_at(doc: Doc, start: int, end: int) -> dict[str, Any] | None:
    """The place (from ``doc._.dateline_places``) with a mention over the span, or None."""
    return MentionIndex(doc._.dateline_places).covering(start, end)
