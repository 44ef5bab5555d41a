"""Queries out: the one read API the CLI and the web app share.

Every function takes an Engine and a ``Filters`` and returns JSON-ready dicts; lists come as a ``Page``
(items, total, limit, offset). Filters (all optional, combined with AND):

- ``text``: full-text search over title and body (SQLite FTS5 / PostgreSQL tsvector); words, not syntax.
- ``actor``: an actor id or name ("Imran Khan" matches every actor row with that normalised name).
- ``place``: a place name; ``country``: ISO alpha-2 of a place or an actor in the article.
- ``type``: PLOVER event type; ``since`` / ``until``: ISO date, month or year (inclusive).
- ``anonymous``: True = anonymous sources, False = named sources; ``denial``: denial quotes / negated events.
- ``story``: a story id (near-duplicate group).

Every value is bound as a parameter, never formatted into SQL.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from contextvars import ContextVar
from dataclasses import asdict, dataclass, field, replace
from datetime import date, timedelta
from functools import wraps
from typing import Any, Literal, TypeVar, cast

import numpy as np
from sqlalchemy import (
    ColumnElement,
    Connection,
    Engine,
    Integer,
    Select,
    String,
    and_,
    any_,
    case,
    column,
    exists,
    false,
    func,
    literal,
    literal_column,
    or_,
    select,
    table,
    text,
    true,
)
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.orm import aliased

from dateline.store import periods, schema
from dateline.store.names import normalise_name

A, E, P, Q, V, ACT = (schema.articles, schema.entities, schema.places, schema.quotes, schema.events, schema.actors)
MAX_LIMIT = 1000
COUNT_CAP = 1000
COUNT_WINDOW = 1000  # newest articles a capped total looks at when every filter matches many (search_articles)
RANGE_FILTERS = frozenset({"since", "until", "story"})
TEXT_AND_DATES = frozenset({"text", "since", "until"})
FACET_SAMPLE = 1000  # facets count this many matching articles, the latest stored (all when fewer match)
_WORD = re.compile(r"\w+")
_DATE_FILTER = re.compile(r"([0-9]{4})(?:-([0-9]{2})(?:-([0-9]{2}))?)?")
MAX_ID = 2**31 - 1  # integer columns hold no larger id (PostgreSQL's integer): a larger one matches nothing

Unit = Literal["day", "week", "month"]
Counted = Literal["articles", "quotes", "events"]
EventCount = Literal["clusters", "reports"]  # events counted once per happening (store/across), or every report


@dataclass(frozen=True, slots=True)
class Filters:
    text: str | None = None
    actor: str | None = None
    place: str | None = None
    country: str | None = None
    type: str | None = None
    since: str | None = None
    until: str | None = None
    anonymous: bool | None = None
    denial: bool | None = None
    story: str | None = None

    def __post_init__(self) -> None:
        for name in ("since", "until"):
            check_date_filter(getattr(self, name), name)

    def as_dict(self) -> dict[str, Any]:
        return {k: v for k, v in asdict(self).items() if v is not None}


def check_date_filter(value: str | None, name: str = "date") -> str | None:
    """``value`` if it is a date, month or year that exists (2021, 2021-02, 2021-02-28); else ValueError.

    Dates are compared as text in the database: 2021-13-45 would silently match nothing."""
    if value is None:
        return None
    match = _DATE_FILTER.fullmatch(value)
    try:
        if match is None:
            raise ValueError
        date(int(match[1]), int(match[2] or 1), int(match[3] or 1))
    except ValueError:
        raise ValueError(f"{name} must be an ISO date, month or year that exists (2021-02-28, 2021-02 or 2021), "
                         f"not {value!r}") from None
    return value


@dataclass(slots=True)
class Page:
    items: list[dict[str, Any]]
    total: int
    limit: int
    offset: int
    extra: dict[str, Any] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        return {"items": self.items, "total": self.total, "limit": self.limit, "offset": self.offset, **self.extra}


# ---------------------------------------------------------------- filter pieces


@dataclass(frozen=True, slots=True)
class KeySet:
    """The articles one filter keeps, as subqueries of article keys (their union; ``negate``: all others).

    ``key`` is the ``articles`` column the subqueries select (``id``, or ``seq`` for full-text search);
    each part's own column is its first. A key set is written either as ``key IN (subquery)``, which
    lets the database start from the set, or (``probe``) as a correlated ``EXISTS`` that tests one
    article at a time: the cheap way when walking the date index for a page of a large set.
    """

    key: Any
    parts: tuple[Select[Any], ...]
    negate: bool = False

    def condition(self, probe: bool = False) -> ColumnElement[bool]:
        if probe:
            found = or_(*(exists(part.where(list(part.selected_columns)[0] == self.key)) for part in self.parts))
        else:
            found = or_(*(self.key.in_(part) for part in self.parts))
        return ~found if self.negate else found

    def size_up_to(self, engine: Engine, n: int) -> int:
        """How many keys the set holds, counting no further than ``n`` (every ``negate`` set counts as ``n``)."""
        if self.negate:
            return n
        with engine.connect() as conn:
            total = 0
            for part in self.parts:
                some = part.distinct().limit(n - total).subquery()
                total += int(conn.execute(select(func.count()).select_from(some)).scalar_one())
                if total >= n:
                    return n
        return total


def fts_condition(engine: Engine, words: str) -> ColumnElement[bool]:
    """Articles matching every word of ``words``; punctuation and operators are ignored, never parsed."""
    tokens = _WORD.findall(words)
    if not tokens:
        return false()
    if engine.dialect.name == "sqlite":
        return fts_keys(tokens).condition()
    few = _pg_few_matches(engine, tokens)
    if few is not None:
        # Few matches: the list itself. Tested row by row, the tsvector of every article an index walk
        # passes would be detoasted, and for a rare word the walk passes them all (1.4 s on 100,000).
        return cast(ColumnElement[bool], A.c.seq == any_(literal(few, ARRAY(Integer))))
    clause = text("articles.tsv @@ plainto_tsquery('english', :fts_query)").bindparams(fts_query=" ".join(tokens))
    return cast(ColumnElement[bool], clause)


_pg_matches_memo: ContextVar[dict[str, list[int] | None] | None] = ContextVar("_pg_matches_memo", default=None)


def _pg_few_matches(engine: Engine, tokens: list[str]) -> list[int] | None:
    """PostgreSQL: the ``seq`` of every article holding all ``tokens`` when at most COUNT_CAP do, else None.

    Worked out once per text inside ``one_answer`` (a search asks it for each of its queries).
    """
    memo, key = _pg_matches_memo.get(), " ".join(tokens)
    if memo is not None and key in memo:
        return memo[key]
    with engine.connect() as conn:
        found = periods.text_matches_up_to(conn, tokens, COUNT_CAP + 1)
    few = found if len(found) <= COUNT_CAP else None
    if memo is not None:
        memo[key] = few
    return few


F = TypeVar("F", bound=Callable[..., Any])


def one_answer(function: F) -> F:
    """Decorate a public query: facts about the filters found while answering it are found once.

    Nothing outlives the call: the next call (the next request) asks the database again.
    """
    @wraps(function)
    def answer(*args: Any, **kwargs: Any) -> Any:
        if _pg_matches_memo.get() is not None:
            return function(*args, **kwargs)
        token = _pg_matches_memo.set({})
        try:
            return function(*args, **kwargs)
        finally:
            _pg_matches_memo.reset(token)
    return cast(F, answer)


def fts_keys(tokens: list[str]) -> KeySet:
    """SQLite: the rowids (``articles.seq``) of articles holding every token."""
    query = " ".join(f'"{t}"' for t in tokens)  # each token a quoted FTS5 string: no syntax survives
    matching = (select(literal_column("articles_fts.rowid", Integer)).select_from(text("articles_fts"))
                .where(text("articles_fts MATCH :fts_query").bindparams(fts_query=query)))
    return KeySet(A.c.seq, (matching,))


def actor_ids(engine: Engine, actor: str) -> list[int]:
    """Actor rows meant by ``actor``: an id, an exact normalised name, else names containing it."""
    if actor.strip().isascii() and actor.strip().isdigit():
        number = int(actor)
        return [number] if number <= MAX_ID else []
    norm = normalise_name(actor)
    if not norm:
        return []
    with engine.connect() as conn:
        ids = list(conn.execute(select(ACT.c.id).where(ACT.c.name_norm == norm)).scalars())
        if not ids:
            ids = list(conn.execute(select(ACT.c.id).where(ACT.c.name_norm.contains(norm, autoescape=True))
                                    .limit(MAX_LIMIT)).scalars())
    return ids


def _until(column: Any, until: str) -> ColumnElement[bool]:
    # "until 2021-08" includes 2021-08-31: compare only as many characters as were given.
    return func.substr(column, 1, len(until)) <= until


def _until_bound(column: Any, until: str) -> list[ColumnElement[bool]]:
    """``_until`` plus the same bound as ``column < next period``, a form a date index can serve.

    "until 2021-08" keeps every value up to "2021-08-31" and "2021-08" itself: exactly the ISO
    values below "2021-09", in byte order and in natural-language collations alike.
    """
    bounds = [_until(column, until)]
    following = _next_period(until)
    if following is not None:
        bounds.append(column < following)
    return bounds


def _next_period(value: str) -> str | None:
    """The ISO day, month or year after ``value`` (None when it is none of those)."""
    try:
        if len(value) == 10:
            return (date.fromisoformat(value) + timedelta(days=1)).isoformat()
        if len(value) == 7:
            year, month = int(value[:4]), int(value[5:])
            if value[4] != "-" or not 1 <= month <= 12:
                return None
            return f"{year + month // 12:04d}-{month % 12 + 1:02d}"
        if len(value) == 4 and value.isdigit():
            return f"{int(value) + 1:04d}" if value != "9999" else None
    except ValueError:
        return None
    return None


def key_sets(engine: Engine, f: Filters, *, skip: frozenset[str] = frozenset()) -> dict[str, KeySet]:
    """The filters answered by a set of articles (all but dates and story), by filter name."""
    sets: dict[str, KeySet] = {}
    tokens = _WORD.findall(f.text or "")
    if f.text and "text" not in skip and tokens and engine.dialect.name == "sqlite":
        sets["text"] = fts_keys(tokens)
    if f.actor and "actor" not in skip:
        sets["actor"] = KeySet(A.c.id, (select(E.c.article_id).where(E.c.actor_id.in_(actor_ids(engine, f.actor))),))
    if f.place and "place" not in skip:
        sets["place"] = KeySet(A.c.id, (select(P.c.article_id).where(P.c.name_norm == normalise_name(f.place)),))
    if f.country and "country" not in skip:
        cc = f.country.upper()
        sets["country"] = KeySet(A.c.id, (select(P.c.article_id).where(P.c.country == cc),
                                          select(E.c.article_id).where(E.c.country == cc)))
    if f.type and "type" not in skip:
        sets["type"] = KeySet(A.c.id, (select(V.c.article_id).where(V.c.type == f.type.upper()),))
    if f.anonymous is not None and "anonymous" not in skip:
        sets["anonymous"] = KeySet(A.c.id, (select(Q.c.article_id).where(Q.c.anonymous == f.anonymous),))
    if f.denial is not None and "denial" not in skip:
        sets["denial"] = KeySet(A.c.id, (select(Q.c.article_id).where(Q.c.denial == true()),
                                         select(V.c.article_id).where(V.c.negated == true())), negate=not f.denial)
    return sets


def range_conditions(engine: Engine, f: Filters, *, skip: frozenset[str] = frozenset()) -> list[ColumnElement[bool]]:
    """Conditions on the article row itself: publication dates, story; PostgreSQL's text search (a column)."""
    conds: list[ColumnElement[bool]] = []
    if f.text and "text" not in skip and not (_WORD.search(f.text) and engine.dialect.name == "sqlite"):
        conds.append(fts_condition(engine, f.text))
    if f.since and "since" not in skip:
        conds.append(A.c.published >= f.since)
    if f.until and "until" not in skip:
        conds.extend(_until_bound(A.c.published, f.until))
    if f.story and "story" not in skip:
        conds.append(A.c.story_id == f.story)
    return conds


