"""Writers sharing one database (issue 17, item 3), in real processes: two openers of a fresh database, two writers
of the same articles in opposite orders, and two real ``dateline ingest`` runs; on both engines."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from sqlalchemy import text

from dateline.store import open_db
from dateline.store.migrations import CURRENT_VERSION

REPO = Path(__file__).resolve().parents[2]
HERE = Path(__file__).resolve().parent

# One writer: waits for the common start, opens the database (fresh: both create it at once), then writes every
# record in batches of five, in the given order, each batch its own transaction (as ingest commits).
WRITER = r"""
import json, sys, time
sys.path.insert(0, sys.argv[4])
from kb_records import make_record
from dateline.store import open_db
from dateline.store.dedup import StoryIndex
from dateline.store.write import write_records
url, start, order = sys.argv[1], float(sys.argv[2]), sys.argv[3]
records = [make_record(f"Story number {n}: officials in town {n} said the road to valley {n} would reopen.",
                       title=f"Story {n}") for n in range(40)]
if order == "backward":
    records.reverse()
time.sleep(max(0.0, start - time.time()))
engine = open_db(url)
inserted = duplicates = 0
for i in range(0, len(records), 5):
    with engine.begin() as conn:
        stats = write_records(conn, records[i:i + 5], stories=StoryIndex())
    inserted, duplicates = inserted + stats.inserted, duplicates + stats.duplicates
print(json.dumps({"inserted": inserted, "duplicates": duplicates}))
"""


def _run_together(args: list[list[str]], timeout: float = 240) -> list[subprocess.CompletedProcess[str]]:
    processes = [subprocess.Popen(a, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=REPO,
                                  env={**os.environ, "PYTHONPATH": str(REPO)}) for a in args]
    done = []
    for p in processes:
        out, err = p.communicate(timeout=timeout)
        done.append(subprocess.CompletedProcess(p.args, p.returncode, out, err))
    return done


@pytest.mark.parametrize("orders", [("forward", "forward"), ("forward", "backward")], ids=["same-order", "opposite"])
def test_two_writers_on_a_fresh_database_both_finish_with_no_loss_and_no_duplicate(
        db_url: str, orders: tuple[str, str]) -> None:
    """Same order: each batch is looked up by both before either commits. Opposite orders: the two lock the
    same rows in reverse (a deadlock without the writers' lock on PostgreSQL)."""
    start = time.time() + 4  # both interpreters are up by then: they open the fresh database at the same moment
    runs = _run_together([[sys.executable, "-c", WRITER, db_url, str(start), order, str(HERE)] for order in orders])
    for run in runs:
        assert run.returncode == 0, run.stderr[-2000:]
    results = [json.loads(run.stdout.splitlines()[-1]) for run in runs]
    assert sum(r["inserted"] for r in results) == 40  # each article stored by exactly one of them
    assert sum(r["duplicates"] for r in results) == 40  # and found stored by the other
    engine = open_db(db_url, create=False)
    with engine.connect() as conn:
        assert conn.execute(text("SELECT count(*), count(DISTINCT id) FROM articles")).one() == (40, 40)
        assert conn.execute(text("SELECT count(*) FROM removed")).scalar_one() == 40  # parts written once each
        assert conn.execute(text("SELECT count(*) FROM signatures")).scalar_one() == 40
        versions = conn.execute(text("SELECT version FROM schema_version ORDER BY version")).scalars().all()
    assert versions == list(range(1, CURRENT_VERSION + 1))  # every migration applied once


@pytest.mark.slow
def test_two_ingests_of_the_same_inputs_share_one_database(db_url: str, tmp_path: Path) -> None:
    """The reported failures: 'table place_mentions already exists' on a fresh file, 'UNIQUE constraint failed:
    articles.id' on an existing one. Both ingests now finish; every article is stored once."""
    inputs = tmp_path / "in"
    inputs.mkdir()
    names = sorted(p.name for p in (REPO / "examples").iterdir() if p.suffix in (".txt", ".html"))[:4]
    for name in names:
        (inputs / name).write_bytes((REPO / "examples" / name).read_bytes())
    command = [sys.executable, "-m", "dateline", "ingest", str(inputs), "--db", db_url, "--quiet"]
    runs = _run_together([command, command], timeout=600)
    for run in runs:
        assert run.returncode == 0, run.stderr[-2000:]
        assert "Traceback" not in run.stderr
    engine = open_db(db_url, create=False)
    with engine.connect() as conn:
        articles, distinct = conn.execute(text("SELECT count(*), count(DISTINCT id) FROM articles")).one()
        journal = conn.execute(text("SELECT count(*) FROM ingest_journal")).scalar_one()
    assert articles == distinct == len(names) and journal == len(names)
