"""HTML pages -> Article (placeholder: trafilatura's text, then the shared block rules)."""

from __future__ import annotations

from typing import Any

import trafilatura

from dateline.clean.article import Article
from dateline.clean.text import clean_body_blocks, split_blocks
from dateline.settings import Options


def clean_html(html: str, uri: str, meta: dict[str, Any], options: Options) -> Article:
    doc = trafilatura.bare_extraction(html, url=meta.get("url"), with_metadata=True, include_comments=False)
    text = (doc.text if doc is not None else "") or ""
    kept, removed, media = clean_body_blocks(split_blocks(text.replace("\n", "\n\n")))
    return Article(uri=uri, format="html", body="\n\n".join(kept), removed=removed, media=media,
                   title=(doc.title if doc is not None else None) or meta.get("title"), url=meta.get("url"),
                   published=(doc.date if doc is not None else None) or meta.get("published"),
                   provenance={"cleaner": "trafilatura"})
