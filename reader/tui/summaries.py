"""`z`: a summary of the paper from the user's own program, streamed into the detail pane.

One summary at a time, in a worker of the app's: the core sends the prompt (title, authors,
abstract, the PDF's text when it is here), reads the answer as it comes with terminal escapes
removed, stops the program at the config's timeout, and keeps the answer
(Reading.summarize). What has come so far is `writing`, published as `changed` (the detail
pane of that paper shows it, as text: never markup); the kept summary replaces it at the end.
Esc stops the program (and what it started). A program that fails is one line naming it,
its exit status and the last line of its stderr; with no program configured, `z` says how to
set one up.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from time import monotonic

from textual.app import App
from textual.notifications import SeverityLevel
from textual.signal import Signal
from textual.worker import Worker, get_current_worker

from reader.tui.data import LibraryAccess
from reader.tui.textspans import one_line
from reader.tui.widgets.job_line import JobProgress, short

_REPAINT_S = 0.1  # the streamed text is shown at most this often

HOW_TO = """No summarizer is set up. Add one to {config}, for example:

summarize:
  command: "llm -m my-model"
  timeout: 120

Any program that reads a prompt on stdin and writes the summary on stdout will do."""


@dataclass(slots=True)
class Writing:
    """A summary on its way: the paper, and what the program has written so far."""

    paper_id: str
    title: str
    text: str = ""
    cancel: threading.Event = field(default_factory=threading.Event)


class Summaries:
    def __init__(self, app: App[object], data: LibraryAccess) -> None:
        self.app = app
        self.data = data
        self.writing: Writing | None = None
        self.progress: JobProgress | None = None
        self.progressed: Signal[JobProgress | None] = Signal(app, "summary-progressed")
        self.changed: Signal[str] = Signal(app, "summary-changed")  # the paper's id
        self._worker: Worker[None] | None = None

    @property
    def running(self) -> bool:
        return self.writing is not None

    def text(self, paper_id: str) -> tuple[str, bool]:
        """What to show as the paper's summary, and whether it is being written now."""
        writing = self.writing
        if writing is not None and writing.paper_id == paper_id:
            return writing.text, True
        return self.data.user.summary(paper_id), False

    def summarize(self, paper_id: str) -> None:
        """Ask the configured program for a summary of the paper (again, if one is kept)."""
        reading = self.data.library.reading
        if reading.config.summarize is None:
            config = self.data.paths.config_file
            message = HOW_TO.format(config=config)
            self.app.notify(message, severity="warning", timeout=20, markup=False)
            return
        if self.writing is not None:
            title = self.writing.title
            self.app.notify(f"A summary of “{title}” is being written; Esc stops it.", markup=False)
            return
        paper = self.data.get(paper_id)
        title = short(one_line(paper.title)) if paper else paper_id
        self.writing = writing = Writing(paper_id, title)
        self._show(JobProgress(f"Summarizing “{title}”…", percent=False))
        self.changed.publish(paper_id)
        self._worker = self.app.run_worker(
            lambda: self._run(writing),
            name="summary",
            group="summary",
            thread=True,
            exit_on_error=False,
        )

    def cancel(self) -> bool:
        """Esc: stop the program; whether one was running."""
        if self.writing is None:
            return False
        self.writing.cancel.set()
        return True

    def stop(self) -> None:
        """The app is closing: stop the program, say nothing."""
        if self._worker is not None:
            self.cancel()
            self._worker.cancel()

    # -- in the worker -----------------------------------------------------------------------

    def _run(self, writing: Writing) -> None:
        from reader.core.library import ToolCancelled, ToolError

        worker = get_current_worker()
        call = self.app.call_from_thread
        pieces: list[str] = []
        shown = 0.0

        def on_text(text: str) -> None:
            nonlocal shown
            pieces.append(text)
            now = monotonic()
            if now - shown >= _REPAINT_S and not worker.is_cancelled:
                shown = now
                call(self._stream, writing, "".join(pieces))

        name = f"the summary of “{writing.title}”"
        severity: SeverityLevel = "information"
        message = ""
        try:
            summary = self.data.library.reading.summarize(
                writing.paper_id, on_text=on_text, cancel=writing.cancel
            )
        except ToolCancelled:
            severity, message = "warning", f"Stopped {name}; nothing was kept."
        except (ToolError, ValueError, OSError) as error:
            severity, message = "error", one_line(str(error))
        except Exception as error:  # a worker reports, never kills the app
            severity, message = "error", f"The summary failed: {one_line(str(error))}"
        else:
            message = f"Kept {name}."
            if summary.pdf_note and summary.pdf_tool is None:
                message += " " + _without_pdf(self.data, writing.paper_id, summary.pdf_note)
        if not worker.is_cancelled:
            call(self._over, writing, message, severity)

    # -- on the main thread ------------------------------------------------------------------

    def _stream(self, writing: Writing, text: str) -> None:
        if self.writing is writing:
            writing.text = text
            self.changed.publish(writing.paper_id)

    def _over(self, writing: Writing, message: str, severity: SeverityLevel) -> None:
        self.writing = None
        self._worker = None
        self._show(None)
        self.changed.publish(writing.paper_id)  # the kept summary now, or the one before
        self.app.notify(message, severity=severity, timeout=10, markup=False)

    def _show(self, progress: JobProgress | None) -> None:
        self.progress = progress
        self.progressed.publish(progress)


def _without_pdf(data: LibraryAccess, paper_id: str, note: str) -> str:
    """Why the PDF's text was not in the prompt, in the app's words."""
    if data.library.reading.pdf_if_any(paper_id) is None:
        return "The prompt had the abstract only: p downloads the PDF, whose text then goes in."
    return f"The prompt had the abstract only: {one_line(note)}."
