"""A readable summary of one record for the terminal (rich). Article text is printed as text, never markup."""

from __future__ import annotations

from typing import Any

from rich.console import Console
from rich.text import Text


def print_summary(console: Console, record: dict[str, Any]) -> None:
    title = Text(record.get("title") or "(no title)", style="bold")
    console.print(title)
    meta = [record["source"]["uri"], f"published {record.get('published') or '?'} ({record.get('published_precision') or '-'})",
            f"language {record.get('language') or '?'}"]
    if record.get("byline"):
        meta.append("by " + ", ".join(record["byline"]))
    if record.get("dateline"):
        meta.append("dateline " + (record["dateline"].get("place") or ""))
    console.print(Text("  " + " | ".join(meta), style="dim"))
    words = len(record.get("body", "").split())
    counts = {k: len(record.get(k) or []) for k in ("entities", "places", "quotes", "events", "removed", "media")}
    console.print(Text(f"  {words} words; " + ", ".join(f"{v} {k}" for k, v in counts.items())))
    for quote in (record.get("quotes") or [])[:5]:
        speaker = quote.get("speaker") or {}
        who = speaker.get("name") or speaker.get("text") or "?"
        if speaker.get("anonymous"):
            who += " (anonymous)"
        console.print(Text(f"  “{quote['content']['text'][:90]}” — {who}"))
    for note in record.get("notes") or []:
        console.print(Text(f"  note: {note}", style="yellow"))
    console.print()
