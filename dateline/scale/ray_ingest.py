"""``dateline ingest --engine ray``: Ray Data spreads input files over actors that load the pipeline once.

Each actor runs ``dateline.analyze.analyze_raw`` (the single-process code) over its files and
returns their results as JSON; the driver writes them with the same writer and journal as the local
path, or to Parquet. Order is preserved, so story grouping and ids come out as in one process.
A big JSON Lines file is cut into spans of whole lines (``line_spans``) so one file is spread over
every actor too; it is journaled once its last span is back.
"""

from __future__ import annotations

import json
import time
from collections.abc import Iterable, Iterator
from contextlib import suppress
from dataclasses import asdict, replace
from pathlib import Path
from typing import Any

from dateline.analyze import Result, analyze_raw
from dateline.ingest.detect import detect_format
from dateline.ingest.jsonl import LineSpan, line_spans
from dateline.settings import Options
from dateline.store.db import open_db
from dateline.store.ingest import (
    COMMIT_EVERY,
    DUPLICATE_PREFIX,
    FileTracker,
    IngestSummary,
    InputFile,
    KnowledgeBaseWriter,
    Progress,
    plan_inputs,
    write_results,
)


class AnalyzeFiles:
    """A Ray actor: the pipeline is built once in ``__init__``, then every batch of files goes through it."""

    def __init__(self, options: Options, components: tuple[str, ...] | None = None) -> None:
        from dateline.nlp.pipeline import build_nlp, load_nlp

        self.options = options
        self.nlp = load_nlp() if components is None else build_nlp(components)

    def __call__(self, batch: dict[str, Any]) -> dict[str, list[Any]]:
        files = [_input_file(dict(zip(batch, values, strict=True))) for values in zip(*batch.values(), strict=True)]
        by_file: dict[InputFile, list[dict[str, Any]]] = {f: [] for f in files}
        tracker = FileTracker(files, self.options)
        for result in analyze_raw(tracker.items(), self.options, nlp=self.nlp):
            owner = tracker.returned(result)
            if result.record is not None or not result.ok:
                by_file[owner].append(asdict(result))
        return {**{column: list(values) for column, values in batch.items()},
                "results": [json.dumps(by_file[f], ensure_ascii=False) for f in files]}


def _work_rows(files: list[InputFile], piece_bytes: int) -> list[dict[str, Any]]:
    """One row per file, or per span of whole lines of a plain JSON Lines file bigger than ``piece_bytes``.

    ``start`` is -1 for a whole file (Arrow columns take one type)."""
    rows = []
    for f in files:
        spans: list[LineSpan] = []
        if f.size > piece_bytes and detect_format(f.path) == "jsonl" and not f.path.lower().endswith(".gz"):
            with suppress(OSError):  # unreadable now: read whole by an actor, which reports why it cannot
                spans = line_spans(f.path, piece_bytes)
        for span in spans if len(spans) > 1 else [LineSpan(-1, -1, 1)]:
            rows.append({"path": f.path, "size": f.size, "mtime_ns": f.mtime_ns, "start": span.start,
                         "end": span.end, "first_line": span.first_line})
    return rows


def _input_file(row: dict[str, Any]) -> InputFile:
    span = LineSpan(int(row["start"]), int(row["end"]), int(row["first_line"])) if row["start"] >= 0 else None
    return InputFile(str(row["path"]), int(row["size"]), int(row["mtime_ns"]), span)


