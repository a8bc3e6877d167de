"""The TUI's one door to the core: who may touch the library from which thread.

Workers (search, counts, the index) share `library` and take `lock` around each call; the
searches themselves (a typed query, For you, the papers like one) run on one long-lived thread
(`searching`). Edits of the user's data take `user_lock` instead, so saving a note never waits
behind a search or the first build of the index (the index guards itself; an edit only
re-indexes one paper).
The main thread paints rows and the detail pane through `rows`, the library's PaperRows: its
own connection to the store, so a count or a search never stalls a repaint.
User state (bookmarks, read, tags, notes) is in memory in UserData; reading it is cheap.
"""

from __future__ import annotations

import gc
import queue
import threading
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import ThreadPoolExecutor
from typing import TypeVar

from reader.core.library import DataPaths, Library, SaveError, SearchResult, Trend, UserData
from reader.core.model import ImportReport, Item, Paper
from reader.tui.watch_marks import WatchMarks

T = TypeVar("T")
# Every frame the app paints leaves thousands of objects behind (strips, their caches): at
# Python's default (700) a full collection of the app's objects came about every other
# keystroke, in the middle of its frame. Ten times fewer allocations between collections make
# that rare; the young objects a collection walks stay few.
APP_GC_THRESHOLDS = (10_000, 10, 10)
Edit = Callable[[UserData], object]
Report = Callable[[str], None]
Done = Callable[[], None]


class UserMarks:
    """The marker column's questions, answered from memory (one set lookup per row)."""

    def __init__(self, user: UserData) -> None:
        self.user = user
        self._notes: set[str] = user.ids_with_notes()
        self.watched = WatchMarks()  # the follows' and mutes' papers, found by a worker

    def changed(self) -> None:
        """Call after a note was written or deleted."""
        self._notes = self.user.ids_with_notes()

    def is_bookmarked(self, paper_id: str) -> bool:
        return self.user.is_bookmarked(paper_id)

    def has_note(self, paper_id: str) -> bool:
        return paper_id in self._notes

    def is_read(self, paper_id: str) -> bool:
        return self.user.is_read(paper_id)

    def is_followed(self, paper_id: str) -> bool:
        return self.watched.is_followed(paper_id)

    def is_muted(self, paper_id: str) -> bool:
        return self.watched.is_muted(paper_id)


