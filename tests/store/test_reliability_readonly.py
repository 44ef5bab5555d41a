"""A knowledge base on a read-only filesystem (issue 17, item 2): a real read-only mount, since the tests run as
root in CI and root writes through ``chmod``. Read commands and ``serve`` work; nothing is written."""

from __future__ import annotations

import hashlib
import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from kb_records import corpus
from sqlalchemy import text
from typer.testing import CliRunner

from dateline.cli import app
from dateline.store import open_db
from dateline.store.migrations import CURRENT_VERSION
from dateline.store.write import write_records

runner = CliRunner()


def _mount(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(["mount", *args], capture_output=True, text=True)


@pytest.fixture
def mounted(tmp_path: Path) -> Iterator[Path]:
    """A fresh tmpfs mounted at a temporary folder (writable until ``remount_read_only``), unmounted after."""
    folder = tmp_path / "mnt"
    folder.mkdir()
    if os.geteuid() != 0:
        pytest.skip("mounting a read-only filesystem needs root (CI runs the suite as root)")
    made = _mount("-t", "tmpfs", "-o", "size=64m", "tmpfs", str(folder))
    if made.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here (no CAP_SYS_ADMIN?): {made.stderr.strip()}")
    try:
        yield folder
    finally:
        subprocess.run(["umount", "-l", str(folder)], capture_output=True)


def remount_read_only(folder: Path) -> None:
    done = _mount("-o", "remount,ro", str(folder))
    assert done.returncode == 0, done.stderr
    with pytest.raises(OSError):  # the mount refuses root too, unlike chmod
        (folder / "probe").write_text("x")


def _kb(folder: Path, *, drop_last_migration: bool = False) -> str:
    db = str(folder / "kb.db")
    engine = open_db(db)
    with engine.begin() as conn:
        write_records(conn, corpus())
        if drop_last_migration:  # as if made by an older dateline
            conn.execute(text("DELETE FROM schema_version WHERE version = :v"), {"v": CURRENT_VERSION})
    engine.dispose()
    return db


def _digest(folder: Path) -> dict[str, str]:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.iterdir())}


def test_read_commands_work_on_a_read_only_mount(mounted: Path, tmp_path: Path) -> None:
    db = _kb(mounted)
    remount_read_only(mounted)
    before = _digest(mounted)
    result = runner.invoke(app, ["search", "Taliban", "--db", db, "--format", "json"])
    assert result.exit_code == 0, result.output
    assert '"title"' in result.output
    for command in (["quotes"], ["events"], ["actors"], ["search", "--since", "2021-08"]):
        result = runner.invoke(app, [*command, "--db", db, "--format", "json"])
        assert result.exit_code == 0, (command, result.output)
    out = tmp_path / "records.jsonl"
    result = runner.invoke(app, ["export", "--out", str(out), "--db", db])
    assert result.exit_code == 0, result.output
    assert len(out.read_text().splitlines()) == len(corpus())
    result = runner.invoke(app, ["ingest", str(out), "--db", db])  # writing is refused up front, with the reason
    assert result.exit_code == 2 and "cannot be written here" in result.output, result.output
    assert _digest(mounted) == before  # no -wal, no -shm, not a byte changed


def test_serve_answers_from_a_read_only_mount(mounted: Path) -> None:
    db = _kb(mounted)
    remount_read_only(mounted)
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    server = subprocess.Popen([sys.executable, "-m", "dateline", "serve", "--db", db, "--port", str(port)],
                              stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        deadline, answer = time.monotonic() + 60, None
        while time.monotonic() < deadline and server.poll() is None:
            try:
                answer = httpx.get(f"http://127.0.0.1:{port}/api/counts", timeout=2)
                break
            except httpx.HTTPError:
                time.sleep(0.3)
        assert answer is not None, server.stdout.read() if server.stdout and server.poll() is not None else "no answer"
        assert answer.status_code == 200 and answer.json()["articles"] == len(corpus())
        page = httpx.get(f"http://127.0.0.1:{port}/api/search?q=Taliban", timeout=10)
        assert page.status_code == 200 and page.json()["total"] >= 1
    finally:
        server.terminate()
        server.wait(timeout=10)


def test_an_older_schema_on_a_read_only_mount_is_named_with_the_fix(mounted: Path) -> None:
    db = _kb(mounted, drop_last_migration=True)
    remount_read_only(mounted)
    result = runner.invoke(app, ["quotes", "--db", db])
    assert result.exit_code == 2, result.output
    assert "older than version" in result.output and "read-only" in result.output