def article_conditions(engine: Engine, f: Filters, *, skip: frozenset[str] = frozenset(),
                       probe: frozenset[str] = frozenset()) -> list[ColumnElement[bool]]:
    """Conditions on ``articles`` for every filter not in ``skip`` (those a caller applies itself).

    Filters in ``probe`` are written as correlated ``EXISTS`` tests (see ``KeySet``); the rows matched
    are the same. Probed full-text search goes last: it is the dearest test per article.
    """
    sets = key_sets(engine, f, skip=skip)
    order = sorted(sets, key=lambda name: name == "text")
    return [*range_conditions(engine, f, skip=skip), *(sets[name].condition(name in probe) for name in order)]


def _page(engine: Engine, query: Select[Any], limit: int, offset: int, *, count: bool = True,
          probes_by_article: bool = False) -> Page:
    limit = max(1, min(limit, MAX_LIMIT))
    offset = max(0, offset)
    with engine.connect() as conn:
        if probes_by_article:
            prefer_index_probes(conn)
        items = [dict(row) for row in conn.execute(query.limit(limit).offset(offset)).mappings()]
        capped = False
        if not count:
            total = offset + len(items)
        elif offset == 0 and len(items) < limit:
            total = len(items)
        else:
            # Counting every match of a common word costs more than the page: the count stops at COUNT_CAP.
            counted = query.order_by(None).limit(COUNT_CAP + 1).subquery()
            total = conn.execute(select(func.count()).select_from(counted)).scalar_one()
            capped = total > COUNT_CAP
            total = min(total, COUNT_CAP)
    return Page(items, total, limit, offset, {"total_is_lower_bound": capped})


