"""The top of a plain-text story: title, byline, date; and the dateline at the start of the first paragraph."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from dateline.clean.dates import parse_date_line
from dateline.clean.patterns import AGENCIES, BYLINE, DATELINE, ORGANISATION_WORDS

MAX_TITLE_CHARS = 200


@dataclass(slots=True)
class Header:
    title: str | None = None
    byline: list[str] = field(default_factory=list)
    publisher: str | None = None
    published: str | None = None


def looks_like_title(block: str) -> bool:
    words = block.split()
    if "\n" in block or len(block) > MAX_TITLE_CHARS or not words:
        return False
    return not block.rstrip().endswith(".") or len(words) <= 12


def split_header(blocks: list[str], *, titled: bool = True) -> tuple[Header, list[str]]:
    """(header, the remaining blocks). A title needs a body after it; byline and date lines follow it.

    ``titled=False``: the title came separately (a JSON line's "title"), so the text starts at its byline."""
    header = Header()
    rest = list(blocks)
    if titled and len(rest) > 1 and looks_like_title(rest[0]) and not DATELINE.match(rest[0]):
        header.title = rest.pop(0)
    while rest:
        first = rest[0]
        byline = parse_byline(first)
        date = parse_date_line(first)
        if byline is not None and not header.byline:
            header.byline, header.publisher = byline
        elif date is not None and header.published is None:
            header.published = date
        else:
            break
        rest.pop(0)
    return header, rest


def parse_byline(block: str) -> tuple[list[str], str | None] | None:
    """("By KATHY GANNON and JOHN DOE, Associated Press") -> (["Kathy Gannon", "John Doe"], "Associated Press").

    After a comma comes another name, or the organisation when it is a known agency or reads like one."""
    m = BYLINE.match(" ".join(block.split()))
    if not m or len(block.split()) > 16:
        return None
    names: list[str] = []
    org = None
    for index, part in enumerate(re.split(r"\s*[,|]\s*|\s+(?:and|et|y|und|&)\s+", m.group("names"))):
        part = part.strip(" .;—–-")
        if not part:
            continue
        if index > 0 and (part in AGENCIES or ORGANISATION_WORDS.search(part) or
                          (part.isupper() and len(part) <= 5)):
            org = org or AGENCIES.get(part, part)  # "Reuters", "Meridian Wire", "SMT", "Staff Writer"
        elif org is None and looks_like_name(part):
            names.append(part.title() if part.isupper() else part)
    if not names and org is None:
        return None
    return names, org


def looks_like_name(text: str) -> bool:
    """One to four capitalised words ("Leyla Mammadova", "Sami ul-Haq"), no digits: not "Trial Attorney at"."""
    words = text.split()
    particles = ("al", "bin", "de", "del", "der", "di", "du", "el", "la", "le", "ul", "van", "von")
    return 0 < len(words) <= 4 and not any(ch.isdigit() for ch in text) and all(
        w[:1].isupper() or w.lower() in particles for w in words)


def parse_dateline(paragraph: str) -> dict[str, Any] | None:
    """{"place": "KABUL", "agency": "AP"} for "KABUL (AP) — …", else None. The place must be in capitals."""
    m = DATELINE.match(paragraph)
    if not m:
        return None
    place = m.group("place").strip().rstrip(",")
    city = place.split(",")[0]
    if not city.replace(" ", "").replace(".", "").replace("'", "").replace("’", "").replace("-", "").isupper():
        return None
    return {"place": place, "agency": m.group("agency")}
