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
    the mark counts its named people, organisations and groups (places and unnamed descriptions are no actors)."""
    if "is_actor" in entity:
        return bool(entity["is_actor"])
    return entity.get("type") in ("PERSON", "ORG", "NORP") and not entity.get("anonymous")


def actor_key(name: str | None, role: str | None, country: str | None) -> str:
    """Cross-article actor identity: normalised name + normalised role + country."""
    return f"{normalise_name(name)}|{normalise_name(role)}|{(country or '').upper()}"
