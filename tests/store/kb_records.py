"""Hand-made records for the storage tests (shapes of ../shared/spec/record.md)."""

from __future__ import annotations

from typing import Any

from dateline.record import article_id


def make_record(body: str, *, title: str = "A story", published: str | None = "2021-08-12",
                entities: list[dict[str, Any]] | None = None, places: list[dict[str, Any]] | None = None,
                quotes: list[dict[str, Any]] | None = None, events: list[dict[str, Any]] | None = None,
                uri: str = "file:///tmp/story.txt") -> dict[str, Any]:
    return {
        "schema_version": 1, "id": article_id(body), "source": {"uri": uri, "format": "text"}, "url": None,
        "title": title, "byline": ["Kathy Gannon"], "publisher": "Associated Press", "published": published,
        "published_precision": "day" if published else None, "dateline": {"place": "ISLAMABAD", "agency": "AP"},
        "language": "en", "body": body,
        "removed": [{"kind": "caption", "text": "A caption"}], "media": [{"alt_text": "x", "caption": "c", "credit": "AP"}],
        "entities": entities or [], "places": places or [], "quotes": quotes or [], "events": events or [],
        "notes": [], "provenance": {},
    }


def span(body: str, words: str) -> dict[str, Any]:
    start = body.index(words)
    return {"start": start, "end": start + len(words), "text": words}


def entity(local_id: str, name: str, body: str, *, type: str = "PERSON", role: str | None = None,
           country: str | None = None, actor: str | None = None) -> dict[str, Any]:
    return {"id": local_id, "name": name, "type": type, "role": role, "country": country, "actor": actor,
            "mentions": [span(body, name)] if name in body else []}


def quote(local_id: str, body: str, content: str, cue: str, lemma: str, *, entity_id: str | None, name: str,
          anonymous: bool = False, reason: str | None = None) -> dict[str, Any]:
    return {"id": local_id, "kind": "direct", "content": span(body, content), "cue": {**span(body, cue), "lemma": lemma},
            "speaker": {"text": name, "entity": entity_id, "name": name, "anonymous": anonymous,
                        "anonymity_reason": reason, "description": None}}


def place(local_id: str, name: str, body: str, *, country: str, lat: float, lon: float) -> dict[str, Any]:
    return {"id": local_id, "name": name, "geonames_id": 1, "lat": lat, "lon": lon, "country": country,
            "admin1": None, "feature": "city", "confidence": 0.9, "mentions": [span(body, name)]}


def event(local_id: str, body: str, type: str, evidence: str, *, source: str | None, target: str | None,
          place_id: str | None = None, date: str | None = None, negated: bool = False) -> dict[str, Any]:
    return {"id": local_id, "type": type, "mode": None,
            "source": {"text": "s", "entity": source, "actor": "PAK"}, "target": {"text": "t", "entity": target,
                                                                                    "actor": "AFG"},
            "place": place_id, "date": date, "date_text": None, "negated": negated, "attributed_to": None,
            "evidence": span(body, evidence), "confidence": 0.7}


def corpus() -> list[dict[str, Any]]:
    """Three articles: Imran Khan quoted in two; an anonymous source; a denial; places and events."""
    b1 = ("Imran Khan said Pakistan wants peace. \"We are not supporting the Taliban,\" Imran Khan said in Islamabad. "
          "Afghan officials accused Pakistan of sheltering militants in Quetta.")
    b2 = ("Prime Minister Imran Khan denied that Pakistan gave aid to the Taliban. A senior official, who spoke "
          "on condition of anonymity because he was not authorised to speak, said the border at Chaman stayed open.")
    b3 = ("Mr. O'Brien said 100% of the budget was spent; -- DROP TABLE articles; the report from Kabul "
          "was clear. Nobody else commented.")
    r1 = make_record(b1, title="Khan rejects claims", published="2021-07-05", entities=[
        entity("e1", "Imran Khan", b1, role="Prime Minister", country="PK", actor="PAKGOV"),
        entity("e2", "Pakistan", b1, type="GPE", country="PK", actor="PAK")],
        places=[place("p1", "Islamabad", b1, country="PK", lat=33.7, lon=73.1),
                place("p2", "Quetta", b1, country="PK", lat=30.2, lon=67.0)],
        quotes=[quote("q1", b1, "We are not supporting the Taliban,", "said", "say", entity_id="e1", name="Imran Khan")],
        events=[event("v1", b1, "ACCUSE", "Afghan officials accused Pakistan", source=None, target="e2",
                      place_id="p2", date="2021-07-04")])
    r2 = make_record(b2, title="Border stays open", published="2021-08-12", entities=[
        entity("e1", "Imran Khan", b2, role="Prime Minister", country="PK", actor="PAKGOV"),
        entity("e2", "Pakistan", b2, type="GPE", country="PK", actor="PAK"),
        entity("e3", "Taliban", b2, type="ORG", country="AF", actor="AFGINS")],
        places=[place("p1", "Chaman", b2, country="PK", lat=30.9, lon=66.4)],
        quotes=[quote("q1", b2, "Pakistan gave aid to the Taliban", "denied", "deny", entity_id="e1",
                      name="Imran Khan"),
                quote("q2", b2, "the border at Chaman stayed open", "said", "say", entity_id=None,
                      name="A senior official", anonymous=True,
                      reason="because he was not authorised to speak")],
        events=[event("v1", b2, "AID", "Pakistan gave aid to the Taliban", source="e2", target="e3",
                      negated=True)])
    r3 = make_record(b3, title="O'Brien's 100% budget", published="2021-08-20", entities=[
        entity("e1", "O'Brien", b3)], places=[place("p1", "Kabul", b3, country="AF", lat=34.5, lon=69.2)],
        quotes=[quote("q1", b3, "100% of the budget was spent", "said", "say", entity_id="e1", name="O'Brien")])
    return [r1, r2, r3]
