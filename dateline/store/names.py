"""Name normalisation: what makes two mentions across articles the same actor or place."""

from __future__ import annotations

import re
from typing import Any

from unidecode import unidecode

_NON_WORD = re.compile(r"[^a-z0-9]+")
_LEADING_ARTICLE = re.compile(r"^the ")


def normalise_name(name: str | None) -> str:
    """ "The Taliban" and "taliban", "Imran Khan" and "IMRAN KHAN" are the same name."""
    folded = _NON_WORD.sub(" ", unidecode(name or "").lower()).strip()
    return _LEADING_ARTICLE.sub("", folded)[:300]


def is_kb_actor(entity: dict[str, Any]) -> bool:
    """An entity that is an actor of the knowledge base (the record marks it ``is_actor``); a record written before
    the mark counts its named people, organisations and groups, and its countries (a GPE with a country's code:
    "Pakistan" PAK; a place such as "Kabul" has none). Places and unnamed descriptions are no actors."""
    if "is_actor" in entity:
        return bool(entity["is_actor"])
    if entity.get("type") == "GPE":
        return bool(entity.get("actor"))
    return entity.get("type") in ("PERSON", "ORG", "NORP") and not entity.get("anonymous")


def actor_key(name: str | None, role: str | None, country: str | None) -> str:
    """Cross-article actor identity: normalised name + country, and the normalised role when the name is one word.

    A name of several words is the actor whatever words its role is written with in each article ("spokeswoman",
    "World Food Programme spokeswoman": one Clara Brandt); a one-word name ("Khan", "O'Brien") is too weak an
    identity alone, so its role keeps people apart ("Khan, the minister" and "Khan, a farmer")."""
    normal = normalise_name(name)
    kept_role = normalise_name(role) if len(normal.split()) < 2 else ""
    return f"{normal}|{kept_role}|{(country or '').upper()}"
