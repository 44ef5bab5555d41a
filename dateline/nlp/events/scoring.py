"""The learned half of event coding: the trained type scorer (``dateline/nlp/models/events``) reads each
sentence in which the rules coded an event and judges the rules' type.

The rules find the trigger and the arguments; the model gives a probability per PLOVER type, and for ``NONE``
(text that reports no political event), for the sentence (a ``textcat`` trained by ``dateline train events``).
Per event:

- the model's first choice is ``NONE`` with at least ``NONE_SHARE`` and the rule matched only a bare lemma
  (no preposition, no condition on its object): no event. This is how the coder stays quiet in a product
  launch, a match report or a forecast ("welcomed the rain", "the clubs meet again");
- the model agrees (the rule's type is its first PLOVER type, or has at least ``KEEP_SHARE``): the event stays,
  ``produced_by: "rule+model"``, confidence the mean of the rule's and the model's;
- otherwise the rule's event stays, ``produced_by: "rule"``, its confidence lowered by the model's doubt.

The model never changes a type nor codes an event on its own (``produced_by: "model"`` is not produced):
measured on the PETRARCH2 sentences, letting a confident model retype a bare-lemma event cut micro F1 from
0.359 to 0.311, and rejecting events whose type it scores under 2 % removed real requests and agreements
(MODEL_CARD.md). ``NONE_SHARE`` is set on the held-out tenth of the training data (NGEC stories against web
pages), not on the PETRARCH2 development sentences.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from spacy.language import Language

KEEP_SHARE = 0.15
NONE_SHARE = 0.8
NONE = "NONE"
MAX_CHARS = 2000  # a "sentence" longer than this is a flattened table: its head is enough to judge it


@dataclass(frozen=True, slots=True)
class Judgement:
    type: str
    confidence: float
    produced_by: str


def type_scores(model: Language, texts: Sequence[str]) -> list[dict[str, float]]:
    """The model's probability per type for each text (one batched pass)."""
    return [dict(doc.cats) for doc in model.pipe(t[:MAX_CHARS] for t in texts)]


def judge(rule_type: str, rule_confidence: float, bare: bool, cats: dict[str, float]) -> Judgement | None:
    """The event's type, confidence and producer, or None when the model finds no event where a bare trigger
    word matched."""
    if not cats:
        return Judgement(rule_type, rule_confidence, "rule")
    share = cats.get(rule_type, 0.0)
    if bare and cats.get(NONE, 0.0) >= NONE_SHARE and max(cats, key=cats.__getitem__) == NONE:
        return None
    top = max((t for t in cats if t != NONE), key=cats.__getitem__)
    if top == rule_type or share >= KEEP_SHARE:
        return Judgement(rule_type, round((rule_confidence + share) / 2, 2), "rule+model")
    return Judgement(rule_type, round(rule_confidence * (0.5 + share), 2), "rule")


def apply(event: dict[str, Any], judgement: Judgement) -> dict[str, Any]:
    return {**event, "type": judgement.type, "confidence": judgement.confidence,
            "produced_by": judgement.produced_by,
            "mode": event.get("mode") if judgement.type == event["type"] else None}
