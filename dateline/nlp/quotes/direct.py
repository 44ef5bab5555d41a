"""Step 3: each quoted span becomes a direct quote of the cue it hangs on, a fragment inside reported speech
(the reported quote becomes ``mixed``), a continuation of the previous speaker (a whole sentence with no cue)
or a scare quote (ignored)."""

from __future__ import annotations

import bisect
import itertools

from spacy.tokens import Doc, Span, Token

from dateline.nlp.quotes.attribution import Attribution, QuotedSpan
from dateline.nlp.quotes.lexicon import Lexicon, cue_flags
from dateline.nlp.quotes.marks import MARK_TOKENS, MAX_QUOTE_CHARS
from dateline.nlp.quotes.reported import subject_of
from dateline.nlp.quotes.tokens import MIN_SENTENCE_WORDS, cue_span, tokens_of


def _is_sentence_like(span: Span) -> bool:
    """Speech rather than a scare quote: enough words and a finite verb."""
    words = [t for t in span if t.is_alpha]
    return len(words) >= MIN_SENTENCE_WORDS and any(t.tag_ in ("VBD", "VBZ", "VBP", "MD") for t in span)


def _is_quoted_sentence(text: str, quoted: QuotedSpan) -> bool:
    """Marks around whole sentences ('… she said. “The Donald. Big Daddy.”'): the quote opens its sentence and
    ends with the sentence's own punctuation — speech going on, not a title or a scare quote."""
    before = text[max(0, quoted.start - 5):max(0, quoted.start - 1)].rstrip("'").rstrip()  # '' marks: two
    opens = not before or before[-1] in ".?!:\n" or (before[-1] in MARK_TOKENS and before[-2:-1] in (".", "?", "!"))
    return opens and text[quoted.end - 1:quoted.end] in (".", "?", "!")


def _cue_beside(doc: Doc, quoted: QuotedSpan, lexicon: Lexicon, inside: list[tuple[int, int]]) -> Token | None:
    """A cue verb in the quote's sentence, outside every quoted span, right after or right before it:
    '"...," he said' / 'said X: "..."'."""
    first = tokens_of(doc, quoted.start, quoted.pieces[0][1])
    last = tokens_of(doc, quoted.pieces[-1][0], quoted.end)
    if first is None or last is None:
        return None
    window_after = _without_own_marks(list(doc[last.end:min(len(doc), last.end + 8)]))
    window_before = _without_own_marks(list(reversed(doc[max(0, first.start - 8):first.start])))
    for token in _until_boundary(window_after, inside) + _until_boundary(window_before, inside):
        flags = cue_flags(token, lexicon)
        # "..., arguing that X": X is its content — unless X is quoted too ('"A," he told the host, "B."': one
        # cue for both halves of a split quote)
        has_own_content = any(c.dep_ == "ccomp" and not _inside_any(c.idx, inside) for c in token.children)
        if flags is not None and token.pos_ != "NOUN" and not has_own_content \
                and subject_of(token, lexicon) is not None:
            return token
    return None  # no cue beside the quote


def _without_own_marks(tokens: list[Token]) -> list[Token]:
    """The window beside a quote starts after its own quotation mark."""
    while tokens and tokens[0].text in MARK_TOKENS:
        tokens = tokens[1:]
    return tokens


def _cue_before_colon(doc: Doc, text: str, quoted: QuotedSpan, lexicon: Lexicon) -> Token | None:
    """'Cruz continued:' or 'The statement reads:' right before the quote (also across a paragraph break):
    the cue verb of the words leading up to the colon."""
    at = quoted.start - 2
    while at >= 0 and text[at].isspace():
        at -= 1
    if at < 0 or text[at] != ":":
        return None
    colon = doc.char_span(at, at + 1, alignment_mode="expand")
    if colon is None:
        return None
    before = list(reversed(doc[max(0, colon.start - 12):colon.start]))
    for token in _until_boundary(before, []):
        if cue_flags(token, lexicon) is not None and token.pos_ != "NOUN" and subject_of(token, lexicon):
            return token
    return None


def _until_boundary(tokens: list[Token], inside: list[tuple[int, int]]) -> list[Token]:
    """Tokens up to the next paragraph break, sentence end or quoted span."""
    kept = []
    for token in tokens:
        if "\n" in token.text or token.text in (".", "?", "!") or _inside_any(token.idx, inside):
            break
        kept.append(token)
    return kept


