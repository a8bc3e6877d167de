"""The whole-store check after an unclean end, beside the open store instead of before it.

PRAGMA quick_check reads every page (seconds at 1M papers). The app need not wait for it to
paint, and begins it once it has: WAL lets the check read on a connection of its own while the
library reads on; only writes wait for its verdict (and begin it if no one has), so nothing is
written into a store about to be set aside. When
it is sound, writes go on and the dead processes' marks are cleared; when it is damaged,
`settle` (the library's) closes every connection to it and sets it aside, and writes are
refused with the way back. A check that dies is told; its marks stay, so the next start
checks again.

`hooks.started` runs in the check's thread before it reads the store: the seam a test holds
the check at, to watch what waits for it.
"""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Callable
from contextlib import suppress
from dataclasses import dataclass

from reader.core.paths import DataPaths
from reader.core.store.integrity import find_problem
from reader.core.store.opening import StoreError

WRITE_WAIT_S = 120.0  # a write waits this long for the check (seconds at 1M, more on a slow disk)


def _nothing() -> None:
    pass


@dataclass(slots=True)
class CheckHooks:
    """Where a test may hold the check (in its thread, before it reads the store)."""

    started: Callable[[], None] = _nothing


hooks = CheckHooks()

# settle(problem): None when the store is sound; else set it aside and say so.
Settle = Callable[[str | None], str | None]


class StoreCheck:
    """PRAGMA quick_check in a thread of its own, and the verdict writes wait for. It starts
    when its owner says (`begin`), or at the first write, whichever comes first."""

    def __init__(self, paths: DataPaths, settle: Settle) -> None:
        self.paths = paths
        self._settle = settle
        self.finished = threading.Event()  # the verdict is in (or the check died, or stopped)
        self.message: str | None = None  # what the user must hear: damage set aside, a failure
        self._refusal: str | None = None  # why writes are refused (the store was damaged)
        self._conn: sqlite3.Connection | None = None
        self._state = threading.Lock()
        self._begun = self._stopped = False
        self._thread = threading.Thread(target=self._run, name="reader-store-check", daemon=True)

    def begin(self) -> None:
        """Start the check (once). The app begins it once its first page is on screen: on a
        cold start, the check reading the whole store from disk slowed that page's reads
        several times over."""
        with self._state:
            if self._begun or self._stopped:
                return
            self._begun = True
        self._thread.start()

    @property
    def running(self) -> bool:
        return not self.finished.is_set()

    def _run(self) -> None:
        try:
            hooks.started()
            problem = find_problem(self.paths, opened=self._opened)
            with self._state:
                self._conn = None  # closed by now
                if not self._stopped:  # stopped: interrupted, no verdict; the next start checks
                    self.message = self._refusal = self._settle(problem)
        except Exception as error:  # the thread dies: say so; writes go on unchecked
            self.message = (
                f"the check of {self.paths.store} after an unclean end failed ({error}); "
                "it runs again at the next start"
            )
        finally:
            self.finished.set()

    def _opened(self, conn: sqlite3.Connection) -> None:
        with self._state:
            self._conn = conn
            if self._stopped:
                conn.interrupt()

    def refusal(self) -> str | None:
        """Why a write cannot go ahead now (the check runs, or found the store damaged)."""
        if self.running:
            return (
                f"{self.paths.store} is still being checked after an unclean end; "
                "nothing was written, try again in a moment"
            )
        return None if self._refusal is None else f"nothing was written: {self._refusal}"

    def wait_to_write(self, timeout: float = WRITE_WAIT_S) -> None:
        """Return once a write may go ahead; StoreError when the store was damaged (and set
        aside) or the check takes longer than `timeout`. Begins the check if no one has."""
        self.begin()
        self.finished.wait(timeout)
        if (why := self.refusal()) is not None:
            raise StoreError(why)

    def stop(self) -> None:
        """The library closes: end the check without a verdict (it runs again next time)."""
        with self._state:
            self._stopped = True
            if not self._begun:  # never ran: no verdict, as if it were cut short
                self.finished.set()
            if self._conn is not None:
                with suppress(sqlite3.ProgrammingError):  # closed just now: nothing to end
                    self._conn.interrupt()
