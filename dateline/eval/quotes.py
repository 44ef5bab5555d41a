"""dateline eval quotes GOLD.jsonl: precision, recall and F1 of quote content, cue and source.

Gold documents: ``{"id", "text", "quotes": [{"content": {start, end}, "cue": {...} | null,
"source": {...} | null}]}`` (the shape of ../shared/data/quotes/polnear-*.jsonl). Each of the three
parts is scored on its own, as span sets per document:
- exact: a predicted span with the gold span's offsets (after trimming whitespace);
- overlap: a predicted span covering at least half of the gold span (one prediction per gold span).

PolNeAR's conventions differ from the record's in two ways, and predictions are mapped to them before
scoring (nothing else is adapted):
- a content span includes the quotation marks of a direct quote, the punctuation closing it and the
  "that" before a reported clause (``polnear_content``);
- one attribution covers a speaker's consecutive quoted sentences ('"A," she said. "B."'), where the
  record keeps one quote per quoted span, the later ones as cue-less continuations
  (``attribution_contents`` joins them into the covering span).
"""

from __future__ import annotations

import json
import sys
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

DEFAULT_GOLD = Path(__file__).resolve().parents[2] / ".." / "shared" / "data" / "quotes" / "polnear-dev.jsonl"
PARTS = ("content", "cue", "source")
OPENING = "“\"«„‘'"
CLOSING = "”\"»“’'"
BATCH_SIZE = 8


@dataclass(slots=True)
class Counts:
    gold: int = 0
    predicted: int = 0
    exact: int = 0
    overlap_gold: int = 0   # gold spans found
    overlap_pred: int = 0   # predictions that found one

    def add(self, other: Counts) -> None:
        for name in ("gold", "predicted", "exact", "overlap_gold", "overlap_pred"):
            setattr(self, name, getattr(self, name) + getattr(other, name))

    def figures(self) -> dict[str, dict[str, float]]:
        return {"exact": _prf(self.exact, self.exact, self.predicted, self.gold),
                "overlap": _prf(self.overlap_pred, self.overlap_gold, self.predicted, self.gold)}


def _prf(right_pred: int, right_gold: int, predicted: int, gold: int) -> dict[str, float]:
    precision = right_pred / predicted if predicted else 0.0
    recall = right_gold / gold if gold else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"precision": precision, "recall": recall, "f1": f1}


