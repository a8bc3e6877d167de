"""Built-in and saved searches: opening one, counting them all, jumping to a paper (a mixin
of MainScreen).

Counts run in one exclusive thread worker, taking the library lock once per search, so a
search typed meanwhile waits for one count at most, never for all of them.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual import work
from textual.worker import get_current_worker

from reader.core.library import Library
from reader.core.model import SORTS
from reader.tui.widgets.saved_searches import BUILTINS, Counts, SavedSearches, SearchEntry

if TYPE_CHECKING:
    from reader.tui.screens.main import MainScreen


class SearchActions:
    def _load_saved(self: MainScreen) -> None:
        self.saved.set_saved(SearchEntry(s.name, s.query) for s in self.data.user.saved_searches())

    def on_saved_searches_opened(self: MainScreen, event: SavedSearches.Opened) -> None:
        self.open_search(event.entry)

    def open_search(self: MainScreen, entry: SearchEntry) -> None:
        """Show a built-in or saved search: its query goes in the bar, its results in the list."""
        self._active_search = entry.name
        self.saved.mark_active(entry.name)
        self.search_bar.set_query(entry.query)
        saved = {s.name: s for s in self.data.user.saved_searches()}
        if not entry.builtin and entry.name in saved and saved[entry.name].sort in SORTS:
            self.sort = saved[entry.name].sort
        self._keep = self._keep or self.paper_id  # another view of the library: stay on it
        self.search(entry.query)
        self.focus_now(self.paper_list)
        self._mark_opened = None if entry.builtin else entry.name

    def refresh_counts(self: MainScreen) -> None:
        self.count_searches(list(self.saved.entries))

    @work(thread=True, exclusive=True, group="counts", exit_on_error=False)
    def count_searches(self: MainScreen, entries: list[SearchEntry]) -> None:
        """Each search's total and what is new since it was opened; one lock hold per search."""
        worker = get_current_worker()
        for entry in entries:
            if worker.is_cancelled:
                return
            try:
                counts = self.data.locked(lambda library, e=entry: self._count(library, e))
            except Exception:  # a saved search whose query fails counts as unknown
                continue
            self.app.call_from_thread(self.saved.set_counts, {entry.name: counts})

    def _count(self: MainScreen, library: Library, entry: SearchEntry) -> Counts:
        if entry.builtin or entry.query == "":  # built-ins show no "new": count, never list
            return Counts(library.count_matching(entry.query))
        ids, _ = library.search_ids(entry.query)
        new = 0 if entry.builtin else library.user.new_since_opened(entry.name, ids)
        return Counts(len(ids), new)

    def show_paper(self: MainScreen, paper_id: str) -> None:
        """Put the cursor on a paper (from the palette): in the list, else in All papers."""
        row = self.paper_list.rows.index_of(paper_id)
        if row is not None:
            self.paper_list.cursor = row
        else:
            self._keep = paper_id
            self.open_search(BUILTINS[0])
        self.focus_now(self.paper_list)
