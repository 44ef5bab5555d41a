"""WARC: each HTTP response record with an HTML payload becomes a RawDoc; a damaged record a Failure.

Records are read with ``no_record_parse`` and at most ``max_record_bytes`` of each payload is read:
warcio's own HTTP header parser reads lines without a bound, which a record of zeros turns into a
memory bomb.
"""

from __future__ import annotations

import gzip
import re
from collections.abc import Iterator
from typing import Any

from warcio.archiveiterator import ArchiveIterator
from warcio.exceptions import ArchiveLoadFailed

from dateline.ingest.feeds import read_feed
from dateline.ingest.rawdoc import Failure, RawDoc
from dateline.settings import Options

HTML_TYPES = (b"text/html", b"application/xhtml+xml")
FEED_TYPES = (b"application/rss+xml", b"application/atom+xml", b"application/rdf+xml", b"application/xml",
              b"text/xml")
MAX_HTTP_HEADER = 64 * 1024
MAX_FEEDS = 100  # feeds kept from one archive until its pages are read


def read_warc(path: str, uri: str, options: Options) -> Iterator[RawDoc | Failure]:
    problem = _not_warc(path)
    if problem:
        yield Failure(uri, problem)
        return
    pages: dict[str, int] = {}  # page URL -> record number, for feeds in the same archive
    feeds: list[tuple[str, bytes]] = []
    found = 0
    for item in _read_records(path, uri, options, pages, feeds):
        found += isinstance(item, RawDoc)
        yield item
    for where, body in feeds:
        payloads = _payloads(path, uri, _linked(body, pages), options)
        for item in read_feed(body, where, options, find_page=payloads.get):
            found += isinstance(item, RawDoc)
            yield item
    if not found:
        yield Failure(uri, "no HTML response records in this WARC file")


def _read_records(path: str, uri: str, options: Options, pages: dict[str, int], feeds: list[tuple[str, bytes]],
                  wanted: set[int] | None = None) -> Iterator[RawDoc | Failure]:
    """The HTML responses as RawDocs (or only the ``wanted`` record numbers); feed responses go to ``feeds``."""
    found = 0
    try:
        with open(path, "rb") as stream:
            for number, record in enumerate(ArchiveIterator(stream, arc2warc=True, no_record_parse=True), 1):
                if record.rec_type != "response" or (wanted is not None and number not in wanted):
                    continue
                # The record's own address names the file and the record; the page's URL goes to meta["url"].
                where = f"{uri}#record={number}"
                target = record.rec_headers.get_header("WARC-Target-URI")
                try:
                    # one byte past the limit tells whether the payload is too big, and no more is read
                    raw = record.raw_stream.read(options.max_record_bytes + MAX_HTTP_HEADER + 1)
                except Exception as exc:  # zlib, EOF: the record is damaged
                    yield Failure(where, f"WARC record {number} is damaged: {type(exc).__name__}: {exc}")
                    return
                # Every WARC record declares its length: a missing one means the headers themselves were cut.
                declared = record.rec_headers.get_header("Content-Length")
                truncated = declared is None or len(raw) < min(int(declared), options.max_record_bytes)
                item = _response(raw, where, target, number, options, truncated=truncated)
                if isinstance(item, tuple):  # a feed: read after the pages, so its links can find them
                    if len(feeds) < MAX_FEEDS:
                        feeds.append((where, item[1]))
                    continue
                if item is None:
                    continue
                if isinstance(item, RawDoc):
                    found += 1
                    item.meta["warc_date"] = record.rec_headers.get_header("WARC-Date")
                    if target:
                        pages[target] = number
                yield item
    except ArchiveLoadFailed as exc:
        yield Failure(uri, f"not a readable WARC file: {str(exc).splitlines()[0][:200]}")
    except Exception as exc:  # a truncated gzip member or a cut record ends the file here
        yield Failure(uri, f"WARC file is truncated or damaged after {found} good records: "
                           f"{type(exc).__name__}: {str(exc)[:200]}")


def _linked(feed: bytes, pages: dict[str, int]) -> dict[str, int]:
    """The archive's pages (URL -> record number) that the feed links to."""
    links = {m.decode("utf-8", "replace") for m in re.findall(rb"https?://[^\s\"'<>]+", feed)}
    return {link: pages[link] for link in links if link in pages}


def _payloads(path: str, uri: str, linked: dict[str, int], options: Options) -> dict[str, tuple[str, bytes]]:
    """A second pass that reads only the linked records: URL -> (record address, HTML bytes)."""
    if not linked:
        return {}
    by_number = {number: link for link, number in linked.items()}
    out: dict[str, tuple[str, bytes]] = {}
    for item in _read_records(path, uri, options, {}, [], wanted=set(by_number)):
        if isinstance(item, RawDoc) and isinstance(item.content, bytes):
            number = int(item.uri.rsplit("=", 1)[1])
            out[by_number[number]] = (item.uri, item.content)
    return out


def _not_warc(path: str) -> str | None:
    """Why this file is not a WARC (or ARC) file, or None. Only the first bytes are read."""
    try:
        with open(path, "rb") as f:
            head = f.read(2)
            f.seek(0)
            if head == b"\x1f\x8b":
                with gzip.GzipFile(fileobj=f) as z:
                    head = z.read(16)
            else:
                head = f.read(16)
    except (OSError, EOFError) as exc:
        return f"not a readable WARC file: {exc}"
    if not head.startswith((b"WARC/", b"filedesc://")):
        return "not a WARC file: it does not start with a WARC header"
    return None


def _response(raw: bytes, where: str, target: str | None, number: int, options: Options, *, truncated: bool
              ) -> RawDoc | Failure | tuple[str, bytes] | None:
    """An HTTP response's HTML payload, ("feed", bytes) for an RSS/Atom payload, a Failure, or None."""
    head, sep, body = raw.partition(b"\r\n\r\n")
    if not sep or len(head) > MAX_HTTP_HEADER:
        why = "is truncated before its HTTP headers end" if truncated else "has no readable HTTP headers"
        return Failure(where, f"WARC record {number} {why}; skipped")
    headers = {}
    for line in head.split(b"\r\n")[1:]:
        key, _, value = line.partition(b":")
        headers[key.strip().lower()] = value.strip()
    ctype = headers.get(b"content-type", b"").lower()
    if any(t in ctype for t in FEED_TYPES) and not truncated:
        return ("feed", body[: options.max_record_bytes])
    if not any(t in ctype for t in HTML_TYPES):
        return None
    if headers.get(b"transfer-encoding", b"").lower() == b"chunked":
        body = _dechunk(body)
    if len(body) > options.max_record_bytes:
        return Failure(where, f"WARC record {number} is over the {options.max_record_bytes / 2**20:.0f} MB limit; skipped")
    charset = ctype.split(b"charset=")[1].split(b";")[0].strip(b"\"' ").decode("ascii", "replace") \
        if b"charset=" in ctype else None
    meta: dict[str, Any] = {"kind": "html", "url": target, "charset": charset}
    if truncated:
        meta["truncated"] = True
    return RawDoc(where, "warc", body, meta)


def _dechunk(data: bytes) -> bytes:
    out, pos = bytearray(), 0
    while pos < len(data):
        line_end = data.find(b"\r\n", pos)
        if line_end < 0:
            break
        try:
            size = int(data[pos:line_end].split(b";")[0], 16)
        except ValueError:
            return data  # not really chunked: keep what is there
        if size == 0:
            break
        out += data[line_end + 2: line_end + 2 + size]
        pos = line_end + 2 + size + 2
    return bytes(out)
