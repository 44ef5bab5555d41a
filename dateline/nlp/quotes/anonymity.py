"""Step 5a: the reason an anonymous source is given ("spoke on condition of anonymity because …"), stated before
or after the quote in the speaker's own sentence, or in a sentence of its own before or after it ("The official
spoke on condition of anonymity because …", "Because he was not authorized to speak, an officer asked not to be
named. He said …"). The markers and reasons are the regexes of ``patterns/quotes/anonymity.tsv``."""

from __future__ import annotations

from spacy.tokens import Doc, Span

from dateline.nlp.quotes.attribution import Attribution, Speaker
from dateline.nlp.quotes.lexicon import Lexicon
from dateline.nlp.quotes.speakers import PLURAL_PRONOUNS, number_of, previous_subject, source_key
from dateline.nlp.quotes.tokens import SUBJECT_DEPS
from dateline.nlp.spans import MentionIndex

# A sentence without one of these words holds no anonymity marker: the regexes are not tried on it.
ANONYMITY_HINTS = ("anonym", "authori", "named", "identified", "identit", "name ", "names ")


# A reason follows its marker closely ("asked not to be named because …", "…anonymity, citing …"); one further
# on is part of what the source said ("… anonymity, said the talks failed because …").
MAX_WORDS_BEFORE_REASON = 3


def _anonymity_reason(sentence: str, lexicon: Lexicon
                      ) -> tuple[tuple[int, int] | None, str | None, tuple[int, int] | None]:
    """(where the sentence marks a source as anonymous or None, the reason it gives or None, where the reason is)."""
    marker = next((m for pattern in lexicon.anonymity_markers if (m := pattern.search(sentence))), None)
    if marker is None:
        return None, None, None
    for pattern in lexicon.anonymity_reasons:
        leading = pattern.pattern.startswith("^")
        found = pattern.search(sentence) if leading else pattern.search(sentence, marker.start())
        if found is None:
            continue
        start, end = found.span("reason")
        gap = sentence[marker.end():start]
        if not leading and start >= marker.end() and len(gap.split()) > MAX_WORDS_BEFORE_REASON:
            continue
        reason = sentence[start:end].strip().rstrip(",")
        return marker.span(), reason, (start, start + len(reason))
    return marker.span(), None, None


def link_anonymity(doc: Doc, text: str, quotes: list[Attribution], lexicon: Lexicon) -> list[tuple[int, int]]:
    """Give anonymous speakers the reason stated in their own sentence or in one of its own before or after
    ("The doctor spoke on condition of anonymity because ..."); returns where the markers and reasons are in
    the text (a cue inside one reports nothing: "who asked not to be named because he feared …")."""
    reasons: list[tuple[int, int]] = []
    actors: MentionIndex | None = None  # built for the first marker: most documents have none
    by_sentence: dict[int, list[Attribution]] = {}
    for q in quotes:
        if q.speaker is not None:
            by_sentence.setdefault(q.speaker.head.sent.start, []).append(q)
    for sent in doc.sents:
        sentence = text[sent.start_char:sent.end_char]  # sent.text, without joining its tokens again
        lowered = sentence.lower()
        if not any(word in lowered for word in ANONYMITY_HINTS):
            continue
        marker, reason, where = _anonymity_reason(sentence, lexicon)
        if marker is None:
            continue
        if where is not None:
            reasons.append((sent.start_char + where[0], sent.start_char + where[1]))
        if marker is not None:  # "asked not to be named": the marker's own verb reports nothing
            reasons.append((sent.start_char + marker[0], sent.start_char + marker[1]))
        if actors is None:
            actors = MentionIndex(doc._.dateline_actors)
        modifier = doc.char_span(sent.start_char + marker[0], sent.start_char + marker[1], alignment_mode="expand")
        if modifier is not None and modifier.root.dep_ == "amod":  # "unnamed officials": only that phrase
            inside = sent.start_char + marker[0]
            target = next((q.speaker for q in quotes if q.speaker is not None
                           and q.speaker.phrase[0] <= inside < q.speaker.phrase[1]), None)
        else:
            target = _source_of_marker(sent, by_sentence.get(sent.start, []), quotes, actors, text)
        if target is None:
            continue
        for q in quotes:
            if q.speaker is not None and q.speaker.key == target.key:
                q.speaker.anonymous = True
                q.speaker.anonymity_reason = q.speaker.anonymity_reason or reason
    return reasons


def _source_of_marker(sent: Span, same_sentence: list[Attribution], quotes: list[Attribution],
                      actors: MentionIndex, text: str) -> Speaker | None:
    """The source a marker sentence is about: a speaker in it; else the speaker its subject is (the same
    source key, before or after it: "An officer asked not to be named. He said …"); else an earlier speaker
    the subject refers to by pronoun or by the same noun ("The official spoke on condition of anonymity")."""
    if same_sentence:
        return same_sentence[-1].speaker
    subjects = [t for t in sent if t.dep_ in SUBJECT_DEPS and t.pos_ != "SPACE"]
    subject = next((t for t in subjects if t.head.dep_ == "ROOT"), subjects[0] if subjects else None)
    if subject is None:
        return None
    if subject.pos_ != "PRON":
        key = source_key(subject, actors)
        same = next((q.speaker for q in quotes if q.speaker is not None and q.speaker.key == key), None)
        if same is not None:
            return same
    earlier = [q.speaker for q in quotes if q.speaker is not None and q.start < sent.start_char]
    if subject.pos_ == "PRON" or subject.lower_ in PLURAL_PRONOUNS:
        # "Two diplomats said their governments had warned … They spoke on condition of anonymity": the
        # subject of the sentence before, not the latest plural
        antecedent = previous_subject(subject, number_of(subject), text)
        same = next((s for s in reversed(earlier) if antecedent is not None and s.head.i == antecedent.i), None)
        if same is not None:
            return same
    for speaker in reversed(earlier[-30:]):
        if (subject.pos_ == "PRON" or subject.lower_ in PLURAL_PRONOUNS) and number_of(speaker.head) == number_of(subject):
            return speaker
        if subject.lemma_.lower() == speaker.head.lemma_.lower():
            return speaker
    return None
