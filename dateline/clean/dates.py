"""Dates written in article text ("Aug. 11, 2021", "11 August 2021", "12 février 2024", "2021-08-11") -> ISO."""

from __future__ import annotations

import re
from datetime import date

# Month names in the languages of the wire services dateline reads (English, French, Spanish, German).
MONTHS: dict[str, int] = {}
for _number, _names in enumerate((
    "january jan janvier janv enero ene januar jän",
    "february feb février fév fevrier febrero febr februar",
    "march mar mars marzo märz",
    "april apr avril avr abril",
    "may mai mayo",
    "june jun juin junio juni",
    "july jul juillet juil julio juli",
    "august aug août aout agosto ago",
    "september sep sept septembre septiembre",
    "october oct octobre octubre oktober okt",
    "november nov novembre noviembre",
    "december dec décembre déc decembre diciembre dic dezember dez",
), 1):
    for _name in _names.split():
        MONTHS[_name] = _number

_MONTH = r"(?P<month>[^\W\d_]{3,10}\.?)"
_WEEKDAY = (r"(?:(?:Mon|Tues|Wednes|Thurs|Fri|Satur|Sun)day|lundi|mardi|mercredi|jeudi|vendredi|samedi|dimanche|"
            r"lunes|martes|miércoles|jueves|viernes|sábado|domingo|Montag|Dienstag|Mittwoch|Donnerstag|Freitag|"
            r"Samstag|Sonntag),?\s+")
_PREFIX = rf"(?:(?:Published|Updated|Posted|Last updated|Publié le|Mis à jour le|Publicado el)(?: on)?:?\s+)?(?:{_WEEKDAY})?"
_TIME = r"(?:,?\s+(?:at\s+|à\s+)?\d{1,2}[:.h]\d{2}\s*(?:[ap]\.?m\.?)?(?:\s+[A-Z]{2,4})?)?"
DATE_LINE_PATTERNS = (
    re.compile(rf"^{_PREFIX}{_MONTH}\s+(?P<day>\d{{1,2}}),?\s+(?P<year>\d{{4}}){_TIME}\.?$", re.I),
    re.compile(rf"^{_PREFIX}(?P<day>\d{{1,2}})(?:er)?\.?\s+(?:de\s+)?{_MONTH}\s+(?:de\s+)?(?P<year>\d{{4}}){_TIME}\.?$",
               re.I),
    re.compile(rf"^{_PREFIX}(?P<year>\d{{4}})-(?P<monthnum>\d{{2}})-(?P<day>\d{{2}})(?:[T ][\d:.+Z-]*)?$", re.I),
)


def month_number(word: str) -> int | None:
    return MONTHS.get(word.lower().rstrip("."))


def parse_date_line(line: str) -> str | None:
    """The ISO date when the whole line is a date, else None."""
    line = line.strip().strip("()").strip()
    if len(line) > 60:
        return None
    for pattern in DATE_LINE_PATTERNS:
        m = pattern.match(line)
        if not m:
            continue
        groups = m.groupdict()
        month = int(groups["monthnum"]) if groups.get("monthnum") else month_number(groups["month"])
        if month is None:
            continue
        try:
            return date(int(groups["year"]), month, int(groups["day"])).isoformat()
        except ValueError:
            return None
    return None