# ---------------------------------------------------------------- articles


ARTICLE_COLUMNS = (A.c.id, A.c.story_id, A.c.title, A.c.published, A.c.publisher, A.c.url, A.c.source_uri,
                   A.c.language, A.c.word_count)


@one_answer
def search_articles(engine: Engine, f: Filters, *, limit: int = 20, offset: int = 0, count: bool = True) -> Page:
    """Matching articles, newest first, each with a 240-character snippet of its body.

    The total is exact up to ``COUNT_CAP``. When every set filter matches more than that (SQLite walks
    the date index then, see ``_probed_filters``), counting exactly would test article after article,
    so it counts among the newest ``COUNT_WINDOW`` articles in the date range only and says
    ``total_is_lower_bound`` unless that window held the whole range.
    """
    order = _newest_first(engine)
    if _WORD.search(f.text or "") and _filters_beside(f, TEXT_AND_DATES):
        keys = _search_in_process(engine, f, limit, offset)
    else:
        probe = _probed_filters(engine, f) if engine.dialect.name == "sqlite" else frozenset()
        walks = _all_filters_large(engine, f, probe)
        query = select(A.c.seq).where(*article_conditions(engine, f, probe=probe)).order_by(*order)
        keys = _page(engine, query, limit, offset, count=count and not walks)
        if count and walks:
            keys.total, keys.extra["total_is_lower_bound"] = _walked_total(engine, f, probe,
                                                                           len(keys.items) + keys.offset)
    # Bodies are read for the page only, never for every match the sort has to look at.
    details = (select(*ARTICLE_COLUMNS, func.substr(A.c.body, 1, 240).label("snippet"))
               .where(A.c.seq.in_([k["seq"] for k in keys.items])).order_by(*order))
    with engine.connect() as conn:
        keys.items = [dict(row) for row in conn.execute(details).mappings()]
    return keys


def _filters_beside(f: Filters, names: frozenset[str]) -> bool:
    """Whether ``f`` sets a filter not in ``names`` (the test ``key_sets`` and ``range_conditions`` make)."""
    return any(value if not isinstance(value, bool) else True for name, value in f.as_dict().items()
               if name not in names)


