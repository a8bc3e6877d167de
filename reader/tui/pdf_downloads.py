"""`p`: a paper's PDF downloaded with a bar under the list, then opened; `a` with
`queue_downloads: true`: the PDF of a paper just queued, downloaded in the background.

Downloads run one after the other in one worker of the app's (the papers wait their turn, as
`reader queue add` fetches them), so the app keeps reading and searching meanwhile; the core
does the work (Reading.download_pdf: resumable, capped, checked; Reading.open_pdf: the
`pdf_viewer` of the config or the system's opener). Esc stops the download under way (its
part is kept: the next try resumes it) and drops the ones waiting. Each ending is one
notification: opened, downloaded, stopped, or why it failed in one line. Closing the app
stops the download at the next chunk.
"""

from __future__ import annotations

import threading
from collections import deque
from dataclasses import dataclass, field
from time import monotonic

from textual.app import App
from textual.notifications import SeverityLevel
from textual.signal import Signal
from textual.worker import Worker, get_current_worker

from reader.tui.data import LibraryAccess
from reader.tui.textspans import one_line
from reader.tui.widgets.job_line import JobProgress, short

_REPAINT_S = 0.1  # the bar moves at most this often (a chunk comes every few milliseconds)


@dataclass(slots=True)
class Wanted:
    paper_id: str
    title: str
    open: bool  # p: show it once it is here; `a` (queue_downloads): only download it
    cancel: threading.Event = field(default_factory=threading.Event)  # Esc


class PdfDownloads:
    def __init__(self, app: App[object], data: LibraryAccess) -> None:
        self.app = app
        self.data = data
        self.progress: JobProgress | None = None  # None: nothing is downloading
        self.progressed: Signal[JobProgress | None] = Signal(app, "pdf-progressed")
        self.landed: Signal[str] = Signal(app, "pdf-landed")  # a paper whose PDF is here now
        self._waiting: deque[Wanted] = deque()
        self._current: Wanted | None = None
        self._worker: Worker[None] | None = None

    @property
    def running(self) -> bool:
        return self._worker is not None

    def get(self, paper_id: str, *, open: bool = True) -> None:
        """Download a paper's PDF (after those already waiting), then open it if `open`."""
        paper = self.data.get(paper_id)
        title = short(one_line(paper.title)) if paper else paper_id
        for wanted in [self._current, *self._waiting]:
            if wanted is not None and wanted.paper_id == paper_id:
                wanted.open = wanted.open or open
                self.app.notify(f"The PDF of “{title}” is on its way.", markup=False)
                return
        self._waiting.append(Wanted(paper_id, title, open))
        if self._worker is None:
            self._worker = self.app.run_worker(
                self._run, name="PDFs", group="pdf", thread=True, exit_on_error=False
            )
        elif self._current is not None:
            waiting = len(self._waiting)
            self.app.notify(f"The PDF of “{title}” comes next ({waiting} waiting).", markup=False)

    def cancel(self) -> bool:
        """Esc: stop the download under way and drop those waiting; whether there was one."""
        if self._worker is None:
            return False
        self._waiting.clear()
        if self._current is not None:
            self._current.cancel.set()
        return True

    def stop(self) -> None:
        """The app is closing: stop at the next chunk, say nothing."""
        if self._worker is not None:
            self.cancel()
            self._worker.cancel()

    # -- in the worker -----------------------------------------------------------------------

    def _run(self) -> None:
        worker = get_current_worker()
        while not worker.is_cancelled:
            wanted = self.app.call_from_thread(self._next)
            if wanted is None:
                return
            self._fetch(wanted, worker)

    def _fetch(self, wanted: Wanted, worker: Worker[None]) -> None:
        from reader.core.library import FeedConfigError, FetchError, PdfCancelled, PdfError

        reading = self.data.library.reading
        shown = 0.0

        def progress(done: int, total: int) -> None:
            nonlocal shown
            now = monotonic()
            if now - shown >= _REPAINT_S and not worker.is_cancelled:
                shown = now
                self.app.call_from_thread(self._advance, wanted, done, total)

        name = f"the PDF of “{wanted.title}”"
        try:
            downloaded = reading.download_pdf(
                wanted.paper_id, progress=progress, cancel=wanted.cancel
            )
        except PdfCancelled:
            self._say(f"Stopped {name}; p goes on from where it stopped.", "warning", worker)
            return
        except (PdfError, FetchError, FeedConfigError, ValueError, OSError) as error:
            self._say(f"No PDF: {one_line(str(error))}", "error", worker)
            return
        if worker.is_cancelled:
            return
        self.app.call_from_thread(self.landed.publish, wanted.paper_id)
        if not wanted.open:
            size = f"{downloaded.size / 2**20:,.1f} MB"
            self._say(f"Downloaded {name} ({size}).", "information", worker)
            return
        self._open(wanted, name, worker)

    def _open(self, wanted: Wanted, name: str, worker: Worker[None]) -> None:
        from reader.core.library import ToolError

        try:
            command = self.data.library.reading.open_pdf(wanted.paper_id)
        except (ToolError, ValueError) as error:
            self._say(f"Could not open {name}: {one_line(str(error))}", "error", worker)
            return
        self._say(f"Opened {name} with {one_line(command)}.", "information", worker)

    def _say(self, text: str, severity: SeverityLevel, worker: Worker[None]) -> None:
        if not worker.is_cancelled:
            self.app.call_from_thread(
                self.app.notify, text, severity=severity, timeout=10, markup=False
            )

    # -- on the main thread ------------------------------------------------------------------

    def _next(self) -> Wanted | None:
        """The next download (its bar shown), or None: the worker ends, and so does the bar."""
        if not self._waiting:  # (Esc emptied it; what came after Esc is wanted)
            self._current = None
            self._worker = None
            self._show(None)
            return None
        self._current = wanted = self._waiting.popleft()
        self._show(JobProgress(self._label(wanted), None, 0))
        return wanted

    def _advance(self, wanted: Wanted, done: int, total: int) -> None:
        if self._current is wanted:
            self._show(JobProgress(self._label(wanted, done, total), total or None, done))

    def _label(self, wanted: Wanted, done: int = 0, total: int = 0) -> str:
        more = f" (+{len(self._waiting)} waiting)" if self._waiting else ""
        size = f"{done / 2**20:,.1f}" + (f" of {total / 2**20:,.1f} MB" if total else " MB")
        return f"PDF of “{wanted.title}”: {size}{more}"

    def _show(self, progress: JobProgress | None) -> None:
        self.progress = progress
        self.progressed.publish(progress)