class LibraryAccess:
    def __init__(self, paths: DataPaths) -> None:
        self.paths = paths
        self.library = Library(paths, check_in_background=True)  # paint before the check
        self.rows = self.library.open_rows()
        self.lock = threading.RLock()  # workers' calls into `library`
        self.user_lock = threading.RLock()  # edits of the user's data (and their re-index)
        self.user: UserData = self.library.user  # built here, on the main thread, once
        self.marks = UserMarks(self.user)
        self._edits: queue.Queue[tuple[Edit, Done | None] | None] = queue.Queue()
        self._writer_state = threading.Lock()
        self._writer_running = False
        self._outstanding = 0
        self._closing = False
        self._writer_stopped = threading.Event()
        self.closed = threading.Event()  # set once close() has saved everything and closed
        self.unsaved: list[str] = []  # saves that failed while closing, for run_app to print
        self._thresholds: tuple[int, int, int] | None = None  # the collector's, before warm()
        # A search at a million papers asks for tens of megabytes of numpy vectors. On a new
        # thread each time (a Textual worker per search), the C allocator handed each search
        # fresh pages, faulted in one at a time: a common word took several times as long.
        # On one thread the memory a search frees serves the next.
        self._search_thread = ThreadPoolExecutor(max_workers=1, thread_name_prefix="search")

    def locked(self, call: Callable[[Library], T]) -> T:
        """Run one call on the shared library (from a worker thread)."""
        with self.lock:
            return call(self.library)

    def searching(self, call: Callable[[Library], T]) -> T:
        """Run one search on the shared library, on the search thread (from a worker, which
        waits for it); its result, or its exception raised here."""
        return self._search_thread.submit(self.locked, call).result()

    def search_ids(
        self, query: str, sort: str, *, feed: bool, wanted: Callable[[], bool]
    ) -> tuple[Sequence[str], SearchResult, int] | None:
        """A search's ids, its result and the muted papers a feed left out (from a worker);
        None if `wanted()` says no once the library is free: a newer search overtook this
        one while it waited, so keys typed during a slow search leave one search waiting, not
        one per key."""

        def search(library: Library) -> tuple[Sequence[str], SearchResult, int] | None:
            if not wanted():
                return None
            if feed:
                view = library.watching.feed_ids(query, sort=sort)
                return view.ids, view.result, view.hidden
            ids, result = library.search_ids(query, sort=sort)
            return ids, result, 0

        return self.searching(search)

    def warm(self) -> None:
        """Ready the search engine for typos (from a worker, outside the lock: a search may
        run meanwhile), then leave every object made so far out of garbage collections: at
        1M papers a full collection walked the vocabulary and the columns for up to 0.5 s.
        So only the young generations are collected first (a full collection would walk all
        that once more while the app waits to paint), and from then on collections are rarer
        (APP_GC_THRESHOLDS)."""
        with self._writer_state:
            if self._closing:
                return
        self.library.engine.warm()
        with self._writer_state:  # close() thaws after it marks closing: never frozen after
            if not self._closing:
                gc.collect(1)
                gc.freeze()
                self._thresholds = gc.get_threshold()
                gc.set_threshold(*APP_GC_THRESHOLDS)

    def for_painting(self, ids: Sequence[str]) -> Sequence[str]:
        """A result's ids as the main thread reads them (a StoreView through `rows`)."""
        return self.rows.for_painting(ids)

    def papers(self, ids: list[str]) -> dict[str, Paper]:
        """A block of rows for the list (main thread, own connection)."""
        return self.rows.get_many(ids)

    def get(self, paper_id: str) -> Paper | None:
        """One paper for the detail pane (main thread, own connection)."""
        return self.rows.get(paper_id)

    def upvote_trend(self, paper: Paper) -> Trend | None:
        """The detail pane's "▲ 42, +17 since yesterday" (main thread, own connection): the
        history of fetched counts, else the count a saved listing carried, else None."""
        return self.rows.upvote_trend(paper)

    def take_index_message(self) -> str | None:
        """The library's line about its index (rebuilt, set aside, an edit saved but not
        indexed yet: "saved; the index will catch up"), once: a later one shows too."""
        message, self.library.index_message = self.library.index_message, None
        return message

    def import_items(
        self, items: Iterable[Item], *, report: ImportReport | None = None
    ) -> ImportReport:
        """Import fetched records (from a worker) under the library lock, a page at a time:
        searches wait for one page at most, never for the network. (Not the user lock: the
        note editor saves on the main thread and must not wait for an index write.)"""
        self.wait_to_write()  # not under the lock: searches go on meanwhile
        with self.lock:
            return self.library.import_items(items, report=report)

    def wait_to_write(self, report: Report | None = None) -> None:
        """Before a write (from a worker): the store check after an unclean end must be over
        (reads never wait for it). Raises the check's refusal: the store was damaged, or the
        check took too long; `report` hears once if it takes more than a second."""
        check = self.library.store_check
        if check is None:
            return
        if report is not None and not check.finished.wait(1.0):
            report("Saving as soon as the store check after an unclean end is over…")
        check.wait_to_write()

    # -- user edits: one writer, in the order they were made --------------------------------

    def submit(self, edit: Edit, after: Done | None = None) -> None:
        """Queue an edit of the user's data; `after` is handed to the writer's `done` once saved."""
        with self._writer_state:
            self._outstanding += 1
        self._edits.put((edit, after))

    def idle(self) -> bool:
        """True when every submitted edit has been applied (saved or reported)."""
        with self._writer_state:
            return self._outstanding == 0

    def run_writes(self, report: Report, done: Callable[[Done], None]) -> None:
        """The writer loop (run it in one thread worker). Edits apply strictly in order, so `b`
        pressed twice never lands as two racing toggles. `report` and `done` must not block
        on the UI thread (post messages): close() waits for this loop to drain."""
        with self._writer_state:
            if self._closing:
                return
            self._writer_running = True
        try:
            self._drain(report, done)
        finally:
            self._writer_stopped.set()

    def _drain(
        self, report: Report, done: Callable[[Done], None] | None, wait: bool = True
    ) -> None:
        while True:
            try:
                job = self._edits.get(block=wait)
            except queue.Empty:
                return
            if job is None:
                if wait:
                    return
                continue
            edit, after = job
            try:
                self.wait_to_write(report)
                self.edit_now(edit)
            except Exception as error:  # the writer must outlive any one edit; UserData
                report(str(error))  # keeps a failed save pending, and this says which file
            if after is not None and done is not None:
                done(after)
            with self._writer_state:
                self._outstanding -= 1

    def edit_now(self, edit: Edit) -> None:
        """Apply an edit on the calling thread (the note editor saves while it waits); never
        while the store check after an unclean end runs (SaveError: try again)."""
        check = self.library.store_check
        if check is not None and (why := check.refusal()) is not None:
            raise SaveError(self.paths.user_dir, why)
        with self.user_lock:
            edit(self.user)

    def stop_writes(self) -> None:
        """Let the writer finish what is queued and return."""
        self._edits.put(None)

    def close(self) -> None:
        """Save every queued edit, then close both connections and the index (once; from any
        thread: a second call returns at once, and `closed` says when the first is done)."""
        self.stop_writes()
        with self._writer_state:
            if self._closing:
                return
            self._closing = True
            running = self._writer_running
        try:
            if running:
                self._writer_stopped.wait()
            self._search_thread.shutdown(cancel_futures=True)  # after the search under way
            self._drain(self.unsaved.append, None, wait=False)  # anything queued after the stop
            if self.user.pending:
                try:
                    self.user.save_pending()
                except Exception as error:
                    self.unsaved.append(str(error))
            with self.lock:
                self.library.close()
            self.rows.close()
            gc.unfreeze()  # what warm() froze can go now (an app run inside a test process)
            if self._thresholds is not None:
                gc.set_threshold(*self._thresholds)
        finally:
            self.closed.set()
