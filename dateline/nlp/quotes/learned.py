"""Step 2b: the trained span tagger (``dateline/nlp/models/quotes``) proposes CONTENT / CUE / SOURCE spans, a
linking step pairs each content with its cue and source, and the proposals are merged with the rules' quotes.

The tagger has no embedding of its own: it reads ``doc.tensor``, which the pinned model's shared ``tok2vec``
set. It runs on windows — a paragraph, or a run of its sentences up to ``WINDOW_TOKENS`` — so a very long
document costs the sum of its windows and never one huge batch.

Merging: a model content that overlaps a rule quote confirms it (``produced_by`` "rule+model") and fills a cue
or speaker the rule lacks; the rule keeps its span (on PolNeAR dev the rules' boundaries, with the
complementizer and split quotes joined, were exact more often than the tagger's: 0.503 against 0.488 content
exact F1 when the tagger re-bounded reported speech). A model content no rule found becomes a new
quote ("model") when a cue is linked to it; its speaker is the linked source (or the cue's subject in the
parse) and goes through the same SpeakerResolver as the rules' speakers.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any, cast

from spacy.attrs import DEP, TAG
from spacy.language import Language
from spacy.tokens import Doc, Span, Token
from spacy.util import registry

from dateline.nlp.quotes.attribution import Attribution
from dateline.nlp.quotes.lexicon import Lexicon, cue_flags
from dateline.nlp.quotes.marks import MARK_TOKENS, paragraph_bounds
from dateline.nlp.quotes.tokens import SUBJECT_DEPS

LABELS = ("CONTENT", "CUE", "SOURCE")
WINDOW_TOKENS = 600   # a window never holds more tokens than this (a paragraph is split at its sentences)
BATCH_WINDOWS = 64
CUE_REACH = 12        # a cue links to a content at most this many tokens outside it
SOURCE_REACH = 10     # a source links to a cue at most this many tokens away from it
SKIP_CUELESS_WINDOWS = False  # read only windows with a cue word or a quotation mark (faster, fewer rare cues)
MIN_OVERLAP = 0.5     # share of the shorter span two contents must share to be one quote
# Confidence of each quote by what produced it: that origin's content overlap precision on PolNeAR dev under the
# shared scorer (README, "The trained attribution model"); a fixed table, not a per-quote probability.
CONFIDENCE = {"rule+model": 0.84, "rule": 0.74, "model": 0.61}


@registry.architectures("dateline.SharedTok2VecEncoder.v1")
def shared_tok2vec_encoder(width: int, upstream: str, depth: int, window_size: int, maxout_pieces: int) -> Any:
    """The pinned model's shared tok2vec output (read through a listener, never updated) with ``depth`` more
    trainable convolution layers of the tagger's own on top: wider context for long spans at a small cost."""
    from spacy.ml.models.tok2vec import MaxoutWindowEncoder
    from spacy.pipeline.tok2vec import Tok2VecListener
    from thinc.api import chain, with_array

    listener = Tok2VecListener(upstream_name=upstream, width=width)
    encoder = MaxoutWindowEncoder(width=width, window_size=window_size, maxout_pieces=maxout_pieces, depth=depth)
    model: Any = chain(listener, with_array(encoder))  # type: ignore[type-var]
    model.set_dim("nO", width)
    return model


@dataclass(slots=True)
class Proposal:
    """The tagger's spans for one content, linked: token offsets in the document."""
    content: Span
    cue: Span | None
    source: Span | None


def windows(doc: Doc, paragraphs: list[tuple[int, int]]) -> Iterator[tuple[int, int]]:
    """Token ranges covering the document: each paragraph, cut at sentence starts to stay <= WINDOW_TOKENS."""
    for p_start, p_end in paragraphs:
        span = doc.char_span(p_start, p_end, alignment_mode="expand")
        if span is None or not len(span):
            continue
        start = span.start
        if span.end - start <= WINDOW_TOKENS:
            yield start, span.end
            continue
        cut = start
        for token in span:
            long_enough = token.i - cut >= WINDOW_TOKENS or token.is_sent_start and token.i - cut >= WINDOW_TOKENS // 2
            if long_enough and token.i > cut:
                yield cut, token.i
                cut = token.i
        if cut < span.end:
            yield cut, span.end


