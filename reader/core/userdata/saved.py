"""Saved searches: a name for a query, and what it showed when last opened ("3 new")."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from reader.core.userdata.files import UserFile
from reader.core.userdata.formats import (
    Searches,
    SearchState,
    clean_name,
    clean_query,
    clean_sort,
)

Aliases = Callable[[Iterable[str]], dict[str, str]]  # current ids -> {old id: current id}


def now_iso() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


@dataclass(frozen=True, slots=True)
class SavedSearch:
    name: str
    query: str
    sort: str = "relevance"
    created: str | None = None
    last_opened: str | None = None  # None: never opened
    seen_count: int = 0  # how many ids it showed when last opened

    def to_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "query": self.query,
            "sort": self.sort,
            "created": self.created,
            "last_opened": self.last_opened,
            "seen_count": self.seen_count,
        }


class SavedSearches:
    """The two files behind saved searches: definitions (hand-editable) and state (churny).

    Keeping the ids a search showed out of searches.yaml keeps that file small and stable,
    so it merges cleanly between machines while opening a search rewrites only the state.
    """

    def __init__(
        self,
        searches: UserFile[Searches],
        state: UserFile[SearchState],
        aliases: Aliases | None = None,
    ) -> None:
        self.searches = searches
        self.state = state
        self.aliases = aliases

    def all(self) -> list[SavedSearch]:
        return sorted(
            (self._get(name) for name in self.searches.view),
            key=lambda saved: (saved.name.casefold(), saved.name),
        )

    def _get(self, name: str) -> SavedSearch:
        entry = self.searches.view[name]
        state = self.state.view.get(name, {})
        return SavedSearch(
            name=name,
            query=entry["query"] or "",
            sort=entry["sort"] or "relevance",
            created=entry.get("created"),
            last_opened=state.get("last_opened"),
            seen_count=len(state.get("seen", ())),
        )

    def _known(self, name: str) -> str:
        clean = clean_name(name)
        if clean not in self.searches.view:
            raise ValueError(f"no saved search named {clean!r}")
        return clean

    def add(self, name: str, query: str, sort: str = "relevance") -> SavedSearch:
        name, query, sort = clean_name(name), clean_query(query), clean_sort(sort)
        if name in self.searches.view:
            raise ValueError(f"a saved search named {name!r} exists; remove it first")
        entry = {"query": query, "sort": sort, "created": now_iso()}

        def add(data: Searches) -> None:
            data.setdefault(name, dict(entry))  # another process's search of that name wins

        self.searches.edit(add)
        return self._get(name)

    def remove(self, name: str) -> None:
        name = self._known(name)
        self.searches.edit(lambda data: data.pop(name, None))
        self.state.edit(lambda data: data.pop(name, None))

    def mark_opened(self, name: str, matching_ids: Iterable[str]) -> None:
        name = self._known(name)
        entry = {"last_opened": now_iso(), "seen": sorted(set(matching_ids))}

        def mark(data: SearchState) -> None:
            data[name] = {"last_opened": entry["last_opened"], "seen": list(entry["seen"])}

        self.state.edit(mark)

    def new_since_opened(self, name: str, matching_ids: Iterable[str]) -> int:
        """How many matching ids it did not show when last opened (all if never opened)."""
        return len(self.new_ids_since_opened(name, matching_ids))

    def new_ids_since_opened(self, name: str, matching_ids: Iterable[str]) -> set[str]:
        """The matching ids it did not show when last opened (all of them if never opened)."""
        name = self._known(name)
        state = self.state.view.get(name)
        matching = set(matching_ids)
        if not state or state.get("last_opened") is None:
            return matching
        seen = set(state["seen"])
        fresh = matching - seen
        if fresh and self.aliases is not None:  # a paper shown then may have a new id now
            fresh -= {current for old, current in self.aliases(fresh).items() if old in seen}
        return fresh
