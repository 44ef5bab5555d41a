"""Readers: every input format -> RawDoc | Failure, lazily. A reader never raises for one bad item."""

from __future__ import annotations

import os
import sys
from collections.abc import Iterable, Iterator

from dateline.ingest.detect import detect_format
from dateline.ingest.feeds import read_feed
from dateline.ingest.jsonl import LineSpan, read_json, read_jsonl
from dateline.ingest.paths import STDIN, expand_paths, file_uri
from dateline.ingest.rawdoc import Failure, RawDoc
from dateline.ingest.warc import read_warc
from dateline.settings import Options

__all__ = ["Failure", "LineSpan", "RawDoc", "read_bytes", "read_file", "read_inputs"]


def read_inputs(inputs: Iterable[str], options: Options) -> Iterator[RawDoc | Failure]:
    for path in expand_paths(inputs):
        if isinstance(path, Failure):
            yield path
        elif path == STDIN:
            yield from read_bytes(sys.stdin.buffer.read(options.max_bytes + 1), "stdin:", options)
        else:
            yield from read_file(path, options)


def read_file(path: str, options: Options, *, span: LineSpan | None = None) -> Iterator[RawDoc | Failure]:
    """One file's items; ``span`` reads only that part of a JSON Lines file (see ``line_spans``)."""
    uri = file_uri(path)
    if span is not None:
        yield from read_jsonl(path, uri, options, span=span)
        return
    try:
        fmt = detect_format(path)
        if fmt == "warc":  # streamed record by record: no whole-file limit
            yield from read_warc(path, uri, options)
            return
        if fmt == "jsonl":
            yield from read_jsonl(path, uri, options)
            return
        size = os.path.getsize(path)
        if size > options.max_bytes:
            yield Failure(uri, f"file is {size / 2**20:.1f} MB, over the {options.max_bytes / 2**20:.0f} MB limit "
                               "for one article (raise --max-mb to read it)")
            return
        with open(path, "rb") as f:
            data = f.read()
    except OSError as exc:
        yield Failure(uri, f"cannot read file: {exc.strerror or exc}")
        return
    yield from read_bytes(data, uri, options, fmt=fmt, path=path)


def read_bytes(data: bytes, uri: str, options: Options, *, fmt: str | None = None,
               path: str | None = None) -> Iterator[RawDoc | Failure]:
    """One file's bytes (or stdin's) -> RawDocs; the format is sniffed when the name does not say."""
    if len(data) > options.max_bytes:
        yield Failure(uri, f"input is over the {options.max_bytes / 2**20:.0f} MB limit for one article")
        return
    if not data.strip():
        yield Failure(uri, "empty input: no text in it" if data else "empty file (0 bytes)")
        return
    fmt = fmt or detect_format(None, data)
    if fmt == "feed":
        yield from read_feed(data, uri, options, folder=os.path.dirname(path) if path else None)
    elif fmt == "jsonl":
        yield from read_jsonl(None, uri, options, data=data)
    elif fmt == "json":
        yield from read_json(data, uri, options)
    elif fmt == "warc":
        yield Failure(uri, "WARC on standard input is not supported: pass the file")
    else:
        yield RawDoc(uri, fmt, data, {"kind": "html" if fmt == "html" else "text"})
