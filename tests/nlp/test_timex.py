"""Time expressions resolved against the publication date; nothing invented without one."""

from __future__ import annotations

import pytest

from dateline.nlp.timex import find_timexes, parse_published, resolve

PUBLISHED = "2021-08-12"  # a Thursday


@pytest.mark.parametrize(("text", "date", "precision"), [
    ("Last month, authorities sealed the madrassa", "2021-07", "month"),
    ("The United Nations last week rebuffed the request", "2021-W31", "week"),
    ("police said on Friday", "2021-08-06", "day"),
    ("police said on Thursday", "2021-08-12", "day"),  # the publication day itself
    ("a program in the 1980s", "198", "decade"),
    ("He ran away earlier this year", "2021", "year"),
    ("the meeting in November", "2020-11", "month"),  # a later month than publication: last year's
    ("the meeting in March", "2021-03", "month"),
    ("In a speech last year", "2020", "year"),
    ("three years ago", "2018", "year"),
    ("two weeks ago", "2021-W30", "week"),
    ("yesterday", "2021-08-11", "day"),
    ("next month", "2021-09", "month"),
    ("It happened on Aug. 2", "2021-08-02", "day"),
    ("It happened on Dec. 2", "2020-12-02", "day"),
])
def test_relative_expressions_resolve_against_publication(text: str, date: str, precision: str) -> None:
    assert resolve(text, PUBLISHED) == (date, precision)


@pytest.mark.parametrize(("text", "date", "precision"), [
    ("Nov. 2, 2018", "2018-11-02", "day"),
    ("on August 11, 2021", "2021-08-11", "day"),
    ("in May 2019", "2019-05", "month"),
    ("in 2014", "2014", "year"),
    ("in the 1980s", "198", "decade"),
    ("on 2020-02-29", "2020-02-29", "day"),
])
def test_absolute_expressions_need_no_publication_date(text: str, date: str, precision: str) -> None:
    assert resolve(text, None) == (date, precision)


@pytest.mark.parametrize("text", ["on Friday", "last month", "last week", "earlier this year", "in November",
                                  "three years ago", "yesterday"])
def test_relative_expressions_without_publication_date_invent_nothing(text: str) -> None:
    found = find_timexes(text, None)
    assert len(found) == 1 and found[0].text.lower().endswith(text.split()[-1].lower())
    assert (found[0].date, found[0].precision) == (None, None)


def test_vague_expression_is_found_but_not_dated() -> None:
    found = find_timexes("went to join the Pakistani Taliban several years ago.", PUBLISHED)
    assert [t.text for t in found] == ["several years ago"]
    assert found[0].date is None


@pytest.mark.parametrize("text", ["they may go home", "protesters march 5 miles", "The Sunday Times reported",
                                  "In the last six months", "recently", "a 2,000-strong force"])
def test_words_that_are_not_dates(text: str) -> None:
    assert find_timexes(text, PUBLISHED) == []


def test_offsets_point_into_the_text() -> None:
    text = "Officials said that last week, on Friday, troops left."
    found = find_timexes(text, PUBLISHED, offset=100)
    assert [text[t.start - 100:t.end - 100] for t in found] == [t.text for t in found] == ["last week", "on Friday"]


def test_invalid_dates_give_none_not_errors() -> None:
    assert resolve("on Feb. 30, 2021", PUBLISHED) == (None, None)
    assert parse_published("not a date") is None
    assert resolve("last month", "garbage") == (None, None)


def test_month_precision_publication_still_anchors_months() -> None:
    assert resolve("last month", "2021-01") == ("2020-12", "month")
    assert resolve("last year", "2021") == ("2020", "year")


def test_old_long_s_in_a_month_name_resolves() -> None:
    from dateline.nlp.timex import find_timexes

    (found,) = find_timexes("It happened on AUGUſT 3, 2021 in the town.", "2021-08-12")
    assert found.date == "2021-08-03"
