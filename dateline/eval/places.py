"""dateline eval places GOLD.jsonl: geoparsing measures of Gritta et al. (2019), "A pragmatic guide to
geoparsing evaluation".

Gold documents: {"id","text","toponyms":[{"start","end","name","lat","lon","geonameid"}], "unresolved":[...]}.
Two settings:
- end to end: the pipeline finds and resolves places; toponym precision/recall/F1 by span overlap
  (``unresolved`` gold names count for recognition only), and the geocoding measures on the gold toponyms it
  found;
- resolution only: the resolver gets the gold toponym spans (Mordecai3 publishes this setting).
Geocoding measures: accuracy@161 km, mean and median error (km) and the AUC of the log error curve (lower is
better; a toponym left without coordinates counts as the largest error, 20,039 km).
"""

from __future__ import annotations

import json
import math
import statistics
from collections.abc import Iterator
from pathlib import Path
from typing import Any

DEFAULT_GOLD = Path(__file__).resolve().parents[2] / ".." / "shared" / "data" / "places" / "lgl.jsonl"
MAX_ERROR_KM = 20039.0  # half the Earth's circumference: the error of a toponym left unresolved
ACCURACY_KM = 161.0


def km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    p = math.pi / 180
    h = (math.sin((lat2 - lat1) * p / 2) ** 2
         + math.cos(lat1 * p) * math.cos(lat2 * p) * math.sin((lon2 - lon1) * p / 2) ** 2)
    return 12742 * math.asin(math.sqrt(min(1.0, h)))


def error_auc(errors: list[float]) -> float:
    """Area under the curve of sorted log errors, scaled to [0, 1] (Gritta et al. 2019); lower is better."""
    if len(errors) < 2:
        return math.log(errors[0] + 1) / math.log(MAX_ERROR_KM) if errors else 0.0
    logs = [math.log(e + 1) for e in sorted(errors)]
    area = sum((a + b) / 2 for a, b in zip(logs, logs[1:], strict=False))
    return area / (math.log(MAX_ERROR_KM) * (len(logs) - 1))


def geocoding_measures(errors: list[float]) -> dict[str, float]:
    if not errors:
        return {"n": 0, "acc@161": 0.0, "mean_km": 0.0, "median_km": 0.0, "auc": 0.0}
    return {"n": len(errors), "acc@161": sum(e <= ACCURACY_KM for e in errors) / len(errors),
            "mean_km": statistics.fmean(errors), "median_km": statistics.median(errors), "auc": error_auc(errors)}


def read_gold(path: Path, limit: int | None = None) -> Iterator[dict[str, Any]]:
    with path.open(encoding="utf-8") as f:
        for i, line in enumerate(f):
            if limit is not None and i >= limit:
                return
            if line.strip():
                yield json.loads(line)


def _overlaps(a: dict[str, Any], b: dict[str, Any]) -> bool:
    return a["start"] < b["end"] and b["start"] < a["end"]


def _error(pred: dict[str, Any] | None, gold: dict[str, Any]) -> float:
    if pred is None or pred.get("lat") is None:
        return MAX_ERROR_KM
    return km(pred["lat"], pred["lon"], gold["lat"], gold["lon"])


def _predicted_mentions(places: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return sorted(({"start": m["start"], "end": m["end"], "lat": p.get("lat"), "lon": p.get("lon")}
                   for p in places for m in p["mentions"]), key=lambda m: m["start"])


def score_document(gold: dict[str, Any], places: list[dict[str, Any]]) -> dict[str, Any]:
    """True/false positives, false negatives and the errors of the found gold toponyms of one document."""
    predicted = _predicted_mentions(places)
    resolved = [t for t in gold["toponyms"] if t.get("lat") is not None]
    names = sorted([*resolved, *gold.get("unresolved", [])], key=lambda t: t["start"])
    used: set[int] = set()
    errors: list[float] = []
    tp = 0
    for g in names:
        hit = next((i for i, p in enumerate(predicted) if i not in used and _overlaps(p, g)), None)
        if hit is None:
            continue
        used.add(hit)
        tp += 1
        if g.get("lat") is not None:
            errors.append(_error(predicted[hit], g))
    return {"tp": tp, "fp": len(predicted) - len(used), "fn": len(names) - tp, "errors": errors}


def resolve_gold_spans(nlp: Any, doc: Any, gold: dict[str, Any]) -> list[float]:
    """Errors when the resolver is given the gold toponym spans (its context still comes from the doc)."""
    from dateline.nlp.components.places import Mention
    from dateline.nlp.gazetteer import name_key

    resolver = nlp.get_pipe("dateline_places")
    mentions = []
    resolved = [t for t in gold["toponyms"] if t.get("lat") is not None]
    for t in resolved:
        span = doc.char_span(t["start"], t["end"], alignment_mode="expand")
        if span is None:
            continue
        mentions.append(Mention(t["start"], t["end"], doc.text[t["start"]:t["end"]],
                                name_key(doc.text[t["start"]:t["end"]]), "GPE", span.start, span.end))
    places = resolver.resolve(doc, sorted(mentions, key=lambda m: m.start))
    by_start = {m["start"]: p for p in places for m in p["mentions"]}
    return [_error(by_start.get(t["start"]), t) for t in resolved]


def run(gold_path: Path | str | None = None, limit: int | None = None) -> dict[str, Any]:
    """Print and return the measures for end-to-end geoparsing and for resolution of gold toponyms."""
    path = Path(gold_path) if gold_path else DEFAULT_GOLD
    if not path.exists():
        print(f"eval places: {path} not found; skipping.")
        return {}
    from dateline.nlp.pipeline import load_nlp

    nlp = load_nlp()
    golds = list(read_gold(path, limit))
    tp = fp = fn = 0
    e2e_errors: list[float] = []
    gold_errors: list[float] = []
    for gold, doc in zip(golds, nlp.pipe(g["text"] for g in golds), strict=True):
        counts = score_document(gold, doc._.dateline_places or [])
        tp, fp, fn = tp + counts["tp"], fp + counts["fp"], fn + counts["fn"]
        e2e_errors.extend(counts["errors"])
        gold_errors.extend(resolve_gold_spans(nlp, doc, gold))
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    result = {"gold": str(path), "documents": len(golds),
              "recognition": {"precision": precision, "recall": recall, "f1": f1, "tp": tp, "fp": fp, "fn": fn},
              "end_to_end": geocoding_measures(e2e_errors), "gold_toponyms": geocoding_measures(gold_errors)}
    _print(result)
    return result


def _print(result: dict[str, Any]) -> None:
    rec = result["recognition"]
    print(f"{result['gold']}: {result['documents']} documents")
    print(f"toponym recognition  P {rec['precision']:.3f}  R {rec['recall']:.3f}  F1 {rec['f1']:.3f}"
          f"  (tp {rec['tp']}, fp {rec['fp']}, fn {rec['fn']})")
    for label, key in (("end to end (found toponyms)", "end_to_end"), ("resolution of gold toponyms", "gold_toponyms")):
        m = result[key]
        print(f"{label:29s} n {m['n']:5d}  acc@161 {m['acc@161']:.3f}  mean {m['mean_km']:.0f} km"
              f"  median {m['median_km']:.0f} km  AUC {m['auc']:.3f}")
