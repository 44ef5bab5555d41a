"""JSON Lines: one article per line, {"url","title","text"|"html","published"}; each bad line a Failure."""

from __future__ import annotations

import gzip
import io
import json
from collections.abc import Iterator
from typing import IO

from dateline.ingest.decode import clean_text
from dateline.ingest.rawdoc import Failure, RawDoc
from dateline.settings import Options


def read_jsonl(path: str | None, uri: str, options: Options, *, data: bytes | None = None
               ) -> Iterator[RawDoc | Failure]:
    try:
        stream: IO[bytes]
        if data is not None:
            stream = io.BytesIO(data)
        elif path is not None and path.endswith(".gz"):
            stream = gzip.open(path, "rb")
        else:
            stream = open(path or "", "rb")
    except OSError as exc:
        yield Failure(uri, f"cannot read file: {exc.strerror or exc}")
        return
    found = False
    with stream:
        number = 0
        while True:
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


def _parse_line(line: bytes, where: str) -> RawDoc | Failure:
    try:
        obj = json.loads(line.decode("utf-8", errors="replace"))
    except json.JSONDecodeError as exc:
        return Failure(where, f"invalid JSON: {exc.msg} at column {exc.colno}")
    if not isinstance(obj, dict):
        return Failure(where, f"a JSON {type(obj).__name__}, not an object with text or html")
    meta = {k: obj[k] for k in ("url", "title", "published", "byline", "publisher") if isinstance(obj.get(k), str)}
    for kind in ("html", "text"):
        value = obj.get(kind)
        if isinstance(value, str) and value.strip():
            return RawDoc(where, "jsonl", clean_text(value), {**meta, "kind": kind})
    return Failure(where, "no \"text\" or \"html\" field with content")
