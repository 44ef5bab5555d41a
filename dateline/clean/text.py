"""Plain-text articles: blocks (paragraphs) in, Article out. The rules live in header, teasers, media, boilerplate."""

from __future__ import annotations

from typing import Any

from dateline.clean.article import Article
from dateline.clean.boilerplate import remove_boilerplate
from dateline.clean.header import parse_byline, parse_dateline, split_header
from dateline.clean.media import remove_media
from dateline.clean.patterns import AGENCIES
from dateline.clean.teasers import newest_teaser_date, remove_teasers


def split_blocks(text: str) -> list[str]:
    """Paragraphs: runs of lines separated by blank lines, each line stripped, empty blocks dropped."""
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
    """Body blocks -> (kept blocks, removed items, media). Shared by the text and HTML paths.

    Media first (a credit line ends a caption block), then furniture, then teasers (a date block
    takes the block before it, which must not be a caption or an ad)."""
    blocks, removed, media = remove_media(blocks)
    blocks, furniture = remove_boilerplate(blocks)
    blocks, teasers = remove_teasers(blocks)
    return blocks, removed + furniture + teasers, media


def clean_text_article(text: str, uri: str, meta: dict[str, Any]) -> Article:
    given = meta.get("title") if isinstance(meta.get("title"), str) and meta["title"].strip() else None
    blocks = split_blocks(text)
    if given is not None and blocks and " ".join(blocks[0].split()) == " ".join(given.split()):
        blocks = blocks[1:]  # the text repeats the title it came with
    # A title given beside the text (JSON Lines, feeds) is the title: the text's first line is then its
    # byline or first paragraph, not a second title that would push the byline into the body.
    header, blocks = split_header(blocks, titled=given is None)
    kept, removed, media = clean_body_blocks(blocks)
    # A paragraph's single line breaks are layout, not structure.
    body = "\n\n".join(" ".join(block.split("\n")) for block in kept)
    dateline = parse_dateline(kept[0]) if kept else None
    published, precision = header.published, "day" if header.published else None
    if published is None and meta.get("published"):
        published, precision = str(meta["published"])[:10], "day"
    teaser_date = newest_teaser_date(removed)
    notes = []
    if published is None and teaser_date:
        # The story cannot be older than the newest story it links to.
        published, precision = teaser_date, "inferred"
        notes.append(f"published date inferred: not before {teaser_date}, the newest related-story date")
    publisher = header.publisher or meta.get("publisher")
    if publisher is None and dateline and dateline.get("agency"):
        publisher = AGENCIES.get(dateline["agency"], dateline["agency"])
    byline, publisher_in_body = header.byline, None
    if not byline:  # a byline left inside the body was removed as furniture; its names are still the byline
        for item in removed:
            parsed = parse_byline(item["text"]) if item["kind"] == "byline" else None
            if parsed and parsed[0]:
                byline, publisher_in_body = parsed
                break
    publisher = publisher or publisher_in_body
    return Article(uri=uri, format="text", body=body, title=given or header.title, byline=byline,
                   publisher=publisher, published=published, published_precision=precision, dateline=dateline,
                   removed=removed, media=media, url=meta.get("url"), notes=notes,
                   provenance={"cleaner": "text"})
