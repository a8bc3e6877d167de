"""Listing papers without the index (a query of filters only, or nothing), for any library size.

A million ids as Python strings take seconds to read and a hundred MB to hold, and the TUI
needs only the rows on screen. So the common views, "everything" and "everything but what I
have read" (optionally only papers added since a day), newest additions first, are a
StoreView: a range of SQLite rowids minus a few, read a block at a time by rowid, which
costs the same at 1M papers as at 100. Other views (a set of bookmarked or noted papers,
another sort) are plain lists, selected and ordered by SQLite in one statement.
"""

from __future__ import annotations

import json
from bisect import bisect_left, bisect_right
from collections.abc import Collection, Iterator, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Protocol, overload

from reader.core.library.filters import Filters
from reader.core.search import Allow
from reader.core.store import Store

if TYPE_CHECKING:  # a search loads no user-file code until it needs it
    from reader.core.userdata import UserData

_ITER_BLOCK = 5000  # ids read per statement when a view is walked whole


@dataclass(frozen=True, slots=True)
class Selection:
    """Which papers a filter-only query lists: those in `only` (None: all), minus `without`,
    added at or after `added_since` (an ISO timestamp, None: any time); in the order of
    `order` (the reading queue) when there is one and the sort is relevance."""

    only: frozenset[str] | None = None
    without: frozenset[str] = frozenset()
    added_since: str | None = None
    order: tuple[str, ...] | None = None


class Marks(Protocol):
    """The daily loop's sets: followed and muted papers (found by queries), and the queue."""

    def followed_ids(self) -> frozenset[str]: ...
    def muted_ids(self) -> frozenset[str]: ...
    def queue_ids(self) -> list[str]: ...


class StoreView(Sequence[str]):
    """Paper ids, newest addition first: the rowids from `top` down to `bottom`, minus `skip`.

    Built only where every rowid of that range is a paper (see `view`), so the id at any
    position and the position of any id are a bisect and one indexed lookup away."""

    def __init__(self, store: Store, top: int, bottom: int, skip: Sequence[int]) -> None:
        self.store = store
        self.top, self.bottom = top, bottom
        self.skip = sorted(s for s in set(skip) if bottom <= s <= top)
        self._len = max(0, top - bottom + 1 - len(self.skip))

    def reading_from(self, store: Store) -> StoreView:
        """The same view, read through another connection (the TUI paints through its own)."""
        return StoreView(store, self.top, self.bottom, self.skip)

    def __len__(self) -> int:
        return self._len

    @overload
    def __getitem__(self, position: int) -> str: ...
    @overload
    def __getitem__(self, position: slice) -> list[str]: ...
    def __getitem__(self, position: int | slice) -> str | list[str]:
        if isinstance(position, slice):
            start, stop, step = position.indices(self._len)
            if step != 1:
                return [self[i] for i in range(start, stop, step)]
            return self._block(start, stop)
        if position < 0:
            position += self._len
        if not 0 <= position < self._len:
            raise IndexError("StoreView index out of range")
        return self._block(position, position + 1)[0]

    def __iter__(self) -> Iterator[str]:
        for start in range(0, self._len, _ITER_BLOCK):
            yield from self._block(start, min(start + _ITER_BLOCK, self._len))

    def __contains__(self, paper_id: object) -> bool:
        return isinstance(paper_id, str) and self._position(paper_id) is not None

    def index(self, paper_id: str, start: int = 0, stop: int | None = None) -> int:
        position = self._position(paper_id)
        end = self._len if stop is None else stop
        if position is None or not start <= position < end:
            raise ValueError(f"{paper_id!r} is not in the view")
        return position

    def _position(self, paper_id: str) -> int | None:
        rowid = _rowid_of(self.store, paper_id)
        if rowid is None or not self.bottom <= rowid <= self.top or self._skipped(rowid):
            return None
        return self.top - rowid - (len(self.skip) - bisect_right(self.skip, rowid))

    def _skipped(self, rowid: int) -> bool:
        at = bisect_left(self.skip, rowid)
        return at < len(self.skip) and self.skip[at] == rowid

    def _rowid_at(self, position: int) -> int:
        """The rowid shown at a position: the largest x with `position + 1` papers in x..top."""
        low, high = self.bottom, self.top
        while low < high:
            mid = (low + high + 1) // 2
            shown = self.top - mid + 1 - (len(self.skip) - bisect_left(self.skip, mid))
            if shown >= position + 1:
                low = mid
            else:
                high = mid - 1
        return low

    def _block(self, start: int, stop: int) -> list[str]:
        if start >= stop:
            return []
        high, low = self._rowid_at(start), self._rowid_at(stop - 1)
        with self.store.lock:
            rows = self.store.conn.execute(
                "SELECT rowid, id FROM papers WHERE rowid BETWEEN ? AND ? ORDER BY rowid DESC",
                (low, high),
            ).fetchall()
        if not self.skip:
            return [paper_id for _, paper_id in rows]
        return [paper_id for rowid, paper_id in rows if not self._skipped(rowid)]


