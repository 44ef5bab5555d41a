"""``dateline eval anonymity [GOLD]``: named or anonymous, and the stated reason, on the project's written set.

Gold: JSON Lines of ``{"id", "text", "attributions": [{"content": {start, end, text}, "speaker": "Maria Lopez",
"anonymous": false, "reason": {start, end, text} | null, "case": "apposition-after"}]}`` — short articles written
for dateline (tests/data/quotes/anonymity_dev.jsonl to tune on, anonymity_heldout.jsonl to report; see
README.md, "Named or anonymous"). Each gold attribution is looked up among the record's quotes: the quote
whose content covers at least half of the gold content (the largest overlap). Then:
- label: the quote's ``speaker.anonymous`` equals the gold label (a missed quote, or one without a speaker,
  is wrong: the figure is over every gold attribution);
- speaker: the speaker's ``name`` shares content words with the gold name, F1 >= 0.5;
- reason: a predicted ``anonymity_reason`` is right when its words overlap the gold reason's with F1 >= 0.5;
  recall is over the gold reasons, precision over the reasons predicted for the looked-up quotes.
"""

from __future__ import annotations

import json
import re
import sys
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

DATA = Path(__file__).resolve().parents[2] / "tests" / "data" / "quotes"
DEFAULT_GOLD = (DATA / "anonymity_dev.jsonl", DATA / "anonymity_heldout.jsonl")
STOPWORDS = frozenset({"the", "a", "an", "of", "to", "at", "for", "in", "on", "and", "'s", "’s", "s"})
MATCH_F1 = 0.5


@dataclass
class Tally:
    attributions: int = 0
    found: int = 0
    label_right: int = 0
    speaker_right: int = 0
    gold_reasons: int = 0
    predicted_reasons: int = 0
    reasons_right: int = 0
    by_case: Counter[str] = field(default_factory=Counter)
    wrong_by_case: Counter[str] = field(default_factory=Counter)
    errors: list[str] = field(default_factory=list)

    def figures(self) -> dict[str, Any]:
        n = self.attributions or 1
        return {"attributions": self.attributions, "found": self.found / n, "label_accuracy": self.label_right / n,
                "speaker_accuracy": self.speaker_right / n,
                "reason_recall": self.reasons_right / self.gold_reasons if self.gold_reasons else 0.0,
                "reason_precision": self.reasons_right / self.predicted_reasons if self.predicted_reasons else 1.0,
                "gold_reasons": self.gold_reasons, "predicted_reasons": self.predicted_reasons}


def _words(text: str | None) -> list[str]:
    return [w for w in re.findall(r"[\w’']+", (text or "").lower()) if w not in STOPWORDS]


def words_f1(predicted: str | None, gold: str | None) -> float:
    """F1 of the content words two texts share (as multisets)."""
    p, g = _words(predicted), _words(gold)
    common = sum((Counter(p) & Counter(g)).values())
    if not common:
        return 0.0
    precision, recall = common / len(p), common / len(g)
    return 2 * precision * recall / (precision + recall)


def matching_quote(gold: dict[str, Any], quotes: list[dict[str, Any]]) -> dict[str, Any] | None:
    """The predicted quote whose content overlaps the gold content most, if it covers half of it."""
    g_start, g_end = gold["content"]["start"], gold["content"]["end"]
    best, best_overlap = None, 0.5 * max(1, g_end - g_start)
    for quote in quotes:
        overlap = min(g_end, quote["content"]["end"]) - max(g_start, quote["content"]["start"])
        if overlap >= best_overlap:
            best, best_overlap = quote, overlap
    return best


def score_document(document: dict[str, Any], quotes: list[dict[str, Any]], tally: Tally) -> None:
    for gold in document["attributions"]:
        tally.attributions += 1
        tally.by_case[gold["case"]] += 1
        quote = matching_quote(gold, quotes)
        speaker = (quote or {}).get("speaker") or {}
        gold_reason = (gold.get("reason") or {}).get("text")
        reason = speaker.get("anonymity_reason")
        tally.found += quote is not None
        label_right = bool(speaker) and speaker.get("anonymous") is gold["anonymous"]
        speaker_right = words_f1(speaker.get("name"), gold["speaker"]) >= MATCH_F1
        tally.label_right += label_right
        tally.speaker_right += speaker_right
        tally.gold_reasons += gold_reason is not None
        tally.predicted_reasons += reason is not None
        reason_right = gold_reason is not None and reason is not None and words_f1(reason, gold_reason) >= MATCH_F1
        tally.reasons_right += reason_right
        if not label_right or not speaker_right or (gold_reason is not None) != reason_right or \
                (reason is not None and not reason_right):
            tally.wrong_by_case[gold["case"]] += 1
            got = "no quote" if quote is None else (f"{speaker.get('name')!r} anonymous={speaker.get('anonymous')} "
                                                     f"reason={reason!r}" if speaker else "no speaker")
            tally.errors.append(f"{document['id']} [{gold['case']}] {gold['content']['text'][:50]!r}: expected "
                                f"{gold['speaker']!r} anonymous={gold['anonymous']} reason={gold_reason!r}; got {got}")


def read_documents(path: Path, limit: int | None = None) -> list[dict[str, Any]]:
    with path.open(encoding="utf-8") as handle:
        documents = [json.loads(line) for line in handle if line.strip()]
    return documents[:limit] if limit is not None else documents


def evaluate(path: Path, limit: int | None = None) -> Tally:
    from dateline.eval.quotes import _docs_with_quotes

    tally = Tally()
    for document, doc in _docs_with_quotes(read_documents(path, limit)):
        score_document(document, list(doc._.dateline_quotes or []), tally)
    return tally


def run(gold: Path | str | None = None, limit: int | None = None, errors: bool = False) -> dict[str, Any]:
    """Score each gold file (default: the dev and the held-out half); prints a table, returns the figures."""
    paths = [Path(gold)] if gold is not None else list(DEFAULT_GOLD)
    figures: dict[str, Any] = {}
    print(f"{'set':22s} {'items':>5s} {'found':>6s} {'label':>6s} {'speaker':>7s}   "
          f"{'reason P':>8s} {'R':>6s} (gold/pred)")
    for path in paths:
        if not path.exists():
            print(f"no gold file at {path}")
            continue
        tally = evaluate(path, limit)
        f = figures[path.stem] = tally.figures()
        print(f"{path.stem:22s} {f['attributions']:5d} {f['found']:6.3f} {f['label_accuracy']:6.3f} "
              f"{f['speaker_accuracy']:7.3f}   {f['reason_precision']:8.3f} {f['reason_recall']:6.3f} "
              f"({f['gold_reasons']}/{f['predicted_reasons']})")
        if errors:
            for line in tally.errors:
                print(f"    {line}")
    sys.stdout.flush()
    return figures
