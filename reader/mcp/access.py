"""The server's one door to the library: one call at a time, each on fresh data.

A server lives for hours while the app and other reader processes write, so every call sees
what they wrote, at the cost of a few `stat`s when nothing changed:
- the user's files (bookmarks, tags, saved searches, notes) are re-read only when their
  signature on disk changed (`UserData.reload`);
- the store is SQLite in WAL mode: each statement reads the latest commit;
- the index's shared searcher reopens itself when another process committed a new generation
  (`PaperIndex.searcher`), and the search engine's caches are kept per generation.
The SDK runs each tool in a worker thread; a lock makes the calls take turns on the one
Library, as the TUI's workers do, and lets a shutdown wait for the call under way.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import TypeVar

from reader.core.library import Library

T = TypeVar("T")
CLOSE_WAIT_S = 30.0  # a call under way may wait for another process's lock (15 s at most)


class ToolFailure(Exception):
    """A request that cannot be answered (an unknown id, a bad argument): one line for the
    agent, as the CLI prints one line on stderr."""

    def __init__(self, message: str) -> None:
        super().__init__(" ".join(message.split()))


class LibraryAccess:
    def __init__(self, library: Library) -> None:
        self.library = library
        self._lock = threading.Lock()
        self._closed = False

    def call(self, handler: Callable[..., T], /, **arguments: object) -> T:
        """Run one tool or resource handler on the library, after taking in others' writes."""
        with self._lock:
            if self._closed:
                raise ToolFailure("reader is shutting down")
            self.library.user.refresh()
            return handler(self.library, **arguments)

    def close(self) -> bool:
        """Close the library once the call under way (if any) is over; False if that call
        did not end in time, and then the library is left as it is rather than closed under
        it (the next start checks the store, as after any unclean end)."""
        if not self._lock.acquire(timeout=CLOSE_WAIT_S):
            return False
        try:
            if not self._closed:
                self._closed = True
                self.library.close()
            return True
        finally:
            self._lock.release()
