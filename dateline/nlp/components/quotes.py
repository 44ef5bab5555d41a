"""dateline_quotes: who said what — direct and reported speech, speakers, anonymous sources, denials.

Reads the parse and ``doc._.dateline_actors``; writes ``doc._.dateline_quotes`` (record.md shape).
The steps, in order:
1. quotation marks are paired within paragraphs (a paragraph left open continues into the next one only
   when that one opens with a mark — the newswire convention), capped in length;
2. cue words from the lexicon (``patterns/quotes/cues.tsv``) give reported speech over the parse: the
   content clause, the cue and the speaker (the cue's subject, or "according to X");
3. each quoted span is then a direct quote of the cue it hangs on, a fragment inside reported speech
   (the reported quote becomes ``mixed``), a continuation of the previous speaker (a whole sentence with
   no cue) or a scare quote (ignored);
4. speakers are resolved — actors first, then pronouns and definite descriptions to earlier speakers —
   and unnamed sources get ``anonymous``, a description and the reason the text gives, even when the
   reason comes in a later sentence;
5. denials are flagged and linked to the quotes they answer.

Each step is a module of ``dateline.nlp.quotes``; this module runs them and builds the records.
"""

from __future__ import annotations

import bisect
import logging
from collections.abc import Iterable, Iterator
from typing import Any

from spacy.language import Language
from spacy.tokens import Doc, Span
from spacy.util import minibatch

from dateline.clean.patterns import DATELINE
from dateline.nlp.models import load_model
from dateline.nlp.quotes.anonymity import link_anonymity
from dateline.nlp.quotes.attribution import Attribution
from dateline.nlp.quotes.denials import link_denials
from dateline.nlp.quotes.direct import find_block_quotes, place_quoted_spans
from dateline.nlp.quotes.learned import CONFIDENCE, learned_quotes, tag_documents
from dateline.nlp.quotes.lexicon import Lexicon, load_lexicon
from dateline.nlp.quotes.marks import find_quoted_spans, paragraph_bounds
from dateline.nlp.quotes.reported import find_headline_attributions, find_reported_speech
from dateline.nlp.quotes.speakers import SpeakerResolver

log = logging.getLogger(__name__)

SPLIT_QUOTE_GAP = 80  # at most this many characters of '," she said, "' between two pieces of one quote
CONTINUATION_PARAGRAPHS = 2  # a cue-less quote continues the previous speaker only this close to them


def find_quotes(doc: Doc, lexicon: Lexicon, model: Language | None = None,
                spans: list[Span] | None = None) -> list[dict[str, Any]]:
    """The document's quotes as records. ``spans`` are the trained tagger's spans in ``doc`` (``tag_documents``),
    or ``model`` the trained quotes pipeline to get them with; with neither, the rules alone."""
    text = doc.text
    paragraphs = paragraph_bounds(text)
    quoted = find_quoted_spans(text, paragraphs)
    reported = find_reported_speech(doc, text, lexicon) + find_headline_attributions(doc, text, paragraphs)
    direct = place_quoted_spans(doc, text, quoted, reported, lexicon) + find_block_quotes(doc, text, paragraphs, lexicon)
    quotes = sorted([a for a in reported if a.kind in ("indirect", "mixed")] + direct, key=lambda a: (a.start, a.end))
    if spans is None and model is not None:
        spans = tag_documents([doc], model, lexicon)[0]
    if spans is not None:
        quotes = learned_quotes(text, spans, quotes)
    else:
        for q in quotes:
            q.confidence = CONFIDENCE["rule"]
    quotes = _without_duplicates(quotes)
    for q in quotes:
        _skip_dateline(text, q)
        _with_complementizer(doc, q)
    resolver = SpeakerResolver(doc, text, lexicon)
    paragraph_starts = [p[0] for p in paragraphs]
    previous: Attribution | None = None
    for q in quotes:
        if q.speaker_head is not None:
            q.speaker = resolver.resolve(q.speaker_head)
        elif q.cue is None and previous is not None and previous.speaker is not None \
                and _near(paragraph_starts, previous, q):
            q.speaker = previous.speaker  # continuation: the same source goes on talking
        if q.speaker is not None:
            previous = q
    quotes = _join_split_quotes(text, quotes)
    reasons = link_anonymity(doc, text, quotes, lexicon)
    # "… because he feared retaliation": a cue inside the reason a source is anonymous is not a new quote.
    quotes = [q for q in quotes if q.cue is None or not any(s <= q.cue.start_char < e for s, e in reasons)]
    for number, q in enumerate(quotes, 1):
        q.id = f"q{number}"
    link_denials(doc, quotes)
    return [_as_record(text, q) for q in quotes]


def _skip_dateline(text: str, q: Attribution) -> None:
    """Reported speech in the first paragraph starts after "BAGHDAD (MW) — ", which the parse takes along."""
    m = DATELINE.match(text[q.start:q.end]) if q.start == 0 or text[q.start - 1] == "\n" else None
    if m is None or q.start + m.end() >= q.end:
        return
    q.start += m.end()
    if q.pieces and q.pieces[0][0] < q.start:
        q.pieces[0] = (q.start, q.pieces[0][1])


