"""Papers read on a store connection of their own, for a thread that paints.

The library's connection is shared by workers (searches, counts, imports) under a lock; a UI
thread that waited behind them would freeze. PaperRows reads the same store file on its own
connection (WAL lets it read while another connection writes), so painting never waits. It is
not a second Library: that would take the open mark and run the start-up store check again.
Ids come from searches, so they are current ids and need no alias resolution.
"""

from __future__ import annotations

from collections.abc import Sequence

from reader.core.library.browse import StoreView
from reader.core.model import Paper
from reader.core.store import Store, Trend, upvotes


class PaperRows:
    def __init__(self, store: Store) -> None:
        self._store = store  # reads only

    def get(self, paper_id: str) -> Paper | None:
        return self._store.get(paper_id)

    def get_many(self, ids: list[str]) -> dict[str, Paper]:
        return self._store.get_many(ids)

    def for_painting(self, ids: Sequence[str]) -> Sequence[str]:
        """A result's ids as this thread reads them: a StoreView through this connection."""
        return ids.reading_from(self._store) if isinstance(ids, StoreView) else ids

    def upvote_trend(self, paper: Paper) -> Trend | None:
        """ "▲ 42, +17 since yesterday": the history of fetched counts, else the count a saved
        listing carried, else None."""
        if paper.upvotes is None:
            return None
        with self._store.lock:
            found = upvotes.trend(self._store.conn, paper.id)
        return found or Trend(paper.upvotes, None)

    def close(self) -> None:
        self._store.close()
