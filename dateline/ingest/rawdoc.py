"""What every reader yields: a RawDoc (bytes or text plus where it came from) or a Failure."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

# The formats of the record's source.format field.
FORMATS = ("html", "text", "jsonl", "warc", "feed")


@dataclass(slots=True)
class RawDoc:
    uri: str  # where it came from: file:///…, file:///…#line=3, the WARC target URI, …
    format: str  # one of FORMATS
    content: bytes | str  # bytes when the encoding is still to be found
    meta: dict[str, Any] = field(default_factory=dict)  # title, published, url, html/text kind … from the container


@dataclass(slots=True)
class Failure:
    uri: str
    error: str  # one line a person can act on

    def as_record(self) -> dict[str, Any]:
        return {"source": self.uri, "error": self.error}
