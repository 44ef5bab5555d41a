"""``--workers N`` on the local engine: worker processes that each hold the pipeline, fed in input order.

The main process reads the inputs (streaming, as one process does) and cuts them into batches of
``options.batch_size`` items; a worker process cleans a batch and runs the pipeline over it with the
single-process code (``analyze_unmarked``) and sends its Results back. Batches are yielded in input order
(one that finishes early waits for those before it), so the caller (the writer of ``ingest``, the JSONL
output of ``analyze``) sees what one process gives, and duplicates are marked afterwards in that order.

Memory stays bounded: at most ``IN_FLIGHT_PER_WORKER × workers`` batches are read and not yet yielded.
A worker that dies (killed, out of memory) costs only its batch: each of its articles comes back as a failure
to retry (``Result.retry``: ingest leaves its file out of the journal, the next run reads it again), and a
new worker takes its place when there is more to do.

Workers are forked: they start at once, use the caller's pipeline when one is given (tests) or load
``load_nlp()`` once each, and may start their own trafilatura process (clean/html.py), which a spawned
daemon could not.
"""

from __future__ import annotations

import multiprocessing
import os
import signal
import sys
from collections.abc import Iterable, Iterator
from contextlib import suppress
from multiprocessing.connection import Connection, wait
from typing import Any

from dateline.analyze import Result, analyze_unmarked
from dateline.ingest.rawdoc import Failure, RawDoc
from dateline.settings import Options

# Batches read ahead per worker: one being analysed, one done and waiting for an earlier batch (or queued).
IN_FLIGHT_PER_WORKER = 2
WORKER_DIED = "worker process died"
NO_PIPELINE = -1  # the sequence number of a worker's message "I could not build the pipeline"
Batch = list[RawDoc | Failure]


def default_workers() -> int:
    """The cores this process may run on (the default of ``--workers``)."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not Linux
        return max(1, os.cpu_count() or 1)


class _Worker:
    """One forked process and its pipe; ``batch`` is what it is working on (None when idle)."""

    def __init__(self, options: Options, nlp: Any, siblings: list[Connection]) -> None:
        context = multiprocessing.get_context("fork")
        self.conn, child_end = context.Pipe()
        self.process = context.Process(target=_serve, args=(child_end, self.conn, siblings, options, nlp),
                                       name="dateline-worker", daemon=False)
        self.process.start()
        child_end.close()
        self.batch: tuple[int, Batch] | None = None

    def send(self, seq: int, batch: Batch) -> None:
        self.batch = (seq, batch)
        with suppress(OSError):  # it died already: its sentinel says so and the batch comes back as lost
            self.conn.send((seq, batch))

    def stop(self, *, wait_seconds: float) -> None:
        with suppress(OSError):
            self.conn.send(None)
        self.process.join(wait_seconds)
        if self.process.is_alive():
            self.process.terminate()
            self.process.join(5)
        if self.process.is_alive():
            self.process.kill()
            self.process.join()
        self.conn.close()


def _serve(conn: Connection, parent_end: Connection, siblings: list[Connection], options: Options,
           nlp: Any) -> None:
    """The worker's loop: (seq, batch) in, (seq, results) out, until None or the main process is gone."""
    # Ctrl-C reaches the whole process group: the main process decides, and stops us.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    # A terminate() ends the loop through SystemExit, so multiprocessing also stops our trafilatura process.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    # The main process's ends of the pipes are closed here, so its death (even kill -9) is an EOF for us.
    parent_end.close()
    for other in siblings:
        other.close()
    if nlp is None:
        from dateline.nlp.pipeline import load_nlp

        try:
            nlp = load_nlp()
        except Exception as exc:  # no pipeline (a missing model …): the run stops with this error, as one process
            with suppress(OSError):
                conn.send((NO_PIPELINE, exc))
            return
    while True:
        try:
            task = conn.recv()
        except (EOFError, OSError):
            return
        if task is None:
            return
        seq, batch = task
        results = list(analyze_unmarked(batch, options, nlp=nlp))
        try:
            conn.send((seq, results))
        except OSError:
            return


def _batches(items: Iterable[RawDoc | Failure], size: int) -> Iterator[Batch]:
    batch: Batch = []
    for item in items:
        batch.append(item)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch


def _lost(batch: Batch, exitcode: int | None, options: Options) -> list[Result]:
    """The results of a batch whose worker died: its articles are to retry; unreadable inputs stay as they are."""
    how = f"signal {-exitcode}" if exitcode is not None and exitcode < 0 else f"exit code {exitcode}"
    error = (f"{WORKER_DIED} ({how}) while analysing a batch of {len(batch)} inputs with this one; "
             "the next run tries it again")
    return [next(analyze_unmarked([item], options)) if isinstance(item, Failure)
            else Result(False, item.uri, error=error, retry=True) for item in batch]


def analyze_in_workers(items: Iterable[RawDoc | Failure], options: Options, *, workers: int,
                       nlp: Any = None) -> Iterator[Result]:
    """One Result per item, in input order (duplicates not marked), computed by ``workers`` processes."""
    pool: list[_Worker] = []
    batches = _batches(items, max(1, options.batch_size))
    done: dict[int, list[Result]] = {}
    next_seq = next_out = 0
    exhausted = finished = False
    try:
        while True:
            while not exhausted and next_seq - next_out < IN_FLIGHT_PER_WORKER * workers:
                idle = next((w for w in pool if w.batch is None), None)
                if idle is None and len(pool) < workers:  # started when needed: a small input starts few
                    idle = _Worker(options, nlp, [w.conn for w in pool])
                    pool.append(idle)
                if idle is None:
                    break
                batch = next(batches, None)
                if batch is None:
                    exhausted = True
                    break
                idle.send(next_seq, batch)
                next_seq += 1
            while next_out in done:
                yield from done.pop(next_out)
                next_out += 1
            if exhausted and next_out == next_seq:
                finished = True
                return
            busy = [w for w in pool if w.batch is not None]
            if not busy:  # the batches just yielded made room in the window: read and hand out more first
                continue
            ready = set(wait([w.conn for w in busy] + [w.process.sentinel for w in busy]))
            for w in busy:
                if w.conn not in ready and w.process.sentinel not in ready:
                    continue
                assert w.batch is not None
                seq, batch = w.batch
                try:
                    # A worker that sent its results and then died still counts. (Only the pipe is asked: a
                    # grandchild of a dead worker, its trafilatura process, may hold the pipe open a while.)
                    if not w.conn.poll():
                        raise EOFError
                    seq, results = w.conn.recv()
                    if seq == NO_PIPELINE:
                        raise results
                except (EOFError, OSError):
                    w.process.join(5)
                    results = _lost(batch, w.process.exitcode, options)
                    w.stop(wait_seconds=0)
                    pool.remove(w)
                done[seq] = results
                w.batch = None
    finally:
        for w in pool:  # idle after a normal end; stopped at once when the caller gave up early
            w.stop(wait_seconds=30 if finished else 0)
