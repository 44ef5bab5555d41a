"""Page furniture in text: ads, share and newsletter prompts, "Read more" links, copyright lines, in-body bylines."""

from __future__ import annotations

from typing import Any

from dateline.clean.patterns import BOILERPLATE_BLOCKS, BYLINE

# Only short blocks can be furniture: a long paragraph that mentions a newsletter is still prose.
MAX_FURNITURE_CHARS = 250


def furniture_kind(block: str) -> str | None:
    text = " ".join(block.split())
    if len(text) > MAX_FURNITURE_CHARS:
        return None
    for kind, pattern in BOILERPLATE_BLOCKS:
        if pattern.match(text):
            return kind
    if BYLINE.match(text) and len(text.split()) <= 12:
        return "byline"
    return None


def remove_boilerplate(blocks: list[str]) -> tuple[list[str], list[dict[str, Any]]]:
    kept: list[str] = []
    removed: list[dict[str, Any]] = []
    for block in blocks:
        kind = furniture_kind(block)
        if kind is None:
            kept.append(block)
        else:
            removed.append({"kind": kind, "text": block})
    return kept, removed