def _with_complementizer(doc: Doc, q: Attribution) -> None:
    """Reported speech starts at its complementizer, as in PolNeAR ('said that X' reports 'that X')."""
    if q.kind not in ("indirect", "mixed") or q.start == 0:
        return
    first = doc.char_span(q.start, q.end, alignment_mode="expand")
    if first is None or not len(first) or first.start == 0:
        return
    before = doc[first.start - 1]
    if before.lower_ == "that" and before.dep_ == "mark" and before.head.i >= first.start:
        q.start = before.idx
        if q.pieces:
            q.pieces[0] = (q.start, q.pieces[0][1])


def _join_split_quotes(text: str, quotes: list[Attribution]) -> list[Attribution]:
    """'"A," she said, "B."' is one attribution with two pieces, as in PolNeAR: a direct quote right after the cue
    of the direct quote before it continues that quote when it has no cue of its own (the same speaker goes on)
    or shares that cue."""
    kept: list[Attribution] = []
    for q in quotes:
        last = kept[-1] if kept else None
        if (last is not None and q.kind == last.kind == "direct" and last.cue is not None
                and (q.cue is None and q.speaker is not None and q.speaker is last.speaker
                     or q.cue is not None and q.cue.start == last.cue.start)
                and last.end <= last.cue.start_char and last.cue.end_char <= q.start
                and q.start - last.end <= SPLIT_QUOTE_GAP and "\n" not in text[last.end:q.start]):
            last.pieces = (last.pieces or [(last.start, last.end)]) + (q.pieces or [(q.start, q.end)])
            last.end = q.end
            continue
        kept.append(q)
    return kept


def _near(paragraph_starts: list[int], previous: Attribution, current: Attribution) -> bool:
    before = bisect.bisect_right(paragraph_starts, previous.end) - 1
    now = bisect.bisect_right(paragraph_starts, current.start) - 1
    return now - before <= CONTINUATION_PARAGRAPHS - 1 or (now - before <= CONTINUATION_PARAGRAPHS
                                                            and current.kind == "direct")


def _without_duplicates(quotes: list[Attribution]) -> list[Attribution]:
    """Two cues on one content ("said ..., saying") keep the first; a direct quote beats reported speech."""
    kept: list[Attribution] = []
    seen: dict[tuple[int, int], Attribution] = {}
    for q in quotes:
        key = (q.start, q.end)
        if key in seen:
            continue
        seen[key] = q
        kept.append(q)
    return kept


def _as_record(text: str, q: Attribution) -> dict[str, Any]:
    record: dict[str, Any] = {
        "id": q.id,
        "kind": q.kind,
        "content": {"start": q.start, "end": q.end, "text": text[q.start:q.end]},
        "cue": None,
        "speaker": q.speaker.as_dict() if q.speaker is not None else None,
        "denial": q.denial,
        "answers": q.answers,
        "produced_by": q.produced_by,
        "confidence": q.confidence,
    }
    if q.cue is not None:
        record["cue"] = {"start": q.cue.start_char, "end": q.cue.end_char, "text": q.cue.text, "lemma": q.cue_lemma}
    if len(q.pieces) > 1:
        record["content"]["pieces"] = [{"start": s, "end": e} for s, e in q.pieces]
    if q.belief:
        record["belief"] = True
    return record


class QuoteFinder:
    def __init__(self, nlp: Language, name: str) -> None:
        self.name = name
        self.lexicon = load_lexicon()
        # The trained span tagger's pipeline, loaded once per process; a missing or broken folder raises ModelMissing here.
        self.model = load_model("quotes")

    def __call__(self, doc: Doc) -> Doc:
        return self._annotate(doc, None)

    def pipe(self, docs: Iterable[Doc], batch_size: int = 32) -> Iterator[Doc]:
        """Like ``__call__``, with the tagger run once over the windows of a whole batch of documents."""
        for batch in minibatch(docs, size=batch_size):
            try:
                spans: list[list[Span] | None] = list(tag_documents(batch, self.model, self.lexicon))
            except Exception:  # retried document by document below, so only the bad one loses its quotes
                log.exception("the quotes model failed on a batch of %d documents", len(batch))
                spans = [None] * len(batch)
            for doc, found in zip(batch, spans, strict=True):
                yield self._annotate(doc, found)

    def _annotate(self, doc: Doc, spans: list[Span] | None) -> Doc:
        try:
            doc._.dateline_quotes = find_quotes(doc, self.lexicon, self.model, spans)
        except Exception:  # one odd article must not stop the batch: it gets no quotes, and a log line
            log.exception("quote extraction failed on a document of %d characters", len(doc.text))
            doc._.dateline_quotes = []
        return doc


@Language.factory("dateline_quotes")
def make_quotes(nlp: Language, name: str) -> QuoteFinder:
    return QuoteFinder(nlp, name)
