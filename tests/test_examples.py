"""The demo corpus (examples/) through analyze(): every file read, every planted piece of furniture cleaned out.

Only the ingest and cleaning stages are checked here (title, byline, dates, dateline, removed, media, body);
the NLP components are run with the bare model so that their work in progress cannot change these results.
One slow test runs the full pipeline and checks only that no article fails in it.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path
from typing import Any

import pytest

from dateline.analyze import Result, analyze

REPO = Path(__file__).resolve().parents[1]
EXAMPLES = REPO / "examples"
BROKEN = "broken-truncated.html"
# Documentation, not an article (see test_readme_is_not_read_as_an_article).
README = "README.md"

# Teasers planted mid-body in the text files: (file, headline, date).
TEASERS = [
    ("border-clinic-chaman.txt", "Border crossing reopens after weeks of closure", "2024-02-27"),
    ("border-clinic-chaman.txt", "Refugees face deadline to leave Pakistan", "2024-01-09"),
    ("tigris-dam-dispute.txt", "Protesters rally over power cuts in Basra", "2024-07-18"),
    ("tigris-dam-dispute.txt", "Iraqi parliament approves budget after months of delay", "2024-06-12"),
    ("niger-aid-workers-kidnapped.txt", "Niger junta orders French ambassador to leave", "2023-08-03"),
    ("niger-aid-workers-kidnapped.txt", "Mali and Burkina Faso sign defence pact with Niger", "2023-09-16"),
    ("eu-sanctions-belarus.txt", "Belarus frees group of prisoners ahead of holiday", "2024-09-02"),
    ("tbilisi-protest-arrests.txt", "Parliament speaker dismisses criticism from Brussels", "2024-04-17"),
]

# Photos: (source ending, start of the caption, credit as it should appear in media, alt text or None).
PHOTOS = [
    ("border-clinic-chaman.txt", "Dr. Karim Achakzai examines a patient", "Asma Riaz / Associated Press",
     "A doctor checks the bandage of a wounded man in a crowded ward"),
    ("tigris-dam-dispute.txt", "Fishermen pull their boat across", "Photo: Samir Jabbar/Meridian Wire", None),
    ("niger-aid-workers-kidnapped.txt", "Motorcycles on a road near Ouallam", "AP Photo/Moussa Issoufou",
     "Armed men on motorcycles on a dirt road outside a village"),
    ("tbilisi-protest-arrests.txt", "A demonstrator waves Georgian and EU flags", "Giorgi Lomidze / Meridian Wire",
     "A protester waves a flag in front of police in riot gear"),
    ("aid-convoy-el-fasher.html", "Trucks carrying food aid wait at a checkpoint",
     "Photo: Adam Yahia / The Meridian Post", "A line of white trucks on a sandy road"),
    ("ministry-denies-border-shelling.html", "A house in the village of Tegh", "Armen Sargsyan / Caspian Dispatch",
     "A damaged roof of a stone house in a mountain village"),
    ("feed.xml#entry=3", "A school building in western Mosul", "Samir Jabbar / Meridian Wire",
     "An unfinished concrete school building"),
    ("wire.jsonl#line=2", "Voters wait to cast their ballots in Chisinau", "Ion Ceban / Meridian Wire",
     "Voters queue outside a polling station"),
    ("guard-warns-navies-tanker-seizure", "The tanker Aurora Star at anchor", "Handout / Gulf Monitor",
     "A crude oil tanker at anchor off a rocky coast"),
]

# Page furniture planted in the English stories: no body paragraph may start with any of these.
FURNITURE = re.compile(
    r"^(Advertisement|Story continues below|Read more|ALSO READ|Related|Sign up|Subscribe|Get The Africa Brief|"
    r"Share|Facebook|Twitter|By [A-Z]|Posted on|©|Copyright|More from)", re.I)
# Furniture that must show up in `removed`: (source ending, kind, start of the removed text).
REMOVED = [
    ("border-clinic-chaman.txt", "ad", "Advertisement"),
    ("border-clinic-chaman.txt", "related", "Read more: Why the Chaman crossing"),
    ("border-clinic-chaman.txt", "newsletter", "Sign up for our World Briefing newsletter"),
    ("tigris-dam-dispute.txt", "share", "Share this article"),
    ("tigris-dam-dispute.txt", "share", "Facebook | Twitter | Email"),
    ("niger-aid-workers-kidnapped.txt", "byline", "By Moussa Issoufou and Claire Dubois"),
    ("eu-sanctions-belarus.txt", "share", "Share on Facebook"),
    ("eu-sanctions-belarus.txt", "newsletter", "Sign up for the Europe Today newsletter"),
    ("aid-convoy-el-fasher.html", "ad", "Advertisement"),
    ("aid-convoy-el-fasher.html", "newsletter", "Get The Africa Brief"),
    ("aid-convoy-el-fasher.html", "related", "Read more: Inside El Fasher"),
    ("checkpoint-attack-dera-ismail-khan.html", "ad", "Story continues below advertisement"),
    ("checkpoint-attack-dera-ismail-khan.html", "related", "ALSO READ: TTP commander killed"),
    ("checkpoint-attack-dera-ismail-khan.html", "share", "Share this:"),
    ("wire.jsonl#line=2", "related", "Read more: Moldova narrowly backs EU path"),
    ("guard-warns-navies-tanker-seizure", "newsletter", "Sign up for Gulf Monitor"),
]

TITLES = {
    "border-clinic-chaman.txt": "At a border clinic in Chaman, doctors treat wounded fighters and say little",
    "tigris-dam-dispute.txt": "Iraq accuses Turkey of cutting Tigris flow as new dam fills",
    "niger-aid-workers-kidnapped.txt":
        "Gunmen seize three aid workers in western Niger; ministry says search under way",
    "eu-sanctions-belarus.txt": "EU adds Belarusian judges and prison officials to sanctions list",
    "tbilisi-protest-arrests.txt": "Police detain dozens as thousands protest in Tbilisi over media law",
    "fr-mali-report-election.txt":
        "Mali : les autorités de transition reportent de nouveau l'élection présidentielle",
    "aid-convoy-el-fasher.html": "First aid convoy in months reaches El Fasher as fighting pauses",
    "checkpoint-attack-dera-ismail-khan.html": "Militants storm police checkpoint in Dera Ismail Khan, killing six",
    "ministry-denies-border-shelling.html":
        "Azerbaijan denies shelling Armenian village as EU monitors visit border",
    BROKEN: "Opposition alleges rigging as Sindh by-election count stalls",
    "feed.xml#entry=1": "Ukraine and Turkey agree to extend naval escorts for grain ships leaving Odesa",
    "feed.xml#entry=2": "U.N. appeals for drought aid in Somalia as militants block roads to Baidoa",
    "feed.xml#entry=3": "Auditors say reconstruction funds for Mosul went missing; two officials arrested",
    "feed/mosul-reconstruction-audit.html":
        "Auditors say reconstruction funds for Mosul went missing; two officials arrested",
    "wire.jsonl#line=1": "Yemen's warring sides agree on prisoner swap and Taiz road after talks in Oman",
    "wire.jsonl#line=2": "Moldova election observers report vote-buying in local polls",
    "wire.jsonl#line=3": "Police arrest four over grenade attack on Srinagar market",
    "guard-warns-navies-tanker-seizure":
        "Revolutionary Guard warns foreign navies after tanker seizure in Strait of Hormuz",
    "syrian-deportations-unhcr-alarm": "Lebanon steps up deportations of Syrians as UN agency voices alarm",
}

# (source ending, published, precision, dateline place, dateline agency)
DATES_AND_DATELINES = [
    ("border-clinic-chaman.txt", "2024-03-14", "day", "CHAMAN, Pakistan", "AP"),
    ("tigris-dam-dispute.txt", "2024-07-22", "day", "BAGHDAD", "MW"),
    ("niger-aid-workers-kidnapped.txt", "2023-09-16", "inferred", "NIAMEY, Niger", "AP"),
    ("eu-sanctions-belarus.txt", "2024-10-07", "day", "BRUSSELS", "AP"),
    ("tbilisi-protest-arrests.txt", "2024-05-02", "day", "TBILISI, Georgia", "MW"),
    ("aid-convoy-el-fasher.html", "2024-09-19", "day", "PORT SUDAN, Sudan", None),
    ("checkpoint-attack-dera-ismail-khan.html", "2024-11-05", "day", "DERA ISMAIL KHAN, Pakistan", None),
    ("ministry-denies-border-shelling.html", "2024-06-23", "day", "YEREVAN, Armenia", None),
    ("feed.xml#entry=1", "2024-11-12", "day", "ODESA, Ukraine", "MW"),
    ("feed.xml#entry=3", "2024-11-14", "day", "BAGHDAD", "MW"),
    ("wire.jsonl#line=1", "2024-04-21", "day", "MUSCAT, Oman", "MW"),
    ("wire.jsonl#line=3", "2024-03-15", "day", "SRINAGAR, India", "MW"),
    ("syrian-deportations-unhcr-alarm", "2024-08-27", "day", "BEIRUT", None),
]

BYLINES = [
    ("border-clinic-chaman.txt", ["Asma Riaz", "Daniel Okafor"], "Associated Press"),
    ("tigris-dam-dispute.txt", ["Layla Haddad"], "Meridian Wire"),
    ("eu-sanctions-belarus.txt", ["Pieter Van Damme"], "Associated Press"),
    ("aid-convoy-el-fasher.html", ["Hiba Osman", "Thomas Reinholt"], "The Meridian Post"),
    ("checkpoint-attack-dera-ismail-khan.html", ["Imran Wazir"], "Frontier Ledger"),
    ("wire.jsonl#line=1", ["Fatima al-Sharjabi"], "Meridian Wire"),
    ("syrian-deportations-unhcr-alarm", ["Rana Khoury"], "Levant Today"),
]


@pytest.fixture(scope="module")
def results(model_nlp: Any) -> list[Result]:
    return list(analyze([str(EXAMPLES)], nlp=model_nlp))


@pytest.fixture(scope="module")
def records(results: list[Result]) -> list[dict[str, Any]]:
    return [r.record for r in results if r.ok and r.record is not None]


def find(records: list[dict[str, Any]], ending: str) -> dict[str, Any]:
    """The one record whose source URI or page URL ends with (or, for feed pages, contains) this text."""
    found = [r for r in records if r["source"]["uri"].endswith(ending) or f"{ending}(" in r["source"]["uri"]
             or (r.get("url") or "").endswith(ending)]
    assert len(found) == 1, f"{len(found)} records for {ending!r}: {[r['source']['uri'] for r in records]}"
    return found[0]


def paragraphs(record: dict[str, Any]) -> list[str]:
    return [p.strip() for p in record["body"].split("\n\n")]


# ---------------------------------------------------------------- every input
def test_every_file_yields_a_record_and_only_the_broken_one_may_fail(results: list[Result]) -> None:
    failures = [r for r in results if not r.ok]
    for failure in failures:
        assert failure.source.endswith(BROKEN), f"{failure.source} failed: {failure.error}"
        assert failure.error, "a failure must say why"
    files = [p for p in EXAMPLES.rglob("*") if p.is_file() and p.name != README]
    for path in files:
        uri = "file://" + str(path)
        assert any(r.source.startswith(uri) for r in results), f"no result for {path.name}"


def test_at_least_twelve_english_records(records: list[dict[str, Any]]) -> None:
    english = [r for r in records if r["language"] == "en" and not r["source"]["uri"].endswith(README)]
    assert len(english) >= 12


def test_titles(records: list[dict[str, Any]]) -> None:
    for ending, title in TITLES.items():
        if ending == BROKEN and not any(r["source"]["uri"].endswith(BROKEN) for r in records):
            continue  # the broken page may fail instead (checked above)
        assert find(records, ending)["title"] == title, ending


def test_bylines_and_publishers(records: list[dict[str, Any]]) -> None:
    for ending, names, publisher in BYLINES:
        record = find(records, ending)
        assert record["byline"] == names, ending
        assert record["publisher"] == publisher, ending


def test_published_dates_and_datelines(records: list[dict[str, Any]]) -> None:
    for ending, published, precision, place, agency in DATES_AND_DATELINES:
        record = find(records, ending)
        assert (record["published"], record["published_precision"]) == (published, precision), ending
        assert record["dateline"] == {"place": place, "agency": agency}, ending


def test_inferred_date_leaves_a_note(records: list[dict[str, Any]]) -> None:
    record = find(records, "niger-aid-workers-kidnapped.txt")
    assert any("inferred" in note for note in record["notes"])


# ---------------------------------------------------------------- cleaning rules
def test_teasers_are_removed_with_their_dates(records: list[dict[str, Any]]) -> None:
    for ending, headline, date in TEASERS:
        record = find(records, ending)
        teasers = [r for r in record["removed"] if r["kind"] == "teaser"]
        assert {"kind": "teaser", "text": headline, "date": date} in teasers, (ending, headline)
        assert headline not in record["body"], (ending, headline)
        assert date[:4] not in "".join(p for p in paragraphs(record) if len(p) < 20), (ending, "date line left")


def test_captions_credits_and_alt_text_go_to_media(records: list[dict[str, Any]]) -> None:
    for ending, caption, credit, alt_text in PHOTOS:
        record = find(records, ending)
        assert caption not in record["body"], (ending, "caption in body")
        assert credit not in record["body"], (ending, "credit in body")
        media = [m for m in record["media"] if (m.get("caption") or "").startswith(caption)]
        assert media, (ending, "caption not in media")
        assert any(m.get("credit") == credit for m in record["media"]), (ending, record["media"])
        if alt_text:
            assert any(m.get("alt_text") == alt_text for m in record["media"]), (ending, record["media"])
        kinds = {r["kind"] for r in record["removed"] if caption in r["text"] or r["text"] == credit}
        assert {"caption", "credit"} <= kinds, (ending, kinds)


def test_wordpress_caption_leaves_the_body(records: list[dict[str, Any]]) -> None:
    record = find(records, "checkpoint-attack-dera-ismail-khan.html")
    assert "Police officers inspect the checkpoint" not in record["body"]
    assert "Saleem Gandapur" not in record["body"]
    assert any("Police officers inspect the checkpoint" in (m.get("caption") or "") for m in record["media"])


def test_planted_furniture_is_in_removed(records: list[dict[str, Any]]) -> None:
    for ending, kind, text in REMOVED:
        record = find(records, ending)
        assert any(r["kind"] == kind and r["text"].startswith(text) for r in record["removed"]), (ending, text)
        assert text not in record["body"], (ending, text)


def test_no_english_body_paragraph_is_furniture(records: list[dict[str, Any]]) -> None:
    for record in records:
        if record["language"] != "en" or record["source"]["uri"].endswith(README):
            continue
        for paragraph in paragraphs(record):
            assert not FURNITURE.match(paragraph), (record["source"]["uri"], paragraph[:80])
            assert len(paragraph.split()) >= 8, (record["source"]["uri"], paragraph)


# ---------------------------------------------------------------- formats
def test_non_english_article_is_carried_through_with_a_note(records: list[dict[str, Any]]) -> None:
    record = find(records, "fr-mali-report-election.txt")
    assert record["language"] == "fr"
    assert any("fr" in note and "NLP" in note for note in record["notes"])
    assert "Les autorités de transition du Mali ont annoncé" in record["body"]
    assert record["quotes"] == [] and record["events"] == []


def test_feed_full_entries_and_link_only_entry(records: list[dict[str, Any]]) -> None:
    feed = [r for r in records if "feed.xml#entry=" in r["source"]["uri"]]
    assert len(feed) == 3 and {r["source"]["format"] for r in feed} == {"feed"}
    assert "Turkish naval vessels escort cargo ships" in find(records, "feed.xml#entry=1")["body"]
    assert "al-Shabab militants were blocking roads" in find(records, "feed.xml#entry=2")["body"]
    linked = find(records, "feed.xml#entry=3")
    # The entry has a one-line description; the text comes from the saved page beside the feed.
    assert "Federal Integrity Commission" in linked["body"]
    assert len(linked["body"].split()) > 300
    assert linked["url"] == "https://meridianwire.example/world/2024/11/14/mosul-reconstruction-audit"


def test_saved_feed_page_read_on_its_own_is_a_duplicate(records: list[dict[str, Any]]) -> None:
    page = find(records, "feed/mosul-reconstruction-audit.html")
    entry = find(records, "feed.xml#entry=3")
    assert page["id"] == entry["id"]
    assert page["duplicate_of"] == entry["source"]["uri"]


def test_jsonl_gives_three_records(records: list[dict[str, Any]]) -> None:
    lines = [r for r in records if "wire.jsonl#line=" in r["source"]["uri"]]
    assert len(lines) == 3 and {r["source"]["format"] for r in lines} == {"jsonl"}
    assert find(records, "wire.jsonl#line=1")["url"].endswith("yemen-muscat-talks-prisoner-exchange")
    # line 3's text repeats its title on the first line: it must not stay in the body
    assert not find(records, "wire.jsonl#line=3")["body"].startswith("Police arrest four")


def test_warc_gives_two_records_and_decodes_windows_1252(records: list[dict[str, Any]]) -> None:
    warc = [r for r in records if r["source"]["format"] == "warc"]
    assert len(warc) == 2
    lebanon = find(records, "syrian-deportations-unhcr-alarm")
    assert "€1 billion" in lebanon["body"]
    assert "“We are not asking for charity,” Haddad said." in lebanon["body"]


def test_broken_page_gives_its_first_half_or_a_clear_failure(results: list[Result]) -> None:
    broken = [r for r in results if r.source.endswith(BROKEN)]
    assert len(broken) == 1
    result = broken[0]
    if not result.ok:
        assert result.error
        return
    assert result.record is not None
    body = result.record["body"]
    assert body.startswith("HYDERABAD, Pakistan — Opposition parties accused election officials")
    assert "Provincial Information Minister Jam Khan Shoro" in body


def test_warc_script_rebuilds_the_committed_archive(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import importlib.util

    spec = importlib.util.spec_from_file_location("make_example_warc", REPO / "scripts" / "make_example_warc.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    monkeypatch.setitem(sys.modules, spec.name, module)  # dataclasses look their module up there
    spec.loader.exec_module(module)
    monkeypatch.setattr(module, "OUTPUT", tmp_path / "archive.warc.gz")
    monkeypatch.setattr(module, "REPO", tmp_path)
    module.main()
    assert (tmp_path / "archive.warc.gz").read_bytes() == (EXAMPLES / "archive.warc.gz").read_bytes()


# ---------------------------------------------------------------- cleaning cases first found by these examples
def test_readme_is_not_read_as_an_article(results: list[Result]) -> None:
    assert not any(r.source.endswith(README) for r in results)


def test_in_body_byline_fills_the_byline(records: list[dict[str, Any]]) -> None:
    assert find(records, "niger-aid-workers-kidnapped.txt")["byline"] == ["Moussa Issoufou", "Claire Dubois"]


def test_comma_separated_author_meta(records: list[dict[str, Any]]) -> None:
    assert find(records, "ministry-denies-border-shelling.html")["byline"] == ["Ruben Hakobyan", "Leyla Mammadova"]


def test_feed_entry_author(records: list[dict[str, Any]]) -> None:
    assert find(records, "feed.xml#entry=1")["byline"] == ["Oksana Melnyk"]


def test_wordpress_caption_is_one_media_entry(records: list[dict[str, Any]]) -> None:
    record = find(records, "checkpoint-attack-dera-ismail-khan.html")
    assert len(record["media"]) == 1
    assert record["media"][0]["alt_text"] == "Police officers stand beside a damaged checkpoint"
    assert "Saleem Gandapur" in (record["media"][0]["credit"] or "")


def test_french_furniture_is_removed(records: list[dict[str, Any]]) -> None:
    record = find(records, "fr-mali-report-election.txt")
    assert record["published"] == "2024-02-12"
    for text in ("Par Aminata Traoré", "Publicité", "Partager cet article"):
        assert text not in record["body"]


@pytest.mark.slow
def test_full_pipeline_analyzes_every_example() -> None:
    """With dateline's own components: no article may fail in the NLP stage (the broken page may fail to clean)."""
    failures = [r for r in analyze([str(EXAMPLES)]) if not r.ok and not r.source.endswith(BROKEN)]
    assert failures == [], [(f.source, f.error) for f in failures]
