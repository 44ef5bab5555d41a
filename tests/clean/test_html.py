"""The HTML path: each tree-cleaning rule on small pages, the extraction ladder, hostile input, metadata."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from dateline.clean import CleanError
from dateline.clean.html import (
    clean_html,
    parse_html,
    remove_ads,
    remove_bylines,
    remove_never_text,
    remove_newsletter_prompts,
    remove_related_links,
    remove_share_prompts,
    take_out_figures,
)
from dateline.settings import Options

FIXTURES = Path(__file__).parents[1] / "fixtures" / "html"
PARAGRAPH = ("The council met on Tuesday and voted to approve the plan after a long debate about the cost of "
             "repairing the roads and the bridges across the river.")


def page(body: str, head: str = "") -> str:
    return f"<html><head>{head}</head><body>{body}</body></html>"


def text_after(rule: Any, html: str) -> tuple[str, list[dict[str, Any]]]:
    tree = parse_html(html)
    assert tree is not None
    removed: list[dict[str, Any]] = []
    rule(tree, removed)
    return " ".join(tree.text_content().split()), removed


def test_remove_never_text_drops_scripts_and_forms() -> None:
    text, removed = text_after(remove_never_text, page(f"<script>alert(1)</script><p>{PARAGRAPH}</p>"
                                                       "<form><input value='x'>Search</form>"))
    assert "alert" not in text and "Search" not in text
    assert PARAGRAPH in text
    assert removed == []


def test_remove_ads_by_class_and_by_text() -> None:
    text, removed = text_after(remove_ads, page(f"<p>{PARAGRAPH}</p><div class='ad-slot'>Buy shoes now</div>"
                                                "<p>Advertisement</p><p>Second paragraph stays.</p>"))
    assert "Buy shoes" not in text and "Advertisement" not in text
    assert "Second paragraph stays." in text
    assert {item["kind"] for item in removed} == {"ad"}


def test_remove_share_prompts() -> None:
    text, removed = text_after(remove_share_prompts, page(
        f"<p>{PARAGRAPH}</p><ul class='social-share'><li>Facebook</li><li>Twitter</li></ul>"))
    assert "Facebook" not in text and PARAGRAPH in text
    assert removed[0]["kind"] == "share"


def test_remove_newsletter_prompts() -> None:
    text, removed = text_after(remove_newsletter_prompts, page(
        f"<p>{PARAGRAPH}</p><div class='newsletter-box'>Sign up for our daily briefing</div>"))
    assert "Sign up" not in text and PARAGRAPH in text
    assert removed[0]["kind"] == "newsletter"


def test_remove_related_links_block_and_read_more_paragraph() -> None:
    text, removed = text_after(remove_related_links, page(
        f"<p>{PARAGRAPH}</p><p>Read more: <a href='/x'>Floods hit the north</a></p>"
        "<div class='related-posts'><a href='/y'>Another story</a></div>"))
    assert "Floods hit" not in text and "Another story" not in text and PARAGRAPH in text
    assert [item["kind"] for item in removed] == ["related", "related"]


def test_read_more_without_a_link_is_prose() -> None:
    text, _ = text_after(remove_related_links, page("<p>Read more books, the minister urged pupils.</p>"))
    assert "Read more books" in text


def test_widget_class_on_the_article_itself_is_kept() -> None:
    """A container whose class mentions 'related' but holds the story's paragraphs is content."""
    story = "".join(f"<p>{PARAGRAPH} ({n})</p>" for n in range(4))
    text, removed = text_after(remove_related_links, page(f"<div class='post related-enabled'>{story}</div>"))
    assert text.count("The council met") == 4
    assert removed == []


def test_remove_bylines() -> None:
    text, removed = text_after(remove_bylines, page(
        f"<div class='byline'>Jane Roe, staff writer</div><p>By John Doe</p><p>{PARAGRAPH}</p>"))
    assert "Jane Roe" not in text and "John Doe" not in text and PARAGRAPH in text
    assert [item["kind"] for item in removed] == ["byline", "byline"]


def test_figures_go_to_media_not_body() -> None:
    tree = parse_html(page(f"<p>{PARAGRAPH}</p><figure><img src='a.jpg' alt='Flooded street'>"
                           "<figcaption>Water covers Main Street.</figcaption><span class='credit'>Jane Roe/AP</span>"
                           "</figure><img src='b.jpg' alt='A map of the region'>"))
    assert tree is not None
    removed: list[dict[str, Any]] = []
    media: list[dict[str, Any]] = []
    take_out_figures(tree, removed, media)
    text = tree.text_content()
    assert "Water covers" not in text and "Jane Roe" not in text
    assert media == [{"alt_text": "Flooded street", "caption": "Water covers Main Street.", "credit": "Jane Roe/AP"},
                     {"alt_text": "A map of the region", "caption": None, "credit": None}]
    assert {"kind": "caption", "text": "Water covers Main Street."} in removed
    assert {"kind": "credit", "text": "Jane Roe/AP"} in removed


def test_clean_html_on_a_news_page() -> None:
    html = (FIXTURES / "kabul.html").read_text(encoding="utf-8")
    article = clean_html(html, "kabul.html", {}, Options())
    assert article.title == "Taliban reopen girls' schools in two provinces"
    assert article.byline == ["Kathy Gannon"]
    assert article.publisher == "The Daily Ledger"
    assert article.published == "2022-03-21" and article.published_precision == "day"
    assert article.dateline == {"place": "KABUL", "agency": "AP"}
    assert article.body.startswith("KABUL (AP) —")
    for furniture in ("Share on Facebook", "Advertisement", "Aid groups warn", "Sign up", "Story one",
                      "Girls walk to a school", "Rahmat Gul", "hacked", "By Kathy Gannon"):
        assert furniture not in article.body, furniture
    assert article.body.count("\n\n") == 3
    assert {"alt_text": "Girls walk to school in Kabul", "caption": "Girls walk to a school in Kabul on Monday.",
            "credit": "Rahmat Gul / AP"} in article.media
    assert {"caption", "credit", "ad", "related", "newsletter"} <= {item["kind"] for item in article.removed}
    assert article.provenance["cleaner"] == "trafilatura"