def _search_in_process(engine: Engine, f: Filters, limit: int, offset: int) -> Page:
    """A page of a text search combined with other filters, ordered in process; its total is exact.

    Walking the date index newest first tested each article for the word and for every other filter
    (a word in 37 % of the articles and a type in 10 %: ~600 articles per page, 80-200 ms). The lists
    of matches cost less: the full-text index lists the word's articles, one query the others',
    numpy intersects them, keeps the date range and takes the newest page (``matching_seqs``).
    """
    limit, offset = max(1, min(limit, MAX_LIMIT)), max(0, offset)
    column = periods.published_columns.get(engine)
    seqs = matching_seqs(engine, f, column)
    page = column.newest_first(seqs, offset + limit)[offset:]
    return Page([{"seq": int(seq)} for seq in page], len(seqs), limit, offset, {"total_is_lower_bound": False})


def matching_seqs(engine: Engine, f: Filters, column: periods.PublishedColumn) -> periods.Seqs:
    """The ``seq`` of every article matching ``f``, which has a text filter, sorted.

    The full-text index lists the text's matches (no article row read), every other filter but the
    dates is one more list to intersect with, and the dates are kept on the in-process ``column``; filters on
    an article's events and quotes are kept on in-process arrays (``childrows.keep_by_rows``).
    """
    from dateline.store import childrows

    if childrows.answers(f, None) and (f.type or f.anonymous is not None or f.denial is not None):
        rest = matching_seqs(engine, replace(f, type=None, anonymous=None, denial=None), column)
        return childrows.keep_by_rows(engine, rest, f)
    with engine.connect() as conn:
        seqs = periods.text_match_seqs(conn, _WORD.findall(f.text or ""))
        if seqs.size and _filters_beside(f, TEXT_AND_DATES):
            seqs = np.intersect1d(seqs, _seqs_beside_text(engine, conn, f), assume_unique=True)
    return column.in_range(seqs, f.since, f.until)


def _seqs_beside_text(engine: Engine, conn: Connection, f: Filters) -> periods.Seqs:
    """The ``seq`` of the articles every filter of ``f`` but text and dates keeps, sorted.

    SQLite maps a child table's article ids to ``seq`` through the covering ``id`` index, one query.
    PostgreSQL would join them to the wide ``articles`` rows (a hash over all of them, ~90 ms for a
    type in one article of ten), so each set filter lists its article ids, turned into ``seq``
    values in process (``periods.article_keys``), and the lists are intersected.
    """
    if engine.dialect.name == "sqlite":
        return periods.seqs_where(conn, article_conditions(engine, f, skip=TEXT_AND_DATES))
    lists: list[periods.Seqs] = []
    on_the_row = range_conditions(engine, f, skip=TEXT_AND_DATES)
    if on_the_row:
        lists.append(periods.seqs_where(conn, on_the_row))
    for keys in key_sets(engine, f, skip=TEXT_AND_DATES).values():
        if keys.negate:
            lists.append(periods.seqs_where(conn, [keys.condition()]))
            continue
        article_keys = periods.article_keys.get(engine)
        parts = [part.subquery() for part in keys.parts]
        found = [article_keys.seqs_of(conn.execute(select(periods.joined(conn, list(part.c)[0]))).scalar_one())
                 for part in parts]
        lists.append(np.unique(np.concatenate(found)))
    seqs = lists[0]
    for more in lists[1:]:
        seqs = np.intersect1d(seqs, more, assume_unique=True)
    return seqs


def _all_filters_large(engine: Engine, f: Filters, probe: frozenset[str]) -> bool:
    """Whether every set filter (and PostgreSQL's text search) matched more than ``COUNT_CAP`` articles."""
    sets = frozenset(key_sets(engine, f))
    if engine.dialect.name == "sqlite":
        return bool(probe) and probe == sets
    if not f.text or not _WORD.search(f.text):
        return False
    if _pg_few_matches(engine, _WORD.findall(f.text)) is not None:
        return False
    return all(keys.size_up_to(engine, COUNT_CAP + 1) > COUNT_CAP for keys in key_sets(engine, f).values())


def _walked_total(engine: Engine, f: Filters, probe: frozenset[str], seen: int) -> tuple[int, bool]:
    """(total, is a lower bound) when every set filter is probed: each matched more than COUNT_CAP."""
    text_is_a_row_condition = engine.dialect.name != "sqlite"
    if len(probe) + text_is_a_row_condition == 1 and not range_conditions(engine, f, skip=frozenset({"text"})):
        return COUNT_CAP, True  # one filter alone, and it matched more than COUNT_CAP
    # The window is the newest articles of the date range, read from the date index alone; every
    # other filter, text included on both engines, is tested on those rows only, in one pass.
    ranges = range_conditions(engine, f, skip=frozenset({"text"}))
    window = select(A.c.seq).where(*ranges).order_by(*_newest_first(engine)).limit(COUNT_WINDOW).subquery()
    conds = article_conditions(engine, f, skip=RANGE_FILTERS, probe=probe)
    found_in_window = func.count().filter(and_(*conds)) if conds else func.count()
    counted = select(func.count(), found_in_window).select_from(A).where(A.c.seq.in_(select(window.c.seq)))
    with engine.connect() as conn:
        walked, found = (int(n) for n in conn.execute(counted).one())
    if found > COUNT_CAP:
        return COUNT_CAP, True
    return max(found, seen), walked >= COUNT_WINDOW


