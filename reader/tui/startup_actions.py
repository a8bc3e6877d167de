"""Start-up: the first page of papers, then the counts and the index (a mixin of MainScreen).

The first frame should show papers, not "Loading…" and then a second full render: so the
start-up list is read on the main thread before that frame whenever the core says it is cheap
at any library size (the newest papers, a view of the store). Everything else (an empty
library's sample import, a sort that reads every id, opening the index, counting the saved
searches) runs in a worker, after the first page is on screen.
"""

from __future__ import annotations

import threading
from typing import TYPE_CHECKING

from textual import work

from reader.core.library import Library

if TYPE_CHECKING:
    from reader.tui.screens.main import MainScreen


class StartupActions:
    def start_up(self: MainScreen) -> None:
        """Call from on_mount: the first page now if it is cheap, the rest in a worker."""
        generation = self._begin_search(self.query_text)
        self.startup(generation, shown=self._first_page_now(generation))

    def _first_page_now(self: MainScreen, generation: int) -> bool:
        """Show the start-up list before the first frame, if that costs a few indexed steps."""
        query, sort = self.query_text, self.sort
        try:
            listed = self.data.locked(lambda library: library.search_ids_now(query, sort=sort))
        except Exception:  # a damaged store: the worker tries again and says what is wrong
            return False
        if listed is None or not listed[0]:  # an empty library: the worker imports the sample
            return False
        ids, result = listed
        self._show_results(generation, self.data.for_painting(ids), result, [], result.took_ms)
        return True

    def _first_page_here(self: MainScreen, generation: int) -> None:
        """The first page from this worker (after the sample, into an empty library): it
        searches before anyone else takes the lock."""
        if self.data.locked(Library.is_empty):
            self.app.notify("Your library is empty: importing the built-in sample…", timeout=10)
            report = self.data.locked(Library.import_sample)
            self.app.notify(
                f"Imported {report.added} sample papers. Import your own with `reader import`.",
                timeout=10,
                markup=False,
            )
        self._search_now(self.query_text, self.sort, generation)

    @work(thread=True, group="startup", exit_on_error=False)
    def startup(self: MainScreen, generation: int, shown: bool) -> None:
        """The first page (unless shown already); then the counts and the index."""
        try:
            self._start(generation, shown)
        except Exception as error:  # e.g. the index is busy in another process: say so
            self.app.notify(str(error), severity="error", timeout=15, markup=False)
        finally:
            self.ready.set()

    def _start(self: MainScreen, generation: int, shown: bool) -> None:
        if not shown:
            self._first_page_here(generation)
        # Counting and opening the index are Python-heavy: start them once the first page is
        # on screen, or they would hold the GIL while it is being painted.
        painted = threading.Event()
        self.app.call_from_thread(self.call_after_refresh, painted.set)
        painted.wait(timeout=5)
        self.app.call_from_thread(self._load_saved)
        self.app.call_from_thread(self.refresh_counts)
        self.app.call_from_thread(setattr, self.status, "indexing", True)
        try:
            self.data.locked(lambda library: library.index)
        finally:
            self.app.call_from_thread(setattr, self.status, "indexing", False)
        library = self.data.library
        for message in (library.store_message, library.index_message):
            if message:  # a damaged store or index was set aside: say so
                self.app.notify(message, severity="warning", timeout=20, markup=False)
        self.data.warm()