def may_attribute(doc: Doc, start: int, end: int, lexicon: Lexicon) -> bool:
    """Whether a window holds a cue word of the lexicon, a quotation mark or "according": the only windows the
    tagger reads when ``SKIP_CUELESS_WINDOWS`` is on."""
    return any(t.text in MARK_TOKENS or t.lower_ == "according" or cue_flags(t, lexicon) is not None
               for t in doc[start:end])


def _window_doc(doc: Doc, start: int, end: int) -> Doc:
    """A window as a Doc of its own: the words, and the shared features' rows when the pinned tok2vec set them.
    Nothing else is copied (the pinned model's entities would be fixed annotation the tagger must keep)."""
    tokens = doc[start:end]
    window = Doc(doc.vocab, words=[t.text for t in tokens], spaces=[bool(t.whitespace_) for t in tokens])
    copy_syntax(doc, start, end, window)
    if doc.tensor.size and doc.tensor.shape[0] == len(doc):
        window.tensor = doc.tensor[start:end]
    return window


def copy_syntax(source: Doc, start: int, end: int, dest: Doc) -> None:
    """The pinned model's fine tags and dependency labels of ``source[start:end]`` onto ``dest`` (same tokens):
    a tagger trained with quotes-syntax.cfg embeds them as hash features, so it reads the parse dateline already paid
    for. Heads are not copied: only the labels are features."""
    attrs = [a for a, kind in ((TAG, "TAG"), (DEP, "DEP")) if source.has_annotation(kind)]
    if attrs:
        window_rows = cast(Any, source[start:end]).to_array(attrs)  # the window's rows only (Span.to_array: no stub)
        dest.from_array(attrs, window_rows)


def tag_documents(docs: list[Doc], model: Language, lexicon: Lexicon | None = None) -> list[list[Span]]:
    """The trained pipeline's spans (CONTENT / CUE / SOURCE) in each document, every document's windows batched
    together (one call of the model per ``BATCH_WINDOWS`` windows, whatever the documents' lengths).

    ``model`` is the quotes pipeline: an own tok2vec and the tagger (quotes.cfg), or the tagger alone reading the
    shared features each window copies from ``doc.tensor`` (quotes-shared.cfg), run on the windows in order."""
    jobs = [(k, a, b) for k, doc in enumerate(docs) for a, b in windows(doc, paragraph_bounds(doc.text))
            if lexicon is None or not SKIP_CUELESS_WINDOWS or may_attribute(doc, a, b, lexicon)]
    for label in LABELS if docs else ():  # the documents share one vocab: the labels' strings must be in it
        docs[0].vocab.strings.add(label)
    found: list[list[Span]] = [[] for _ in docs]
    for i in range(0, len(jobs), BATCH_WINDOWS):
        batch = jobs[i:i + BATCH_WINDOWS]
        subs = [_window_doc(docs[k], a, b) for k, a, b in batch]
        for _, proc in model.pipeline:
            subs = list(proc.pipe(subs, batch_size=BATCH_WINDOWS))  # type: ignore[attr-defined]
        for (k, a, _), sub in zip(batch, subs, strict=True):
            found[k] += [Span(docs[k], a + e.start, a + e.end, label=e.label_) for e in sub.ents]
    return found


def tag_spans(doc: Doc, model: Language, lexicon: Lexicon | None = None) -> list[Span]:
    return tag_documents([doc], model, lexicon)[0]