def _probed_filters(engine: Engine, f: Filters) -> frozenset[str]:
    """The set filters SQLite should test article by article rather than start from.

    A filter matching many articles is cheap to test while walking the date index newest first (a
    page of 20 at match density d needs about 20/d tests) and dear to start from (every match looked
    up, then all sorted). SQLite's planner cannot tell them apart, so each set's size is counted up to
    ``walk_threshold``: the smallest set not above it drives the query, the others are probed.
    (PostgreSQL's statistics choose well on their own.)
    """
    threshold = walk_threshold(engine)
    sizes = {name: keys.size_up_to(engine, threshold + 1) for name, keys in key_sets(engine, f).items()}
    if not sizes:
        return frozenset()
    smallest = min(sizes, key=lambda name: sizes[name])
    if sizes[smallest] > threshold:
        return frozenset(sizes)
    return frozenset(sizes) - {smallest}


def walk_threshold(engine: Engine) -> int:
    """Matches above which walking the date index beats starting from the matches (SQLite).

    Starting from m matches costs about m lookups (~3 µs each); walking costs about 20·N/m tests of
    ~100 µs (a full-text probe) for N articles: equal at m = √(20·N·100/3) ≈ √(700·N). Never below
    COUNT_CAP, so a walked search always has more than COUNT_CAP matches.
    """
    with engine.connect() as conn:
        articles = int(conn.execute(select(func.max(A.c.seq))).scalar_one() or 0)  # one index lookup
    return max(COUNT_CAP, math.isqrt(700 * articles))


def _newest_first(engine: Engine) -> tuple[Any, ...]:
    """Newest publication first, undated last, in the order of an index on each engine.

    SQLite sorts NULL lowest already (``ix_articles_published_seq`` read backwards); PostgreSQL has
    ``ix_articles_newest`` (published DESC NULLS LAST, seq DESC) for it.
    """
    published = A.c.published.desc() if engine.dialect.name == "sqlite" else A.c.published.desc().nulls_last()
    return published, A.c.seq.desc()


def get_article(engine: Engine, article_id: str) -> dict[str, Any] | None:
    """The full stored record (as ingested), with its story id; None when absent."""
    import json

    with engine.connect() as conn:
        row = conn.execute(select(A.c.record, A.c.story_id).where(A.c.id == article_id)).first()
    if row is None:
        return None
    record: dict[str, Any] = json.loads(row.record)
    record["story_id"] = row.story_id
    return record


def counts(engine: Engine) -> dict[str, int]:
    """How big the knowledge base is."""
    with engine.connect() as conn:
        return {
            "articles": conn.execute(select(func.count()).select_from(A)).scalar_one(),
            "stories": conn.execute(select(func.count(func.distinct(A.c.story_id)))).scalar_one(),
            "actors": conn.execute(select(func.count()).select_from(ACT)).scalar_one(),
            "quotes": conn.execute(select(func.count()).select_from(Q)).scalar_one(),
            "events": conn.execute(select(func.count()).select_from(V)).scalar_one(),
            "ingest_errors": conn.execute(select(func.count()).select_from(schema.ingest_errors)).scalar_one(),
        }


# ---------------------------------------------------------------- quotes


@one_answer
def list_quotes(engine: Engine, f: Filters, *, limit: int = 50, offset: int = 0) -> Page:
    """Quotes with their speaker (anonymous flag and reason) and article, newest articles first."""
    from dateline.store import childrows

    conds: list[ColumnElement[bool]] = []
    if f.actor:
        ids = actor_ids(engine, f.actor)
        conds.append(or_(Q.c.speaker_actor_id.in_(ids), func.lower(Q.c.speaker_name) == f.actor.strip().lower()))
    if f.anonymous is not None:
        conds.append(Q.c.anonymous == f.anonymous)
    if f.denial is not None:
        conds.append(Q.c.denial == f.denial)
    query = (select(Q.c.article_id, A.c.title, A.c.published, Q.c.local_id.label("quote_id"), Q.c.kind,
                    Q.c.content, Q.c.content_start, Q.c.content_end, Q.c.cue, Q.c.cue_lemma, Q.c.speaker_text,
                    Q.c.speaker_name, Q.c.speaker_actor_id, Q.c.anonymous, Q.c.anonymity_reason,
                    Q.c.speaker_description, Q.c.denial)
             .join(A, A.c.id == Q.c.article_id)
             .order_by(A.c.published.desc().nulls_last(), A.c.seq.desc(), Q.c.content_start))
    if childrows.answers(f, childrows.QUOTE_FILTERS_HERE):  # a text filter: its articles listed, not joined
        return cast(Page, childrows.quotes_page(engine, f, query, conds, limit, offset))
    conds += article_conditions(engine, f, skip=frozenset({"actor", "anonymous", "denial"}))
    return _page(engine, query.where(*conds), limit, offset)


# ---------------------------------------------------------------- events


# Filters that events answer from their own columns (the rest go through their article).
EVENT_FILTERS = frozenset({"actor", "type", "place", "country", "since", "until", "denial"})


def _event_conditions(engine: Engine, f: Filters, source_actor_id: int | None = None,
                      target_actor_id: int | None = None) -> list[ColumnElement[bool]]:
    conds = article_conditions(engine, f, skip=EVENT_FILTERS)
    if f.actor:
        ids = actor_ids(engine, f.actor)
        conds.append(or_(V.c.source_actor_id.in_(ids), V.c.target_actor_id.in_(ids)))
    if f.type:
        conds.append(V.c.type == f.type.upper())
    if f.place:
        conds.append(func.lower(V.c.place_name) == f.place.strip().lower())
    if f.country:
        conds.append(V.c.country == f.country.upper())
    if f.since:
        conds.append(V.c.day >= f.since)
    if f.until:
        conds.extend(_until_bound(V.c.day, f.until))
    if f.denial is not None:
        conds.append(V.c.negated == f.denial)
    if source_actor_id is not None:
        conds.append(V.c.source_actor_id == source_actor_id)
    if target_actor_id is not None:
        conds.append(V.c.target_actor_id == target_actor_id)
    return conds


