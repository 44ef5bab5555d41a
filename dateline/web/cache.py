"""A small in-process cache for the unfiltered aggregates (map, facets, network, counts, all-article series).

Those answers group every place, event or quote of the knowledge base, cost seconds on 100,000
articles, and are the same for every visitor of the front page. The API is read-only, so the only
thing that changes them is an ingest: each entry remembers the newest article's ``seq`` (one index
lookup) and is recomputed when that moved, whoever ingested. Entries also expire after ``ttl`` seconds
(a safety net): then the kept answer is still served while a background thread computes it again.
Filtered requests are never cached (their keys are unbounded).
"""

from __future__ import annotations

import logging
import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import TypeVar

from sqlalchemy import Engine

from dateline.store.periods import newest_seq
from dateline.store.query import Filters

T = TypeVar("T")
log = logging.getLogger(__name__)


class AggregateCache:
    def __init__(self, ttl: float = 300.0, max_entries: int = 64) -> None:
        self.ttl = ttl
        self.max_entries = max_entries
        self._entries: OrderedDict[Hashable, tuple[float, int | None, object]] = OrderedDict()
        self._refreshing: set[Hashable] = set()
        self._lock = threading.Lock()

    def get(self, engine: Engine, f: Filters, key: Hashable, compute: Callable[[], T]) -> T:
        """``compute()``, from the cache when ``f`` is empty and nothing was ingested since it was kept.

        An entry past ``ttl`` with no article stored since is still answered at once, and computed
        again in a background thread for the next visitor (nobody waits seconds for the safety net).
        """
        if f.as_dict():
            return compute()
        full_key = (id(engine), key)
        version = newest_article(engine)
        with self._lock:
            entry = self._entries.get(full_key)
            if entry is not None and entry[1] == version:
                self._entries.move_to_end(full_key)
                if time.monotonic() - entry[0] >= self.ttl and full_key not in self._refreshing:
                    self._refreshing.add(full_key)
                    threading.Thread(target=self._refresh, args=(full_key, version, compute), daemon=True).start()
                return entry[2]  # type: ignore[return-value]
        value = compute()
        self._keep(full_key, version, value)
        return value

    def _keep(self, full_key: Hashable, version: int | None, value: object) -> None:
        with self._lock:
            self._entries[full_key] = (time.monotonic(), version, value)
            self._entries.move_to_end(full_key)
            while len(self._entries) > self.max_entries:
                self._entries.popitem(last=False)

    def _refresh(self, full_key: Hashable, version: int | None, compute: Callable[[], object]) -> None:
        try:
            self._keep(full_key, version, compute())
        except Exception:  # the kept answer stays; the next request past ttl tries again
            log.exception("refreshing a cached aggregate failed")
        finally:
            with self._lock:
                self._refreshing.discard(full_key)

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()


def newest_article(engine: Engine) -> int | None:
    """The highest article ``seq``: it grows with every ingest, so it tells a cached answer is stale."""
    with engine.connect() as conn:
        return newest_seq(conn)


aggregates = AggregateCache()
