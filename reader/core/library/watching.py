"""Follows and mutes: the papers their queries find, and feeds without the muted ones.

A follow or a mute is a query run through the library's own search, so `author:"Yann LeCun"`
means what it means in the search bar, today and after tomorrow's fetch. Each query's answer is
kept until the index changes (a commit here or in another process makes a new generation); a
query with filters (`is:`, `has:`, `added:`) runs afresh each time, as its answer moves with
the user's files and the clock.

What a mute hides: the lists reader fills for the user (All papers, Unread, Recently added,
every saved search, For you, new-since counts, the digest) are feeds and leave muted papers
out. A typed search never does, nor do the lists the user filled by hand (`is:bookmarked`,
`has:note`, `is:queued`) or a query that asks for `is:muted`. A follow is stronger than a
mute: a paper both followed and muted is shown.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from reader.core.library.filters import Filters, split_filters
from reader.core.search import SearchResult

if TYPE_CHECKING:
    from reader.core.library.parts import LibraryParts
    from reader.core.userdata import WatchedQuery, Watchlist

MUTE_SUGGESTIONS = 5


@dataclass(frozen=True, slots=True)
class FeedView:
    """A feed's papers in order, the search's result, and how many muted ones it hid."""

    ids: Sequence[str]
    result: SearchResult
    hidden: int


@dataclass(frozen=True, slots=True)
class Watched:
    """A query just followed or muted: its entry, whether it is new, what it finds now."""

    entry: WatchedQuery
    fresh: bool
    matches: int
    suggestion: str | None  # "did you mean" when it finds nothing

    def to_dict(self) -> dict[str, object]:
        return {
            **self.entry.to_dict(),
            "new": self.fresh,
            "matches": self.matches,
            "suggestion": self.suggestion,
        }


def author_query(name: str) -> str:
    """The query that follows one author: `author:"Yann LeCun"` (quotes inside dropped)."""
    return 'author:"{}"'.format(" ".join(name.replace('"', " ").split()))


class Watching:
    def __init__(self, library: LibraryParts) -> None:
        self.library = library
        self._answers: dict[str, tuple[int, frozenset[str]]] = {}  # query -> generation, ids
        self._lock = threading.RLock()

    # -- the queries -----------------------------------------------------------------------

    def follows(self) -> list[WatchedQuery]:
        return self.library.user.follows.queries()

    def mutes(self) -> list[WatchedQuery]:
        return self.library.user.mutes.queries()

    def follow(self, query: str) -> Watched:
        """Follow a query; ValueError (one line) if it cannot be searched as written."""
        return self._add(self.library.user.follows, query)

    def mute(self, query: str) -> Watched:
        return self._add(self.library.user.mutes, query)

    def unfollow(self, query: str) -> None:
        self.library.user.follows.remove(query)

    def unmute(self, query: str) -> None:
        self.library.user.mutes.remove(query)

    def _add(self, watchlist: Watchlist, query: str) -> Watched:
        query = " ".join(query.split())
        if not query:
            raise ValueError("the query is empty")
        filters = split_filters(query)
        if filters.followed or filters.muted:
            raise ValueError("a follow or a mute cannot itself use is:followed or is:muted")
        result = self.library.search(query, limit=1)
        if result.note:  # the search bar would have searched other words: say so, keep none
            raise ValueError(f"{result.note}; fix the query ({query})")
        entry, fresh = watchlist.add(query)
        return Watched(entry, fresh, result.total, result.suggestion)

    # -- which papers they pick ------------------------------------------------------------

    def matches(self, query: str) -> frozenset[str]:
        """The ids a followed or muted query finds now."""
        filters = split_filters(query)
        if filters.followed or filters.muted:  # written by hand: it would ask itself
            return frozenset()
        if filters.any:
            return frozenset(self.library.search_ids(query)[0])
        generation = self.library.index.generation()
        with self._lock:
            known = self._answers.get(query)
            if known is not None and known[0] == generation:
                return known[1]
        ids = frozenset(self.library.search_ids(query)[0])
        with self._lock:
            self._answers[query] = (generation, ids)
            for gone in set(self._answers) - self._queries():
                del self._answers[gone]
        return ids

    def _queries(self) -> set[str]:
        user = self.library.user
        return {*user.follows.texts(), *user.mutes.texts()}

    def followed_ids(self) -> frozenset[str]:
        return self._union(self.library.user.follows.texts())

    def muted_ids(self) -> frozenset[str]:
        return self._union(self.library.user.mutes.texts())

    def queue_ids(self) -> list[str]:
        return self.library.user.queue.ids()

    def _union(self, queries: Iterable[str]) -> frozenset[str]:
        found: set[str] = set()
        for query in queries:
            found |= self.matches(query)
        return frozenset(found)

    def following(self, pid: str) -> list[str]:
        """The followed queries that find a paper: why it is marked, why it is in a digest."""
        return [q for q in self.library.user.follows.texts() if pid in self.matches(q)]

    def mute_suggestions(self, pid: str) -> list[str]:
        """Mutes to offer for a paper: its key terms as `abstract:` queries, strongest first."""
        similar = self.library.similar(pid, limit=1)
        terms = similar.terms if similar is not None else []
        return [f"abstract:{term}" for term in terms[:MUTE_SUGGESTIONS] if term.isalnum()]

    # -- feeds -----------------------------------------------------------------------------

    def hidden_by_mutes(self, query: str = "") -> frozenset[str]:
        """What a feed of `query` leaves out: muted papers no follow keeps (nothing for the
        lists the user fills by hand, or a query that asks for muted papers)."""
        if not self.library.user.mutes.texts() or _picked_by_hand(split_filters(query)):
            return frozenset()
        return self.muted_ids() - self.followed_ids()

    def feed_ids(self, query: str, *, sort: str = "relevance") -> FeedView:
        """A feed's papers (a built-in list or a saved search): muted ones left out, counted.
        A search counts them as it leaves them out; a list from the store counts its two
        sizes, which costs a lookup, not a listing."""
        hide = _Counted(self.hidden_by_mutes(query))
        ids, result = self.library.search_ids(query, sort=sort, hide=hide)
        if not hide:
            return FeedView(ids, result, 0)
        if split_filters(query).query:
            return FeedView(ids, result, hide.hits)
        return FeedView(ids, result, max(0, self.library.count_matching(query) - result.total))

    def feed_count(self, query: str) -> int:
        """How many papers a feed shows (the searches pane's count)."""
        return self.library.count_matching(query, hide=self.hidden_by_mutes(query))

    def hide_muted(self, ids: Iterable[str]) -> list[str]:
        """ids without the muted ones (For you, a digest's lists), in their order."""
        hide = self.hidden_by_mutes()
        return [pid for pid in ids if pid not in hide]


class _Counted(frozenset[str]):
    """Ids that count how often a search finds one of them (each is then left out)."""

    hits: int

    def __init__(self, ids: Iterable[str] = ()) -> None:
        self.hits = 0

    def __contains__(self, pid: object) -> bool:
        found = frozenset.__contains__(self, pid)
        self.hits += found
        return found


def _picked_by_hand(filters: Filters) -> bool:
    return filters.bookmarked or filters.has_note or filters.queued or filters.muted
