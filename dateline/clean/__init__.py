"""clean/: RawDoc -> Article. Plain functions over text blocks (text.py, rules in teasers.py, media.py,
boilerplate.py, header.py, dates.py) and over lxml trees (html.py)."""

from __future__ import annotations

from typing import Any

from dateline.clean.article import Article
from dateline.ingest.decode import DecodeError, decode_bytes
from dateline.ingest.rawdoc import RawDoc
from dateline.settings import Options


class CleanError(ValueError):
    """No usable article in this input; the message says why."""


def clean_raw(raw: RawDoc, options: Options) -> Article:
    from dateline.clean.html import clean_html
    from dateline.clean.language import detect_language
    from dateline.clean.text import clean_text_article

    if isinstance(raw.content, bytes):
        try:
            text, encoding = decode_bytes(raw.content)
        except DecodeError as exc:
            raise CleanError(str(exc)) from exc
    else:
        text, encoding = raw.content, "unicode"
    if not text.strip():
        raise CleanError("no text in this input")
    if raw.meta.get("kind") == "html":
        article = clean_html(text, raw.uri, raw.meta, options)
    else:
        article = clean_text_article(text, raw.uri, raw.meta)
    article.format = raw.format
    _fill_from_container(article, raw.meta)
    if raw.meta.get("truncated"):
        article.notes.append("the input was truncated: the text may be incomplete")
    article.provenance.setdefault("encoding", encoding)
    if len(article.body.strip()) < options.min_body_chars:
        raise CleanError(f"no usable article text (only {len(article.body.strip())} characters after cleaning)")
    if len(article.body) > options.max_body_chars:
        article.notes.append(f"body cut from {len(article.body)} to {options.max_body_chars} characters")
        cut = article.body.rfind("\n\n", 0, options.max_body_chars)
        article.body = article.body[: cut if cut > options.max_body_chars // 2 else options.max_body_chars]
    article.language = article.language or detect_language(article.body)
    return article


def _fill_from_container(article: Article, meta: dict[str, Any]) -> None:
    """What a feed entry or JSON line says about the article, where the article itself says nothing."""
    from dateline.clean.header import parse_byline

    author = meta.get("byline")
    if not article.byline and isinstance(author, str) and author.strip():
        parsed = parse_byline(author if author.lower().startswith("by ") else f"By {author}")
        article.byline = parsed[0] if parsed and parsed[0] else [author.strip()]
    for key in ("title", "url", "publisher"):
        if not getattr(article, key) and isinstance(meta.get(key), str):
            setattr(article, key, meta[key])
    if not article.published and isinstance(meta.get("published"), str):
        article.published, article.published_precision = meta["published"][:10], "day"
