"""ctrl+p "Export this search…": the papers of the list, in a format, to a file.

The formats are `reader export`'s (EXPORT_FORMATS: BibTeX and CSL-JSON that import again,
Markdown, JSON, CSV), each paper with the user's tags and note. The dialog asks for the format
and the path (completed from the disk; the extension follows the format until the user types
one of their own); a file that exists is replaced only on a second Enter. The export itself
(`export`) runs in a thread worker of the app and writes atomically: a file is whole, or as
it was.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import ClassVar

from textual.app import App, ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Input, Label, OptionList
from textual.widgets.option_list import Option

from reader.core.library import Library
from reader.tui.data import LibraryAccess
from reader.tui.path_suggester import PathSuggester

Ids = Callable[[Library], Sequence[str]]  # the papers to export, in order (in a worker)

# format -> (what the user knows it as, its file extension, what it is for)
NAMES = {
    "bibtex": ("BibTeX", ".bib", "LaTeX, JabRef, Zotero; imports again"),
    "csl-json": ("CSL-JSON", ".json", "Zotero, Pandoc, citeproc; imports again"),
    "markdown": ("Markdown", ".md", "to read"),
    "json": ("JSON", ".json", "reader's own fields"),
    "csv": ("CSV", ".csv", "a spreadsheet"),
}


def name(fmt: str) -> str:
    return NAMES[fmt][0] if fmt in NAMES else fmt


def extension(fmt: str) -> str:
    return NAMES[fmt][1] if fmt in NAMES else f".{fmt}"


def choice(fmt: str) -> Content:
    use = NAMES[fmt][2] if fmt in NAMES else ""
    return Content.assemble((name(fmt), "bold"), "  ", (use, "$text-muted"))


class ExportScreen(ModalScreen[tuple[str, Path] | None]):
    """Dismisses with (format, path), or None on Esc."""

    BINDING_GROUP_TITLE = "Export"
    CSS_PATH = "transfer.tcss"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "close", "Close", id="export.close"),
        # In the formats (in the path they are letters: the input takes them first).
        Binding("j", "move_format(1)", "Next format", show=False, id="export.next"),
        Binding("k", "move_format(-1)", "Previous format", show=False, id="export.previous"),
    ]

    def __init__(self, what: str, stem: str, folder: Path | None = None) -> None:
        super().__init__()
        self.what = what  # "27 papers (pruning)"
        from reader.core.library import EXPORT_FORMATS

        self.formats = list(EXPORT_FORMATS)
        self.default = (folder or Path.cwd()) / f"{stem}{extension(self.formats[0])}"
        self.confirming: Path | None = None  # an existing file: Enter again replaces it

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog"):
            yield Label(f"Export {self.what}", id="title", markup=False)
            yield OptionList(
                *(Option(choice(fmt), id=fmt) for fmt in self.formats),
                id="formats",
            )
            yield Input(
                str(self.default), suggester=PathSuggester(), select_on_focus=False, id="path"
            )
            yield Label(
                "j/k: the format · Tab: the path (→ completes) · Enter exports · Esc closes",
                id="hint",
                markup=False,
            )
            yield Label("", id="error", markup=False)

    def on_mount(self) -> None:
        self.query_one("#error").display = False
        choices = self.query_one("#formats", OptionList)
        choices.highlighted = 0
        choices.focus()

    @property
    def format(self) -> str:
        index = self.query_one("#formats", OptionList).highlighted
        return self.formats[index or 0]

    def action_move_format(self, step: int) -> None:
        choices = self.query_one("#formats", OptionList)
        choices.highlighted = ((choices.highlighted or 0) + step) % len(self.formats)

    def on_option_list_option_highlighted(self, event: OptionList.OptionHighlighted) -> None:
        """The path's extension follows the format, unless the user typed one of their own."""
        path = self.query_one("#path", Input)
        known = {extension(fmt) for fmt in self.formats}
        current = Path(path.value)
        if current.suffix in known or not current.suffix:
            path.value = str(current.with_suffix(extension(self.format)))
            path.cursor_position = len(path.value)

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.set_focus(self.query_one("#path", Input))  # Enter on a format: on to the path

    def on_input_changed(self, event: Input.Changed) -> None:
        self.query_one("#error").display = False
        self.confirming = None

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        typed = event.value.strip()
        path = Path(os.path.expanduser(typed)) if typed else None
        problem = None
        if path is None:
            problem = "Type a path to write."
        elif path.is_dir():
            problem = f"{path} is a folder: add a file name."
        elif not path.parent.is_dir():
            problem = f"There is no folder {path.parent}."
        elif path.exists() and self.confirming != path:
            self.confirming = path
            problem = f"{path} exists: Enter again to replace it."
        if problem:
            error = self.query_one("#error", Label)
            error.update(problem)
            error.display = True
            return
        assert path is not None
        self.dismiss((self.format, path))

    def action_close(self) -> None:
        self.dismiss(None)


def export(app: App[object], data: LibraryAccess, ids: Ids, fmt: str, path: Path) -> None:
    """Write the papers to path in a thread worker; say where, or why not."""

    def run() -> None:
        from reader.core.library import annotate, atomic_write_text, render_export

        try:
            with data.user_lock:  # the tags and notes as saved, not half an edit
                found = data.locked(ids)
                papers = data.locked(lambda library: library.papers(list(found)))
                listed = [papers[i] for i in found if i in papers]
                text = render_export(annotate(listed, data.user), fmt)
            atomic_write_text(path, text)
        except Exception as error:  # a worker reports, never kills the app
            reason = getattr(error, "strerror", None) or error
            message = f"Could not export to {path}: {reason}"
            app.call_from_thread(app.notify, message, severity="error", markup=False)
            return
        noun = "paper" if len(listed) == 1 else "papers"
        message = f"Exported {len(listed):,} {noun} ({name(fmt)}) to {path}"
        app.call_from_thread(app.notify, message, timeout=15, markup=False)

    app.run_worker(run, name="export", group="export", thread=True, exit_on_error=False)
