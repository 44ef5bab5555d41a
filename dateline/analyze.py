"""analyze(): inputs -> Results, one per input item, in input order. Errors are values, never raised.

ingest (RawDoc | Failure) -> clean (Article) -> nlp.pipe in batches -> record -> duplicates marked.
With ``workers`` > 1 the cleaning, pipeline and records run in worker processes (dateline.scale.processes);
duplicates are marked here, in input order, so the output is the same whatever the number of workers.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from dateline.clean import CleanError, clean_raw
from dateline.clean.article import Article
from dateline.ingest import read_inputs
from dateline.ingest.rawdoc import Failure, RawDoc
from dateline.record import build_record, context_for
from dateline.settings import Options

log = logging.getLogger(__name__)

# The readers' message when the operating system refused a read (permissions, I/O): the file itself may be fine.
READ_ERROR_PREFIX = "cannot read file:"


@dataclass(slots=True)
class Result:
    ok: bool
    source: str
    record: dict[str, Any] | None = None
    error: str | None = None
    # The failure came from dateline or the machine (an exception in cleaning or the pipeline, memory, a read
    # error), not from the input itself: the same input may succeed later, so a resumable ingest retries it.
    retry: bool = False

    def as_json(self) -> dict[str, Any]:
        """What one JSONL output line holds: the record, or ``{"source", "error"}``."""
        if self.ok and self.record is not None:
            return self.record
        return {"source": self.source, "error": self.error}


def analyze(paths: Iterable[str], options: Options | None = None, *, nlp: Any = None,
            workers: int = 1) -> Iterator[Result]:
    """Every input item as a Result, in input order; articles go through the NLP pipeline in batches of
    ``batch_size``, in ``workers`` processes (1: this one)."""
    options = options or Options()
    yield from analyze_raw(read_inputs(paths, options), options, nlp=nlp, workers=workers)


def analyze_raw(items: Iterable[RawDoc | Failure], options: Options, *, nlp: Any = None,
                workers: int = 1) -> Iterator[Result]:
    if workers > 1:
        from dateline.scale.processes import analyze_in_workers

        results = analyze_in_workers(items, options, workers=workers, nlp=nlp)
    else:
        results = analyze_unmarked(items, options, nlp=nlp)
    yield from mark_duplicates(results)


def analyze_unmarked(items: Iterable[RawDoc | Failure], options: Options, *, nlp: Any = None) -> Iterator[Result]:
    """Results in input order, duplicates not yet marked: what one process (or one worker) computes."""
    pending: list[Result | Article] = []
    for item in items:
        pending.append(_to_article(item, options))
        if sum(isinstance(p, Article) for p in pending) >= options.batch_size:
            yield from _flush(pending, nlp)
            pending = []
    yield from _flush(pending, nlp)


def mark_duplicates(results: Iterable[Result]) -> Iterator[Result]:
    """A second record with the same body (the same id) in one run is still a record (its source is real),
    marked so that stores and counts keep one copy."""
    seen: dict[str, str] = {}  # article id -> first source
    for result in results:
        record = result.record
        if record is not None:
            key = record["id"]
            if key in seen:
                record["duplicate_of"] = seen[key]
                record["notes"].append(f"duplicate of {seen[key]} (same body, id {key[:12]})")
            else:
                seen[key] = result.source
        yield result


def _to_article(item: RawDoc | Failure, options: Options) -> Result | Article:
    if isinstance(item, Failure):
        return Result(False, item.uri, error=item.error, retry=item.error.startswith(READ_ERROR_PREFIX))
    try:
        article = clean_raw(item, options)
    except CleanError as exc:
        return Result(False, item.uri, error=str(exc))
    except Exception as exc:  # one bad article never stops the batch
        log.exception("cleaning failed for %s", item.uri)
        return Result(False, item.uri, error=f"cleaning failed: {type(exc).__name__}: {exc}", retry=True)
    return article


def _flush(pending: list[Result | Article], nlp: Any) -> Iterator[Result]:
    english = [p for p in pending if isinstance(p, Article) and p.language == "en"]
    docs = _run_nlp(english, nlp) if english else {}
    for p in pending:
        if isinstance(p, Result):
            yield p
            continue
        try:
            if p.language != "en":
                p.notes.append(f"language {p.language!r}: carried through without English NLP")
                yield Result(True, p.uri, record=build_record(p))
            elif isinstance(failure := docs.get(id(p)), Exception):
                yield Result(False, p.uri, error=f"NLP failed: {type(failure).__name__}: {failure}", retry=True)
            else:
                body_doc, caption_docs = docs[id(p)]
                yield Result(True, p.uri, record=build_record(p, body_doc, caption_docs))
        except Exception as exc:
            log.exception("record failed for %s", p.uri)
            yield Result(False, p.uri, error=f"record failed: {type(exc).__name__}: {exc}", retry=True)


def _run_nlp(articles: list[Article], nlp: Any) -> dict[int, Any]:
    """(body Doc, caption Docs) by id(article), or the Exception that stopped it.

    Captions go through the pipeline too (they are short): people named only under a photo are still actors.
    A batch that fails is retried one by one so only the bad article fails."""
    if nlp is None:
        from dateline.nlp.pipeline import load_nlp

        nlp = load_nlp()
    try:
        return _pipe(nlp, articles)
    except Exception:
        log.warning("a batch failed in the pipeline; retrying its articles one by one")
    out: dict[int, Any] = {}
    for a in articles:
        try:
            out.update(_pipe(nlp, [a]))
        except Exception as exc:
            log.exception("pipeline failed for %s", a.uri)
            out[id(a)] = exc
    return out


def _pipe(nlp: Any, articles: list[Article]) -> dict[int, tuple[Any, list[tuple[int, Any]]]]:
    texts: list[tuple[Article, int | None, str]] = [(a, None, a.body) for a in articles]
    texts += [(a, i, m["caption"]) for a in articles for i, m in enumerate(a.media) if m.get("caption")]
    docs = list(nlp.pipe(_make_doc(nlp, a, text) for a, _, text in texts))
    out: dict[int, tuple[Any, list[tuple[int, Any]]]] = {}
    for (a, media_index, _), doc in zip(texts, docs, strict=True):
        if media_index is None:
            out[id(a)] = (doc, [])
        else:
            out[id(a)][1].append((media_index, doc))
    return out


def _make_doc(nlp: Any, article: Article, text: str) -> Any:
    doc = nlp.make_doc(text)
    doc._.dateline_context = context_for(article)
    return doc
