"""Language of a text (ISO 639-1), offline, with py3langid."""

from __future__ import annotations

import py3langid


def detect_language(text: str) -> str | None:
    sample = text[:5000]
    if sum(ch.isalpha() for ch in sample) < 10:
        return None
    lang, _ = py3langid.classify(sample)
    return str(lang)
