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
        return Result(False, item.uri, error=item.error, retry=item.error.startswith(READ_ERROR_PREFIX))
    try:
        article = clean_raw(item, options)
    except CleanError as exc:
        return Result(False, item.uri, error=str(exc))
    except Exception as exc:  # one bad article never stops the batch
        log.exception("cleaning failed for %s", item.uri)
        return Result(False, item.uri, error=f"cleaning failed: {type(exc).__name__}: {exc}", retry=True)
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
