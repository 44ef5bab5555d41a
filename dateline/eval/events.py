"""dateline eval events GOLD.jsonl: PLOVER event coding scored per type, document by document.

Gold lines are ``{"id","text","date"?,"events":[{"type","source","target",…}]}`` (../shared/data/README.md).
Matching is type-level per document: a type counts once per document whether gold codes it once or twice
(PETRARCH2's gold often codes both directions of one meeting). Negated predictions ("did not attack") are not
claims that the event happened and are left out. Documents whose gold is empty only because their CAMEO code
has no PLOVER equivalent (``events_unmapped``) are skipped; in documents with some unmapped events, predicted
types absent from gold are not counted as false positives (they may be the unmapped ones).

Also reported, where gold has actor codes: the same counts requiring source and target to agree, loosely (the
predicted actor code, or the first three letters of the predicted text, starts like the gold code; the PETRARCH2
sentences use fictional countries, so our own codes cannot be exact).

Silver sets (``synthetic: true`` lines, one label per story) get recall per type and the share of stories whose
most frequent predicted type is the label; precision means nothing there, since stories report other events too.
"""

from __future__ import annotations

import json
import logging
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from spacy.language import Language
from spacy.tokens import Doc

log = logging.getLogger(__name__)

DEFAULT_GOLD = Path(__file__).resolve().parents[2] / ".." / "shared" / "data" / "events" / "petrarch2-unit-tests.jsonl"
BATCH_SIZE = 32


def run(gold: Path | str | None = None, limit: int | None = None) -> dict[str, Any]:
    """Score the event coder on ``gold``; prints the table and returns the measures."""
    path = Path(gold) if gold is not None else DEFAULT_GOLD
    if not path.exists():
        print(f"no gold file at {path}: skipped")
        return {}
    items = list(_read(path, limit))
    predictions = predict(items)
    silver = bool(items) and all(item.get("synthetic") for item in items)
    result = score_silver(items, predictions) if silver else score_gold(items, predictions)
    print(format_report(path, result))
    return result


def _read(path: Path, limit: int | None) -> Iterator[dict[str, Any]]:
    with path.open(encoding="utf-8") as lines:
        for n, line in enumerate(lines):
            if limit is not None and n >= limit:
                return
            if line.strip():
                yield json.loads(line)


# --- prediction ---------------------------------------------------------------------------------------


def predict(items: list[dict[str, Any]]) -> list[list[dict[str, Any]]]:
    """The coded events of every item (empty when the pipeline fails on it)."""
    from dateline.nlp.pipeline import load_nlp

    nlp = load_nlp()
    out: list[list[dict[str, Any]]] = []
    for start in range(0, len(items), BATCH_SIZE):
        batch = items[start:start + BATCH_SIZE]
        docs = [_make_doc(nlp, item) for item in batch]
        try:
            out.extend(list(d._.dateline_events or []) for d in nlp.pipe(docs))
        except Exception:
            log.warning("a batch failed; coding its items one by one")
            out.extend(_one_by_one(nlp, batch))
    return out


def _one_by_one(nlp: Language, batch: list[dict[str, Any]]) -> Iterator[list[dict[str, Any]]]:
    for item in batch:
        try:
            yield list(nlp(_make_doc(nlp, item))._.dateline_events or [])
        except Exception as exc:
            log.warning("pipeline failed on %s: %s", item.get("id"), exc)
            yield []


def _make_doc(nlp: Language, item: dict[str, Any]) -> Doc:
    doc = nlp.make_doc(item.get("text") or "")
    doc._.dateline_context = {"published": item.get("date"), "published_precision": "day" if item.get("date") else None,
                              "dateline": None, "title": None, "language": "en"}
    return doc


# --- scoring ------------------------------------------------------------------------------------------


def score_gold(items: list[dict[str, Any]], predictions: list[list[dict[str, Any]]]) -> dict[str, Any]:
    typed: dict[str, Counter[str]] = {"tp": Counter(), "fp": Counter(), "fn": Counter()}
    actors: dict[str, Counter[str]] = {"tp": Counter(), "fp": Counter(), "fn": Counter()}
    skipped = scored = 0
    for item, predicted in zip(items, predictions, strict=True):
        gold_events = item.get("events") or []
        unmapped = bool(item.get("events_unmapped"))
        if not gold_events and unmapped and not item.get("gold_no_event"):
            skipped += 1
            continue
        scored += 1
        claimed = [e for e in predicted if not e.get("negated")]
        _count_types(typed, {g["type"] for g in gold_events}, {e["type"] for e in claimed}, unmapped)
        _count_actors(actors, gold_events, claimed, unmapped)
    return {"kind": "gold", "documents": scored, "skipped_unmapped": skipped,
            "types": _measures(typed), "with_actors": _measures(actors)}


