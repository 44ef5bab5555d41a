"""Ingest: stream ``analyze`` results into the knowledge base, resumably.

Input files are planned first (folders expanded, files already in ``ingest_journal`` with the same size
and mtime skipped), then streamed through the pipeline. Results are committed in batches; a file enters
the journal in the same transaction as (or after) its last result, so ``kill -9`` followed by a re-run
redoes at most the unfinished files, and ids (articles) and keys (errors) make that redo add nothing twice.

A file is journaled only when every item in it reached its final outcome: a record, or a failure that is a
property of the input (empty, binary, damaged, over a limit …: the same bytes fail the same way, and the
``ingest_errors`` row says so). A failure of dateline or the machine (``Result.retry``: an exception inside
cleaning or the pipeline, memory, a refused read) leaves the file out of the journal, so the next run reads it
again; its error row is kept until then and removed once the source is stored (see ``write_errors``).
"""

from __future__ import annotations

import os
import time
from collections import Counter, deque
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Engine, delete, select
from sqlalchemy.exc import DBAPIError, SQLAlchemyError

from dateline.analyze import Result, analyze_raw
from dateline.ingest import LineSpan, read_file, read_inputs
from dateline.ingest.paths import STDIN, expand_paths
from dateline.ingest.rawdoc import Failure, RawDoc
from dateline.settings import Options
from dateline.store import schema
from dateline.store.dedup import StoryIndex
from dateline.store.write import now, reason_kind, write_errors, write_records

COMMIT_EVERY = 32  # results per transaction
DUPLICATE_PREFIX = "duplicate of "  # analyze()'s error for a second copy of a body within one run


class IngestError(RuntimeError):
    """The database failed mid-ingest; what is committed stays, and re-running resumes."""


@dataclass(slots=True, frozen=True)
class InputFile:
    path: str  # as given or found; "-" for standard input
    size: int = 0
    mtime_ns: int = 0
    span: LineSpan | None = None  # only these lines of a JSON Lines file (Ray spreads one big file this way)

    @property
    def journaled(self) -> bool:
        return self.path != STDIN


@dataclass(slots=True)
class IngestSummary:
    ingested: int = 0
    duplicates: int = 0
    failed: Counter[str] = field(default_factory=Counter)  # by reason kind
    examples: dict[str, str] = field(default_factory=dict)  # the first full reason of each kind, digits and all
    files: int = 0
    files_skipped: int = 0  # already in the journal
    to_retry: int = 0  # failures of dateline or the machine, not of the input: the next run tries them again
    words: int = 0
    seconds: float = 0.0

    @property
    def failures(self) -> int:
        return sum(self.failed.values())

    def as_dict(self) -> dict[str, Any]:
        return {"ingested": self.ingested, "duplicates": self.duplicates, "failed": self.failures,
                "failed_by_reason": dict(self.failed), "failure_examples": dict(self.examples),
                "to_retry": self.to_retry, "files": self.files,
                "files_skipped": self.files_skipped,
                "words": self.words, "seconds": round(self.seconds, 2)}


Progress = Callable[[IngestSummary, int], None]  # (summary so far, files finished)


def plan_inputs(paths: Iterable[str], engine: Engine) -> tuple[list[InputFile], list[Failure], int]:
    """(files to read, inputs that cannot be read, files skipped as already ingested)."""
    files: list[InputFile] = []
    failures: list[Failure] = []
    for item in expand_paths(paths):
        if isinstance(item, Failure):
            failures.append(item)
        elif item == STDIN:
            files.append(InputFile(STDIN))
        else:
            try:
                stat = os.stat(item)
            except OSError as exc:
                failures.append(Failure(item, f"cannot read file: {exc.strerror}"))
                continue
            files.append(InputFile(item, stat.st_size, stat.st_mtime_ns))
    done = _journal(engine)
    todo = [f for f in files if done.get(f.path) != (f.size, f.mtime_ns)]
    return todo, failures, len(files) - len(todo)


def _journal(engine: Engine) -> dict[str, tuple[int, int]]:
    j = schema.ingest_journal
    with engine.connect() as conn:
        return {path: (size, mtime) for path, size, mtime in conn.execute(select(j.c.path, j.c.size, j.c.mtime_ns))}


class FileTracker:
    """Tags each raw item with its input file, so results (one per item, in order) map back to files.

    A file with a result to retry is never reported finished: it stays out of the journal."""

    def __init__(self, files: list[InputFile], options: Options) -> None:
        self.files = files
        self.options = options
        self.owners: deque[InputFile] = deque()  # the file of each item handed to analyze, not yet returned
        self.pending: dict[InputFile, int] = {}  # items handed out minus results returned, per file
        self.exhausted: set[InputFile] = set()
        self.to_retry: set[InputFile] = set()

    def items(self) -> Iterator[RawDoc | Failure]:
        for f in self.files:
            self.pending.setdefault(f, 0)
            for item in read_inputs([f.path], self.options) if f.span is None else \
                    read_file(f.path, self.options, span=f.span):
                self.owners.append(f)
                self.pending[f] += 1
                yield item
            self.exhausted.add(f)

    def returned(self, result: Result) -> InputFile:
        """The next result (in item order) came back: it belongs to the oldest item handed out (returned)."""
        f = self.owners.popleft()
        self.pending[f] -= 1
        if result.retry:
            self.to_retry.add(f)
        return f

    def finished(self) -> list[InputFile]:
        """Files whose items were all read and all returned, none to retry; each is reported once."""
        done = [f for f in self.exhausted if self.pending.get(f) == 0]
        for f in done:
            self.exhausted.discard(f)
            del self.pending[f]
        return [f for f in done if f not in self.to_retry]


