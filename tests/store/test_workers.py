"""``--workers N``: worker processes give the same database and the same JSONL as one process; a worker that
dies costs its batch a retry, never the run; kill -9 of the main process resumes cleanly and leaves no worker
behind; the reader stays a bounded number of batches ahead."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from spacy.language import Language
from spacy.tokens import Doc
from sqlalchemy import Engine, MetaData, select, text
from typer.testing import CliRunner

from dateline.ingest.rawdoc import RawDoc
from dateline.settings import Options
from dateline.store import open_db
from dateline.store.ingest import ingest
from dateline.store.query import counts

REPO = Path(__file__).resolve().parents[2]
SEED = REPO / ".." / "shared" / "gold" / "seed" / "article.txt"
KILL_PIPE = "test_kill_worker_on_marker"
TEST_PROCESS = os.getpid()
# Columns that say when a row was written, not what it holds.
CLOCK_COLUMNS = {"ingested_at", "at", "applied_at"}


@Language.factory(KILL_PIPE, default_config={"marker": ""})
def make_kill_on_marker(nlp: Language, name: str, marker: str) -> Callable[[Doc], Doc]:
    """A component that kills its own process (as the kernel's out-of-memory killer would) on ``marker``,
    only inside a worker process: the test process itself is never the victim."""

    def kill_on_marker(doc: Doc) -> Doc:
        if marker in doc.text and os.getpid() != TEST_PROCESS:
            os.kill(os.getpid(), signal.SIGKILL)
        return doc

    return kill_on_marker


SLOW_PIPE = "test_slow_on_marker"


@Language.factory(SLOW_PIPE, default_config={"marker": "", "seconds": 1.0})
def make_slow_on_marker(nlp: Language, name: str, marker: str, seconds: float) -> Callable[[Doc], Doc]:
    """A component that takes ``seconds`` over a document containing ``marker`` (a long article)."""

    def slow_on_marker(doc: Doc) -> Doc:
        if marker in doc.text:
            time.sleep(seconds)
        return doc

    return slow_on_marker


@pytest.fixture
def killing(model_nlp: Language) -> Iterator[Callable[[str], None]]:
    def add(marker: str) -> None:
        model_nlp.add_pipe(KILL_PIPE, config={"marker": marker})

    yield add
    if KILL_PIPE in model_nlp.pipe_names:
        model_nlp.remove_pipe(KILL_PIPE)


def whole_database(engine: Engine) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every table (whatever tables the migrations made), clock columns left out."""
    metadata = MetaData()
    metadata.reflect(engine)
    out: dict[str, list[tuple[Any, ...]]] = {}
    with engine.connect() as conn:
        for table in metadata.sorted_tables:
            columns = [c for c in table.columns if c.name not in CLOCK_COLUMNS]
            out[table.name] = sorted((tuple(r) for r in conn.execute(select(*columns))), key=repr)
    return out


@pytest.fixture
def reference_url(db_url: str, request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """A second fresh database on the same engine as ``db_url``, for the single-process run."""
    if not db_url.startswith("postgresql"):
        return str(tmp_path / "reference.db")
    server = request.getfixturevalue("postgres_server")
    return server.create_database(f"reference_{uuid.uuid4().hex[:12]}")  # type: ignore[no-any-return]


def examples_copy(tmp_path: Path) -> Path:
    """The demo corpus (HTML, text, JSON Lines, a feed, a WARC, a French text, a duplicate)."""
    folder = tmp_path / "examples"
    shutil.copytree(REPO / "examples", folder)
    return folder


def test_workers_store_the_same_database_as_one_process(db_url: str, reference_url: str, tmp_path: Path) -> None:
    from dateline.nlp.pipeline import load_nlp

    folder = examples_copy(tmp_path)
    nlp = load_nlp()
    options = Options(batch_size=2)  # many small batches: they finish out of order
    one = open_db(reference_url)
    single = ingest([str(folder)], one, options, nlp=nlp, commit_every=3)
    many = open_db(db_url)
    parallel = ingest([str(folder)], many, options, nlp=nlp, commit_every=3, workers=2)
    assert single.ingested > 10 and single.duplicates >= 1
    assert (parallel.as_dict() | {"seconds": 0}) == (single.as_dict() | {"seconds": 0})
    assert whole_database(many) == whole_database(one)
    again = ingest([str(folder)], many, options, nlp=nlp, workers=2)
    assert (again.ingested, again.files) == (0, 0)


def test_analyze_jsonl_is_the_same_in_input_order(tmp_path: Path) -> None:
    from dateline.cli import app

    folder = examples_copy(tmp_path)
    outputs = []
    for workers in ("1", "2"):
        out = tmp_path / f"out-{workers}.jsonl"
        result = CliRunner().invoke(app, ["analyze", str(folder), "--json", "--out", str(out), "--workers", workers])
        assert result.exit_code in (0, 1), result.output
        outputs.append(out.read_text(encoding="utf-8"))
    assert outputs[0] == outputs[1]
    records = [json.loads(line) for line in outputs[0].splitlines()]
    assert len(records) > 10
    duplicates = [r for r in records if r.get("duplicate_of")]
    assert duplicates and all(any(n.startswith("duplicate of ") for n in r["notes"]) for r in duplicates)


def _story_files(folder: Path, n: int) -> list[Path]:
    if not SEED.exists():
        pytest.skip("../shared is not here")
    paragraphs = [p for p in SEED.read_text().split("\n\n") if len(p) > 200]
    folder.mkdir(parents=True, exist_ok=True)
    files = []
    for i in range(n):
        body = "\n\n".join(paragraphs[(i + k) % len(paragraphs)] for k in range(2))
        path = folder / f"story-{i:03d}.txt"
        path.write_text(f"Story number {i}\n\nReport {i}. {body}\n")
        files.append(path)
    return files


def _journal(engine: Engine) -> list[str]:
    with engine.connect() as conn:
        return sorted(Path(p).name for (p,) in conn.execute(text("SELECT path FROM ingest_journal")))


def test_a_worker_that_dies_costs_its_batch_a_retry_never_the_run(
        db_url: str, reference_url: str, model_nlp: Language, killing: Callable[[str], None], tmp_path: Path) -> None:
    folder = tmp_path / "in"
    _story_files(folder, 12)
    options = Options(batch_size=2)  # batches of two files: story-004 and story-005 share one
    engine = open_db(db_url)
    killing("Report 5.")
    first = ingest([str(folder)], engine, options, nlp=model_nlp, commit_every=2, workers=2)
    assert (first.ingested, first.failures, first.to_retry) == (10, 2, 2)
    assert first.failed == {"worker process died": 2}
    assert _journal(engine) == [f"story-{i:03d}.txt" for i in range(12) if i not in (4, 5)]
    model_nlp.remove_pipe(KILL_PIPE)
    second = ingest([str(folder)], engine, options, nlp=model_nlp, commit_every=2, workers=2)
    assert (second.files, second.files_skipped, second.ingested, second.failures) == (2, 10, 2, 0)
    reference = open_db(reference_url)
    ingest([str(folder)], reference, options, nlp=model_nlp)
    # Stored in another order than by one run (row ids differ), the same records, no error rows left.
    assert _stored(engine) == _stored(reference)


def _stored(engine: Engine) -> dict[str, list[Any]]:
    with engine.connect() as conn:
        return {"articles": sorted(tuple(r) for r in conn.execute(text("SELECT id, source_uri, record FROM articles"))),
                "errors": sorted(tuple(r) for r in conn.execute(text("SELECT source, reason FROM ingest_errors"))),
                "journal": _journal(engine)}


def _children(pid: int) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            if int(stat.rsplit(")", 1)[1].split()[1]) == pid:
                found.append(int(entry.name))
    return found


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


@pytest.mark.slow
def test_kill_9_of_the_main_process_resumes_and_leaves_no_worker(db_url: str, tmp_path: Path) -> None:
    files = _story_files(tmp_path / "corpus", 24)
    command = [sys.executable, "-m", "dateline", "ingest", str(tmp_path / "corpus"), "--db", db_url, "--quiet",
               "--batch-size", "2", "--commit-every", "2", "--workers", "2"]
    engine = open_db(db_url)
    victim = subprocess.Popen(command, cwd=tmp_path, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 300
    while time.monotonic() < deadline and victim.poll() is None and counts(engine)["articles"] < 4:
        time.sleep(0.2)
    assert victim.poll() is None, "the ingest finished before it could be killed"
    workers = _children(victim.pid)
    assert workers, "no worker processes"
    os.kill(victim.pid, signal.SIGKILL)
    victim.wait()
    partial = counts(engine)["articles"]
    assert 4 <= partial < len(files)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and any(_alive(pid) for pid in workers):
        time.sleep(0.2)
    assert not any(_alive(pid) for pid in workers), "a worker outlived the killed ingest"
    finished = subprocess.run(command, cwd=tmp_path, capture_output=True, text=True, timeout=600)
    assert finished.returncode == 0, finished.stderr
    with engine.connect() as conn:
        stored = sorted(s for (s,) in conn.execute(text("SELECT source_uri FROM articles")))
    assert len(stored) == len(set(stored)) == len(files)
    assert _journal(engine) == sorted(f.name for f in files)


def test_reading_stays_a_bounded_number_of_batches_ahead(model_nlp: Language) -> None:
    from dateline.scale.processes import IN_FLIGHT_PER_WORKER, analyze_in_workers

    read = 0

    def items() -> Iterator[RawDoc]:
        nonlocal read
        for i in range(60):
            read += 1
            yield RawDoc(uri=f"mem://{i}", content=f"Report {i}. The minister said the road would reopen soon.",
                         format="txt", meta={})

    options = Options(batch_size=3)
    bound = (IN_FLIGHT_PER_WORKER * 2 + 1) * options.batch_size
    returned = 0
    for result in analyze_in_workers(items(), options, workers=2, nlp=model_nlp):
        returned += 1
        assert result.ok, result.error
        assert read - returned <= bound
    assert returned == read == 60


def test_a_slow_first_batch_fills_the_window_and_the_run_still_ends(model_nlp: Language) -> None:
    """The first batch finishes last, after the others filled the read-ahead window: once it is yielded, the
    idle workers get the rest (this hung before: nothing was busy, nothing was handed out)."""
    import threading

    from dateline.scale.processes import analyze_in_workers

    items = [RawDoc(uri=f"mem://{i}", content=f"Report {i}. The minister said the road would reopen soon.",
                    format="txt", meta={}) for i in range(14)]
    model_nlp.add_pipe(SLOW_PIPE, config={"marker": "Report 0.", "seconds": 3.0})
    results: list[Any] = []
    try:
        runner = threading.Thread(target=lambda: results.extend(
            analyze_in_workers(items, Options(batch_size=1), workers=2, nlp=model_nlp)), daemon=True)
        runner.start()
        runner.join(120)
    finally:
        model_nlp.remove_pipe(SLOW_PIPE)
    assert not runner.is_alive(), "the run never ended"
    assert [r.source for r in results] == [i.uri for i in items]
