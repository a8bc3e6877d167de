"""The end of the app when its terminal goes away (SIGHUP) or it is told to stop (SIGTERM).

Nobody is left to ask, so the note being written is saved, the queued edits are saved and
the library is closed, as q closes it; then the process ends, within a bound, whatever the
terminal driver does. That bound is the point: Textual writes to the terminal from a thread
that dies with the terminal, and once that thread's queue is full every write blocks the
main thread for good, in a frame before the signal or in the driver's close after it.

So the handler is a plain signal handler, which runs even while the main thread waits on
that queue: it ends a running $EDITOR (a child dies with its parent) and asks the app's loop
to save and exit. A watchdog thread, parked until a signal comes, then makes sure of the rest:
if the loop does not answer, it saves the note itself and closes the library; once the
library is closed it gives the app a moment to end by itself, then ends the process.
"""

from __future__ import annotations

import asyncio
import os
import signal
import sys
import threading
from collections.abc import Callable
from contextlib import suppress
from types import FrameType

from reader.tui.data import LibraryAccess

ANSWER_S = 5.0  # for the app's loop to take the signal (it saves the note and exits)
EXIT_S = 5.0  # for the app's exit to close the library (a write can block it on the way)
CLOSE_S = 30.0  # for the library to close; the user's edits are written first, then the rest
END_S = 3.0  # for the process to end by itself once the library is closed
SIGNALS = ("SIGHUP", "SIGTERM")  # Windows has neither

Handler = Callable[[int, FrameType | None], object] | int | None


class HangUp:
    def __init__(
        self,
        data: LibraryAccess,
        save_drafts: Callable[[], None],
        exit_app: Callable[[], None],
        stop_children: Callable[[], None],
    ) -> None:
        self.data = data
        self.save_drafts = save_drafts
        self.exit_app = exit_app
        self.stop_children = stop_children
        self._signalled = threading.Event()  # a signal came (or the app ended without one)
        self._answered = threading.Event()  # the app's loop saved the drafts and exits
        self._released = False  # the app ended as usual: the watchdog has nothing to do
        self._previous: dict[int, Handler] = {}
        self._loop: asyncio.AbstractEventLoop | None = None

    def install(self) -> None:
        """Catch the signals (from the running app; only the main thread can)."""
        if threading.current_thread() is not threading.main_thread():
            return
        self._loop = asyncio.get_running_loop()
        for name in SIGNALS:
            if (number := getattr(signal, name, None)) is not None:
                self._previous[number] = signal.signal(number, self._caught)
        threading.Thread(target=self._watch, name="reader-hang-up", daemon=True).start()

    def uninstall(self) -> None:
        """The app has ended (and closed the library): the signals are the default again."""
        for number, previous in self._previous.items():
            signal.signal(number, previous if previous is not None else signal.SIG_DFL)
        self._previous.clear()
        if not self._signalled.is_set():
            self._released = True
            self._signalled.set()

    def _caught(self, number: int, frame: FrameType | None) -> None:
        """On the main thread, between two bytecodes of whatever it was doing: only what is
        safe there (set an event, end a child, wake the loop)."""
        if self._signalled.is_set():
            return
        self._signalled.set()
        self.stop_children()
        if self._loop is not None:
            with suppress(RuntimeError):  # the loop is closed: the watchdog does it all
                self._loop.call_soon_threadsafe(self._on_loop)

    def _on_loop(self) -> None:
        self.save_drafts()
        self._answered.set()
        self.exit_app()

    def _watch(self) -> None:
        self._signalled.wait()  # parked for the app's life: this is what bounds the rest
        if self._released:
            return
        if self._answered.wait(ANSWER_S):
            self.data.closed.wait(EXIT_S)  # the app closes the library as q would
        else:  # the loop is stuck on a write to the terminal that went away: nobody else runs
            self.save_drafts()
        if not self.data.closed.is_set():
            # In a thread of its own: it saves the user's edits first, and then waits for
            # the library's lock, which an index build may hold for long.
            threading.Thread(target=self.data.close, name="reader-close", daemon=True).start()
            self.data.closed.wait(CLOSE_S)
        threading.Event().wait(END_S)  # the app's own end, if it comes, ends this thread too
        report_unsaved(self.data)
        os._exit(1 if self.data.unsaved else 0)


def report_unsaved(data: LibraryAccess) -> None:
    """Say which saves failed while closing: the text is nowhere else now."""
    for problem in data.unsaved:
        with suppress(OSError):  # stderr may be the terminal that went away
            print(f"reader: not saved: {problem}", file=sys.stderr)
