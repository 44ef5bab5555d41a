"""The knowledge-base commands through Typer's runner, and the SQLite file served by a real Datasette."""

from __future__ import annotations

import json
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pyarrow.parquet as pq
import pytest
from kb_records import corpus
from typer.testing import CliRunner

from dateline.cli import app
from dateline.store import open_db
from dateline.store.write import write_records

runner = CliRunner()


@pytest.fixture
def kb(db_url: str) -> str:
    engine = open_db(db_url)
    with engine.begin() as conn:
        write_records(conn, corpus())
    engine.dispose()
    return db_url


def _json_lines(output: str) -> list[dict]:
    return [json.loads(line) for line in output.splitlines() if line.strip()]


def test_search_quotes_events_actors_commands(kb: str) -> None:
    result = runner.invoke(app, ["search", "Taliban", "--db", kb, "--format", "json"])
    assert result.exit_code == 0, result.output
    assert {r["title"] for r in _json_lines(result.stdout)} == {"Khan rejects claims", "Border stays open"}
    result = runner.invoke(app, ["quotes", "--anonymous", "--db", kb, "--format", "json"])
    assert [q["speaker_name"] for q in _json_lines(result.stdout)] == ["A senior official"]
    result = runner.invoke(app, ["quotes", "--actor", "O'Brien", "--db", kb, "--format", "csv"])
    assert result.exit_code == 0 and "100% of the budget was spent" in result.stdout
    result = runner.invoke(app, ["events", "--type", "ACCUSE", "--db", kb, "--format", "json"])
    assert [e["place_name"] for e in _json_lines(result.stdout)] == ["Quetta"]
    result = runner.invoke(app, ["actors", "--db", kb, "--format", "table", "--limit", "2"])
    assert result.exit_code == 0 and "Imran Khan" in result.stdout and "2 of 4" in result.stdout
    result = runner.invoke(app, ["search", "--since", "2021-08", "--until", "2021-08-15", "--db", kb,
                                 "--format", "json"])
    assert [r["title"] for r in _json_lines(result.stdout)] == ["Border stays open"]


def test_export_command(kb: str, tmp_path: Path) -> None:
    out = tmp_path / "events.parquet"
    result = runner.invoke(app, ["export", "--format", "parquet", "--table", "gdelt", "--out", str(out), "--db", kb])
    assert result.exit_code == 0, result.output
    assert sorted(pq.read_table(out).column("EventType").to_pylist()) == ["ACCUSE", "AID"]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def test_sqlite_file_opens_in_datasette(tmp_path: Path) -> None:
    path = tmp_path / "kb.db"
    engine = open_db(str(path))
    with engine.begin() as conn:
        write_records(conn, corpus())
    engine.dispose()
    port = _free_port()
    datasette = Path(sys.executable).parent / "datasette"
    server = subprocess.Popen([str(datasette), "serve", str(path), "-p", str(port), "-h", "127.0.0.1"],
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        url = f"http://127.0.0.1:{port}/kb/quotes.json?_shape=array&anonymous=1"
        deadline = time.monotonic() + 60
        while True:
            try:
                response = httpx.get(url, timeout=5)
                break
            except httpx.TransportError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.3)
        assert response.status_code == 200
        rows = response.json()
        assert [r["anonymity_reason"] for r in rows] == ["because he was not authorised to speak"]
        search = httpx.get(f"http://127.0.0.1:{port}/kb/articles.json?_shape=array&_search=Brien", timeout=10)
        assert [r["title"] for r in search.json()] == ["O'Brien's 100% budget"]
    finally:
        server.terminate()
        server.wait(10)
