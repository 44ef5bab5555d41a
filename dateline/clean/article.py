"""Article: the clean story that the NLP stage reads. Built by clean/, never by nlp/."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass(slots=True)
class Article:
    uri: str
    format: str
    body: str  # paragraphs joined by "\n\n"
    title: str | None = None
    byline: list[str] = field(default_factory=list)
    publisher: str | None = None
    published: str | None = None  # ISO date
    published_precision: str | None = None  # day | month | year | inferred
    dateline: dict[str, Any] | None = None  # {"place": "ISLAMABAD", "agency": "AP"}
    language: str | None = None
    removed: list[dict[str, Any]] = field(default_factory=list)  # {"kind","text",["date"]}
    media: list[dict[str, Any]] = field(default_factory=list)  # {"alt_text","caption","credit"}
    url: str | None = None
    notes: list[str] = field(default_factory=list)  # what happened on the way (cuts, fallbacks, language)
    provenance: dict[str, Any] = field(default_factory=dict)  # which cleaner produced the text
    duplicate_of: str | None = None  # the source of an earlier article with the same body, in the same run
