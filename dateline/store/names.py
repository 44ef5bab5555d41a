"""Name normalisation: what makes two mentions across articles the same actor or place."""

from __future__ import annotations

import re

from unidecode import unidecode

_NON_WORD = re.compile(r"[^a-z0-9]+")
_LEADING_ARTICLE = re.compile(r"^the ")


def normalise_name(name: str | None) -> str:
    """ "The Taliban" and "taliban", "Imran Khan" and "IMRAN KHAN" are the same name."""
    folded = _NON_WORD.sub(" ", unidecode(name or "").lower()).strip()
    return _LEADING_ARTICLE.sub("", folded)[:300]


def actor_key(name: str | None, role: str | None, country: str | None) -> str:
    """Cross-article actor identity: normalised name + normalised role + country."""
    return f"{normalise_name(name)}|{normalise_name(role)}|{(country or '').upper()}"
