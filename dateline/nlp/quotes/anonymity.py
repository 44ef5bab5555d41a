"""Step 5a: the reason an anonymous source is given ("spoke on condition of anonymity because …"), found in the
speaker's own sentence or a later one."""

from __future__ import annotations

from spacy.tokens import Doc, Span

from dateline.nlp.quotes.attribution import Attribution, Speaker
from dateline.nlp.quotes.lexicon import Lexicon
from dateline.nlp.quotes.speakers import number_of
from dateline.nlp.quotes.tokens import SUBJECT_DEPS

# A sentence without one of these words holds no anonymity marker: the regexes are not tried on it.
ANONYMITY_HINTS = ("anonym", "authori", "named", "identified")


def _anonymity_reason(sentence: str, lexicon: Lexicon) -> tuple[bool, str | None, tuple[int, int] | None]:
    """(the sentence marks a source as anonymous, the reason it gives or None, where the reason is in it)."""
    marker = next((m for pattern in lexicon.anonymity_markers if (m := pattern.search(sentence))), None)
    if marker is None:
        return False, None, None
    tail = sentence[marker.start():]
    for pattern in lexicon.anonymity_reasons:
        found = pattern.search(tail)
        if found:
            return True, found.group("reason").strip().rstrip(","), (marker.start() + found.start("reason"),
                                                                     marker.start() + found.end("reason"))
    return True, None, None


def link_anonymity(doc: Doc, text: str, quotes: list[Attribution], lexicon: Lexicon) -> list[tuple[int, int]]:
    """Give anonymous speakers the reason stated in their own sentence or in a later one
    ("The doctor spoke on condition of anonymity because ..."); returns where the reasons are in the text."""
    reasons: list[tuple[int, int]] = []
    by_sentence: dict[int, list[Attribution]] = {}
    for q in quotes:
        if q.speaker is not None:
            by_sentence.setdefault(q.speaker.head.sent.start, []).append(q)
    for sent in doc.sents:
        sentence = text[sent.start_char:sent.end_char]  # sent.text, without joining its tokens again
        lowered = sentence.lower()
        if not any(word in lowered for word in ANONYMITY_HINTS):
            continue
        marked, reason, where = _anonymity_reason(sentence, lexicon)
        if not marked:
            continue
        if where is not None:
            reasons.append((sent.start_char + where[0], sent.start_char + where[1]))
        target = _source_of_marker(sent, by_sentence.get(sent.start, []), quotes)
        if target is None:
            continue
        for q in quotes:
            if q.speaker is not None and q.speaker.key == target.key:
                q.speaker.anonymous = True
                q.speaker.anonymity_reason = q.speaker.anonymity_reason or reason
    return reasons


def _source_of_marker(sent: Span, same_sentence: list[Attribution], quotes: list[Attribution]) -> Speaker | None:
    if same_sentence:
        return same_sentence[-1].speaker
    subject = next((t for t in sent if t.dep_ in SUBJECT_DEPS and t.head.dep_ == "ROOT"), None)
    if subject is None:
        return None
    earlier = [q.speaker for q in quotes if q.speaker is not None and q.start < sent.start_char]
    for speaker in reversed(earlier[-30:]):
        if subject.pos_ == "PRON" and number_of(speaker.head) == number_of(subject):
            return speaker
        if subject.lemma_.lower() == speaker.head.lemma_.lower():
            return speaker
    return None
