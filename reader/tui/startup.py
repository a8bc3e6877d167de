"""Start-up: the first page of papers, then the saved searches, their counts and the index.

The first frame should show papers, not "Loading…" and then a second full render: so the
start-up list is read on the main thread before that frame whenever the core says it is cheap
at any library size (the newest papers, a view of the store). Everything else (an empty
library's sample import, a sort that reads every id, opening the index, counting the saved
searches) runs in a worker, after the first page is on screen. `ready` is set once it is
over (the index open, or failed): the daily backup waits for it. The start-up list is a feed
(All papers): with mutes, what it hides needs the index, so the worker lists it then. The
store check after an unclean end begins once the first page is on screen: reading the whole
store from a cold disk, it held that page back by seconds at a million papers.
"""

from __future__ import annotations

import threading
from functools import partial

from textual.app import App
from textual.screen import Screen

from reader.core.library import Library
from reader.tui.data import LibraryAccess
from reader.tui.widgets.found import Found
from reader.tui.widgets.paper_panes import PaperPanes
from reader.tui.widgets.saved_searches import SavedSearches, saved_entries


class Startup:
    def __init__(
        self,
        app: App[object],
        data: LibraryAccess,
        panes: PaperPanes,
        saved: SavedSearches,
        ready: threading.Event,
    ) -> None:
        self.app = app
        self.data = data
        self.panes = panes
        self.saved = saved
        self.ready = ready

    def start(self, screen: Screen[object], query: str, sort: str) -> None:
        """The first page now if it is cheap, the rest in a worker of `screen`."""
        ticket = self.first_page(query, sort)
        rest = partial(self.rest, query, sort, ticket)
        screen.run_worker(rest, name="start-up", group="startup", thread=True, exit_on_error=False)

    def first_page(self, query: str, sort: str) -> int | None:
        """Show the start-up list now (before the first frame) if that costs a few indexed
        steps; else the search's ticket, for the worker (`rest`) to search with."""
        ticket = self.panes.begin()
        if self.data.user.mutes.texts():  # muted papers must never flash by
            return ticket
        try:
            listed = self.data.locked(lambda library: library.search_ids_now(query, sort=sort))
        except Exception:  # a damaged store: the worker tries again and says what is wrong
            return ticket
        if listed is None or not listed[0]:  # an empty library: the worker imports the sample
            return ticket
        ids, result = listed
        found = Found(query, sort, self.data.for_painting(ids), result, [], result.took_ms)
        self.panes.search_landed(ticket, found)
        return None

    def rest(self, query: str, sort: str, ticket: int | None) -> None:
        """The rest, in a worker: the first page if it is not shown (`ticket`), then the
        saved searches, the counts and the index."""
        try:
            if ticket is not None:
                self._first_page_here(query, sort, ticket)
            self._after_the_first_page()
        except Exception as error:  # e.g. the index is busy in another process: say so
            self.app.notify(str(error), severity="error", timeout=15, markup=False)
        finally:
            self.ready.set()

    def _first_page_here(self, query: str, sort: str, ticket: int) -> None:
        """From the worker (after the sample, into an empty library): it searches before
        anyone else takes the lock. The empty list says what is coming (a notification would
        outlast it, over the papers once they are in)."""
        if self.data.locked(Library.is_empty):
            importing = "Your library is empty: importing the built-in sample…"
            self.app.call_from_thread(setattr, self.panes.paper_list, "placeholder", importing)
            report = self.data.locked(Library.import_sample)
            self.app.notify(
                f"Imported {report.added} sample papers. Import your own: ctrl+p, "
                "“Import a file…” (or `reader import`).",
                timeout=10,
                markup=False,
            )
        self.panes.search_here(query, sort, ticket, feed=True)

    def _after_the_first_page(self) -> None:
        # Counting and opening the index are Python-heavy: start them once the first page is
        # on screen, or they would hold the GIL while it is being painted.
        call = self.app.call_from_thread
        painted = threading.Event()
        call(self.app.call_after_refresh, painted.set)
        painted.wait(timeout=5)
        if (check := self.data.library.store_check) is not None:
            check.begin()  # after an unclean end: it reads the whole store, after the first page
        call(lambda: self.saved.set_saved(saved_entries(self.data.user)))
        call(self.saved.recount)
        status = self.panes.status
        call(setattr, status, "indexing", True)
        try:
            self.data.locked(lambda library: library.index)
        finally:
            call(setattr, status, "indexing", False)
        for message in (self.data.library.store_message, self.data.take_index_message()):
            if message:  # a damaged store or index was set aside: say so
                self.app.notify(message, severity="warning", timeout=20, markup=False)
        self.data.warm()
