"""dateline_paragraphs: a paragraph break always starts a sentence (runs before the parser).

The small model's parser sometimes joins the last sentence of one paragraph to the first of the next;
every later component (quotes, events) reads sentences, so the break is fixed here, once."""

from __future__ import annotations

from spacy.language import Language
from spacy.tokens import Doc


@Language.component("dateline_paragraphs")
def mark_paragraph_starts(doc: Doc) -> Doc:
    for token in doc[1:]:
        previous = doc[token.i - 1]
        if previous.is_space and "\n" in previous.text and not token.is_space:
            token.is_sent_start = True
    return doc
