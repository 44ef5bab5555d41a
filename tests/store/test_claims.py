"""Claim trails on both engines: the written story's two travelling claims, their first appearances, the
attribution on the way, the denial, and the rules (speakers, idempotence, ingest order)."""

from __future__ import annotations

from typing import Any

import pytest
from across_story import ENGINES, assert_spans, claim_with, story_engine, trail
from kb_records import entity, make_record, quote
from sqlalchemy import Engine, func, select

from dateline.store import across, open_db
from dateline.store.across import read
from dateline.store.across.claims import same_speaker, sentences_outside
from dateline.store.across.tables import claim_appearances, claim_denials, claims
from dateline.store.ingest import ingest
from dateline.store.write import write_records


@pytest.fixture(scope="module", params=ENGINES)
def story(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Engine:
    return story_engine(request, tmp_path_factory)


def test_the_denied_claim_starts_named_goes_anonymous_and_is_denied(story: Engine) -> None:
    claim = claim_with(story, "came from across")
    assert trail(claim) == [("Meridian Wire", "2024-09-02", "named"), ("Meridian Wire", "2024-09-02", "named"),
                            ("Nile Dispatch", "2024-09-03", "anonymous"), ("Harbour Tribune", "2024-09-04", "named")]
    assert (claim["first_publisher"], claim["first_published"], claim["first_attribution"]) == \
        ("Meridian Wire", "2024-09-02", "named")
    assert "Haroun" in claim["speaker_name"]
    assert {a["speaker_name"] for a in claim["appearances"] if a["attribution"] == "named"} <= {"Adam Haroun", "Haroun"}
    assert claim["attribution_path"] == ["named", "anonymous", "named"]
    assert claim["lost_attribution"] is True
    assert (claim["articles"], claim["outlets"]) == (3, 3)
    assert [(d["publisher"], d["published"], d["speaker_name"]) for d in claim["denials"]] == \
        [("Sahel Courier", "2024-09-05", "Abakar Mahamat")]
    assert_spans(story, claim["appearances"] + claim["denials"])


def test_the_other_claim_loses_its_speaker_then_its_attribution(story: Engine) -> None:
    claim = claim_with(story, "carrying food for 40,000")
    assert trail(claim) == [("Meridian Wire", "2024-09-02", "named"), ("Sahel Courier", "2024-09-02", "anonymous"),
                            ("Nile Dispatch", "2024-09-03", "unattributed")]
    assert claim["speaker_name"] == "Clara Brandt"
    assert claim["attribution_path"] == ["named", "anonymous", "unattributed"]
    assert [a["kind"] for a in claim["appearances"]] == ["quote", "quote", "statement"]
    assert claim["denials"] == [] and claim["lost_attribution"] is True
    assert_spans(story, claim["appearances"])


def test_travelled_claims_by_default_and_filters(story: Engine) -> None:
    page = read.list_claims(story, read.ClaimFilters())
    assert all(c["articles"] >= 2 for c in page.items)
    contents = [c["content"] for c in page.items]
    assert any("came from across" in c for c in contents) and any("40,000" in c for c in contents)
    denied = read.list_claims(story, read.ClaimFilters(denied=True)).items
    assert [c["content"] for c in denied] == [claim_with(story, "came from across")["content"]]
    kept = read.list_claims(story, read.ClaimFilters(lost=False)).items
    assert all(not c["lost_attribution"] for c in kept) and len(kept) == len(page.items) - 2
    assert read.list_claims(story, read.ClaimFilters(speaker="Brandt")).items[0]["speaker_name"] == "Clara Brandt"


def _counts(engine: Engine) -> tuple[int, int, int]:
    with engine.connect() as conn:
        return tuple(conn.execute(select(func.count()).select_from(t)).scalar_one()  # type: ignore[return-value]
                     for t in (claims, claim_appearances, claim_denials))


def _summary(engine: Engine) -> list[tuple[Any, ...]]:
    with engine.connect() as conn:
        return sorted(conn.execute(select(claims.c.content, claims.c.first_publisher, claims.c.appearances,
                                          claims.c.articles, claims.c.denials, claims.c.lost_attribution)).all())


def test_ingesting_again_adds_nothing_and_a_rebuild_finds_the_same_claims(story: Engine) -> None:
    before, summary = _counts(story), _summary(story)
    from across_story import STORY
    assert ingest([str(STORY)], story).ingested == 0
    assert across.catch_up(story) == 0
    assert _counts(story) == before
    assert across.rebuild(story) == 9
    assert _counts(story) == before and _summary(story) == summary


def _article(body: str, title: str, published: str, speaker: str, content: str, *, cue: str = "said",
             lemma: str = "say", anonymous: bool = False) -> dict[str, Any]:
    return make_record(body, title=title, published=published, entities=[entity("e1", speaker, body)],
                       quotes=[quote("q1", body, content, cue, lemma, entity_id=None if anonymous else "e1",
                                     name=speaker, anonymous=anonymous)])


def test_two_named_speakers_saying_the_same_are_two_claims_and_denials_link_in_any_order(db_url: str) -> None:
    words = "the dam will be finished before the rains"
    denial_body = f"Ivan Petrov denied that {words}."
    first = _article(f"Mara Lind said {words}.", "one", "2024-01-02", "Mara Lind", words)
    other = _article(f"Ivan Petrov said {words} this year.", "two", "2024-01-03", "Ivan Petrov", words)
    denial = _article(denial_body, "three", "2024-01-04", "Ivan Petrov", words, cue="denied", lemma="deny")
    anonymous = _article(f"An official said {words}.", "four", "2024-01-05", "An official", words, anonymous=True)
    engine = open_db(db_url)
    with engine.begin() as conn:  # the denial first: it links to claims stored after it too
        write_records(conn, [denial, first, other, anonymous])
    found = read.list_claims(engine, read.ClaimFilters(min_articles=1)).items
    assert sorted((c["speaker_name"], c["articles"], c["denials"]) for c in found) == \
        [("Ivan Petrov", 1, 1), ("Mara Lind", 2, 1)]  # the anonymous copy joins the first claim (lowest id)
    assert same_speaker("n:haroun", "Haroun", "a:6", "Adam Haroun")
    assert not same_speaker("n:adam haroun", "Adam Haroun", "n:ali haroun", "Ali Haroun")


def test_sentences_inside_quotes_are_not_restatements() -> None:
    body = 'Officials said the convoy was carrying food for many people. The road was closed for weeks after that.'
    quoted = (body.index("the convoy"), body.index("people.") + 6)
    assert [body[s:e] for s, e in sentences_outside(body, [quoted])] == ["The road was closed for weeks after that."]
