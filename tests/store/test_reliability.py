"""Hostile values and awkward databases (issue 17): ids past the integer range, newer schemas, missing files,
impossible dates, bad limits; on both engines where a database is involved."""

from __future__ import annotations

from pathlib import Path

import pytest
from kb_records import corpus
from sqlalchemy import func, select, text
from typer.testing import CliRunner

from dateline.cli import app
from dateline.store import open_db, query, schema
from dateline.store.migrations import CURRENT_VERSION, DatabaseMissing, SchemaTooNew
from dateline.store.write import reason_kind, write_records

runner = CliRunner()
BIG_IDS = ["2147483648", "9223372036854775808", "99999999999999999999", "²"]


@pytest.fixture
def kb(db_url: str) -> str:
    engine = open_db(db_url)
    with engine.begin() as conn:
        write_records(conn, corpus())
    engine.dispose()
    return db_url


@pytest.mark.parametrize("actor", BIG_IDS)
def test_an_actor_id_past_the_integer_range_matches_nothing(kb: str, actor: str) -> None:
    engine = open_db(kb, create=False)
    for lister in (query.search_articles, query.list_quotes, query.list_events, query.list_actors):
        page = lister(engine, query.Filters(actor=actor), limit=10, offset=0)
        assert page.items == [] and page.total == 0, lister.__name__
    assert query.list_events(engine, query.Filters(actor="Taliban"), limit=10, offset=0).total > 0


def test_the_cli_answers_a_huge_actor_id_without_a_traceback(kb: str) -> None:
    result = runner.invoke(app, ["search", "--actor", "99999999999999999999", "--db", kb, "--format", "json"])
    assert result.exit_code == 0, result.output
    assert result.output.strip() == "" and result.exception is None


def _set_newer_schema(url: str) -> None:
    engine = open_db(url)
    with engine.begin() as conn:
        conn.execute(schema.schema_version.insert().values(version=CURRENT_VERSION + 1, description="from the future",
                                                            applied_at="2030-01-01T00:00:00"))
    engine.dispose()


def test_a_newer_schema_is_refused_with_both_versions_and_the_fix(kb: str) -> None:
    _set_newer_schema(kb)
    for create in (True, False):
        with pytest.raises(SchemaTooNew) as refused:
            open_db(kb, create=create)
        message = str(refused.value)
        assert f"version {CURRENT_VERSION + 1}" in message and f"version {CURRENT_VERSION} " in message
        assert "Upgrade dateline" in message
    for command in (["quotes"], ["search", "x"], ["ingest", "/no/such/input"], ["export", "--out", "/tmp/e.jsonl"]):
        result = runner.invoke(app, [*command, "--db", kb])
        assert result.exit_code == 2, (command, result.output)
        assert "newer than version" in result.output and "Traceback" not in result.output
        assert "run the same command again" not in result.output  # resuming could never work


def test_reading_commands_never_create_a_database(tmp_path: Path) -> None:
    missing = tmp_path / "typo.db"
    with pytest.raises(DatabaseMissing):
        open_db(str(missing), create=False)
    for command in (["search"], ["quotes"], ["events"], ["actors"], ["export", "--out", str(tmp_path / "e.jsonl")]):
        result = runner.invoke(app, [*command, "--db", str(missing)])
        assert result.exit_code == 2, result.output
        assert "no database at" in result.output
    assert not missing.exists() and not list(tmp_path.iterdir())


def test_an_empty_database_is_no_knowledge_base_to_read(db_url: str) -> None:
    if "://" not in db_url:
        Path(db_url).touch()  # an empty file: SQLite would happily make tables in it
    with pytest.raises(DatabaseMissing, match="no dateline knowledge base"):
        open_db(db_url, create=False)
    open_db(db_url).dispose()  # ingest may make one
    open_db(db_url, create=False).dispose()


def test_a_file_that_is_not_a_database_is_named_so(tmp_path: Path) -> None:
    path = tmp_path / "notes.txt"
    path.write_bytes(b"these are notes, not a database\n" * 100)
    result = runner.invoke(app, ["search", "--db", str(path)])
    assert result.exit_code == 2 and "not a SQLite database" in result.output


@pytest.mark.parametrize("value", ["2021-13-45", "2021-02-30", "notadate", "2021-2", "0000"])
def test_dates_that_do_not_exist_are_refused(kb: str, value: str) -> None:
    with pytest.raises(ValueError, match="exists"):
        query.Filters(since=value)
    for option in ("--since", "--until"):
        result = runner.invoke(app, ["events", option, value, "--db", kb])
        assert result.exit_code == 2 and "ISO date" in result.output, result.output
    assert query.Filters(since="2021-02-28", until="2024-02").until == "2024-02"


@pytest.mark.parametrize(("command", "value"), [(["search", "--limit"], "-5"), (["search", "--limit"], "0"),
                                                (["quotes", "--limit"], "1001"), (["events", "--offset"], "-1"),
                                                (["ingest", "examples", "--max-mb"], "-1"),
                                                (["ingest", "examples", "--max-mb"], "0")])
def test_limits_out_of_range_are_refused(kb: str, command: list[str], value: str) -> None:
    result = runner.invoke(app, [*command, value, "--db", kb])
    assert result.exit_code == 2, result.output
    assert "Invalid value" in result.output


def test_export_to_a_missing_folder_says_so(kb: str) -> None:
    result = runner.invoke(app, ["export", "--out", "/no/such/dir/e.parquet", "--format", "parquet", "--db", kb])
    assert result.exit_code == 2, result.output
    assert "does not exist" in result.output and "Traceback" not in result.output


def test_failure_kinds_keep_their_numbers() -> None:
    kind = reason_kind("file is 25.3 MB, over the 20 MB limit for one article (raise --max-mb to read it)")
    assert kind == "file is N MB, over the N MB limit for one article"
    assert reason_kind("WARC record 17 is over the 20 MB limit; skipped") == reason_kind(
        "WARC record 9 is over the 20 MB limit; skipped")


def test_writes_beside_another_writer_skip_what_it_stored(db_url: str) -> None:
    """The check-then-insert race of two ingests: an article stored between our look-up and our insert
    (simulated by a second connection) is a duplicate, not 'UNIQUE constraint failed'."""
    records = corpus()
    engine = open_db(db_url)
    with engine.begin() as conn:
        write_records(conn, records[:1])
    from dateline.store import write

    real = write._existing_ids
    try:
        write._existing_ids = lambda conn, ids: set()  # type: ignore[assignment]  # a look-up that came too early
        with engine.begin() as conn:
            stats = write_records(conn, records)
    finally:
        write._existing_ids = real  # type: ignore[assignment]
    assert (stats.inserted, stats.duplicates) == (len(records) - 1, 1)
    reference = open_db("sqlite://")  # the same records written once, with no race
    with reference.begin() as conn:
        write_records(conn, records)
    for kb in (engine, reference):
        with kb.connect() as conn:
            assert conn.execute(select(func.count()).select_from(schema.articles)).scalar_one() == len(records)
    with engine.connect() as conn, reference.connect() as ref:
        rows = "SELECT article_id, count(*) FROM entities GROUP BY article_id ORDER BY article_id"
        assert conn.execute(text(rows)).all() == ref.execute(text(rows)).all()
