"""Plain-text articles: blocks (paragraphs) in, Article out. Rules live in header/teasers/media/boilerplate."""

from __future__ import annotations

from typing import Any

from dateline.clean.article import Article


def split_blocks(text: str) -> list[str]:
    """Paragraphs: runs of lines separated by blank lines, stripped, empty ones dropped."""
    blocks, current = [], []
    for line in text.split("\n"):
        if line.strip():
            current.append(line.strip())
        elif current:
            blocks.append("\n".join(current))
            current = []
    if current:
        blocks.append("\n".join(current))
    return blocks


def clean_body_blocks(blocks: list[str]) -> tuple[list[str], list[dict[str, Any]], list[dict[str, Any]]]:
    """Body blocks -> (kept blocks, removed items, media). Shared by the text and HTML paths."""
    return blocks, [], []


def clean_text_article(text: str, uri: str, meta: dict[str, Any]) -> Article:
    blocks = split_blocks(text)
    kept, removed, media = clean_body_blocks(blocks)
    return Article(uri=uri, format="text", body="\n\n".join(kept), removed=removed, media=media,
                   title=meta.get("title"), url=meta.get("url"), published=meta.get("published"))
