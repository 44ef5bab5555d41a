"""Time expressions in news text, resolved against the article's publication date.

``find_timexes(text, published)`` finds expressions such as "last month", "on Friday", "in November",
"in the 1980s", "earlier this year", "three years ago" or "Nov. 2, 2018" and resolves each to an ISO
value with a precision:

    day "2021-08-06" | week "2021-W31" | month "2021-07" | year "2020" | decade "198"

Relative expressions ("last week", "Friday") need the publication date; without it they are still
found (their text is evidence) but their date stays None: a date is never invented. Vague ones
("several years ago", "recently") keep date None too.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

MONTHS = {
    "january": 1, "february": 2, "march": 3, "april": 4, "may": 5, "june": 6, "july": 7, "august": 8,
    "september": 9, "october": 10, "november": 11, "december": 12,
    "jan": 1, "feb": 2, "mar": 3, "apr": 4, "jun": 6, "jul": 7, "aug": 8, "sep": 9, "sept": 9, "oct": 10,
    "nov": 11, "dec": 12,
}
WEEKDAYS = {"monday": 0, "tuesday": 1, "wednesday": 2, "thursday": 3, "friday": 4, "saturday": 5, "sunday": 6}
NUMBER_WORDS = {"a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
                "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12}

_MONTH = r"(?P<month>" + "|".join(sorted(MONTHS, key=len, reverse=True)) + r")\.?"
_WEEKDAY = r"(?P<weekday>" + "|".join(WEEKDAYS) + r")"
_COUNT = r"(?P<count>\d{1,3}|" + "|".join(NUMBER_WORDS) + r"|several|a few|few|many|some)"

# Ordered: longer, more specific expressions first; a span taken by one is not matched again.
_PATTERNS: list[tuple[str, re.Pattern[str]]] = [(name, re.compile(rx, re.IGNORECASE)) for name, rx in (
    ("full_date", _MONTH + r"\s+(?P<day>\d{1,2})(?:st|nd|rd|th)?,?\s+(?P<year>(?:19|20)\d\d)\b"),
    ("month_year", r"\b(?:in\s+|since\s+|by\s+)?" + _MONTH + r"\s+(?:of\s+)?(?P<year>(?:19|20)\d\d)\b"),
    ("iso_date", r"\b(?P<year>(?:19|20)\d\d)-(?P<m>\d\d)-(?P<day>\d\d)\b"),
    ("decade", r"\b(?:in\s+|during\s+)?the\s+(?P<decade>(?:19|20)\d0)'?s\b"),
    ("ago", r"\b" + _COUNT + r"\s+(?P<unit>day|week|month|year|decade)s?\s+ago\b"),
    ("this_unit", r"\b(?P<which>last|this|next|earlier this|later this|early this|late last|earlier last)\s+"
                  r"(?P<unit>week|month|year)\b"),
    ("relative_day", r"\b(?P<rel>yesterday|today|tonight|the day before yesterday)\b"),
    ("month_day", _MONTH + r"\s+(?P<day>\d{1,2})(?:st|nd|rd|th)?\b(?!,?\s+(?:19|20)\d\d)"),
    ("weekday", r"\b(?:on\s+|last\s+|this\s+|early\s+|late\s+)?" + _WEEKDAY + r"\b"),
    ("in_month", r"\b(?:in|since|by|during|early|late|mid-?)\s+" + _MONTH + r"(?!\s+\d)\b"),
    ("in_year", r"\b(?:in|since|by|during|early|late)\s+(?P<year>(?:19|20)\d\d)\b(?!-)"),
)]


# What a kept match of some kinds must contain. A month or weekday name is kept only when capitalised (see
# _is_false_positive), so a text without a capitalised one cannot give those kinds: their patterns, unanchored
# and slow, are not run on it. Only the first letter is fixed; the rest matches case-insensitively, like the pattern.
_CAPITALISED_MONTH = re.compile("|".join(f"{name[0].upper()}(?i:{name[1:]})" for name in MONTHS))
_CAPITALISED_WEEKDAY = re.compile("|".join(f"{name[0].upper()}(?i:{name[1:]})" for name in WEEKDAYS))
_PREREQUISITES: dict[str, re.Pattern[str]] = {
    "full_date": _CAPITALISED_MONTH, "month_year": _CAPITALISED_MONTH, "month_day": _CAPITALISED_MONTH,
    "in_month": _CAPITALISED_MONTH, "weekday": _CAPITALISED_WEEKDAY, "ago": re.compile("ago", re.IGNORECASE),
}


@dataclass(frozen=True, slots=True)
class Timex:
    start: int
    end: int
    text: str
    date: str | None  # ISO value (see module doc), or None when it cannot be resolved honestly
    precision: str | None  # day | week | month | year | decade, or None


def parse_published(published: str | None) -> dt.date | None:
    """The publication date as a date (the first day of a month/year for coarser values), or None."""
    if not published:
        return None
    match = re.match(r"(\d{4})(?:-(\d\d))?(?:-(\d\d))?", published)
    if not match:
        return None
    year, month, day = match.group(1), match.group(2) or "01", match.group(3) or "01"
    try:
        return dt.date(int(year), int(month), int(day))
    except ValueError:
        return None


def find_timexes(text: str, published: str | None, offset: int = 0) -> list[Timex]:
    """Every time expression in ``text`` (offsets shifted by ``offset``), in text order."""
    anchor = parse_published(published)
    taken: list[tuple[int, int]] = []
    found: list[Timex] = []
    present: dict[re.Pattern[str], bool] = {}
    for kind, pattern in _PATTERNS:
        prerequisite = _PREREQUISITES.get(kind)
        if prerequisite is not None:
            if prerequisite not in present:
                present[prerequisite] = prerequisite.search(text) is not None
            if not present[prerequisite]:
                continue
        for match in pattern.finditer(text):
            start, end = match.span()
            if any(start < t_end and t_start < end for t_start, t_end in taken):
                continue
            if _is_false_positive(kind, text, match):
                continue
            date, precision = _resolve(kind, match, anchor)
            taken.append((start, end))
            found.append(Timex(start + offset, end + offset, match.group(0), date, precision))
    return sorted(found, key=lambda t: t.start)


def resolve(expression: str, published: str | None) -> tuple[str | None, str | None]:
    """(date, precision) of the first time expression in ``expression``; (None, None) when none."""
    timexes = find_timexes(expression, published)
    return (timexes[0].date, timexes[0].precision) if timexes else (None, None)


def _is_false_positive(kind: str, text: str, match: re.Match[str]) -> bool:
    groups = match.groupdict()
    # Month and weekday names are dates only when capitalised ("may", "march 5 miles" are not).
    for name in ("month", "weekday"):
        if groups.get(name) and not groups[name][0].isupper():
            return True
    # "Friday prayers" is still a Friday; but "Sunday Times" (a capitalised name following) is not a date.
    after = text[match.end():match.end() + 12]
    return kind == "weekday" and bool(re.match(r"\s+(?:Times|Telegraph|Express|Mirror|Herald|Post|Mail|School)\b", after))


def _resolve(kind: str, match: re.Match[str], anchor: dt.date | None) -> tuple[str | None, str | None]:
    groups = {k: v for k, v in match.groupdict().items() if v is not None}
    if kind == "full_date":
        return _day(int(groups["year"]), MONTHS[groups["month"].casefold()], int(groups["day"]))
    if kind == "iso_date":
        return _day(int(groups["year"]), int(groups["m"]), int(groups["day"]))
    if kind == "month_year":
        return f"{int(groups['year']):04d}-{MONTHS[groups['month'].lower()]:02d}", "month"
    if kind == "decade":
        return groups["decade"][:3], "decade"
    if kind == "in_year":
        return groups["year"], "year"
    if anchor is None:
        return None, None  # everything below is relative to the publication date
    if kind == "ago":
        return _ago(groups["count"].lower(), groups["unit"].lower(), anchor)
    if kind == "this_unit":
        return _this_unit(groups["which"].lower(), groups["unit"].lower(), anchor)
    if kind == "relative_day":
        back = {"yesterday": 1, "the day before yesterday": 2}.get(groups["rel"].lower(), 0)
        return (anchor - dt.timedelta(days=back)).isoformat(), "day"
    if kind == "weekday":
        # News usage: a bare weekday is the most recent one on or before publication day.
        back = (anchor.weekday() - WEEKDAYS[groups["weekday"].lower()]) % 7
        return (anchor - dt.timedelta(days=back)).isoformat(), "day"
    if kind == "month_day":
        month = MONTHS[groups["month"].casefold()]
        year = anchor.year if (month, int(groups["day"])) <= (anchor.month, anchor.day) else anchor.year - 1
        return _day(year, month, int(groups["day"]))
    if kind == "in_month":
        month = MONTHS[groups["month"].casefold()]
        year = anchor.year if month <= anchor.month else anchor.year - 1
        return f"{year:04d}-{month:02d}", "month"
    return None, None


def _day(year: int, month: int, day: int) -> tuple[str | None, str | None]:
    try:
        return dt.date(year, month, day).isoformat(), "day"
    except ValueError:
        return None, None


def _ago(count_word: str, unit: str, anchor: dt.date) -> tuple[str | None, str | None]:
    count = int(count_word) if count_word.isdigit() else NUMBER_WORDS.get(count_word)
    if count is None:
        return None, None  # "several years ago": no honest value
    if unit == "day":
        return (anchor - dt.timedelta(days=count)).isoformat(), "day"
    if unit == "week":
        return _iso_week(anchor - dt.timedelta(weeks=count)), "week"
    if unit == "month":
        return _shift_month(anchor, -count), "month"
    if unit == "year":
        return f"{anchor.year - count:04d}", "year"
    return f"{anchor.year - 10 * count:04d}"[:3], "decade"


def _this_unit(which: str, unit: str, anchor: dt.date) -> tuple[str | None, str | None]:
    step = -1 if which.startswith(("last", "late last", "earlier last")) else 1 if which == "next" else 0
    if unit == "week":
        return _iso_week(anchor + dt.timedelta(weeks=step)), "week"
    if unit == "month":
        return _shift_month(anchor, step), "month"
    return f"{anchor.year + step:04d}", "year"


def _shift_month(anchor: dt.date, months: int) -> str:
    index = anchor.year * 12 + anchor.month - 1 + months
    return f"{index // 12:04d}-{index % 12 + 1:02d}"


def _iso_week(day: dt.date) -> str:
    year, week, _ = day.isocalendar()
    return f"{year:04d}-W{week:02d}"
