"""Dates written in article text ("Aug. 11, 2021", "11 August 2021", "2021-08-11") -> ISO dates."""

from __future__ import annotations

import re
from datetime import date

MONTHS = {
    "jan": 1, "feb": 2, "mar": 3, "apr": 4, "may": 5, "jun": 6, "jul": 7, "aug": 8, "sep": 9,
    "oct": 10, "nov": 11, "dec": 12,
}
_MONTH = r"(?P<month>Jan(?:uary|\.)?|Feb(?:ruary|\.)?|Mar(?:ch|\.)?|Apr(?:il|\.)?|May|June?|July?|Aug(?:ust|\.)?|" \
         r"Sept?(?:ember|\.)?|Oct(?:ober|\.)?|Nov(?:ember|\.)?|Dec(?:ember|\.)?)"
# A line that is nothing but a date (optionally with a weekday, a time or "Updated"/"Published").
_PREFIX = r"(?:(?:Published|Updated|Posted|Last updated)(?: on)?:?\s+)?(?:(?:Mon|Tues|Wednes|Thurs|Fri|Satur|Sun)day,?\s+)?"
_TIME = r"(?:,?\s+(?:at\s+)?\d{1,2}[:.]\d{2}\s*(?:[ap]\.?m\.?)?(?:\s+[A-Z]{2,4})?)?"
DATE_LINE_PATTERNS = (
    re.compile(rf"^{_PREFIX}{_MONTH}\s+(?P<day>\d{{1,2}}),?\s+(?P<year>\d{{4}}){_TIME}\.?$", re.I),
    re.compile(rf"^{_PREFIX}(?P<day>\d{{1,2}})\s+{_MONTH}\s+(?P<year>\d{{4}}){_TIME}\.?$", re.I),
    re.compile(rf"^{_PREFIX}(?P<year>\d{{4}})-(?P<monthnum>\d{{2}})-(?P<day>\d{{2}})(?:[T ][\d:.+Z-]*)?$", re.I),
)


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
        month = int(groups["monthnum"]) if groups.get("monthnum") else MONTHS[groups["month"].lower()[:3]]
        try:
            return date(int(groups["year"]), month, int(groups["day"])).isoformat()
        except ValueError:
            return None
    return None
