"""RSS/Atom feeds: each entry's content, or its page when the feed has only a link and the page is beside it."""

from __future__ import annotations

import functools
import os
import re
import time
from collections.abc import Callable, Iterator
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


# Where a link-only entry's page is: (its source, its bytes), or None. Feeds in a folder look beside the feed
# file; feeds inside a WARC look among the archive's own response records.
PageFinder = Callable[[str], tuple[str, bytes] | None]


def read_feed(data: bytes, uri: str, options: Options, *, folder: str | None = None,
              find_page: PageFinder | None = None) -> Iterator[RawDoc | Failure]:
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
    if find_page is None and folder is not None:
        find_page = functools.partial(page_beside, folder=folder)
    for number, entry in enumerate(parsed.entries, 1):
        yield _entry(entry, f"{uri}#entry={number}", find_page)


def _entry(entry: dict, where: str, find_page: PageFinder | None) -> RawDoc | Failure:
    link = entry.get("link")
    meta = {"title": entry.get("title"), "url": link, "published": _date(entry),
            "byline": entry.get("author")}
    meta = {k: v for k, v in meta.items() if v}
    content = ""
    if entry.get("content"):
        content = max((c.get("value", "") for c in entry["content"]), key=len)
    content = content or entry.get("summary", "") or ""
    if len(content) < SUMMARY_CHARS and link and find_page is not None:
        page = find_page(link)
        if page is not None:
            source, page_bytes = page
            return RawDoc(f"{where}({source})", "feed", page_bytes, {**meta, "kind": "html", "page": source})
    if not content.strip():
        return Failure(where, "feed entry has no content and its page is not in the same folder or archive")
    kind = "html" if re.search(r"<(p|div|br|article|img|figure)\b", content, re.I) else "text"
    if kind == "text" and meta.get("title"):
        content = f"{meta['title']}\n\n{content}"
    return RawDoc(where, "feed", content, {**meta, "kind": kind})


def page_beside(link: str, folder: str) -> tuple[str, bytes] | None:
    """The saved copy of a linked page in the feed's folder: same file name, with or without .html."""
    name = os.path.basename(urlparse(link).path.rstrip("/"))
    if not name:
        return None
    for candidate in (name, name + ".html", name + ".htm"):
        path = os.path.abspath(os.path.join(folder, candidate))
        if os.path.isfile(path):
            with open(path, "rb") as f:
                return path, f.read()
    return None


def _date(entry: dict) -> str | None:
    for key in ("published_parsed", "updated_parsed"):
        value = entry.get(key)
        if value:
            return time.strftime("%Y-%m-%d", value)
    return None