class KnowledgeBaseWriter:
    """Buffers results and commits them, their errors and the finished files in one transaction."""

    def __init__(self, engine: Engine, summary: IngestSummary) -> None:
        self.engine = engine
        self.summary = summary
        self.records: list[dict[str, Any]] = []
        self.failures: list[tuple[str, str]] = []
        self.stored_sources: list[str] = []  # sources that reached the store (new or already there) this batch
        self.files_done: list[InputFile] = []
        self.stories = StoryIndex()

    def add(self, result: Result) -> None:
        if result.ok and result.record is None:
            return  # a placeholder carrying only a finished file
        if result.ok and result.record is not None:
            self.records.append(result.record)
            self.stored_sources.append(result.source)
        elif (result.error or "").startswith(DUPLICATE_PREFIX):
            self.summary.duplicates += 1
            self.stored_sources.append(result.source)
        else:
            self.failures.append((result.source, result.error or "unknown error"))
            self.summary.to_retry += int(result.retry)

    def file_done(self, f: InputFile) -> None:
        if f.journaled:
            self.files_done.append(f)

    @property
    def buffered(self) -> int:
        return len(self.records) + len(self.failures)

    def commit(self) -> None:
        if not (self.records or self.failures or self.files_done):
            return
        try:
            with self.engine.begin() as conn:
                stats = write_records(conn, self.records, stories=self.stories)
                write_errors(conn, self.failures, stored_sources=self.stored_sources)
                self._journal_files(conn)
        except (DBAPIError, SQLAlchemyError, OSError) as exc:
            reason = str(getattr(exc, "orig", None) or exc).strip().splitlines()[0][:300]
            raise IngestError(
                f"the database failed during ingest ({type(exc).__name__}: {reason}). "
                f"{self.summary.ingested} articles were committed before it; run the same command again "
                "to resume (nothing committed is lost or duplicated).") from exc
        self.summary.ingested += stats.inserted
        self.summary.duplicates += stats.duplicates
        self.summary.words += sum(len((r.get("body") or "").split()) for r in self.records)
        for _, reason in self.failures:
            self.summary.failed[reason_kind(reason)] += 1
            self.summary.examples.setdefault(reason_kind(reason), reason)
        self.records, self.failures, self.stored_sources, self.files_done = [], [], [], []

    def _journal_files(self, conn: Any) -> None:
        if not self.files_done:
            return
        j = schema.ingest_journal
        paths = [f.path for f in self.files_done]
        conn.execute(delete(j).where(j.c.path.in_(paths)))  # a changed file replaces its old entry
        conn.execute(j.insert(), [{"path": f.path, "size": f.size, "mtime_ns": f.mtime_ns,
                                   "at": now()} for f in self.files_done])


def analyze_files(files: list[InputFile], options: Options, *, nlp: Any = None, workers: int = 1
                  ) -> Iterator[tuple[Result, list[InputFile]]]:
    """Each Result with the files finished by the time it is returned (``workers`` processes analyse them).

    The Ray actors drive the same FileTracker themselves: they return results grouped by file, so they need each
    result's own file (``FileTracker.returned``), not the finished lists."""
    tracker = FileTracker(files, options)
    for result in analyze_raw(tracker.items(), options, nlp=nlp, workers=workers):
        tracker.returned(result)
        yield result, tracker.finished()
    for f in tracker.finished():  # files that yielded nothing at all
        yield Result(True, f.path), [f]


def ingest(paths: Iterable[str], engine: Engine, options: Options | None = None, *, nlp: Any = None,
           progress: Progress | None = None, commit_every: int = COMMIT_EVERY, workers: int = 1) -> IngestSummary:
    """Ingest every input into the database; returns the counts. Raises IngestError if the database fails.

    ``workers`` > 1 cleans and analyses in that many processes (dateline.scale.processes); this process reads
    and writes, and what is stored is the same as with one."""
    options = options or Options()
    started = time.perf_counter()
    summary = IngestSummary()
    files, unreadable, summary.files_skipped = plan_inputs(paths, engine)
    summary.files = len(files)
    writer = KnowledgeBaseWriter(engine, summary)
    for failure in unreadable:
        writer.add(Result(False, failure.uri, error=failure.error))
    return write_results(analyze_files(files, options, nlp=nlp, workers=workers), writer, started=started,
                         progress=progress, commit_every=commit_every)


def write_results(results: Iterable[tuple[Result, list[InputFile]]], writer: KnowledgeBaseWriter, *, started: float,
                  progress: Progress | None = None, commit_every: int = COMMIT_EVERY) -> IngestSummary:
    """Commit (result, files finished) pairs in batches; the local and the Ray path both end here."""
    summary = writer.summary
    finished = 0
    for result, done in results:
        writer.add(result)
        for f in done:
            writer.file_done(f)
        finished += len(done)
        if writer.buffered >= commit_every:
            writer.commit()
            summary.seconds = time.perf_counter() - started
            if progress:
                progress(summary, finished)
    writer.commit()
    summary.seconds = time.perf_counter() - started
    if progress:
        progress(summary, finished)
    return summary
