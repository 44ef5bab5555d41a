"""The contract: an Article plus its processed Doc -> the record of ../shared/spec/record.md.

This is the only reader of ``doc._``; store, web and cli consume only what it returns.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from typing import TYPE_CHECKING, Any

from dateline.clean.article import Article

if TYPE_CHECKING:  # spaCy is imported by whoever makes a Doc; a process that only writes records never needs it
    from spacy.tokens import Doc

SCHEMA_VERSION = 1


def normalise_body(body: str) -> str:
    """What the id is computed over: NFC, whitespace runs folded, case kept."""
    return re.sub(r"\s+", " ", unicodedata.normalize("NFC", body)).strip()


def article_id(body: str) -> str:
    """Stable id: sha256 (hex) of the normalised body; the same text always gets the same id."""
    return hashlib.sha256(normalise_body(body).encode("utf-8")).hexdigest()


def build_record(article: Article, doc: Doc | None = None,
                 caption_docs: list[tuple[int, Doc]] | None = None) -> dict[str, Any]:
    """The record for one article; ``doc`` is None when NLP did not run (non-English text).

    ``caption_docs`` are (index in ``media``, Doc of that caption): their named actors join the entities with
    ``media_mentions`` whose offsets are into ``media[index]["caption"]``, never into the body."""
    record: dict[str, Any] = {
        "schema_version": SCHEMA_VERSION,
        "id": article_id(article.body),
        "source": {"uri": article.uri, "format": article.format},
        "url": article.url,
        "title": article.title,
        "byline": list(article.byline),
        "publisher": article.publisher,
        "published": article.published,
        "published_precision": article.published_precision,
        "dateline": article.dateline,
        "language": article.language,
        "body": article.body,
        "removed": list(article.removed),
        "media": list(article.media),
        "entities": [],
        "places": [],
        "quotes": [],
        "events": [],
        "notes": list(article.notes),
        "duplicate_of": article.duplicate_of,
        "provenance": dict(article.provenance),
    }
    if doc is not None:
        if doc.text != article.body:
            raise ValueError("the Doc was not made from this article's body: offsets would not match")
        record["entities"] = merge_caption_actors(list(doc._.dateline_actors or []), caption_docs or [])
        record["places"] = list(doc._.dateline_places or [])
        record["quotes"] = list(doc._.dateline_quotes or [])
        record["events"] = list(doc._.dateline_events or [])
    return record


def merge_caption_actors(entities: list[dict[str, Any]], caption_docs: list[tuple[int, Doc]]
                         ) -> list[dict[str, Any]]:
    """Named actors of photo captions: a mention on the body's entity of the same name, else a new entity."""
    by_name = {(e.get("name") or "").casefold(): e for e in entities}
    for media_index, caption in caption_docs:
        for actor in caption._.dateline_actors or []:
            named = [m for m in actor.get("mentions", []) if m.get("kind", "named") == "named"]
            if actor.get("anonymous") or not named or not actor.get("name"):
                continue
            key = actor["name"].casefold()
            if key not in by_name:
                by_name[key] = {**actor, "id": f"e{len(entities) + 1}", "mentions": []}
                entities.append(by_name[key])
            by_name[key].setdefault("media_mentions", []).extend(
                {"media": media_index, "field": "caption", "start": m["start"], "end": m["end"], "text": m["text"]}
                for m in named)
    return entities


def context_for(article: Article) -> dict[str, Any]:
    """What the pipeline's components may know about the article besides its text."""
    return {
        "published": article.published,
        "published_precision": article.published_precision,
        "dateline": article.dateline,
        "title": article.title,
        "language": article.language,
    }