def test_json_ld_authors_and_dateline_without_agency() -> None:
    html = (FIXTURES / "islamabad.html").read_text(encoding="utf-8")
    article = clean_html(html, "islamabad.html", {}, Options())
    assert article.byline == ["Munir Ahmed", "Zarar Khan"]
    assert article.published == "2022-08-28"
    assert article.dateline == {"place": "ISLAMABAD", "agency": None}
    assert "wades through floodwater" not in article.body


def test_meta_values_used_only_when_the_page_has_none() -> None:
    html = page(f"<p>{PARAGRAPH}</p><p>{PARAGRAPH} Again.</p>")
    article = clean_html(html, "x", {"title": "Feed title", "published": "2020-01-02"}, Options())
    assert article.title == "Feed title" and article.published == "2020-01-02"
    own = clean_html((FIXTURES / "market.html").read_text(encoding="utf-8"), "m", {"title": "Feed title"}, Options())
    assert own.title == "Stocks slip as oil prices climb"


def test_timeout_falls_back_to_tree_extraction_with_a_note() -> None:
    story = "".join(f"<p>{PARAGRAPH} Paragraph {n}.</p>" for n in range(3000))
    html = page(f"<article><h1>Long story</h1>{story}</article>")
    article = clean_html(html, "big", {}, Options(extraction_timeout=0.001))
    assert article.provenance["cleaner"] == "tree"
    assert any("timed out" in note for note in article.notes)
    assert "Paragraph 2999." in article.body
    # The next page gets a fresh worker.
    normal = clean_html((FIXTURES / "blog.html").read_text(encoding="utf-8"), "blog", {}, Options())
    assert normal.provenance["cleaner"] == "trafilatura"


def test_truncated_html_still_gives_the_text() -> None:
    html = (FIXTURES / "council.html").read_text(encoding="utf-8")
    cut = html[: html.index("leaving property taxes") + 10]
    article = clean_html(cut, "cut", {}, Options())
    assert "The city council voted 5-2" in article.body


def test_deeply_nested_divs_do_not_crash() -> None:
    html = page("<div>" * 20_000 + f"<p>{PARAGRAPH}</p>" + "</div>" * 20_000)
    try:
        article = clean_html(html, "deep", {}, Options())
    except CleanError as exc:
        assert "no usable article text" in str(exc)
    else:
        assert "The council met" in article.body


@pytest.mark.parametrize("html", ["", "   ", "<html></html>", "<html><body><div></div></body></html>",
                                  "\x00\x01\x02\xff\xfe" * 50, "<<<>>>&&&;;;" * 100])
def test_empty_or_garbage_pages_raise_clean_error(html: str) -> None:
    with pytest.raises(CleanError, match="no usable article text"):
        clean_html(html, "garbage", {}, Options())


def test_binary_garbage_with_some_text_does_not_crash() -> None:
    html = "\x00\x07<p>" + PARAGRAPH + "</p>\ufffd\ufffd" + "".join(chr(c) for c in range(1, 32)) * 20
    article = clean_html(html, "binary", {}, Options())
    assert "The council met" in article.body


def test_prose_in_an_aside_is_not_a_related_block() -> None:
    """Related/aside blocks are removed only when they are mostly links."""
    text, removed = text_after(remove_related_links, page(
        f"<aside><p>{PARAGRAPH}</p></aside><aside><a href='/a'>Story one</a> <a href='/b'>Story two</a></aside>"))
    assert PARAGRAPH in text and "Story one" not in text
    assert len(removed) == 1


def test_figure_holding_a_table_stays() -> None:
    table = "<table>" + "".join(f"<tr><td>{PARAGRAPH}</td></tr>" for _ in range(5)) + "</table>"
    tree = parse_html(page(f"<figure>{table}<figcaption>Costs by city</figcaption></figure>"))
    assert tree is not None
    media: list[dict[str, Any]] = []
    take_out_figures(tree, [], media)
    assert "The council met" in tree.text_content() and media == []


def test_caption_ending_with_a_credit_is_split() -> None:
    from dateline.clean.html import split_credit

    assert split_credit("Officers at the checkpoint. Photo credit: Saleem Gandapur") == (
        "Officers at the checkpoint.", "Saleem Gandapur")
    assert split_credit("A man at the palace (Photo: AP)") == ("A man at the palace", "AP")
    assert split_credit("A caption with no credit.") == ("A caption with no credit.", None)


def test_metadata_sees_a_second_html_root_left_by_the_parser() -> None:
    # libxml2 keeps markup after </html> as a second <html> root (WCXB dev/0310 has its <h1> there): the
    # metadata, now read from its own parse alongside trafilatura, must still see it (a deepcopy did not).
    story = "".join(f"<p>{PARAGRAPH} Paragraph {n}.</p>" for n in range(4))
    head = ("<meta property='og:title' content='Here are the six types.'>"
            "<script type='application/ld+json'>{\"@type\": \"Article\", "
            "\"headline\": \"Six Types of HR Outsourcing\"}</script>")
    html = page(f"<article>{story}</article>", head) + "<html><body><h1>Six Types of HR Outsourcing</h1></body></html>"
    article = clean_html(html, "two-roots", {}, Options())
    assert article.title == "Six Types of HR Outsourcing"