def selection(
    filters: Filters, user: UserData, marks: Marks, hide: frozenset[str] = frozenset()
) -> Selection:
    """The filters as a Selection: the user's (small) sets, never a set of every id; `hide`
    is left out too (a feed's muted papers)."""
    only: set[str] | None = None
    for wanted, ids in (
        (filters.bookmarked, user.bookmarks),
        (filters.has_note, user.ids_with_notes),
        (filters.read, user.read_ids),
        (filters.followed, marks.followed_ids),
        (filters.muted, marks.muted_ids),
        (filters.queued, lambda: set(marks.queue_ids())),
    ):
        if wanted:
            only = set(ids()) if only is None else only & ids()
    return Selection(
        only=None if only is None else frozenset(only),
        without=(frozenset(user.read_ids()) if filters.unread else frozenset()) | hide,
        added_since=filters.added_since,
        order=tuple(marks.queue_ids()) if filters.queued else None,
    )


def allow(store: Store, selection: Selection, hide: frozenset[str] = frozenset()) -> Allow:
    """What an index search keeps of its matches. `is:unread` is "not read" (a test per
    match), not the set of every unread id; `hide` (a feed's muted papers) is tested last,
    so a set that counts its hits counts exactly the papers it took away."""
    allowed: set[str] | None = None if selection.only is None else set(selection.only)
    if selection.added_since:
        added = store.ids_added_since(selection.added_since)
        allowed = added if allowed is None else allowed & added
    if selection.without and allowed is not None:
        allowed -= selection.without
    if selection.without and allowed is None:
        read = selection.without
        return lambda pid: pid not in read and pid not in hide
    if not hide:
        return allowed
    if allowed is None:
        return lambda pid: pid not in hide
    return lambda pid: pid in allowed and pid not in hide


def view(store: Store, selection: Selection, sort: str) -> Sequence[str]:
    """The ids a selection lists in a sort ("relevance" means newest additions first)."""
    lazy = lazy_view(store, selection, sort)
    if lazy is not None:
        return lazy
    if selection.order is not None and sort == "relevance":
        present = set(_listed(store, selection, "added"))
        return [pid for pid in selection.order if pid in present]
    return _listed(store, selection, "added" if sort == "relevance" else sort)


def lazy_view(store: Store, selection: Selection, sort: str) -> StoreView | None:
    """`view` when it is a StoreView (a few indexed steps at any size), else None."""
    if selection.only is None and sort in ("relevance", "added"):
        return _store_view(store, selection)
    return None


def count(store: Store, selection: Selection) -> int:
    """How many papers a selection lists (without reading their ids when it can)."""
    if selection.only is None and selection.added_since is None:
        total = store.count()
        return total - len(_existing(store, selection.without)) if selection.without else total
    return len(view(store, selection, "added"))


def _store_view(store: Store, selection: Selection) -> StoreView | None:
    """A StoreView of the selection, or None when its rowids have gaps (then it is a list)."""
    with store.lock:
        conn = store.conn
        top = conn.execute("SELECT max(rowid) FROM papers").fetchone()[0]
        if top is None:
            return StoreView(store, 0, 1, ())
        if selection.added_since is None:
            bottom = conn.execute("SELECT min(rowid) FROM papers").fetchone()[0]
            present = conn.execute("SELECT count(*) FROM papers").fetchone()[0]
        else:
            since = (selection.added_since,)
            bottom, present = conn.execute(
                "SELECT min(rowid), count(*) FROM papers WHERE added_at >= ?", since
            ).fetchone()
            if bottom is None:
                return StoreView(store, 0, 1, ())
    if present != top - bottom + 1:
        return None  # some rowid in the range is not a paper (or not in the selection)
    return StoreView(store, top, bottom, list(_existing(store, selection.without).values()))


def _listed(store: Store, selection: Selection, order: str) -> list[str]:
    """The selection's ids in one statement (SQLite selects and sorts; no 1M Python set)."""
    where, values = [], []
    if selection.only is not None:
        where.append("id IN (SELECT value FROM json_each(?))")
        values.append(json.dumps(sorted(selection.only)))
    if selection.without:
        where.append("id NOT IN (SELECT value FROM json_each(?))")
        values.append(json.dumps(sorted(selection.without)))
    if selection.added_since is not None:
        where.append("added_at >= ?")
        values.append(selection.added_since)
    clause = f" WHERE {' AND '.join(where)}" if where else ""
    with store.lock:
        sql = f"SELECT id FROM papers{clause} ORDER BY {store.order_by(order)}"
        return [row[0] for row in store.conn.execute(sql, values)]


def _existing(store: Store, ids: Collection[str]) -> dict[str, int]:
    """The rowid of each of these ids that is a paper (ids of papers no longer stored drop)."""
    if not ids:
        return {}
    with store.lock:
        return dict(
            store.conn.execute(
                "SELECT id, rowid FROM papers WHERE id IN (SELECT value FROM json_each(?))",
                (json.dumps(sorted(ids)),),
            ).fetchall()
        )


def _rowid_of(store: Store, paper_id: str) -> int | None:
    with store.lock:
        row = store.conn.execute("SELECT rowid FROM papers WHERE id = ?", (paper_id,)).fetchone()
    return row[0] if row else None


def is_empty(store: Store) -> bool:
    """No paper at all (one indexed step, where count(*) reads a whole index)."""
    with store.lock:
        return store.conn.execute("SELECT 1 FROM papers LIMIT 1").fetchone() is None
