"""Events' sources and targets are actors: never a dateline, an instrument or an act; a pronoun reads as the
actor it stands for, or keeps its words and no actor (sentences written for these tests)."""

from __future__ import annotations

from typing import Any

from events_coding import code
from spacy.language import Language


def sources(events: list[dict[str, Any]], event_type: str) -> list[str | None]:
    return [(e["source"] or {}).get("text") for e in events if e["type"] == event_type]


def test_a_dateline_is_no_party(events_nlp: Language) -> None:
    events = code(events_nlp, "BRUSSELS (AP) — The European Union on Monday imposed sanctions on 28 Belarusian officials.")
    assert sources(events, "SANCTION") == ["The European Union"]
    events = code(events_nlp, "DERA ISMAIL KHAN, Pakistan — Militants attacked a police checkpoint overnight, killing six officers.")
    assert sources(events, "ASSAULT") and all(s == "Militants" for s in sources(events, "ASSAULT"))


def test_an_instrument_or_an_act_is_no_source(events_nlp: Language) -> None:
    events = code(events_nlp, "Police used water cannon and pepper spray to break up a protest outside parliament, "
                       "detaining at least 63 people.")
    texts = {s for e in events for s in [(e["source"] or {}).get("text")] if s}
    assert texts and not texts & {"water cannon", "pepper spray"}
    events = code(events_nlp, "A drone strike hit the port on Tuesday, killing two workers.")
    assert "A drone strike" not in sources(events, "ASSAULT") and "a drone strike" not in sources(events, "ASSAULT")


def test_a_pronoun_reads_as_its_actor(events_nlp: Language) -> None:
    events = code(events_nlp, "The Federal Integrity Commission said that it had frozen the bank accounts of four companies.")
    sanction = [e for e in events if e["type"] == "SANCTION"]
    assert sanction and sanction[0]["source"]["text"] != "it" and "Commission" in sanction[0]["source"]["text"]
    text = ("The Free and Fair Election Network said its observers had been turned away. "
            "It called on the commission to publish the result forms.")
    request = [e for e in code(events_nlp, text) if e["type"] == "REQUEST"]
    assert request and request[0]["source"]["entity"] and request[0]["source"]["mention"]["text"] == "It"


def test_an_unresolved_pronoun_keeps_its_text_and_no_actor(events_nlp: Language) -> None:
    events = code(events_nlp, "It called on the commission to publish the result forms.")
    request = [e for e in events if e["type"] == "REQUEST"]
    assert request and request[0]["source"] == {"text": "It", "entity": None, "actor": None}
