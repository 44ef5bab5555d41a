"""Step 5b: denials linked to the quotes they answer."""

from __future__ import annotations

from spacy.tokens import Doc

from dateline.nlp.quotes.attribution import Attribution
from dateline.nlp.quotes.tokens import tokens_of

ANSWER_WINDOW = 200         # a denial is compared with at most this many other quotes


def _content_lemmas(doc: Doc, start: int, end: int) -> frozenset[str]:
    span = tokens_of(doc, start, end)
    if span is None:
        return frozenset()
    return frozenset(t.lemma_.lower() for t in span if t.pos_ in ("NOUN", "PROPN", "VERB", "ADJ") and not t.is_stop)


def link_denials(doc: Doc, quotes: list[Attribution]) -> None:
    """A denial answers the other speakers' quotes that share its content words."""
    lemmas = {id(q): _content_lemmas(doc, q.start, q.end) for q in quotes}
    for index, denial in enumerate(quotes):
        if not denial.denial:
            continue
        mine = lemmas[id(denial)]
        lo = max(0, index - ANSWER_WINDOW // 2)
        for other in quotes[lo:lo + ANSWER_WINDOW]:
            if other is denial or (other.speaker and denial.speaker and other.speaker.key == denial.speaker.key):
                continue
            shared = mine & lemmas[id(other)]
            if len(shared) >= 3 and len(shared) / max(1, len(mine | lemmas[id(other)])) >= 0.2:
                denial.answers.append(other.id)
