"""What other programs change while the app runs: a sync tool, a hand edit of tags.yaml,
`reader tag` or `reader import` in another terminal. The app shows it within a few seconds.

Every LOOK_S a timer on the app starts a thread worker (one at a time: a look still running
skips the tick; never on the UI thread) that looks cheaply: a stat of each user file
(UserData.signatures) and of the store's files. Only when one moved does it catch up:
UserData.refresh re-reads the files another process wrote (this app's own saves are known to
it, so they report nothing), and when it found some, or the store moved, Library.catch_up
re-indexes what changed in the store or the user's files, so `tag:<new>` finds what another
process tagged (the app's own edits are indexed as they are saved: a key press costs no
catch-up). The lists not keyed by paper (follows, mutes, the queue, the saved searches)
are compared before and after the re-read, to know whether another process changed them.
When anything was found, `changed` is published: the screens of papers repaint their
markers, the detail, the counts and the list (and the main screen finds again which papers
the follows and mutes pick). An import from the palette publishes it too.
"""

from __future__ import annotations

import os
import threading
from dataclasses import dataclass, field

from textual.app import App
from textual.signal import Signal
from textual.timer import Timer
from textual.worker import Worker

from reader.core.library import CaughtUp
from reader.tui.data import LibraryAccess

LOOK_S = 2.0

Looked = tuple[object, ...]


@dataclass(frozen=True, slots=True)
class Changed:
    """What another process changed: papers whose user data moved, what was re-indexed, and
    which of the lists not keyed by paper ("follows", "mutes", "queue", "searches")."""

    user: set[str] = field(default_factory=set)
    caught: CaughtUp = field(default_factory=CaughtUp)
    lists: frozenset[str] = frozenset()

    @property
    def watchlists(self) -> bool:
        """The follows or the mutes changed: which papers they pick must be found again."""
        return bool(self.lists & {"follows", "mutes"})


class FileWatch:
    def __init__(self, app: App[object], data: LibraryAccess) -> None:
        self.app = app
        self.data = data
        self.changed: Signal[Changed] = Signal(app, "files-changed")
        self._looked: Looked | None = None  # the signatures of the last look
        self._problem: str | None = None  # the last failure said, not said again each look
        self._timer: Timer | None = None
        self._worker: Worker[None] | None = None
        self._ready = threading.Event()

    def start(self, ready: threading.Event) -> None:
        """Look every LOOK_S once `ready` is set (start-up is over: the index is open)."""
        self._ready = ready
        self._timer = self.app.set_interval(LOOK_S, self.look_now, name="file watch")

    def stop(self) -> None:
        if self._timer is not None:
            self._timer.stop()

    def look_now(self) -> None:
        """Look in a worker, unless a look is still running (it will see as much)."""
        if not self._ready.is_set() or (self._worker is not None and self._worker.is_running):
            return
        self._worker = self.app.run_worker(
            self._look, name="file watch", group="file-watch", thread=True, exit_on_error=False
        )

    def _signatures(self) -> Looked:
        store = self.data.paths.store
        stats: list[object] = [sorted(self.data.user.signatures().items(), key=str)]
        for path in (store, store.with_name(store.name + "-wal")):
            try:
                found = os.stat(path)
                stats.append((found.st_ino, found.st_size, found.st_mtime_ns))
            except OSError:
                stats.append(None)
        return tuple(stats)

    def _look(self) -> None:
        looked = self._signatures()
        if looked == self._looked:
            return
        store_moved = self._looked is None or looked[1:] != self._looked[1:]
        try:
            with self.data.user_lock:  # never while the note editor saves
                before = self._lists()
                user = self.data.user.refresh()
                after = self._lists()
            lists = frozenset(name for name in after if after[name] != before[name])
            caught = (
                self.data.locked(lambda library: library.catch_up())
                if user or store_moved
                else CaughtUp()
            )
        except Exception as error:  # a worker reports, never kills the app
            self._say(f"Could not take in what another program changed: {error}")
            return
        self._looked = looked
        self._problem = None
        if user or caught or lists:
            self.app.call_from_thread(self.changed.publish, Changed(user, caught, lists))

    def _lists(self) -> dict[str, object]:
        """The lists not keyed by paper, as they are in memory (call under the user lock)."""
        user = self.data.user
        return {
            "follows": user.follows.texts(),
            "mutes": user.mutes.texts(),
            "queue": tuple(user.queue.ids()),
            "searches": tuple(user.saved_searches()),
        }

    def _say(self, problem: str) -> None:
        if problem != self._problem:
            self._problem = problem
            self.app.call_from_thread(
                self.app.notify, problem, severity="warning", timeout=15, markup=False
            )
