"""What the main screen is searching: the query, the sort, the built-in or saved search that
is open, whether its muted papers show, and the saved search whose next result is "seen".

Plain state and the rules that read it; the screen changes it as the user searches and
calls the panes down with it:
- A built-in or saved search is a feed: its muted papers are left out (the status line
  counts them) until ctrl+u shows them; a typed query hides nothing.
- For you is ranked, not searched: it has its own order and no query to save.
- The Queue is listed in its own order (J and K move papers in it).
- A change to the queue, the follows or the mutes searches a list that depends on them again.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from reader.core.library import split_filters
from reader.core.model import SORTS
from reader.tui.screens.daily_commands import Relisted
from reader.tui.widgets.saved_searches import ALL_PAPERS, FOR_YOU, SearchEntry


@dataclass
class Searching:
    query: str = ""
    sort: str = "relevance"
    active_search: str | None = ALL_PAPERS.name  # the search open (None: a typed query)
    showing_muted: bool = False  # ctrl+u: the feed on show shows its muted papers
    opening: str | None = None  # a saved search whose next result is "seen"

    def typed(self) -> None:
        """A query was typed (here, or over the similar papers): no search is open now."""
        self.active_search = None
        self.showing_muted = False

    def open(self, entry: SearchEntry, saved_sorts: Mapping[str, str | None]) -> None:
        """A built-in or saved search is opened: in the sort it was saved with, or in its own
        order (the Queue); else in the sort in use. `saved_sorts` is the user's, by name."""
        self.active_search = entry.name
        self.showing_muted = False
        sort = None if entry.builtin else saved_sorts.get(entry.name)
        if sort not in SORTS:
            sort = entry.sort
        if sort in SORTS:
            self.sort = sort
        self.opening = None if entry.builtin else entry.name

    def take_opened(self) -> str | None:
        """The saved search just opened, once: its first result marks its papers seen."""
        name, self.opening = self.opening, None
        return name

    def next_sort(self) -> None:
        self.sort = SORTS[(SORTS.index(self.sort) + 1) % len(SORTS)]

    @property
    def for_you(self) -> bool:
        return self.active_search == FOR_YOU.name

    @property
    def feed(self) -> bool:
        """The list leaves muted papers out."""
        return self.active_search is not None and not self.showing_muted

    @property
    def muted_shown(self) -> bool:
        """The list is a feed that shows its muted papers (⊘), on request."""
        return self.active_search is not None and self.showing_muted

    def muted_to_show(self, hidden: int) -> bool:
        """ctrl+u has something to do: a feed hides `hidden` muted papers, or shows them."""
        return self.active_search is not None and (self.showing_muted or hidden > 0)

    @property
    def in_queue(self) -> bool:
        filters = split_filters(self.query)
        return filters.queued and not filters.query and self.sort == "relevance"

    def relists(self, change: Relisted) -> bool:
        """Whether the change may move papers in or out of the list."""
        filters = split_filters(self.query)
        watched = self.active_search is not None or filters.followed or filters.muted
        return (change.queue and filters.queued) or (change.watch and watched)