def _inside_any(offset: int, spans: list[tuple[int, int]]) -> bool:
    i = bisect.bisect_right(spans, (offset, float("inf"))) - 1
    return i >= 0 and spans[i][0] <= offset < spans[i][1]


def place_quoted_spans(doc: Doc, text: str, quoted: list[QuotedSpan], reported: list[Attribution],
                       lexicon: Lexicon) -> list[Attribution]:
    """Direct quotes from the quoted spans; the reported speech they replace or enrich is updated in place."""
    direct: list[Attribution] = []
    marked = sorted((q.start - 1, q.end + 1) for q in quoted)
    for a in reported:
        if a.cue is not None and _inside_any(a.cue.start_char, marked):
            a.kind = "nested"
    by_start = sorted(reported, key=lambda a: a.start)
    starts = [a.start for a in by_start]
    for q in quoted:
        lo = bisect.bisect_left(starts, q.start - 2 * MAX_QUOTE_CHARS)
        nearby = by_start[lo:bisect.bisect_right(starts, q.end)]
        nearby = [a for a in nearby if a.kind != "nested"]
        covered = [a for a in nearby if q.start - 2 <= a.start and a.end <= q.end + 2]
        holder = [a for a in nearby if a.start <= q.start and q.end <= a.end + 2 and a not in covered]
        if covered:  # the cue's complement lies inside the marks: it is this direct quote's cue
            cue_source = covered[0]
            for a in covered:
                a.kind = "covered"
            direct.append(Attribution("direct", q.start, q.end, cue=cue_source.cue, cue_lemma=cue_source.cue_lemma,
                                      speaker_head=cue_source.speaker_head, denial=cue_source.denial,
                                      pieces=list(q.pieces)))
            continue
        if holder:  # a fragment quoted inside reported speech
            for a in holder:
                if a.kind == "indirect":
                    a.kind = "mixed"
            continue
        cue = _cue_beside(doc, q, lexicon, marked) or _cue_before_colon(doc, text, q, lexicon)
        if cue is not None:
            flags = cue_flags(cue, lexicon) or frozenset()
            direct.append(Attribution("direct", q.start, q.end, cue=cue_span(cue), cue_lemma=cue.lemma_.lower(),
                                      speaker_head=subject_of(cue, lexicon), denial="denial" in flags, pieces=list(q.pieces)))
            continue
        span = tokens_of(doc, q.start, q.end)
        if span is not None and (_is_sentence_like(span) or len(q.pieces) > 1 or _is_quoted_sentence(text, q)):
            direct.append(Attribution("direct", q.start, q.end, pieces=list(q.pieces)))  # continuation: no cue
    return direct


MAX_LEAD_IN_WORDS = 12  # "The governor added:" — a short paragraph that only introduces what follows


def find_block_quotes(doc: Doc, text: str, paragraphs: list[tuple[int, int]], lexicon: Lexicon) -> list[Attribution]:
    """'Limbaugh added:' as a paragraph of its own, followed by a paragraph without quotation marks: the
    block-quote convention (speeches, transcripts, statements set off from the text); that paragraph is the
    speaker's words. A paragraph opening with a mark is left to the quoted spans."""
    found = []
    for (p_start, p_end), (n_start, n_end) in itertools.pairwise(paragraphs):
        if text[p_end - 1] != ":" or text[n_start] in MARK_TOKENS \
                or len(text[p_start:p_end].split()) > MAX_LEAD_IN_WORDS:
            continue
        lead_in = tokens_of(doc, p_start, p_end - 1)
        if lead_in is None:
            continue
        cue = next((t for t in reversed(lead_in) if t.pos_ in ("VERB", "AUX")), None)
        flags = cue_flags(cue, lexicon) if cue is not None else None
        speaker = subject_of(cue, lexicon) if cue is not None and flags is not None else None
        if cue is None or speaker is None or flags is None or "belief" in flags:
            continue
        found.append(Attribution("direct", n_start, n_end, cue=cue_span(cue), cue_lemma=cue.lemma_.lower(),
                                 speaker_head=speaker, denial="denial" in flags, pieces=[(n_start, n_end)]))
    return found
