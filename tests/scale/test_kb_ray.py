"""Ray Data path: a real local Ray; results equal the single-process path."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import text

from dateline.store import open_db
from dateline.store.ingest import ingest

SEED = Path(__file__).resolve().parents[2] / ".." / "shared" / "gold" / "seed" / "article.txt"


def _corpus(folder: Path, n: int) -> None:
    paragraphs = [p for p in SEED.read_text().split("\n\n") if len(p) > 200]
    folder.mkdir()
    for i in range(n):
        body = "\n\n".join(paragraphs[(i + k) % len(paragraphs)] for k in range(2))
        (folder / f"story-{i:02d}.txt").write_text(f"Story number {i}\n\nReport {i}. {body}\n")
    (folder / "empty.txt").write_text("")
    (folder / "copy.txt").write_text((folder / "story-00.txt").read_text())


def _stored(db: str) -> tuple[list[tuple[str, str, str]], list[str]]:
    engine = open_db(db)
    with engine.connect() as conn:
        articles = [tuple(r) for r in conn.execute(text("SELECT id, story_id, record FROM articles ORDER BY id"))]
        errors = sorted(r for (r,) in conn.execute(text("SELECT reason FROM ingest_errors")))
    return articles, errors  # type: ignore[return-value]


@pytest.fixture(scope="module")
def local_ray():  # type: ignore[no-untyped-def]
    ray = pytest.importorskip("ray")
    ray.init(num_cpus=2, include_dashboard=False, log_to_driver=False, object_store_memory=256 * 2**20)
    yield ray
    ray.shutdown()


@pytest.mark.ray
@pytest.mark.slow
def test_ray_ingest_equals_single_process(tmp_path: Path, local_ray, model_nlp) -> None:  # type: ignore[no-untyped-def]
    if not SEED.exists():
        pytest.skip("../shared is not here")
    from dateline.scale.ray_ingest import ray_ingest

    _corpus(tmp_path / "in", 6)
    local_db, ray_db = str(tmp_path / "local.db"), str(tmp_path / "ray.db")
    local = ingest([str(tmp_path / "in")], open_db(local_db), nlp=model_nlp)
    distributed = ray_ingest([str(tmp_path / "in")], db=ray_db, workers=2, components=(), files_per_batch=2)
    assert (distributed.ingested, distributed.duplicates, distributed.failures) == (
        local.ingested, local.duplicates, local.failures) == (6, 1, 1)
    assert _stored(ray_db) == _stored(local_db)
    again = ray_ingest([str(tmp_path / "in")], db=ray_db, workers=2, components=())
    assert (again.ingested, again.files, again.files_skipped) == (0, 0, 8)

    parquet = ray_ingest([str(tmp_path / "in")], db=None, parquet=tmp_path / "pq", workers=2, components=())
    import pyarrow.parquet as pq

    table = pq.read_table(tmp_path / "pq" / "records.parquet").to_pylist()
    assert parquet.ingested == sum(r["ok"] for r in table) == 6


@pytest.mark.ray
@pytest.mark.slow
def test_ray_spreads_one_big_jsonl_file(tmp_path: Path, local_ray, model_nlp) -> None:  # type: ignore[no-untyped-def]
    """One JSON Lines file is cut into spans of lines for the actors; stored as by one process, journaled once."""
    if not SEED.exists():
        pytest.skip("../shared is not here")
    import json

    from dateline.scale.ray_ingest import _work_rows, ray_ingest
    from dateline.store.ingest import plan_inputs

    paragraphs = [p for p in SEED.read_text().split("\n\n") if len(p) > 200]
    lines = [json.dumps({"url": f"https://example.org/{i}", "title": f"Story {i}",
                         "text": f"Report {i}. " + "\n\n".join(paragraphs[(i + k) % len(paragraphs)] for k in range(2))})
             for i in range(10)]
    lines[4] = "{not json"
    lines.append(lines[2])  # a copy within the file
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "wire.jsonl").write_text("\n".join(lines) + "\n")
    files, _, _ = plan_inputs([str(tmp_path / "in")], open_db("sqlite://"))
    assert len(_work_rows(files, 1000)) > 4
    local_db, ray_db = str(tmp_path / "local.db"), str(tmp_path / "ray.db")
    local = ingest([str(tmp_path / "in")], open_db(local_db), nlp=model_nlp)
    distributed = ray_ingest([str(tmp_path / "in")], db=ray_db, workers=2, components=(), files_per_batch=1,
                             piece_bytes=1000, block_bytes=1000)
    assert (distributed.ingested, distributed.duplicates, distributed.failures) == (
        local.ingested, local.duplicates, local.failures) == (9, 1, 1)
    assert _stored(ray_db) == _stored(local_db)
    with open_db(ray_db).connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM ingest_journal")).scalar() == 1
    again = ray_ingest([str(tmp_path / "in")], db=ray_db, workers=2, components=(), piece_bytes=1000)
    assert (again.ingested, again.files, again.files_skipped) == (0, 0, 1)


def test_ray_results_to_retry_keep_their_file_out_of_the_journal() -> None:
    """The driver's side of the Ray path: a file with a crashed analysis is not reported finished."""
    import json

    from dateline.scale.ray_ingest import _pairs

    def row(path: str, *results: dict[str, object], span: tuple[int, int] = (-1, -1)) -> dict[str, object]:
        return {"path": path, "size": 10, "mtime_ns": 1, "start": span[0], "end": span[1], "first_line": 1,
                "results": json.dumps(list(results))}

    stored = {"ok": True, "source": "a.jsonl#1", "record": {"id": "x"}, "error": None, "retry": False}
    crashed = {"ok": False, "source": "a.jsonl#2", "record": None, "error": "NLP failed: MemoryError: ", "retry": True}
    bad = {"ok": False, "source": "b.txt", "record": None, "error": "empty file", "retry": False}
    pairs = list(_pairs([row("a.jsonl", stored, crashed), row("b.txt", bad), row("c.txt")], unreadable_results=[]))
    assert [(r.source, r.retry, [f.path for f in done]) for r, done in pairs] == [
        ("a.jsonl#1", False, []), ("a.jsonl#2", True, []), ("b.txt", False, ["b.txt"]), ("c.txt", False, ["c.txt"])]
    # Spans of one file: finished with the last one, and not at all when an earlier span has a result to retry.
    spans = list(_pairs([row("d.jsonl", stored, span=(0, 4)), row("d.jsonl", span=(4, 10)),
                         row("e.jsonl", crashed, span=(0, 4)), row("e.jsonl", stored, span=(4, 10))],
                        unreadable_results=[]))
    assert [[f.path for f in done] for _, done in spans] == [[], ["d.jsonl"], [], []]
    assert spans[1][1][0].span is None and spans[1][1][0].size == 10
