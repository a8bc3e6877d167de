"""The store opened, and checked when the session before ended without closing it.

PRAGMA quick_check reads the whole store (seconds at 1M papers), so it runs only after an
unclean end (store/unclean_end.py). A CLI command checks before it opens the store: one
command, one wait, and nothing else has begun. The app checks beside the open store
(store/background_check.py): it paints at once and reads on, writes wait for the verdict.
A damaged store found then is closed on every connection this library opened to it (its
own and the painting thread's PaperRows), set aside, and a fresh one opened in its place,
as at start; writes stay refused with the way back, since the papers on screen are gone.
"""

from __future__ import annotations

import weakref
from contextlib import ExitStack

from reader.core.paths import DataPaths
from reader.core.store import (
    OpenMark,
    Store,
    StoreCheck,
    StoreError,
    check_store,
    set_aside,
)


class StoreOpening:
    """The library's store, its check after an unclean end, and every connection to it."""

    def __init__(self, paths: DataPaths, *, check_in_background: bool) -> None:
        self.paths = paths
        self.mark = OpenMark(paths.data_dir)
        self.message: str | None = None  # the store was damaged at start: set aside
        self.check: StoreCheck | None = None  # the check running beside the store, if any
        self._readers: weakref.WeakSet[Store] = weakref.WeakSet()
        if self.mark.unclean and check_in_background:
            try:
                self.store = Store(paths.store)
            except StoreError:  # too damaged to open: the check cannot wait
                self.store = self._checked_first()
            else:
                self.check = self.store.check = StoreCheck(paths, self._settle)
        elif self.mark.unclean:
            self.store = self._checked_first()
        else:
            self.store = Store(paths.store)

    def _checked_first(self) -> Store:
        self.message = check_store(self.paths)
        self.mark.checked()
        return Store(self.paths.store)

    def reader(self) -> Store:
        """A connection of its own (for PaperRows), closed with the rest if the check finds
        the store damaged."""
        store = Store(self.paths.store)
        self._readers.add(store)
        return store

    def _settle(self, problem: str | None) -> str | None:
        """The check's verdict (in its thread): None, or the damaged store set aside."""
        if problem is not None:
            stores = [self.store, *self._readers]
            with ExitStack() as held:
                for store in stores:  # no one reads a file being moved
                    held.enter_context(store.lock)
                for store in stores:
                    store.close()
                problem = set_aside(self.paths, problem)
                for store in stores:
                    store.reopen()
        self.mark.checked()
        return problem

    def close(self) -> None:
        if self.check is not None:
            self.check.stop()
        self.store.close()
        self.mark.release()
