"""ctrl+p "Import a file…": a path that completes from the disk, the import with its progress,
then what it did.

Any file `reader import` reads (a .bib, CSL-JSON, a Zotero database, a papis folder, saved
listings): Library.import_paths runs in a thread worker of the app, so closing the dialog
(Esc) leaves the import going, and its summary shows when it is done. The papers of the
user's own library come in bookmarked with their tags and notes, so the import holds the
user-data lock as well as the library's: an edit made meanwhile waits for it.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path, PurePath
from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Label, ProgressBar

from reader.core.model import ImportReport
from reader.tui.data import LibraryAccess
from reader.tui.path_suggester import PathSuggester
from reader.tui.textspans import one_line

Done = Callable[[ImportReport], None]  # the import is over: repaint what it changed

_REJECTIONS_SHOWN = 3
HINT = "A .bib, CSL-JSON, Zotero or papis library, or saved listings · Tab or → completes"


def summary(name: str, report: ImportReport) -> str:
    """What an import did, in the words `reader import` prints."""
    text = (
        f"Imported {name}: {report.added:,} added, {report.updated:,} updated, "
        f"{report.duplicates:,} duplicates, {len(report.rejected):,} rejected."
    )
    if report.bookmarked:
        text += f"\n{report.bookmarked:,} bookmarked as yours, with their tags and notes."
    return text


def rejections(report: ImportReport) -> str | None:
    """The first few rejected records with their file's name and line, or None."""
    if not report.rejected:
        return None
    lines = [
        f"Rejected {one_line(PurePath(r.source).name)}{f':{r.line}' if r.line else ''}: "
        + one_line(r.reason)
        for r in report.rejected[:_REJECTIONS_SHOWN]
    ]
    if (more := len(report.rejected) - _REJECTIONS_SHOWN) > 0:
        lines.append(f"… and {more:,} more (`reader import` lists them all)")
    return "\n".join(lines)


class ImportScreen(ModalScreen[None]):
    BINDING_GROUP_TITLE = "Import"
    CSS_PATH = "transfer.tcss"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "close", "Close", id="import.close"),
        Binding("tab", "complete", "Complete the path", id="import.complete"),
    ]

    def __init__(self, data: LibraryAccess, done: Done) -> None:
        super().__init__()
        self.data = data
        self.done = done
        self.importing: Path | None = None

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog"):
            yield Label("Import a file", id="title")
            yield Input(
                placeholder="a file or folder (~ is your home folder)",
                suggester=PathSuggester(),
                select_on_focus=False,
                id="path",
            )
            yield Label(HINT, id="hint", markup=False)
            yield Label("", id="error", markup=False)
            yield Label("", id="progress-label", markup=False)
            yield ProgressBar(total=None, show_eta=False, id="progress")

    def on_mount(self) -> None:
        for name in ("#error", "#progress-label", "#progress"):
            self.query_one(name).display = False

    def action_complete(self) -> None:
        """Tab takes the suggested completion, as → does at the end of the path."""
        path = self.query_one("#path", Input)
        path.cursor_position = len(path.value)
        path.action_cursor_right()

    def on_input_changed(self, event: Input.Changed) -> None:
        self.query_one("#error").display = False

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        if self.importing is not None:
            return
        typed = event.value.strip()
        path = Path(os.path.expanduser(typed)) if typed else None
        if path is None or not path.exists():
            error = self.query_one("#error", Label)
            error.update(f"No such file or folder: {typed}" if typed else "Type a path.")
            error.display = True
            return
        self.start(path)

    def start(self, path: Path) -> None:
        self.importing = path
        self.query_one("#path", Input).disabled = True
        self.query_one("#hint").display = False
        self.advance(0, 0)
        self.query_one("#progress-label").display = True
        self.query_one("#progress").display = True
        app, data, done = self.app, self.data, self.done

        def run() -> None:
            def progress(count: int, total: int) -> None:
                app.call_from_thread(self.advance, count, total)

            try:
                with data.user_lock:
                    report = data.locked(lambda library: library.import_paths([path], progress))
            except Exception as error:  # a worker reports, never kills the app
                app.call_from_thread(self.failed, f"Could not import {path}: {error}")
                return
            app.call_from_thread(self.finished, path, report, done)

        app.run_worker(run, name="import", group="import", thread=True, exit_on_error=False)

    def advance(self, count: int, total: int) -> None:
        """Where the import stands (shown while the dialog is open)."""
        if not self.is_attached or self.importing is None:
            return
        label = self.query_one("#progress-label", Label)
        label.update(f"Importing {self.importing.name}: {count:,} papers so far…")
        self.query_one("#progress", ProgressBar).update(total=total or None, progress=count)

    def finished(self, path: Path, report: ImportReport, done: Done) -> None:
        self.app.notify(summary(path.name, report), timeout=20, markup=False)
        if problems := rejections(report):
            self.app.notify(problems, severity="warning", timeout=20, markup=False)
        if message := self.data.take_index_message():
            self.app.notify(message, severity="warning", timeout=15, markup=False)
        done(report)
        if self.is_attached:
            self.dismiss(None)

    def failed(self, message: str) -> None:
        self.app.notify(message, severity="error", timeout=20, markup=False)
        if self.is_attached:
            self.dismiss(None)

    def action_close(self) -> None:
        if self.importing is not None:
            self.app.notify("The import goes on; what it did shows when it is done.")
        self.dismiss(None)
