"""analyze(): inputs -> Results, one per input item, in input order. Errors are values, never raised.

ingest (RawDoc | Failure) -> clean (Article) -> nlp.pipe in batches -> record.
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
from dateline.record import article_id, build_record, context_for
from dateline.settings import Options

log = logging.getLogger(__name__)


@dataclass(slots=True)
class Result:
    ok: bool
    source: str
    record: dict[str, Any] | None = None
    error: str | None = None

    def as_json(self) -> dict[str, Any]:
        """What one JSONL output line holds: the record, or ``{"source", "error"}``."""
        if self.ok and self.record is not None:
            return self.record
        return {"source": self.source, "error": self.error}


def analyze(paths: Iterable[str], options: Options | None = None, *, nlp: Any = None) -> Iterator[Result]:
    """Every input item as a Result; articles go through the NLP pipeline in batches of ``batch_size``."""
    options = options or Options()
    yield from analyze_raw(read_inputs(paths, options), options, nlp=nlp)


def analyze_raw(items: Iterable[RawDoc | Failure], options: Options, *, nlp: Any = None) -> Iterator[Result]:
    seen: dict[str, str] = {}  # article id -> first source, to report duplicates within one run
    pending: list[Result | Article] = []
    for item in items:
        pending.append(_to_article(item, options, seen))
        if sum(isinstance(p, Article) for p in pending) >= options.batch_size:
            yield from _flush(pending, nlp)
            pending = []
    yield from _flush(pending, nlp)


def _to_article(item: RawDoc | Failure, options: Options, seen: dict[str, str]) -> Result | Article:
    if isinstance(item, Failure):
        return Result(False, item.uri, error=item.error)
    try:
        article = clean_raw(item, options)
    except CleanError as exc:
        return Result(False, item.uri, error=str(exc))
    except Exception as exc:  # one bad article never stops the batch
        log.exception("cleaning failed for %s", item.uri)
        return Result(False, item.uri, error=f"cleaning failed: {type(exc).__name__}: {exc}")
    key = article_id(article.body)
    if key in seen:
        # Still a record (its source is real), marked so that stores and counts keep one copy.
        article.duplicate_of = seen[key]
        article.notes.append(f"duplicate of {seen[key]} (same body, id {key[:12]})")
    else:
        seen[key] = item.uri
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
            elif isinstance(docs.get(id(p)), Exception):
                yield Result(False, p.uri, error=f"NLP failed: {docs[id(p)]}")
            else:
                yield Result(True, p.uri, record=build_record(p, docs[id(p)]))
        except Exception as exc:
            log.exception("record failed for %s", p.uri)
            yield Result(False, p.uri, error=f"record failed: {type(exc).__name__}: {exc}")


def _run_nlp(articles: list[Article], nlp: Any) -> dict[int, Any]:
    """Docs by id(article); a batch that fails is retried one by one so only the bad article fails."""
    if nlp is None:
        from dateline.nlp.pipeline import load_nlp

        nlp = load_nlp()
    docs = [_make_doc(nlp, a) for a in articles]
    try:
        return {id(a): d for a, d in zip(articles, nlp.pipe(docs), strict=True)}
    except Exception:
        log.warning("a batch failed in the pipeline; retrying its articles one by one")
    out: dict[int, Any] = {}
    for a in articles:
        try:
            out[id(a)] = nlp(_make_doc(nlp, a))
        except Exception as exc:
            log.exception("pipeline failed for %s", a.uri)
            out[id(a)] = exc
    return out


def _make_doc(nlp: Any, article: Article) -> Any:
    doc = nlp.make_doc(article.body)
    doc._.dateline_context = context_for(article)
    return doc
