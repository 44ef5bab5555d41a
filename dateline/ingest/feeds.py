"""RSS/Atom feeds: each entry's content, or its page when the feed has only a link and the page is beside it."""

from __future__ import annotations

import os
import re
import time
from collections.abc import Iterator
from urllib.parse import urlparse

import feedparser

from dateline.ingest.decode import DecodeError, decode_bytes
from dateline.ingest.rawdoc import Failure, RawDoc
from dateline.settings import Options

# A feed declaring entities can expand to gigabytes (billion laughs) or read local files (XXE):
# feeds never need them, so any DTD entity declaration is refused before parsing.
ENTITY_DECLARATION = re.compile(rb"<!ENTITY", re.I)
# Entry content shorter than this is a summary: the full page is looked for beside the feed.
SUMMARY_CHARS = 400


def read_feed(data: bytes, uri: str, options: Options, *, folder: str | None = None) -> Iterator[RawDoc | Failure]:
    if ENTITY_DECLARATION.search(data[:65536]):
        yield Failure(uri, "feed declares XML entities (a DTD): refused, as entity expansion can exhaust memory "
                           "or read local files")
        return
    try:
        text, _ = decode_bytes(data)
    except DecodeError as exc:
        yield Failure(uri, str(exc))
        return
    parsed = feedparser.parse(text, resolve_relative_uris=False, sanitize_html=False)
    if not parsed.entries:
        problem = parsed.get("bozo_exception")
        yield Failure(uri, "feed has no entries" + (f" ({problem})" if problem else ""))
        return
    for number, entry in enumerate(parsed.entries, 1):
        yield _entry(entry, f"{uri}#entry={number}", folder)


def _entry(entry: dict, where: str, folder: str | None) -> RawDoc | Failure:
    link = entry.get("link")
    meta = {"title": entry.get("title"), "url": link, "published": _date(entry),
            "byline": entry.get("author")}
    meta = {k: v for k, v in meta.items() if v}
    content = ""
    if entry.get("content"):
        content = max((c.get("value", "") for c in entry["content"]), key=len)
    content = content or entry.get("summary", "") or ""
    if len(content) < SUMMARY_CHARS and link and folder:
        page = _page_beside(link, folder)
        if page is not None:
            return RawDoc(f"{where}({page})", "feed", open(page, "rb").read(), {**meta, "kind": "html", "page": page})
    if not content.strip():
        return Failure(where, "feed entry has no content and its page is not beside the feed")
    kind = "html" if re.search(r"<(p|div|br|article|img|figure)\b", content, re.I) else "text"
    if kind == "text" and meta.get("title"):
        content = f"{meta['title']}\n\n{content}"
    return RawDoc(where, "feed", content, {**meta, "kind": kind})


def _page_beside(link: str, folder: str) -> str | None:
    """The saved copy of a linked page in the feed's folder: same file name, with or without .html."""
    name = os.path.basename(urlparse(link).path.rstrip("/"))
    if not name:
        return None
    for candidate in (name, name + ".html", name + ".htm"):
        path = os.path.join(folder, candidate)
        if os.path.isfile(path):
            return path
    return None


def _date(entry: dict) -> str | None:
    for key in ("published_parsed", "updated_parsed"):
        value = entry.get(key)
        if value:
            return time.strftime("%Y-%m-%d", value)
    return None
