"""Page furniture in text: ads, share and newsletter prompts, "Read more" links, copyright lines, in-body bylines."""

from __future__ import annotations

import re
from typing import Any

from dateline.clean.header import parse_byline
from dateline.clean.patterns import BOILERPLATE_BLOCKS

# Only short blocks can be furniture: a long paragraph that mentions a newsletter is still prose.
MAX_FURNITURE_CHARS = 250


def furniture_kind(block: str) -> str | None:
    text = " ".join(block.split())
    if len(text) > MAX_FURNITURE_CHARS:
        return None
    for kind, pattern in BOILERPLATE_BLOCKS:
        if pattern.match(text):
            return kind
    if parse_byline(text) is not None or re.match(r"^By an? (staff|special) (writer|correspondent)", text, re.I):
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
