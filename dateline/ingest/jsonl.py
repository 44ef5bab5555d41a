"""JSON Lines: one article per line, {"url","title","text"|"html","published"}; each bad line a Failure."""

from __future__ import annotations

import gzip
import io
import json
from collections.abc import Iterator
from dataclasses import dataclass
from typing import IO, cast

from dateline.ingest.decode import clean_text
from dateline.ingest.rawdoc import Failure, RawDoc
from dateline.settings import Options


@dataclass(frozen=True, slots=True)
class LineSpan:
    """Whole lines of a JSON Lines file: bytes [start, end), the first of them numbered ``first_line``."""

    start: int
    end: int
    first_line: int


def read_jsonl(path: str | None, uri: str, options: Options, *, data: bytes | None = None,
               span: LineSpan | None = None) -> Iterator[RawDoc | Failure]:
    """Every line as a RawDoc or a Failure; with ``span``, only the lines of that part of the file."""
    try:
        stream = _open(path, data)
        if span is not None:
            stream.seek(span.start)
    except OSError as exc:
        yield Failure(uri, f"cannot read file: {exc.strerror or exc}")
        return
    end = span.end if span is not None else None
    found = span is not None  # a part of a file planned by line_spans: the file as a whole has lines
    with stream:
        number = span.first_line - 1 if span is not None else 0
        while end is None or stream.tell() < end:
            number += 1
            where = f"{uri}#line={number}"
            try:
                line = stream.readline(options.max_record_bytes + 1)
            except (OSError, EOFError) as exc:
                yield Failure(where, f"file is damaged here: {exc}")
                return
            if not line:
                break
            if len(line) > options.max_record_bytes and not line.endswith(b"\n"):
                yield Failure(where, f"line is over the {options.max_record_bytes / 2**20:.0f} MB limit")
                while line and not line.endswith(b"\n"):  # skip the rest of this line, in bounded chunks
                    line = stream.readline(options.max_record_bytes)
                continue
            if not line.strip():
                continue
            found = True
            yield _parse_line(line, where)
    if not found:
        yield Failure(uri, "no JSON lines in this file")


def line_spans(path: str, piece_bytes: int) -> list[LineSpan]:
    """Cut a plain (not gzipped) JSON Lines file into parts of about ``piece_bytes``, each ending after a newline.

    Line numbers are counted here so every part names its lines as reading the whole file would. Memory stays
    bounded on a giant line: it is read in 1 MB slices. A file with no text at all gives no spans: read whole,
    its "no JSON lines" failure is reported once."""
    chunk = 1 << 20
    spans: list[LineSpan] = []
    start, first_line, has_text = 0, 1, False
    with open(path, "rb") as f:
        size = f.seek(0, io.SEEK_END)
        while start < size:
            f.seek(start + piece_bytes)
            while (tail := f.readline(chunk)) and not tail.endswith(b"\n"):
                pass  # the cut fell inside a line: run on to its end
            end = min(f.tell(), size)
            f.seek(start)
            newlines, left = 0, end - start
            while left:
                block = f.read(min(chunk, left))
                newlines += block.count(b"\n")
                has_text = has_text or bool(block.strip())
                left -= len(block)
            spans.append(LineSpan(start, end, first_line))
            start, first_line = end, first_line + newlines
    return spans if has_text else []


def read_json(data: bytes, uri: str, options: Options) -> Iterator[RawDoc | Failure]:
    """A whole JSON file: one article object, or a list of them (a JSON Lines file named .json works too)."""
    try:
        obj = json.loads(data.decode("utf-8", errors="replace"))
    except json.JSONDecodeError:
        if data.lstrip().startswith(b"{"):
            yield from read_jsonl(None, uri, options, data=data)
        else:
            yield Failure(uri, "invalid JSON, and not JSON Lines either")
        return
    if not isinstance(obj, list):
        yield _parse_obj(obj, uri)
        return
    parsed = [_parse_obj(item, f"{uri}#item={number}") for number, item in enumerate(obj, 1)]
    if not any(isinstance(p, RawDoc) for p in parsed):
        yield Failure(uri, f"a JSON list of {len(obj)} items, none an article with \"text\" or \"html\"")
        return
    yield from parsed


def _open(path: str | None, data: bytes | None) -> IO[bytes]:
    """A binary stream over the lines; the caller closes it."""
    if data is not None:
        return io.BytesIO(data)
    if path is not None and path.endswith(".gz"):
        return cast(IO[bytes], gzip.open(path, "rb"))
    return open(path or "", "rb")


def _parse_line(line: bytes, where: str) -> RawDoc | Failure:
    try:
        obj = json.loads(line.decode("utf-8", errors="replace"))
    except json.JSONDecodeError as exc:
        return Failure(where, f"invalid JSON: {exc.msg} at column {exc.colno}")
    return _parse_obj(obj, where)


def _parse_obj(obj: object, where: str) -> RawDoc | Failure:
    if not isinstance(obj, dict):
        return Failure(where, f"a JSON {type(obj).__name__}, not an object with text or html")
    meta = {k: obj[k] for k in ("url", "title", "published", "byline", "publisher") if isinstance(obj.get(k), str)}
    for kind in ("html", "text"):
        value = obj.get(kind)
        if isinstance(value, str) and value.strip():
            return RawDoc(where, "jsonl", clean_text(value), {**meta, "kind": kind})
    return Failure(where, "no \"text\" or \"html\" field with content")