def _count_types(counts: dict[str, Counter[str]], gold: set[str], predicted: set[str], unmapped: bool) -> None:
    for event_type in gold & predicted:
        counts["tp"][event_type] += 1
    for event_type in gold - predicted:
        counts["fn"][event_type] += 1
    if not unmapped:
        for event_type in predicted - gold:
            counts["fp"][event_type] += 1


def _count_actors(counts: dict[str, Counter[str]], gold_events: list[dict[str, Any]],
                  predicted: list[dict[str, Any]], unmapped: bool) -> None:
    """Per gold event: found when a prediction of its type has a matching source and target."""
    used: set[int] = set()
    for g in gold_events:
        match = next((i for i, p in enumerate(predicted) if i not in used and p["type"] == g["type"]
                      and _same_actor(p.get("source"), g.get("source")) and _same_actor(p.get("target"), g.get("target"))),
                     None)
        if match is None:
            counts["fn"][g["type"]] += 1
        else:
            used.add(match)
            counts["tp"][g["type"]] += 1
    if not unmapped:
        gold_types = {g["type"] for g in gold_events}
        for i, p in enumerate(predicted):
            # an extra prediction of a type gold has is a duplicate direction, not a new false event
            if i not in used and p["type"] not in gold_types:
                counts["fp"][p["type"]] += 1


def _same_actor(predicted: dict[str, Any] | None, gold_code: str | None) -> bool:
    if not gold_code:
        return True  # gold has no actor here: only the type is checked
    if not predicted:
        return False
    prefix = gold_code[:3].upper()
    code = (predicted.get("actor") or "").upper()
    words = [w for w in (predicted.get("text") or "").replace("'s", "").split() if w[:1].isupper()]
    return code.startswith(prefix) or any(w[:3].upper() == prefix for w in words)


def score_silver(items: list[dict[str, Any]], predictions: list[list[dict[str, Any]]]) -> dict[str, Any]:
    found: Counter[str] = Counter()
    total: Counter[str] = Counter()
    top_right = 0
    for item, predicted in zip(items, predictions, strict=True):
        label = (item.get("events") or [{}])[0].get("type")
        if not label:
            continue
        types = Counter(e["type"] for e in predicted if not e.get("negated"))
        total[label] += 1
        found[label] += label in types
        top_right += bool(types) and types.most_common(1)[0][0] == label
    recall = {t: found[t] / total[t] for t in sorted(total)}
    return {"kind": "silver", "documents": sum(total.values()), "recall": recall,
            "macro_recall": sum(recall.values()) / len(recall) if recall else 0.0,
            "micro_recall": sum(found.values()) / max(1, sum(total.values())),
            "top_type_accuracy": top_right / max(1, sum(total.values()))}


def _measures(counts: dict[str, Counter[str]]) -> dict[str, Any]:
    per_type = {}
    for event_type in sorted(set(counts["tp"]) | set(counts["fp"]) | set(counts["fn"])):
        tp, fp, fn = counts["tp"][event_type], counts["fp"][event_type], counts["fn"][event_type]
        per_type[event_type] = {**_prf(tp, fp, fn), "support": tp + fn}
    supported = [m["f1"] for m in per_type.values() if m["support"]]
    tp, fp, fn = (sum(counts[k].values()) for k in ("tp", "fp", "fn"))
    return {"per_type": per_type, "micro": _prf(tp, fp, fn),
            "macro_f1": sum(supported) / len(supported) if supported else 0.0}


def _prf(tp: int, fp: int, fn: int) -> dict[str, float]:
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"precision": round(precision, 4), "recall": round(recall, 4), "f1": round(f1, 4), "tp": tp, "fp": fp, "fn": fn}


def format_report(path: Path, result: dict[str, Any]) -> str:
    lines = [f"events: {path.name}, {result['documents']} documents"]
    if result["kind"] == "silver":
        lines.append(f"{'type':10s} {'recall':>7s}")
        lines += [f"{t:10s} {r:7.3f}" for t, r in result["recall"].items()]
        lines.append(f"macro recall {result['macro_recall']:.3f}  micro recall {result['micro_recall']:.3f}  "
                     f"top type right {result['top_type_accuracy']:.3f} (silver: precision not measurable)")
        return "\n".join(lines)
    lines[0] += f" ({result['skipped_unmapped']} skipped: gold events have no PLOVER type)"
    for title, key in (("type per document", "types"), ("type + source + target (loose codes)", "with_actors")):
        block = result[key]
        lines.append(f"-- {title}")
        lines.append(f"{'type':10s} {'P':>6s} {'R':>6s} {'F1':>6s} {'gold':>5s}")
        for event_type, m in block["per_type"].items():
            lines.append(f"{event_type:10s} {m['precision']:6.3f} {m['recall']:6.3f} {m['f1']:6.3f} {m['support']:5d}")
        micro = block["micro"]
        lines.append(f"micro P {micro['precision']:.3f} R {micro['recall']:.3f} F1 {micro['f1']:.3f}   "
                     f"macro F1 {block['macro_f1']:.3f}")
    return "\n".join(lines)