def ray_ingest(paths: Iterable[str], *, db: str | None, options: Options | None = None, address: str | None = None,
               workers: int = 2, parquet: Path | None = None, components: tuple[str, ...] | None = None,
               progress: Progress | None = None, commit_every: int = COMMIT_EVERY,
               files_per_batch: int = 16, piece_bytes: int = 64 * 1024, block_bytes: int = 256 * 1024
               ) -> IngestSummary:
    import ray

    options = options or Options()
    started = time.perf_counter()
    engine = open_db(db) if parquet is None and db is not None else None
    if engine is not None:
        files, unreadable, skipped = plan_inputs(paths, engine)
    else:
        files, unreadable, skipped = plan_inputs(paths, open_db("sqlite://"))  # an empty journal: read everything
    started_ray = not ray.is_initialized()
    if started_ray:
        if address:
            ray.init(address=address, log_to_driver=False)
        else:
            ray.init(num_cpus=workers, include_dashboard=False, log_to_driver=False,
                     object_store_memory=256 * 2**20)
    try:
        context = ray.data.DataContext.get_current()
        context.execution_options.preserve_order = True
        # No progress bars from Ray Data: the writer shows ours, and on a small machine every CPU second the
        # driver spends is taken from an actor.
        context.execution_options.verbose_progress = False
        context.enable_progress_bars = False
        summary = IngestSummary(files=len(files), files_skipped=skipped)
        rows = _work_rows(files, piece_bytes)
        # Blocks of at most about files_per_batch files and block_bytes, but never fewer blocks than workers
        # (while there are rows): a block goes to one actor, so a handful of files must still be spread.
        size = sum(f.size for f in files)
        blocks = max(1, min(len(rows), max(workers, -(-len(rows) // files_per_batch), -(-size // block_bytes))))
        analyzed = ray.data.from_items(rows, override_num_blocks=blocks).map_batches(
            AnalyzeFiles, fn_constructor_kwargs={"options": options, "components": components},
            batch_size=files_per_batch, compute=ray.data.ActorPoolStrategy(size=workers), num_cpus=1)
        pairs = _pairs(analyzed.iter_rows(),
                       unreadable_results=[Result(False, u.uri, error=u.error) for u in unreadable])
        if parquet is not None:
            return _write_parquet(pairs, parquet, summary, started)
        assert engine is not None
        return write_results(pairs, KnowledgeBaseWriter(engine, summary), started=started, progress=progress,
                             commit_every=commit_every)
    finally:
        if started_ray:
            # Only a session this call started: a caller's own session (tests, notebooks) stays up. Shutting
            # down here is also quicker than Ray's exit hook, which a one-shot CLI run would otherwise wait on.
            ray.shutdown()


def _pairs(rows: Iterable[dict[str, Any]], unreadable_results: list[Result]
           ) -> Iterator[tuple[Result, list[InputFile]]]:
    """Rows from the actors back into the (Result, files finished) pairs the writer takes.

    A file is finished with its last row (its last span; rows come back in order). A file with a result to
    retry in any of its rows stays out of the journal, as on the local path."""
    for result in unreadable_results:
        yield result, []
    to_retry: set[str] = set()
    for row in rows:
        f = _input_file(row)
        results = [Result(**r) for r in json.loads(row["results"])]
        if any(r.retry for r in results):
            to_retry.add(f.path)
        for result in results[:-1]:
            yield result, []
        last = f.span is None or f.span.end >= f.size
        done = [replace(f, span=None)] if last and f.path not in to_retry else []
        yield (results[-1] if results else Result(True, f.path)), done


def _write_parquet(pairs: Iterable[tuple[Result, list[InputFile]]], out: Path, summary: IngestSummary,
                   started: float) -> IngestSummary:
    """Records (and failures) as Parquet rows: id, source, ok, error, record JSON."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    from dateline.store.write import reason_kind

    out.mkdir(parents=True, exist_ok=True)
    columns: dict[str, list[Any]] = {"id": [], "source": [], "ok": [], "error": [], "record": []}
    seen: set[str] = set()  # article ids written: a second copy is a duplicate, as in the database
    for result, _ in pairs:
        if result.ok and result.record is None:
            continue
        record = result.record or {}
        if (result.error or "").startswith(DUPLICATE_PREFIX) or record.get("id") in seen:
            summary.duplicates += 1
            continue
        if record:
            seen.add(record["id"])
        columns["id"].append(record.get("id"))
        columns["source"].append(result.source)
        columns["ok"].append(result.ok)
        columns["error"].append(result.error)
        columns["record"].append(json.dumps(record, ensure_ascii=False) if result.record else None)
        if result.ok:
            summary.ingested += 1
            summary.words += len((record.get("body") or "").split())
        else:
            summary.failed[reason_kind(result.error or "")] += 1
    pq.write_table(pa.table(columns), str(out / "records.parquet"))
    summary.seconds = time.perf_counter() - started
    return summary
