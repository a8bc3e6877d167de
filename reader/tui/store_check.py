"""The store check after an unclean end, as the app shows it (the check is the core's,
beside the open store: reads go on, writes wait for it in LibraryAccess).

The start-up worker begins it once the first page is on screen (startup.py). While it runs,
the status line says so; then the line clears, and if the store was damaged
(set aside, a fresh one in its place) the user hears the way back and the list is searched
again, so it shows the store as it is now. A check that died is told the same way.
"""

from __future__ import annotations

from collections.abc import Callable

from textual.app import App
from textual.worker import get_current_worker

from reader.tui.data import LibraryAccess
from reader.tui.widgets.status_line import StatusLine


def show_store_check(
    app: App[object], data: LibraryAccess, status: StatusLine, relist: Callable[[], None]
) -> None:
    """Follow the check (run in a thread worker): the line while it runs, then its verdict."""
    check = data.library.store_check
    if check is None:
        return
    worker = get_current_worker()
    app.call_from_thread(setattr, status, "checking", True)
    while not check.finished.wait(0.1):
        if worker.is_cancelled:  # the app closes: the library stops the check
            return
    app.call_from_thread(setattr, status, "checking", False)
    if check.message is not None:
        app.notify(check.message, severity="error", timeout=60, markup=False)
    if check.refusal() is not None:  # damaged: the list was of the store set aside
        app.call_from_thread(relist)
