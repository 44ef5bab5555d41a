"""Related-story teasers left mid-body by scrapers: a headline (or blurb) block followed by a date-only block."""

from __future__ import annotations

from typing import Any

from dateline.clean.dates import parse_date_line


def remove_teasers(blocks: list[str]) -> tuple[list[str], list[dict[str, Any]]]:
    """(kept blocks, removed teasers with their dates). A date block with nothing before it is kept."""
    kept: list[str] = []
    removed: list[dict[str, Any]] = []
    for block in blocks:
        lines = block.split("\n")
        date = parse_date_line(lines[-1])
        if date is None:
            kept.append(block)
            continue
        if len(lines) > 1:  # headline and date in one block
            removed.append({"kind": "teaser", "text": "\n".join(lines[:-1]), "date": date})
        elif kept and parse_date_line(kept[-1].split("\n")[-1]) is None:
            removed.append({"kind": "teaser", "text": kept.pop(), "date": date})
        else:
            kept.append(block)
    return kept, removed


def newest_teaser_date(removed: list[dict[str, Any]]) -> str | None:
    dates = [r["date"] for r in removed if r.get("kind") == "teaser" and r.get("date")]
    return max(dates) if dates else None
