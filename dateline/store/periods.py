"""Articles per period counted in process: a column of ``seq -> publication date`` kept per engine.

A time series with a text filter counts every matching article, and a common word matches most of
the knowledge base. Grouping those rows in SQL reads each one (SQLite: a B-tree seek per FTS5 match;
PostgreSQL: a heap row and its tsvector), about 0.3 s (SQLite) to 1 s (PostgreSQL) on 100,000
articles. Here the database only lists the matching ``seq`` values, as one comma-joined string
(``group_concat`` / ``string_agg``: no Python object per row), and numpy counts them against a
per-process column of each article's ``published`` value.

The column holds the distinct ``published`` values (a few thousand) and, per ``seq``, the index of
its value. Stored articles are never rewritten, only added, so the column stays right until
``max(articles.seq)`` moves; it is then rebuilt (one grouped scan of an index), as ``web/cache.py``
does for the aggregates.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Generic, Protocol, TypeVar, cast

import numpy as np
import numpy.typing as npt
from sqlalchemy import ColumnElement, Connection, Engine, String, func, select, text

from dateline.store import schema

A = schema.articles
Seqs = npt.NDArray[np.int64]
NO_VALUE = -1  # an unused seq, or an article without a publication date


@dataclass(frozen=True, slots=True)
class PublishedColumn:
    """``values[value_of_seq[seq]]`` is the ``published`` string of article ``seq`` (``NO_VALUE``: none).

    ``rank_of_seq[seq]`` is the position of that value in date order (``NO_VALUE``: none), so the
    newest-first order of articles is the order of ``(rank, seq)``, both descending.
    """

    newest: int
    values: list[str]
    value_of_seq: npt.NDArray[np.int32]
    rank_of_seq: npt.NDArray[np.int32]
    made_at: float

    def counts(self, seqs: Seqs, width: int) -> list[tuple[str, int]]:
        """(period, articles) for the articles ``seqs``: the first ``width`` characters of ``published``,
        values shorter than ``width`` skipped (a month-precise date has no day), periods in order."""
        indexes = self.value_of_seq[self._known(seqs)]
        per_value = np.bincount(indexes[indexes != NO_VALUE], minlength=len(self.values))
        periods: dict[str, int] = {}
        for value, count in zip(self.values, per_value.tolist(), strict=True):
            if count and len(value) >= width:
                periods[value[:width]] = periods.get(value[:width], 0) + count
        return sorted(periods.items())

    def in_range(self, seqs: Seqs, since: str | None = None, until: str | None = None) -> Seqs:
        """The articles of ``seqs`` the query filters ``since`` / ``until`` keep (undated ones are not
        kept by either). ``until`` compares as many characters as it has: "2024-06" keeps "2024-06-30"."""
        seqs = self._known(seqs)
        if not since and not until:
            return seqs
        kept = np.fromiter(((not since or value >= since) and (not until or value[:len(until)] <= until)
                            for value in self.values), dtype=bool, count=len(self.values))
        indexes = self.value_of_seq[seqs]
        return seqs[(indexes != NO_VALUE) & kept[np.maximum(indexes, 0)]]

    def newest_first(self, seqs: Seqs, n: int) -> Seqs:
        """The ``n`` newest articles of ``seqs`` in the order of the search pages: publication date
        descending, then ``seq`` descending, undated last. Partitioned first: no full sort of many."""
        seqs = self._known(seqs)
        order_key = (self.rank_of_seq[seqs].astype(np.int64) << 32) | seqs  # undated: rank -1, lowest
        if n < len(seqs):
            top = np.argpartition(-order_key, n - 1)[:n] if n > 0 else np.empty(0, dtype=np.int64)
            seqs, order_key = seqs[top], order_key[top]
        return seqs[np.argsort(-order_key, kind="stable")]

    def _known(self, seqs: Seqs) -> Seqs:
        """``seqs`` without those beyond the column (stored after it was read; it is rebuilt on the next call)."""
        return seqs[(seqs >= 0) & (seqs < len(self.value_of_seq))]


def newest_seq(conn: Connection) -> int | None:
    """The highest article ``seq`` (one index lookup): it grows with every ingest, so it tells kept values are stale."""
    value = conn.execute(select(func.max(A.c.seq))).scalar_one()
    return int(value) if value is not None else None


class Kept(Protocol):
    """What ``PerEngine`` keeps: the newest ``seq`` it was read at and when (``time.monotonic``)."""

    @property
    def newest(self) -> int: ...

    @property
    def made_at(self) -> float: ...


K = TypeVar("K", bound=Kept)


class PerEngine(Generic[K]):
    """One value read by ``read(conn, newest seq)`` per engine, read again when an article was added
    (``max(articles.seq)`` moved) or after ``ttl`` seconds. Past ``ttl`` with no article added, the kept value
    is still answered at once and read again in a background thread (nobody waits for the safety net)."""

    def __init__(self, read: Callable[[Connection, int], K], ttl: float = 300.0) -> None:
        self.read = read
        self.ttl = ttl
        self._kept: dict[tuple[int, str], K] = {}
        self._lock = threading.Lock()
        self._reading = threading.Lock()  # one read at a time: callers arriving during it wait for it
        self._refreshing: set[tuple[int, str]] = set()

    def get(self, engine: Engine) -> K:
        key = (id(engine), str(engine.url))  # the URL too: a disposed engine's id can be reused
        with engine.connect() as conn:
            newest = newest_seq(conn) or 0
            kept = self._fresh(key, newest)
            if kept is not None:
                return kept
            with self._lock:
                stale = self._kept.get(key)
                if stale is not None and stale.newest == newest:
                    if key not in self._refreshing:
                        self._refreshing.add(key)
                        threading.Thread(target=self._refresh, args=(engine, key), daemon=True).start()
                    return stale
            with self._reading:
                kept = self._fresh(key, newest)  # read by the caller this one waited for
                if kept is None:
                    kept = self.read(conn, newest)
                    with self._lock:
                        self._kept[key] = kept
        return kept

    def _refresh(self, engine: Engine, key: tuple[int, str]) -> None:
        try:
            with engine.connect() as conn, self._reading:
                kept = self.read(conn, newest_seq(conn) or 0)
            with self._lock:
                self._kept[key] = kept
        except Exception:  # the next caller reads it in its own request
            with self._lock:
                self._kept.pop(key, None)
        finally:
            with self._lock:
                self._refreshing.discard(key)

    def _fresh(self, key: tuple[int, str], newest: int) -> K | None:
        with self._lock:
            kept = self._kept.get(key)
        if kept is not None and kept.newest == newest and time.monotonic() - kept.made_at < self.ttl:
            return kept
        return None

    def clear(self) -> None:
        with self._lock:
            self._kept.clear()


@dataclass(frozen=True, slots=True)
class ArticleKeys:
    """Every article's ``id`` (sorted, as bytes) beside its ``seq``: turns the article ids a child table
    lists (events of a type, places of a name) into ``seq`` values without a join.

    PostgreSQL joined such a list to ``articles`` by a hash over all 100,000 wide rows (~90 ms) or an
    index probe plus heap fetch per id (~70 ms for 10,000); here it is a binary search (~2 ms). About
    70 bytes per article; read only when a query needs it.
    """

    newest: int
    ids: npt.NDArray[np.bytes_]
    seq_of_id: Seqs
    id_at_seq: Seqs  # the position in ``ids`` of each seq's id (NO_VALUE: no such article)
    made_at: float

    def ids_of(self, seqs: Seqs) -> list[str]:
        """The ids of the articles ``seqs``, in that order (unknown ones left out)."""
        seqs = seqs[(seqs >= 0) & (seqs < len(self.id_at_seq))]
        at = self.id_at_seq[seqs]
        return [i.decode() for i in self.ids[at[at != NO_VALUE]].tolist()]

    def seqs_of(self, joined_ids: str | None) -> Seqs:
        """The ``seq`` of the articles whose ids ``joined_ids`` lists (comma-separated: ids are hex
        digests), sorted and distinct; unknown ids are left out."""
        if not joined_ids or not len(self.ids):
            return np.empty(0, dtype=np.int64)
        wanted = np.array(joined_ids.encode().split(b","), dtype=self.ids.dtype)
        at = np.minimum(np.searchsorted(self.ids, wanted), len(self.ids) - 1)
        return np.unique(self.seq_of_id[at[self.ids[at] == wanted]])


def _read_keys(conn: Connection, newest: int) -> ArticleKeys:
    ids_joined, seqs_joined = conn.execute(select(joined(conn, A.c.id), joined_seqs(conn))
                                           .where(A.c.seq <= newest)).one()
    ids = np.array(ids_joined.encode().split(b",") if ids_joined else [], dtype=np.bytes_)
    order = np.argsort(ids, kind="stable")
    seq_of_id = parse_seqs(seqs_joined)[order]
    id_at_seq = np.full(newest + 1, NO_VALUE, dtype=np.int64)
    id_at_seq[seq_of_id] = np.arange(len(seq_of_id))
    return ArticleKeys(newest, ids[order], seq_of_id, id_at_seq, time.monotonic())


def _read_column(conn: Connection, newest: int) -> PublishedColumn:
    value_of_seq = np.full(newest + 1, NO_VALUE, dtype=np.int32)
    values: list[str] = []
    grouped = (select(A.c.published, joined_seqs(conn)).where(A.c.published.is_not(None), A.c.seq <= newest)
               .group_by(A.c.published))
    for published, seqs in conn.execute(grouped):
        value_of_seq[parse_seqs(seqs)] = len(values)
        values.append(str(published))
    # Ranked in Python's (byte) order, the order of ISO dates on both engines; a grouping need not sort.
    rank_of_value = np.empty(len(values) + 1, dtype=np.int32)
    rank_of_value[np.argsort(np.array(values, dtype=object), kind="stable")] = np.arange(len(values), dtype=np.int32)
    rank_of_value[-1] = NO_VALUE  # value_of_seq NO_VALUE (-1) picks this last slot
    return PublishedColumn(newest, values, value_of_seq, rank_of_value[value_of_seq], time.monotonic())


def joined_seqs(conn: Connection) -> ColumnElement[Any]:
    """An aggregate of ``articles.seq`` as one comma-separated string (NULL when no row)."""
    return joined(conn, A.c.seq)


def joined(conn: Connection, values: Any) -> ColumnElement[Any]:
    """An aggregate of ``values`` as one comma-separated string (NULL when no row)."""
    if conn.dialect.name == "sqlite":
        return cast(ColumnElement[Any], func.group_concat(values))
    return cast(ColumnElement[Any], func.string_agg(values.cast(String), ","))


def parse_seqs(joined: str | None) -> Seqs:
    if not joined:
        return np.empty(0, dtype=np.int64)
    return np.fromstring(joined, dtype=np.int64, sep=",")


def text_match_seqs(conn: Connection, tokens: list[str]) -> Seqs:
    """The ``seq`` of every article holding all ``tokens``, read from the full-text index only."""
    if conn.dialect.name == "sqlite":
        query = " ".join(f'"{t}"' for t in tokens)  # each token a quoted FTS5 string: no syntax survives
        joined = conn.execute(text("SELECT group_concat(rowid) FROM articles_fts WHERE articles_fts MATCH :q"),
                              {"q": query}).scalar_one()
        return parse_seqs(joined)
    # ``article_words`` (migration 5) is the narrow copy of ``articles.tsv``. A common word's estimate
    # makes PostgreSQL scan it and detoast every tsvector; the GIN bitmap needs no recheck for plain
    # words, so it reads only the narrow rows. Switched off for this statement only.
    conn.exec_driver_sql("SET LOCAL enable_seqscan = off")
    joined = conn.execute(text("SELECT string_agg(seq::text, ',') FROM article_words "
                               "WHERE tsv @@ plainto_tsquery('english', :q)"), {"q": " ".join(tokens)}).scalar_one()
    conn.exec_driver_sql("RESET enable_seqscan")
    return parse_seqs(joined)


def text_matches_up_to(conn: Connection, tokens: list[str], n: int) -> list[int]:
    """PostgreSQL: the ``seq`` of up to ``n`` articles holding all ``tokens`` (all of them when fewer).

    From the GIN bitmap of ``article_words``: a sequential scan stopping at ``n`` looks cheap to the
    planner but detoasts a tsvector per row, thousands of them for a word in one article of five.
    """
    conn.exec_driver_sql("SET LOCAL enable_seqscan = off")
    found = conn.execute(text("SELECT seq FROM article_words WHERE tsv @@ plainto_tsquery('english', :q) LIMIT :n"),
                         {"q": " ".join(tokens), "n": n}).scalars().all()
    conn.exec_driver_sql("RESET enable_seqscan")
    return [int(seq) for seq in found]


def newest_text_matches(conn: Connection, tokens: list[str], n: int) -> Seqs:
    """PostgreSQL: the ``seq`` of the ``n`` most recently stored articles holding all ``tokens`` (all of
    them when fewer), highest first.

    Listing every match of a common word reads tens of thousands of rows, and walking the newest
    articles one by one plans badly. Instead slices of the newest ``seq`` values are searched, newest
    slice first, each twice the last, until ``n`` matches are found: for a common word the first slice
    of 1.5 ``n`` articles is enough; for a rarer one, the planner ANDs the word's GIN bitmap with the
    slice's primary-key range, so the rows read are about the matches kept.
    """
    high = int(conn.execute(text("SELECT coalesce(max(seq), 0) FROM article_words")).scalar_one())
    # Bitmaps only (no per-row walk). At the default costs a slice's rows are filtered by their
    # (detoasted) tsvector even when ANDing the word's bitmap is far cheaper: 27 ms against 3 ms for
    # a word in one article of five; a GIN entry priced near nothing tips the planner to the AND.
    # One statement: each round trip counts at this scale.
    conn.exec_driver_sql("SET LOCAL enable_seqscan = off; SET LOCAL enable_indexscan = off; "
                         "SET LOCAL random_page_cost = 1.1; SET LOCAL cpu_index_tuple_cost = 0.0001")
    slices: list[Seqs] = []
    found, searched, size = 0, 0, max(n + n // 2, 16)
    while high > 0 and found < n:
        low = max(0, high - size)
        joined = conn.execute(text("SELECT string_agg(seq::text, ',') FROM article_words "
                                   "WHERE tsv @@ plainto_tsquery('english', :q) AND seq > :low AND seq <= :high"),
                              {"q": " ".join(tokens), "low": low, "high": high}).scalar_one()
        slices.append(parse_seqs(joined))
        found, searched, high = found + len(slices[-1]), searched + high - low, low
        # The next slice: what the density so far says the rest needs (a fifth more), at most twice as
        # many articles as searched (a density of zero says nothing).
        density = found / searched
        size = min(2 * searched, int(1.2 * (n - found) / density) + 16) if density else 2 * searched
    conn.exec_driver_sql("RESET random_page_cost; RESET enable_indexscan; RESET enable_seqscan; "
                         "RESET cpu_index_tuple_cost")
    return np.sort(np.concatenate(slices) if slices else np.empty(0, dtype=np.int64))[::-1][:n]


def seqs_where(conn: Connection, conditions: list[ColumnElement[bool]]) -> Seqs:
    """The ``seq`` of every article meeting ``conditions``."""
    return parse_seqs(conn.execute(select(joined_seqs(conn)).select_from(A).where(*conditions)).scalar_one())


published_columns: PerEngine[PublishedColumn] = PerEngine(_read_column)
article_keys: PerEngine[ArticleKeys] = PerEngine(_read_keys)

__all__ = ["ArticleKeys", "PerEngine", "PublishedColumn", "article_keys", "joined", "newest_text_matches", "published_columns", "seqs_where",
           "text_match_seqs", "text_matches_up_to"]
