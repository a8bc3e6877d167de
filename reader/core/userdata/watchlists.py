"""Followed and muted queries: follows.yaml and mutes.yaml, a query and when it was added.

A follow or a mute is a query, not a list of papers, so it survives re-imports and merges and
keeps matching the papers fetched tomorrow; reader.core.library.watching runs the queries.
"""

from __future__ import annotations

from dataclasses import dataclass

from reader.core.userdata.files import UserFile
from reader.core.userdata.formats import Queries, clean_watch_query
from reader.core.userdata.saved import now_iso


@dataclass(frozen=True, slots=True)
class WatchedQuery:
    query: str
    added: str | None = None  # None: written by hand without a time

    def to_dict(self) -> dict[str, object]:
        return {"query": self.query, "added": self.added}


class Watchlist:
    """One file of queries (follows or mutes); `kind` names it in messages."""

    def __init__(self, file: UserFile[Queries], kind: str) -> None:
        self.file = file
        self.kind = kind

    def queries(self) -> list[WatchedQuery]:
        """Oldest first (hand-written ones, with no time, before them), then by query."""
        view = self.file.view
        order = sorted(view, key=lambda query: (view[query] or "", query.casefold(), query))
        return [WatchedQuery(query, view[query]) for query in order]

    def texts(self) -> tuple[str, ...]:
        """The queries alone, in a stable order: what a cache of their matches is keyed by."""
        return tuple(sorted(self.file.view))

    def __contains__(self, query: object) -> bool:
        return isinstance(query, str) and " ".join(query.split()) in self.file.view

    def add(self, query: str) -> tuple[WatchedQuery, bool]:
        """The entry, and whether it is new (adding a query twice keeps the first time)."""
        query, stamp = clean_watch_query(" ".join(query.split())), now_iso()
        fresh = query not in self.file.view

        def add(data: Queries) -> None:
            data.setdefault(query, stamp)

        self.file.edit(add)
        return WatchedQuery(query, self.file.view.get(query, stamp)), fresh

    def remove(self, query: str) -> None:
        """ValueError if the query is not in the file (it names what is)."""
        query = " ".join(query.split())
        if query not in self.file.view:
            known = ", ".join(repr(q) for q in self.texts()[:5]) or "none"
            raise ValueError(f"{query!r} is not among the {self.kind} (they are: {known})")
        self.file.edit(lambda data: data.pop(query, None))
