"""Sourcing profiles on both engines: the counts added at ingest equal what the stored quotes say."""

from __future__ import annotations

import json

import pytest
from across_story import ENGINES, story_engine
from sqlalchemy import Engine, case, func, select
from typer.testing import CliRunner

from dateline.cli import app
from dateline.store import schema
from dateline.store.across.sourcing import profile, reason_group, speaker_kind


@pytest.fixture(scope="module", params=ENGINES)
def story(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Engine:
    return story_engine(request, tmp_path_factory)


def test_counts_by_publisher_equal_the_stored_quotes(story: Engine) -> None:
    Q, A = schema.quotes, schema.articles
    reasoned = func.sum(case(((Q.c.anonymous.is_(True)) & (func.length(func.coalesce(Q.c.anonymity_reason, "")) > 0),
                              1), else_=0))
    with story.connect() as conn:
        expected = {p: (int(n), int(anon), int(why)) for p, n, anon, why in conn.execute(
            select(A.c.publisher, func.count(), func.sum(case((Q.c.anonymous.is_(True), 1), else_=0)), reasoned)
            .join(A, A.c.id == Q.c.article_id).group_by(A.c.publisher))}
    rows = profile(story, "publisher")
    assert {r["key"]: (r["quotes"], r["anonymous"], r["with_reason"]) for r in rows} == expected
    assert len(expected) == 4
    for r in rows:
        assert r["named"] + r["anonymous"] == r["quotes"]
        assert r["anonymous_share"] == round(r["anonymous"] / r["quotes"], 4)
        assert sum(r[k] for k in r if k.startswith("reason_") and k != "reason_share") == r["with_reason"]
        assert sum(r[k] for k in r if k.startswith("kind_")) == r["quotes"]
    sahel = next(r for r in rows if r["key"] == "Sahel Courier")
    assert sahel["reason_unauthorised"] >= 1 and sahel["reason_sensitive"] >= 1  # "not authorised", "sensitive"


def test_other_dimensions(story: Engine) -> None:
    total = sum(r["quotes"] for r in profile(story, "publisher"))
    assert [(r["key"], r["quotes"]) for r in profile(story, "month")] == [("2024-09", total)]
    assert profile(story, "month", since="2024-10") == []
    assert {r["key"] for r in profile(story, "country")} >= {"SD"}
    assert {r["key"] for r in profile(story, "type")} >= {"ASSAULT", "COERCE", "PROTEST"}
    actors = profile(story, "actor", limit=100)
    assert actors and all(r["name"] for r in actors)
    with pytest.raises(ValueError):
        profile(story, "colour")


def test_cli_prints_the_profile(story: Engine) -> None:
    url = story.url.render_as_string(hide_password=False).replace("postgresql+psycopg://", "postgresql://")
    url = url.removeprefix("sqlite:///")
    result = CliRunner().invoke(app, ["sourcing", "--by", "type", "--format", "json", "--db", url])
    assert result.exit_code == 0, result.output
    rows = [json.loads(line) for line in result.stdout.splitlines() if line.startswith("{")]
    assert {r["key"] for r in rows} == {r["key"] for r in profile(story, "type")}
    result = CliRunner().invoke(app, ["claims", "--denied", "--format", "csv", "--db", url])
    assert result.exit_code == 0 and "came from across" in result.stdout


def test_reasons_and_kinds() -> None:
    assert reason_group("for fear of reprisals") == "safety"
    assert reason_group("because he was not authorised to speak to the media") == "unauthorised"
    assert reason_group("because the matter was sensitive") == "sensitive"
    assert reason_group("because the case was still under investigation") == "investigation"
    assert reason_group("because she is shy") == "other" and reason_group(None) is None
    assert speaker_kind("a senior official in the state government", None, None, None) == "official"
    assert speaker_kind("a researcher at a think tank", "Hassan Omer", None, "PERSON") == "expert"
    assert speaker_kind(None, "Residents of Kutum", None, None) == "witness"
    assert speaker_kind(None, "Medecins Sans Frontieres", None, "ORG") == "group"
