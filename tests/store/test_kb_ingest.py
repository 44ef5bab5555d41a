"""Ingest: bad inputs become error rows, re-runs add nothing, kill -9 and a lost database resume cleanly."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from sqlalchemy import text

from dateline.store import open_db
from dateline.store.ingest import IngestError, ingest
from dateline.store.query import counts

REPO = Path(__file__).resolve().parents[2]
SHARED = REPO / ".." / "shared"
SEED = SHARED / "gold" / "seed" / "article.txt"


def _needs_shared() -> None:
    if not SEED.exists():
        pytest.skip("../shared is not here")


def _sources(engine) -> tuple[list[str], list[str]]:  # type: ignore[no-untyped-def]
    with engine.connect() as conn:
        articles = [s for (s,) in conn.execute(text("SELECT source_uri FROM articles"))]
        errors = [s for (s,) in conn.execute(text("SELECT source FROM ingest_errors"))]
    return articles, errors


def _body_ids(path: Path) -> set[str]:
    """Ids of the articles in a file, from cleaning alone: a duplicate is stored under another file's name."""
    from dateline.analyze import _to_article
    from dateline.clean.article import Article
    from dateline.ingest import read_inputs
    from dateline.record import article_id
    from dateline.settings import Options

    options = Options()
    cleaned = [_to_article(raw, options) for raw in read_inputs([str(path)], options)]
    return {article_id(a.body) for a in cleaned if isinstance(a, Article)}


def make_corpus(folder: Path, n: int) -> list[Path]:
    """n distinct short articles cut from the seed article (each with its own number)."""
    paragraphs = [p for p in SEED.read_text().split("\n\n") if len(p) > 200]
    folder.mkdir(parents=True, exist_ok=True)
    files = []
    for i in range(n):
        body = "\n\n".join(paragraphs[(i + k) % len(paragraphs)] for k in range(3))
        path = folder / f"story-{i:03d}.txt"
        path.write_text(f"Story number {i} from the border\n\nReport {i}. {body}\n")
        files.append(path)
    return files


@pytest.mark.slow
def test_bad_input_set_nothing_lost(db_url: str, tmp_path: Path, model_nlp) -> None:  # type: ignore[no-untyped-def]
    _needs_shared()
    bad = tmp_path / "bad"
    subprocess.run([sys.executable, str(SHARED / "tools" / "make_bad_inputs.py"), str(bad), "--big-mb", "5"],
                   check=True, capture_output=True)
    manifest = json.loads((bad / "manifest.json").read_text())
    engine = open_db(db_url)
    summary = ingest([str(bad)], engine, nlp=model_nlp)
    articles, errors = _sources(engine)
    with engine.connect() as conn:
        stored_ids = {i for (i,) in conn.execute(text("SELECT id FROM articles"))}
    for case in manifest:
        path = bad / case["file"]
        uri = "file://" + str(path)
        stored = any(s.startswith(uri) for s in articles) or _body_ids(path) & stored_ids  # or as a duplicate
        failed = any(s.startswith((uri, str(path))) for s in errors)
        if case["expect"] == "record":
            assert stored, case
        elif case["expect"] == "error":
            assert failed and not stored, case
        else:
            assert stored or failed, case
    assert summary.duplicates >= 1  # duplicate-of-good.txt, never stored twice
    assert counts(engine)["articles"] == summary.ingested == len(articles)
    assert len(errors) == summary.failures
    again = ingest([str(bad)], engine, nlp=model_nlp)
    assert (again.ingested, again.files) == (0, 0)  # unwalkable inputs (a symlink loop) are reported again …
    assert again.failures == len([s for s in errors if not s.startswith("file://")])
    assert _sources(engine) == (articles, errors)  # … but never stored twice


@pytest.mark.slow
def test_kill_9_mid_ingest_then_rerun_loses_and_duplicates_nothing(db_url: str, tmp_path: Path) -> None:
    _needs_shared()
    files = make_corpus(tmp_path / "corpus", 24)
    command = [sys.executable, "-m", "dateline", "ingest", str(tmp_path / "corpus"), "--db", db_url, "--quiet",
               "--batch-size", "2", "--commit-every", "2"]
    engine = open_db(db_url)
    victim = subprocess.Popen(command, cwd=tmp_path, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 300
    while time.monotonic() < deadline and victim.poll() is None:
        if counts(engine)["articles"] >= 4:
            break
        time.sleep(0.2)
    assert victim.poll() is None, "the ingest finished before it could be killed"
    os.kill(victim.pid, signal.SIGKILL)
    victim.wait()
    partial = counts(engine)["articles"]
    assert 4 <= partial < len(files)
    finished = subprocess.run(command, cwd=tmp_path, capture_output=True, text=True, timeout=600)
    assert finished.returncode == 0, finished.stderr
    articles, errors = _sources(engine)
    assert len(articles) + len(errors) == len(files)
    assert len(set(articles)) == len(articles) and len(set(errors)) == len(errors)
    assert "ingested" in finished.stderr


@pytest.mark.slow
@pytest.mark.postgres
def test_database_lost_mid_ingest_clear_error_then_resume(tmp_path: Path, model_nlp) -> None:  # type: ignore[no-untyped-def]
    _needs_shared()
    from dateline.store.pgtemp import PostgresUnavailable, TempPostgres

    files = make_corpus(tmp_path / "corpus", 8)
    try:
        server = TempPostgres().start()
    except PostgresUnavailable as exc:
        pytest.skip(str(exc))
    try:
        url = server.create_database("lost")
        engine = open_db(url)
        commits = []

        def halt_after_first_commit(summary, finished):  # type: ignore[no-untyped-def]
            commits.append(summary.ingested)
            if len(commits) == 1:
                server.halt()

        with pytest.raises(IngestError, match="run the same command again to resume"):
            ingest([str(tmp_path / "corpus")], engine, nlp=model_nlp, progress=halt_after_first_commit,
                   commit_every=2)
        server.launch()
        engine.dispose()
        assert counts(engine)["articles"] == 2
        summary = ingest([str(tmp_path / "corpus")], engine, nlp=model_nlp, commit_every=2)
        articles, errors = _sources(engine)
        assert len(articles) + len(errors) == len(files) and len(set(articles)) == len(articles)
        assert summary.ingested == len(articles) - 2
        engine.dispose()
    finally:
        server.stop()


def test_unreachable_database_is_a_clear_error(tmp_path: Path) -> None:
    result = subprocess.run([sys.executable, "-m", "dateline", "ingest", str(tmp_path), "--db",
                             "postgresql://nobody@127.0.0.1:9/none"], capture_output=True, text=True, timeout=120)
    assert result.returncode == 2
    assert "cannot open the database" in result.stderr