@one_answer
def list_events(engine: Engine, f: Filters, *, limit: int = 50, offset: int = 0,
                source_actor_id: int | None = None, target_actor_id: int | None = None) -> Page:
    """Events (PLOVER type, source and target actors, place, date, evidence), by date, newest first."""
    from dateline.store import childrows

    if source_actor_id is None and target_actor_id is None and childrows.answers(f, childrows.EVENT_FILTERS_HERE):
        on_events = _event_conditions(engine, replace(f, text=None, anonymous=None, story=None))
        return cast(Page, childrows.events_page(engine, f, _events_select(), on_events, limit, offset))
    return _page(engine, _events_select().where(*_event_conditions(engine, f, source_actor_id, target_actor_id)),
                 limit, offset)


def _events_select() -> Select[Any]:
    return (select(V.c.article_id, A.c.title, A.c.url, A.c.source_uri, A.c.published, V.c.local_id.label("event_id"),
                    V.c.type, V.c.mode, V.c.source_text, V.c.source_actor_id, V.c.source_actor_code, V.c.target_text,
                    V.c.target_actor_id, V.c.target_actor_code, V.c.place_name, V.c.lat, V.c.lon, V.c.country,
                    V.c.date, V.c.date_text, V.c.day, V.c.negated, V.c.attributed_to, V.c.evidence,
                    V.c.evidence_start, V.c.evidence_end, V.c.confidence)
             .join(A, A.c.id == V.c.article_id)
             .order_by(V.c.day.desc().nulls_last(), A.c.seq.desc(), V.c.local_id))


@one_answer
def actor_network(engine: Engine, f: Filters, *, limit: int = 200, count: EventCount = "clusters"
                  ) -> list[dict[str, Any]]:
    """Weighted edges: who does what (PLOVER type) to whom, with event counts (happenings, or every report
    with ``count="reports"``), heaviest first."""
    from dateline.store import childrows

    events = event_count(count)
    if childrows.answers(f, childrows.EVENT_FILTERS_HERE, text_needed=False):  # grouped in process
        return childrows.network(engine, f, max(1, min(limit, MAX_LIMIT)), count)
    src, dst = aliased(ACT), aliased(ACT)
    query = (select(V.c.source_actor_id, src.c.name.label("source_name"), V.c.target_actor_id,
                    dst.c.name.label("target_name"), V.c.type, events.label("count"))
             .join(A, A.c.id == V.c.article_id)
             .join(src, src.c.id == V.c.source_actor_id).join(dst, dst.c.id == V.c.target_actor_id)
             .where(*_event_conditions(engine, f))
             .group_by(V.c.source_actor_id, src.c.name, V.c.target_actor_id, dst.c.name, V.c.type)
             .order_by(events.desc(), V.c.type, V.c.source_actor_id, V.c.target_actor_id)
             .limit(max(1, min(limit, MAX_LIMIT))))
    with engine.connect() as conn:
        return [dict(r) for r in conn.execute(query).mappings()]


# ---------------------------------------------------------------- actors and places


@one_answer
def list_actors(engine: Engine, f: Filters, *, limit: int = 50, offset: int = 0) -> Page:
    """Actors in matching articles with how many articles mention them and how many quotes they gave
    (by articles, then name and id)."""
    from dateline.store import childrows

    if childrows.answers(f, None, text_needed=False):  # grouped in process: 300,000 entities grouped in SQL took s
        return cast(Page, childrows.actors_page(engine, f, actor_ids(engine, f.actor) if f.actor else None,
                                                limit, offset))
    matching = select(A.c.id).where(*article_conditions(engine, f, skip=frozenset({"actor"})))
    conds: list[ColumnElement[bool]] = [E.c.article_id.in_(matching)]
    if f.actor:
        conds.append(E.c.actor_id.in_(actor_ids(engine, f.actor)))
    quote_counts = (select(Q.c.speaker_actor_id.label("actor_id"), func.count().label("quotes"))
                    .where(Q.c.article_id.in_(matching)).group_by(Q.c.speaker_actor_id).subquery())
    query = (select(ACT.c.id, ACT.c.name, ACT.c.type, ACT.c.role, ACT.c.country, ACT.c.actor_code,
                    func.count(func.distinct(E.c.article_id)).label("articles"),
                    func.sum(E.c.mention_count).label("mentions"),
                    func.coalesce(func.max(quote_counts.c.quotes), 0).label("quotes"))
             .join(E, E.c.actor_id == ACT.c.id)
             .outerjoin(quote_counts, quote_counts.c.actor_id == ACT.c.id)
             .where(*conds)
             .group_by(ACT.c.id, ACT.c.name, ACT.c.type, ACT.c.role, ACT.c.country, ACT.c.actor_code)
             .order_by(func.count(func.distinct(E.c.article_id)).desc(), ACT.c.name, ACT.c.id))
    return _page(engine, query, limit, offset)


