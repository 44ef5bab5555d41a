"""``dateline eval actors [GOLD]``: mention chains (MUC, B³), roles and countries against a hand-made gold set.

Gold: JSON Lines of ``{"id", "text", "entities": [{"id", "name", "type", "role", "country",
"mentions": [{"start", "end", "text"}]}]}`` (see tests/data/actors/README.md for what is annotated).

A system mention matches a gold mention when their spans overlap by at least half of the shorter one
(one-to-one, largest overlaps first), so "Elena Marsh" matches the gold "Norvian President Elena Marsh".
Plain places (GPE/LOC/FAC entities with no actor code) are not scored: the places evaluation covers them.
MUC (Vilain et al. 1995) and B³ (Bagga & Baldwin 1998) are computed over the union of both mention sets:
a gold mention the system missed, or a system mention the gold lacks, counts against recall or precision.
A role is right when its content words overlap the gold role's with F1 >= 0.5; a country when it is equal.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

DEFAULT_GOLD = Path(__file__).resolve().parents[2] / "tests" / "data" / "actors" / "eval.jsonl"
PLACE_TYPES = ("GPE", "LOC", "FAC", "EVENT")
ROLE_STOPWORDS = frozenset({"the", "a", "an", "of", "to", "at", "for", "in", "and", "former"})

Span = tuple[int, int]


@dataclass
class Tally:
    muc_p_num: float = 0.0
    muc_p_den: float = 0.0
    muc_r_num: float = 0.0
    muc_r_den: float = 0.0
    b3_p: list[float] = field(default_factory=list)
    b3_r: list[float] = field(default_factory=list)
    roles: list[bool] = field(default_factory=list)
    countries: list[bool] = field(default_factory=list)


def load_gold(path: Path, limit: int | None = None) -> list[dict[str, Any]]:
    docs = []
    with path.open(encoding="utf-8") as lines:
        for line in lines:
            if line.strip():
                docs.append(json.loads(line))
            if limit is not None and len(docs) >= limit:
                break
    return docs


def scored_entities(entities: Iterable[dict[str, Any]]) -> list[dict[str, Any]]:
    return [e for e in entities if not (e.get("type") in PLACE_TYPES and not e.get("actor") and not e.get("country"))]


def match_mentions(gold: list[Span], system: list[Span]) -> dict[int, int]:
    """gold index -> system index, one-to-one, largest overlaps first."""
    pairs = []
    for gi, (gs, ge) in enumerate(gold):
        for si, (ss, se) in enumerate(system):
            overlap = min(ge, se) - max(gs, ss)
            if overlap > 0 and overlap >= 0.5 * min(ge - gs, se - ss):
                pairs.append((overlap, gi, si))
    matched: dict[int, int] = {}
    used: set[int] = set()
    for _, gi, si in sorted(pairs, reverse=True):
        if gi not in matched and si not in used:
            matched[gi] = si
            used.add(si)
    return matched


def _clusters(entities: list[dict[str, Any]]) -> tuple[list[Span], list[int]]:
    spans, owner = [], []
    for n, entity in enumerate(entities):
        for m in entity.get("mentions", []):
            spans.append((m["start"], m["end"]))
            owner.append(n)
    return spans, owner


def _muc(key: list[set[str]], response_of: dict[str, int]) -> tuple[float, float]:
    """MUC numerator and denominator of key clusters partitioned by the response (absent mentions: singletons)."""
    num = den = 0.0
    for cluster in key:
        parts = {response_of.get(m, f"alone:{m}") for m in cluster}
        num += len(cluster) - len(parts)
        den += len(cluster) - 1
    return num, den


def _b3(key: list[set[str]], response: dict[str, set[str]]) -> list[float]:
    return [len(cluster & response.get(m, set())) / len(cluster) for cluster in key for m in cluster]


def score_document(gold_entities: list[dict[str, Any]], system_entities: list[dict[str, Any]], tally: Tally) -> None:
    system_entities = scored_entities(system_entities)
    gold_spans, gold_owner = _clusters(gold_entities)
    sys_spans, sys_owner = _clusters(system_entities)
    matched = match_mentions(gold_spans, sys_spans)
    # One id per mention: a matched pair shares the gold id.
    sys_id = {si: f"g{gi}" for gi, si in matched.items()}
    gold_ids = [f"g{gi}" for gi in range(len(gold_spans))]
    sys_ids = [sys_id.get(si, f"s{si}") for si in range(len(sys_spans))]
    gold_clusters = [{gold_ids[i] for i, o in enumerate(gold_owner) if o == n} for n in range(len(gold_entities))]
    sys_clusters = [{sys_ids[i] for i, o in enumerate(sys_owner) if o == n} for n in range(len(system_entities))]
    gold_clusters = [c for c in gold_clusters if c]
    sys_clusters = [c for c in sys_clusters if c]
    gold_of = {m: n for n, c in enumerate(gold_clusters) for m in c}
    sys_of = {m: n for n, c in enumerate(sys_clusters) for m in c}
    num, den = _muc(gold_clusters, sys_of)
    tally.muc_r_num += num
    tally.muc_r_den += den
    num, den = _muc(sys_clusters, gold_of)
    tally.muc_p_num += num
    tally.muc_p_den += den
    tally.b3_r += _b3(gold_clusters, {m: sys_clusters[sys_of[m]] for m in sys_of})
    tally.b3_p += _b3(sys_clusters, {m: gold_clusters[gold_of[m]] for m in gold_of})
    _score_attributes(gold_entities, system_entities, gold_owner, sys_owner, matched, tally)


def _score_attributes(gold_entities: list[dict[str, Any]], system_entities: list[dict[str, Any]],
                      gold_owner: list[int], sys_owner: list[int], matched: dict[int, int], tally: Tally) -> None:
    """Role and country of each gold entity, read from the system entity holding most of its mentions."""
    for n, entity in enumerate(gold_entities):
        votes: dict[int, int] = {}
        for gi, owner in enumerate(gold_owner):
            if owner == n and gi in matched:
                votes[sys_owner[matched[gi]]] = votes.get(sys_owner[matched[gi]], 0) + 1
        found = system_entities[max(votes, key=lambda k: votes[k])] if votes else None
        if entity.get("role"):
            tally.roles.append(found is not None and role_matches(found.get("role"), entity["role"]))
        if entity.get("country"):
            tally.countries.append(found is not None and found.get("country") == entity["country"])


def _content_words(text: str) -> list[str]:
    words = re.findall(r"[a-z0-9]+", text.lower())
    return [w.rstrip("s") if len(w) > 3 else w for w in words if w not in ROLE_STOPWORDS]


def role_matches(system: str | None, gold: str) -> bool:
    if not system:
        return False
    s, g = _content_words(system), _content_words(gold)
    common = sum(min(s.count(w), g.count(w)) for w in set(g))
    if not common:
        return False
    precision, recall = common / len(s), common / len(g)
    return 2 * precision * recall / (precision + recall) >= 0.5


def _f1(p: float, r: float) -> float:
    return 2 * p * r / (p + r) if p + r else 0.0


def _mean(values: list[float] | list[bool]) -> float:
    return sum(values) / len(values) if values else 0.0


def measures(tally: Tally) -> dict[str, float]:
    muc_p = tally.muc_p_num / tally.muc_p_den if tally.muc_p_den else 0.0
    muc_r = tally.muc_r_num / tally.muc_r_den if tally.muc_r_den else 0.0
    b3_p, b3_r = _mean(tally.b3_p), _mean(tally.b3_r)
    return {"muc_p": muc_p, "muc_r": muc_r, "muc_f1": _f1(muc_p, muc_r),
            "b3_p": b3_p, "b3_r": b3_r, "b3_f1": _f1(b3_p, b3_r),
            "role_accuracy": _mean(tally.roles), "country_accuracy": _mean(tally.countries),
            "roles": float(len(tally.roles)), "countries": float(len(tally.countries))}


def evaluate(docs: list[dict[str, Any]], nlp: Any = None) -> dict[str, float]:
    """The measures of the entity ruler + actors components over gold documents."""
    if nlp is None:
        from dateline.nlp.pipeline import build_nlp

        nlp = build_nlp(components=("dateline_entity_ruler", "dateline_actors"))
    tally = Tally()
    for gold, doc in zip(docs, nlp.pipe(d["text"] for d in docs), strict=True):
        score_document(gold["entities"], doc._.dateline_actors or [], tally)
    result = measures(tally)
    result["documents"] = float(len(docs))
    return result


def run(gold_path: Path | None = None, limit: int | None = None) -> dict[str, float]:
    path = Path(gold_path) if gold_path else DEFAULT_GOLD
    if not path.exists():
        print(f"skipped: no gold file at {path}")
        return {}
    result = evaluate(load_gold(path, limit))
    print(f"documents        {int(result['documents'])}")
    print(f"MUC   P {result['muc_p']:.3f}  R {result['muc_r']:.3f}  F1 {result['muc_f1']:.3f}")
    print(f"B3    P {result['b3_p']:.3f}  R {result['b3_r']:.3f}  F1 {result['b3_f1']:.3f}")
    print(f"role accuracy    {result['role_accuracy']:.3f}  ({int(result['roles'])} gold roles)")
    print(f"country accuracy {result['country_accuracy']:.3f}  ({int(result['countries'])} gold countries)")
    return result