def _gap(a: Span, b: Span) -> int:
    """Tokens between two spans (0 when they touch or overlap)."""
    return max(0, max(a.start, b.start) - min(a.end, b.end))


def _overlaps(a: Span, b: Span) -> bool:
    return a.start < b.end and b.start < a.end


def link(spans: list[Span]) -> list[Proposal]:
    """Each CONTENT with the nearest CUE outside it and the SOURCE nearest that cue (or the content)."""
    contents = [s for s in spans if s.label_ == "CONTENT"]
    cues = [s for s in spans if s.label_ == "CUE"]
    sources = [s for s in spans if s.label_ == "SOURCE"]
    out = []
    for content in contents:
        near_cues = [c for c in cues if _gap(c, content) <= CUE_REACH and not _overlaps(c, content)]
        cue = min(near_cues, key=lambda c: (_gap(c, content), c.start > content.start), default=None)
        anchor = cue if cue is not None else content
        near_sources = [s for s in sources if _gap(s, anchor) <= SOURCE_REACH and not _overlaps(s, content)]
        source = min(near_sources, key=lambda s: _gap(s, anchor), default=None)
        out.append(Proposal(content, cue, source))
    return out


def _overlap(a: tuple[int, int], b: tuple[int, int]) -> float:
    inter = min(a[1], b[1]) - max(a[0], b[0])
    shorter = min(a[1] - a[0], b[1] - b[0])
    return inter / shorter if inter > 0 and shorter > 0 else 0.0


def _subject_of(cue: Span) -> Token | None:
    for token in (cue.root, cue.root.head):
        for child in token.children:
            if child.dep_ in SUBJECT_DEPS:
                return child
    return None


def _as_attribution(text: str, p: Proposal) -> Attribution:
    start, end = p.content.start_char, p.content.end_char
    first, last = p.content[0], p.content[-1]
    direct = first.text in MARK_TOKENS or (first.i > 0 and p.content.doc[first.i - 1].text in MARK_TOKENS
                                           and last.i + 1 < len(p.content.doc)
                                           and p.content.doc[last.i + 1].text in MARK_TOKENS)
    speaker = p.source.root if p.source is not None else (_subject_of(p.cue) if p.cue is not None else None)
    return Attribution(kind="direct" if direct else "indirect", start=start, end=end, cue=p.cue,
                       cue_lemma=p.cue.root.lemma_ if p.cue is not None else None, speaker_head=speaker,
                       produced_by="model", confidence=CONFIDENCE["model"])


def merge(text: str, rules: list[Attribution], proposals: list[Proposal]) -> list[Attribution]:
    """The rules' quotes, confirmed or re-bounded by the tagger, plus the quotes only the tagger found."""
    for q in rules:
        q.produced_by, q.confidence = "rule", CONFIDENCE["rule"]
    added: list[Attribution] = []
    for p in proposals:
        span = (p.content.start_char, p.content.end_char)
        match = max(rules, key=lambda q: _overlap((q.start, q.end), span), default=None)
        if match is not None and _overlap((match.start, match.end), span) >= MIN_OVERLAP:
            if match.produced_by == "rule":
                _confirm(match, p)
            continue
        if p.cue is None:
            continue  # a content with no cue near it: too weak alone
        added.append(_as_attribution(text, p))
    return sorted(rules + added, key=lambda a: (a.start, a.end))


def _confirm(q: Attribution, p: Proposal) -> None:
    q.produced_by, q.confidence = "rule+model", CONFIDENCE["rule+model"]
    if q.cue is None and p.cue is not None:
        q.cue, q.cue_lemma = p.cue, p.cue.root.lemma_
    if q.speaker_head is None and p.source is not None:
        q.speaker_head = p.source.root


def learned_quotes(text: str, spans: list[Span], rules: list[Attribution]) -> list[Attribution]:
    """The rules' quotes merged with the tagger's ``spans`` of the same document (``tag_documents``)."""
    return merge(text, rules, link(spans))