@one_answer
def list_places(engine: Engine, f: Filters, *, limit: int = 100, offset: int = 0) -> Page:
    """Places in matching articles (map markers): name, country, lat/lon, articles and mentions.

    With filters, like ``facets``, the ``FACET_SAMPLE`` most recently stored matching articles are
    counted (``sample`` says when more matched).
    """
    sampled = False
    query = (select(P.c.name_norm.label("key"), func.min(P.c.name).label("name"), P.c.country,
                    func.avg(P.c.lat).label("lat"), func.avg(P.c.lon).label("lon"), func.min(P.c.feature).label("feature"),
                    func.count(func.distinct(P.c.article_id)).label("articles"),
                    func.sum(P.c.mention_count).label("mentions"))
             .group_by(P.c.name_norm, P.c.country)
             .order_by(func.count(func.distinct(P.c.article_id)).desc(), P.c.name_norm))
    if f.as_dict():
        ids, sampled = sample_matching_ids(engine, f, FACET_SAMPLE)
        query = query.where(_among(engine, P.c.article_id, ids))
    page = _page(engine, query, limit, offset, probes_by_article=bool(f.as_dict()))
    page.extra["sample"] = sampled
    return page


@one_answer
def sample_matching_ids(engine: Engine, f: Filters, n: int) -> tuple[list[str], bool]:
    """Ids of the ``n`` most recently stored articles matching ``f`` (highest ``seq``), and whether more matched.

    On SQLite with a text filter the full-text index streams its matches highest rowid first and
    the other filters are tested on each; that reads about ``n`` matches, never all of them. On
    PostgreSQL the matches come from the full-text index too (``_newest_matching_seqs``).
    """
    from dateline.store import childrows

    sets = key_sets(engine, f)
    if "text" in sets and childrows.answers(f, None):  # the matches listed, the newest kept
        seqs = matching_seqs(engine, f, periods.published_columns.get(engine))[::-1][:n + 1]
        ids = periods.article_keys.get(engine).ids_of(seqs)
        return ids[:n], len(ids) > n
    if "text" in sets:
        fts = table("articles_fts", column("rowid", Integer))
        match = sets["text"].parts[0].whereclause
        assert match is not None  # fts_keys always has its MATCH
        others = article_conditions(engine, f, skip=frozenset({"text"}), probe=frozenset(sets))
        query: Select[Any] = (select(A.c.id).select_from(fts.join(A, A.c.seq == fts.c.rowid))
                              .where(match, *others).order_by(fts.c.rowid.desc()))
    elif _WORD.search(f.text or ""):
        newest = _newest_matching_seqs(engine, f, n + 1)
        ids = periods.article_keys.get(engine).ids_of(newest)  # read after: it knows every seq found
        return ids[:n], len(ids) > n
    else:
        query = select(A.c.id).where(*article_conditions(engine, f)).order_by(A.c.seq.desc())
    with engine.connect() as conn:
        ids = list(conn.execute(query.limit(n + 1)).scalars())
    return ids[:n], len(ids) > n


def _newest_matching_seqs(engine: Engine, f: Filters, n: int) -> periods.Seqs:
    """PostgreSQL, ``f`` with a text filter: the ``seq`` of the ``n`` most recently stored matching articles.

    Walking the newest articles testing the word detoasted a tsvector per article (for a word in one
    article of five, 5,000 of them for a sample of 1,000); the full-text index lists them instead.
    """
    if not _filters_beside(f, frozenset({"text"})):
        with engine.connect() as conn:
            return periods.newest_text_matches(conn, _WORD.findall(f.text or ""), n)
    return matching_seqs(engine, f, periods.published_columns.get(engine))[::-1][:n]


def prefer_index_probes(conn: Connection) -> None:
    """PostgreSQL, this transaction: price an index probe near a sequential page read (the knowledge
    base sits in memory), so "the places of these 1,000 articles" probes the article_id indexes
    instead of scanning every place. Not for whole sessions: there it made rare-word searches walk
    the date index testing every tsvector."""
    if conn.dialect.name == "postgresql":
        conn.exec_driver_sql("SET LOCAL random_page_cost = 1.1")


def _among(engine: Engine, column: Any, ids: list[str]) -> ColumnElement[bool]:
    """``column IN ids``; on PostgreSQL as ``= ANY(array)``, one parameter that it probes an index with
    (a thousand separate parameters made it scan the whole table).

    The array travels as one comma-joined string (article ids are hex digests) that PostgreSQL splits:
    psycopg quotes a list of strings element by element, ~6 ms per 1,000 ids, and facets pass it four times.
    """
    if engine.dialect.name == "postgresql":
        joined = func.string_to_array(literal(",".join(ids), String), ",", type_=ARRAY(String))
        return cast(ColumnElement[bool], column == any_(joined))
    return cast(ColumnElement[bool], column.in_(ids))


