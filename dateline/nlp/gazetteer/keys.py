"""Name keys: the one normalisation every gazetteer name and every mention goes through.

casefold + transliteration (unidecode) + punctuation folding, so "Khyber-Pakhtunkhwa", "KHYBER PAKHTUNKHWA"
and "Khyber Pakhtūnkhwā" share one key. A leading "the" is dropped ("the Durand Line").
"""

from __future__ import annotations

import re
import unicodedata

from unidecode import unidecode

_DROPPED = re.compile(r"['\u2019\u2018`.]")  # St. Louis -> st louis, Be'er Sheva -> beer sheva
_SPACED = re.compile(r"[^0-9a-z]+")  # hyphens, commas, slashes ... fold to one space
_ARTICLE = re.compile(r"^the ")


def name_key(name: str) -> str:
    text = unidecode(unicodedata.normalize("NFKC", name)).casefold()
    text = _SPACED.sub(" ", _DROPPED.sub("", text)).strip()
    return _ARTICLE.sub("", text)


def is_latin(name: str) -> bool:
    """True when every letter of the name is Latin script (alternate names in other scripts are skipped:
    their transliterations are noise for English text)."""
    return all("LATIN" in unicodedata.name(ch, "") for ch in name if ch.isalpha())