def _trimmed(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def polnear_content(text: str, quote: dict[str, Any]) -> tuple[int, int]:
    """The record's content span widened to PolNeAR's convention: marks of a direct quote, a leading 'that'."""
    start, end = quote["content"]["start"], quote["content"]["end"]
    if text[max(0, start - 2):start] == "''":
        start -= 2  # ''A,'' he said: quotation marks as two apostrophes (newspaper archives)
    elif start > 0 and text[start - 1] in OPENING:
        start -= 1
    if text[end:end + 2] == "''":
        end += 2
    elif end < len(text) and text[end] in CLOSING:
        end += 1
    elif end + 1 < len(text) and text[end] in ".,?!" and text[end + 1] in CLOSING:
        # 'called it “a disgrace.”': the sentence's closing punctuation and mark (or two apostrophes)
        end += 3 if text[end + 1:end + 3] == "''" else 2
    before = text[max(0, start - 5):start]
    if before.lower().endswith("that "):
        start -= 5
    return start, end


def attribution_contents(text: str, quotes: list[dict[str, Any]]) -> list[tuple[int, int]]:
    """Content spans per attribution: a cue-less direct quote by the same speaker joins the one before."""
    contents: list[tuple[int, int]] = []
    previous_speaker: tuple[int, int] | None = None
    previous_cue: tuple[int, int] | None = None
    for quote in sorted(quotes, key=lambda q: q["content"]["start"]):
        start, end = polnear_content(text, quote)
        speaker = quote.get("speaker") or {}
        speaker_span = (speaker["start"], speaker["end"]) if "start" in speaker else None
        cue = (quote["cue"]["start"], quote["cue"]["end"]) if quote.get("cue") else None
        continues = quote.get("cue") is None and quote.get("kind") == "direct" and contents \
            and speaker_span is not None and speaker_span == previous_speaker
        split = cue is not None and cue == previous_cue  # '"A," she said, "B."': two pieces, one cue
        if continues or split:
            contents[-1] = (contents[-1][0], max(end, contents[-1][1]))
        else:
            contents.append((start, end))
        previous_speaker, previous_cue = speaker_span, cue or previous_cue
    return contents


def predicted_spans(text: str, quotes: list[dict[str, Any]]) -> dict[str, set[tuple[int, int]]]:
    spans: dict[str, set[tuple[int, int]]] = {part: set() for part in PARTS}
    spans["content"] = {_trimmed(text, start, end) for start, end in attribution_contents(text, quotes)}
    for quote in quotes:
        if quote.get("cue"):
            spans["cue"].add(_trimmed(text, quote["cue"]["start"], quote["cue"]["end"]))
        speaker = quote.get("speaker") or {}
        phrase = speaker.get("phrase") or speaker  # PolNeAR marks the whole phrase, appositives included
        if "start" in phrase and "end" in phrase:
            spans["source"].add(_trimmed(text, phrase["start"], phrase["end"]))
    return spans


def gold_spans(text: str, quotes: list[dict[str, Any]]) -> dict[str, set[tuple[int, int]]]:
    spans: dict[str, set[tuple[int, int]]] = {part: set() for part in PARTS}
    for quote in quotes:
        for part in PARTS:
            span = quote.get(part)
            if span:
                spans[part].add(_trimmed(text, span["start"], span["end"]))
    return spans


def score_spans(gold: set[tuple[int, int]], predicted: set[tuple[int, int]]) -> Counts:
    counts = Counts(gold=len(gold), predicted=len(predicted), exact=len(gold & predicted))
    used: set[tuple[int, int]] = set()
    for g_start, g_end in sorted(gold):
        needed = 0.5 * max(1, g_end - g_start)
        best = max(((min(g_end, p_end) - max(g_start, p_start), (p_start, p_end))
                    for p_start, p_end in predicted if (p_start, p_end) not in used), default=None)
        if best is not None and best[0] >= needed:
            used.add(best[1])
            counts.overlap_gold += 1
    counts.overlap_pred = len(used)
    return counts


def read_gold(path: Path, limit: int | None) -> Iterator[dict[str, Any]]:
    with path.open(encoding="utf-8") as handle:
        for number, line in enumerate(handle):
            if limit is not None and number >= limit:
                return
            if line.strip():
                yield json.loads(line)


def speech_content_spans(doc: Any, quotes: list[dict[str, Any]]) -> set[tuple[int, int]]:
    """Gold contents whose cue is a speech cue of dateline's lexicon (PolNeAR also annotates beliefs and
    intentions: "wants", "supports"), for a recall figure on the part of the task dateline attempts."""
    return {_trimmed(doc.text, q["content"]["start"], q["content"]["end"]) for q in quotes if _has_speech_cue(doc, q)}


def _has_speech_cue(doc: Any, quote: dict[str, Any]) -> bool:
    from dateline.nlp.components.quotes import load_lexicon

    lexicon = load_lexicon()
    cue = quote.get("cue")
    if not cue or not quote.get("content"):
        return False
    tokens = doc.char_span(cue["start"], cue["end"], alignment_mode="expand")
    lemmas = {t.lemma_.lower() for t in tokens or []}
    speech = any("belief" not in lexicon.verbs.get(lemma, {"belief"}) or lemma in lexicon.nouns for lemma in lemmas)
    return speech or cue["text"].strip().lower() in (":", "according to")


def _miss_pattern(doc: Any, quote: dict[str, Any]) -> str:
    """How a missed gold attribution is built: cue words, cue before or after the content, the cue's part of
    speech and dependency, the source's part of speech (or none)."""
    cue = quote["cue"]
    tokens = doc.char_span(cue["start"], cue["end"], alignment_mode="expand")
    lemmas = " ".join(t.lemma_.lower() for t in tokens) if tokens else cue["text"]
    shape = f"{tokens.root.pos_}/{tokens.root.dep_}" if tokens else "?"
    order = "cue<content" if cue["start"] < quote["content"]["start"] else "content<cue"
    source = quote.get("source")
    span = doc.char_span(source["start"], source["end"], alignment_mode="expand") if source else None
    source_form = span.root.pos_ if span is not None else "none" if source is None else "?"
    return f"{lemmas} | {order} | {shape} | source {source_form}"


def missed_speech(gold: Path | str | None = None, limit: int | None = None, examples: int = 2) -> dict[str, int]:
    """The gold attributions with a speech cue whose content dateline misses, grouped by pattern
    (``_miss_pattern``), most frequent first, with a few example sentences each; returns the counts."""
    path = Path(gold) if gold is not None else DEFAULT_GOLD
    if not path.exists():
        print(f"no gold file at {path}: nothing to list (see ../shared/data/README.md)")
        return {}
    groups: dict[str, list[str]] = {}
    for document, doc in _docs_with_quotes(read_gold(path, limit)):
        predicted = predicted_spans(document["text"], list(doc._.dateline_quotes or []))["content"]
        for quote in document.get("quotes") or []:
            if not _has_speech_cue(doc, quote):
                continue
            content = _trimmed(doc.text, quote["content"]["start"], quote["content"]["end"])
            if score_spans({content}, predicted).overlap_gold:
                continue
            cue = doc.char_span(quote["cue"]["start"], quote["cue"]["end"], alignment_mode="expand")
            sentence = cue.sent.text.strip() if cue is not None else quote["content"]["text"]
            groups.setdefault(_miss_pattern(doc, quote), []).append(f"{document['id']}: {sentence[:200]}")
    ranked = sorted(groups.items(), key=lambda item: (-len(item[1]), item[0]))
    for pattern, sentences in ranked:
        print(f"{len(sentences):4d}  {pattern}")
        for sentence in sentences[:examples]:
            print(f"        {sentence}")
    return {pattern: len(sentences) for pattern, sentences in ranked}


def _docs_with_quotes(documents: Iterable[dict[str, Any]]) -> Iterator[tuple[dict[str, Any], Any]]:
    from dateline.nlp.pipeline import load_nlp

    nlp = load_nlp()

    def make(document: dict[str, Any]) -> Any:
        doc = nlp.make_doc(document["text"])
        doc._.dateline_context = {"published": document.get("publication_date"), "published_precision": "day",
                                  "dateline": None, "title": document.get("title"), "language": "en"}
        return doc

    pairs = ((make(d), d) for d in documents)
    yield from ((document, doc) for doc, document in nlp.pipe(pairs, as_tuples=True, batch_size=BATCH_SIZE))


def run(gold: Path | str | None = None, limit: int | None = None) -> dict[str, Any]:
    """Score dateline's quotes against ``gold``; prints a table and returns the figures."""
    path = Path(gold) if gold is not None else DEFAULT_GOLD
    if not path.exists():
        print(f"no gold file at {path}: nothing to evaluate (see ../shared/data/README.md)")
        return {}
    totals = {part: Counts() for part in PARTS}
    by_origin: dict[str, Counts] = {}
    speech = Counts()
    documents = 0
    for document, doc in _docs_with_quotes(read_gold(path, limit)):
        documents += 1
        quotes = list(doc._.dateline_quotes or [])
        gold_by_part = gold_spans(document["text"], document.get("quotes") or [])
        predicted = predicted_spans(document["text"], quotes)
        for part in PARTS:
            totals[part].add(score_spans(gold_by_part[part], predicted[part]))
        speech.add(score_spans(speech_content_spans(doc, document.get("quotes") or []), predicted["content"]))
        for origin in {q.get("produced_by", "rule") for q in quotes}:
            mine = predicted_spans(document["text"], [q for q in quotes if q.get("produced_by", "rule") == origin])
            by_origin.setdefault(origin, Counts()).add(score_spans(gold_by_part["content"], mine["content"]))
    figures: dict[str, Any] = {"documents": documents, "gold": str(path)}
    print(f"{path.name}: {documents} documents")
    print(f"{'part':8s} {'gold':>6s} {'pred':>6s}   {'exact P':>7s} {'R':>6s} {'F1':>6s}   {'overlap P':>9s} {'R':>6s} {'F1':>6s}")
    for part in PARTS:
        counts = totals[part]
        part_figures = counts.figures()
        figures[part] = part_figures
        exact, overlap = part_figures["exact"], part_figures["overlap"]
        print(f"{part:8s} {counts.gold:6d} {counts.predicted:6d}   "
              f"{100 * exact['precision']:7.1f} {100 * exact['recall']:6.1f} {100 * exact['f1']:6.1f}   "
              f"{100 * overlap['precision']:9.1f} {100 * overlap['recall']:6.1f} {100 * overlap['f1']:6.1f}")
    speech_recall = speech.figures()["overlap"]["recall"]
    figures["content_speech_cues"] = {"gold": speech.gold, "overlap_recall": speech_recall}
    print(f"content recall (overlap) on the {speech.gold} gold attributions with a speech cue: {100 * speech_recall:.1f}")
    # What each origin's contents are worth: the table the quotes' "confidence" values come from (learned.py).
    figures["content_precision_by_origin"] = {}
    for origin, counts in sorted(by_origin.items()):
        precision = counts.figures()["overlap"]["precision"]
        figures["content_precision_by_origin"][origin] = {"predicted": counts.predicted, "overlap_precision": precision}
        print(f"content overlap precision of {origin!r} quotes: {100 * precision:.1f} ({counts.predicted} predicted)")
    sys.stdout.flush()
    return figures


if __name__ == "__main__":  # python -m dateline.eval.quotes [GOLD.jsonl] [LIMIT]: the missed speech attributions
    missed_speech(sys.argv[1] if len(sys.argv) > 1 else None, int(sys.argv[2]) if len(sys.argv) > 2 else None)