@one_answer
def facets(engine: Engine, f: Filters, *, top: int = 10) -> dict[str, Any]:
    """Counts beside a search: top actors, places and event types, and named/anonymous quotes.

    They count the ``FACET_SAMPLE`` most recently stored matching articles: a common word matches
    most of the knowledge base, and grouping every actor, place and quote of it costs seconds.
    ``sample`` is true when more articles matched than were counted.
    """
    matching, sampled = sample_matching_ids(engine, f, FACET_SAMPLE)
    with engine.connect() as conn:
        prefer_index_probes(conn)
        # Grouped on the entities alone, then named: joining actors first probed every actor against
        # every sampled article (actors × 1,000 index lookups).
        articles_per_actor = func.count(func.distinct(E.c.article_id))
        top_actors = (select(E.c.actor_id, articles_per_actor.label("count"))
                      .where(_among(engine, E.c.article_id, matching)).group_by(E.c.actor_id)
                      .order_by(articles_per_actor.desc(), E.c.actor_id).limit(top).subquery())
        actor_rows = conn.execute(
            select(ACT.c.id, ACT.c.name, top_actors.c["count"]).join(top_actors, top_actors.c.actor_id == ACT.c.id)
            .order_by(top_actors.c["count"].desc(), ACT.c.id))
        place_rows = conn.execute(
            select(func.min(P.c.name).label("name"), P.c.country, func.count(func.distinct(P.c.article_id)).label("count"))
            .where(_among(engine, P.c.article_id, matching)).group_by(P.c.name_norm, P.c.country)
            .order_by(func.count(func.distinct(P.c.article_id)).desc()).limit(top))
        type_rows = conn.execute(
            select(V.c.type, func.count().label("count")).where(_among(engine, V.c.article_id, matching))
            .group_by(V.c.type).order_by(func.count().desc()).limit(top))
        sources = conn.execute(
            select(func.sum(case((Q.c.anonymous == true(), 1), else_=0)).label("anonymous"),
                   func.sum(case((Q.c.anonymous == false(), 1), else_=0)).label("named"))
            .where(_among(engine, Q.c.article_id, matching))).mappings().one()
        return {"actors": [dict(r) for r in actor_rows.mappings()],
                "places": [dict(r) for r in place_rows.mappings()],
                "types": [dict(r) for r in type_rows.mappings()],
                "sources": {"anonymous": int(sources["anonymous"] or 0), "named": int(sources["named"] or 0)},
                "sample": sampled, "articles_counted": len(matching)}


# ---------------------------------------------------------------- time series


@one_answer
def time_series(engine: Engine, f: Filters, *, unit: Unit = "day", of: Counted = "articles",
                count: EventCount = "clusters") -> list[dict[str, Any]]:
    """Counts per day, ISO week (its Monday) or month of articles (by publication), quotes or events (by date;
    happenings, or every report with ``count="reports"``)."""
    if unit not in ("day", "week", "month"):
        raise ValueError(f"unit must be day, week or month, not {unit!r}")
    width = 7 if unit == "month" else 10
    from dateline.store import childrows

    if of in ("quotes", "events") and childrows.answers(f, childrows.EVENT_FILTERS_HERE if of == "events"
                                                         else frozenset(asdict(f))):
        event_count(count)  # the same refusal of an unknown count as below
        found = (childrows.event_series(engine, f, width, count) if of == "events"
                 else childrows.quote_series(engine, f, width))
        return [{"period": p, "count": c} for p, c in (_fold_weeks(found) if unit == "week" else found)]
    if of == "events":
        when = V.c.day
        base = select(V.c.day)
        if article_conditions(engine, f, skip=EVENT_FILTERS):  # join articles only when a filter needs them
            base = base.join(A, A.c.id == V.c.article_id)
        base = base.where(*_event_conditions(engine, f))
    elif of == "quotes":
        when = A.c.published
        base = select(A.c.published).join(Q, Q.c.article_id == A.c.id).where(*article_conditions(engine, f))
    elif of == "articles":
        if _WORD.search(f.text or ""):
            return _text_article_series(engine, f, unit, width)
        when = A.c.published
        base = select(A.c.published).where(*article_conditions(engine, f))
    else:
        raise ValueError(f"of must be articles, quotes or events, not {of!r}")
    period = func.substr(when, 1, width)
    counted = event_count(count) if of == "events" else func.count()
    query = (base.with_only_columns(period.label("period"), counted.label("count"))
             .where(func.length(when) >= width).group_by(period).order_by(period))
    with engine.connect() as conn:
        rows = [(p, int(c)) for p, c in conn.execute(query)]
    if unit == "week":
        rows = _fold_weeks(rows)
    return [{"period": p, "count": c} for p, c in rows]


def event_count(count: EventCount) -> Any:
    """The count of events among grouped rows: distinct clusters (one per happening), or every report."""
    if count == "reports":
        return func.count()
    if count != "clusters":
        raise ValueError(f"count must be clusters or reports, not {count!r}")
    from dateline.store.across.clusters import count_column

    return count_column()


def _text_article_series(engine: Engine, f: Filters, unit: Unit, width: int) -> list[dict[str, Any]]:
    """Articles per period with a text filter: the matches (``matching_seqs``) counted in process."""
    column = periods.published_columns.get(engine)
    rows = column.counts(matching_seqs(engine, f, column), width)
    if unit == "week":
        rows = _fold_weeks(rows)
    return [{"period": p, "count": c} for p, c in rows]


def _fold_weeks(days: list[tuple[str, int]]) -> list[tuple[str, int]]:
    weeks: dict[str, int] = {}
    for day, count in days:
        try:
            d = date.fromisoformat(day)
        except ValueError:
            continue
        monday = (d - timedelta(days=d.weekday())).isoformat()
        weeks[monday] = weeks.get(monday, 0) + count
    return sorted(weeks.items())


__all__ = ["Filters", "Page", "actor_ids", "actor_network", "article_conditions", "counts", "facets", "get_article",
           "list_actors", "list_events", "list_places", "list_quotes", "search_articles", "time_series"]
