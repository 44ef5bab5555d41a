"""Photo alt text, captions and credits: a block whose last line is a credit is a media block."""

from __future__ import annotations

from typing import Any

from dateline.clean.patterns import CREDIT_LINE


def is_credit(line: str) -> bool:
    line = line.strip()
    return 0 < len(line) <= 100 and CREDIT_LINE.match(line) is not None


def remove_media(blocks: list[str]) -> tuple[list[str], list[dict[str, Any]], list[dict[str, Any]]]:
    """(kept blocks, removed items, media entries)."""
    kept: list[str] = []
    removed: list[dict[str, Any]] = []
    media: list[dict[str, Any]] = []
    for block in blocks:
        lines = block.split("\n")
        if not is_credit(lines[-1]) or len(lines) > 4:
            kept.append(block)
            continue
        credit = lines[-1].strip().strip("()").strip()
        before = [line.strip() for line in lines[:-1]]
        alt_text = before[0] if len(before) >= 2 else None
        caption = " ".join(before[1:] if len(before) >= 2 else before) or None
        media.append({"alt_text": alt_text, "caption": caption, "credit": credit})
        for kind, text in (("alt_text", alt_text), ("caption", caption), ("credit", credit)):
            if text:
                removed.append({"kind": kind, "text": text})
    return kept, removed, media
