"""Each text cleaning rule on its own."""

from dateline.clean.boilerplate import furniture_kind, remove_boilerplate
from dateline.clean.dates import parse_date_line
from dateline.clean.header import parse_byline, parse_dateline, split_header
from dateline.clean.media import is_credit, remove_media
from dateline.clean.teasers import newest_teaser_date, remove_teasers
from dateline.clean.text import clean_body_blocks, clean_text_article, split_blocks


def test_date_lines_in_the_forms_wire_pages_use():
    assert parse_date_line("Aug. 11, 2021") == "2021-08-11"
    assert parse_date_line("June 30, 2021") == "2021-06-30"
    assert parse_date_line("Sept. 3, 2020") == "2020-09-03"
    assert parse_date_line("11 August 2021") == "2021-08-11"
    assert parse_date_line("2021-08-11") == "2021-08-11"
    assert parse_date_line("Updated Aug. 12, 2021 3:14 PM EDT") == "2021-08-12"
    assert parse_date_line("Feb. 30, 2021") is None  # no such day
    assert parse_date_line("Aug. 11, 2021 was the day the town fell.") is None


def test_teaser_is_the_block_before_a_date_block():
    blocks = ["First paragraph.", "A ride-along with the Afghan Air Force", "June 30, 2021", "Next paragraph."]
    kept, removed = remove_teasers(blocks)
    assert kept == ["First paragraph.", "Next paragraph."]
    assert removed == [{"kind": "teaser", "text": "A ride-along with the Afghan Air Force", "date": "2021-06-30"}]
    assert newest_teaser_date(removed) == "2021-06-30"


def test_teaser_headline_and_date_in_one_block():
    kept, removed = remove_teasers(["Body.", "Floods hit the valley\nMarch 3, 2022"])
    assert kept == ["Body."] and removed[0]["date"] == "2022-03-03"


def test_date_block_with_nothing_before_is_kept():
    kept, removed = remove_teasers(["March 3, 2022", "Body."])
    assert kept == ["March 3, 2022", "Body."] and removed == []


def test_credit_lines():
    for credit in ("(Rahmat Gul / Associated Press)", "AP Photo/Anjum Naveed", "Photo: Jane Roe/Reuters",
                   "(AP Photo/Rahmat Gul)", "Getty Images"):
        assert is_credit(credit), credit
    for prose in ("He said the war / conflict was over.", "Pakistani Prime Minister Imran Khan, left, and others",
                  "The United Nations last week rebuffed the request."):
        assert not is_credit(prose), prose


def test_media_block_splits_alt_caption_credit():
    block = "Man stands in a doorway\nA man, left, at the palace in Kabul.\n(Rahmat Gul / Associated Press)"
    kept, removed, media = remove_media(["Body.", block])
    assert kept == ["Body."]
    assert media == [{"alt_text": "Man stands in a doorway", "caption": "A man, left, at the palace in Kabul.",
                      "credit": "Rahmat Gul / Associated Press"}]
    assert [r["kind"] for r in removed] == ["alt_text", "caption", "credit"]


def test_furniture_blocks():
    assert furniture_kind("Advertisement") == "ad"
    assert furniture_kind("Share this article") == "share"
    assert furniture_kind("Sign up for our daily briefing newsletter") == "newsletter"
    assert furniture_kind("Read more: Floods cut off the valley") == "related"
    assert furniture_kind("By Jane Roe") == "byline"
    assert furniture_kind("Copyright 2021 The Associated Press. All rights reserved.") == "copyright"
    prose = ("The ministry said it would share the report with the United Nations, and officials subscribed to "
             "the view that the newsletter they published last week had been misread by several governments.")
    assert furniture_kind(prose) is None
    kept, removed = remove_boilerplate(["Advertisement", "Real text."])
    assert kept == ["Real text."] and removed == [{"kind": "ad", "text": "Advertisement"}]


def test_byline_and_publisher():
    assert parse_byline("By KATHY GANNON and JOHN DOE, Associated Press") == (["Kathy Gannon", "John Doe"],
                                                                           "Associated Press")
    assert parse_byline("By Jane Roe") == (["Jane Roe"], None)
    assert parse_byline("By the end of the week the town had fallen to the insurgents after a long siege.") is None


def test_datelines():
    assert parse_dateline("ISLAMABAD — Pakistan said") == {"place": "ISLAMABAD", "agency": None}
    assert parse_dateline("KABUL (AP) — The Taliban") == {"place": "KABUL", "agency": "AP"}
    assert parse_dateline("PESHAWAR, Pakistan (Reuters) - A bomb") == {"place": "PESHAWAR, Pakistan",
                                                                       "agency": "Reuters"}
    assert parse_dateline("When Wahab disappeared - he left") is None
    assert parse_dateline("Kabul — the city") is None  # a dateline is in capitals


def test_header_title_byline_date():
    header, rest = split_header(["Floods cut the valley road", "By Jane Roe, Reuters", "Aug. 12, 2021", "Body."])
    assert header.title == "Floods cut the valley road"
    assert header.byline == ["Jane Roe"] and header.publisher == "Reuters"
    assert header.published == "2021-08-12"
    assert rest == ["Body."]


def test_single_paragraph_has_no_title():
    header, rest = split_header(["Only one paragraph here."])
    assert header.title is None and rest == ["Only one paragraph here."]


def test_split_blocks_keeps_lines_of_a_block_together():
    assert split_blocks("a\nb\n\n\n c \n") == ["a\nb", "c"]


def test_body_rules_compose():
    kept, removed, media = clean_body_blocks(["Body one.", "Advertisement", "Teaser headline", "May 2, 2019",
                                              "Caption here.\n(AP Photo/Jane Roe)", "Body two."])
    assert kept == ["Body one.", "Body two."]
    assert {r["kind"] for r in removed} == {"ad", "teaser", "caption", "credit"}
    assert media[0]["credit"] == "AP Photo/Jane Roe"


def test_published_inferred_from_newest_teaser():
    text = "Title line\n\nBody paragraph one.\n\nOld teaser\n\nJune 1, 2020\n\nNew teaser\n\nJuly 9, 2021\n\nEnd."
    article = clean_text_article(text, "mem:", {})
    assert article.published == "2021-07-09" and article.published_precision == "inferred"
    assert "Old teaser" not in article.body and article.body.endswith("End.")


def test_meta_published_wins_over_inference():
    article = clean_text_article("Title\n\nBody.\n\nTeaser\n\nJune 1, 2020", "mem:", {"published": "2021-01-02"})
    assert article.published == "2021-01-02" and article.published_precision == "day"


def test_byline_parts_after_a_comma():
    assert parse_byline("By Ruben Hakobyan, Leyla Mammadova") == (["Ruben Hakobyan", "Leyla Mammadova"], None)
    assert parse_byline("By Justin Roe, Trial Attorney at") == (["Justin Roe"], "Trial Attorney at")
    assert parse_byline("By Jane Roe, SMT") == (["Jane Roe"], "SMT")
    assert parse_byline("Par Aminata Traoré, Meridian Wire") == (["Aminata Traoré"], "Meridian Wire")
