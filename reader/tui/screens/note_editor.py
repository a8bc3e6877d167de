"""Edit one paper's note (Markdown) in a modal; nothing typed is lost to a failed save or Esc.

ctrl+s calls the save callback and closes only if it succeeded: a SaveError ("could not save
FILE: reason") is shown and the text stays in the editor for another try. Esc with unsaved
changes asks first. The title carries an "unsaved" marker while the text differs from disk.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from contextlib import suppress
from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Label, TextArea

from reader.core.library import SaveError
from reader.tui.screens.confirm import ConfirmScreen
from reader.tui.widgets.key_footer import KeyFooter

Save = Callable[[str], None]  # raises SaveError (or OSError) when the note could not be saved

UNSAVED = "  [unsaved]"


class NoteEditorScreen(ModalScreen[str | None]):
    """Dismisses with the saved text, or None when closed without saving."""

    CSS_PATH = "note_editor.tcss"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+s", "save", "Save and close", id="note.save"),
        Binding("escape", "close", "Close", id="note.close"),
    ]

    def __init__(self, paper_title: str, text: str, save: Save) -> None:
        super().__init__()
        self.paper_title = paper_title
        self.saved_text = text
        self.save_note = save

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog"):
            yield Label(self._title(), id="title", markup=False)
            yield TextArea(
                self.saved_text,
                language="markdown",
                soft_wrap=True,
                show_line_numbers=False,
                id="editor",
            )
            yield Label("", id="error", markup=False)
            yield KeyFooter()

    def on_mount(self) -> None:
        self.query_one("#error", Label).display = False
        editor = self.query_one("#editor", TextArea)
        editor.focus()
        editor.move_cursor(editor.document.end)

    @property
    def text(self) -> str:
        return self.query_one("#editor", TextArea).text

    @property
    def dirty(self) -> bool:
        """True while the editor holds text that is not saved (the app asks before quitting)."""
        return self.text != self.saved_text

    def _title(self, dirty: bool = False) -> str:
        return f"Note: {self.paper_title}{UNSAVED if dirty else ''}"

    def on_text_area_changed(self, event: TextArea.Changed) -> None:
        self.query_one("#title", Label).update(self._title(self.dirty))

    def action_save(self) -> None:
        text = self.text
        try:
            self.save_note(text)
        except (SaveError, OSError) as error:
            message = str(error)
            error_label = self.query_one("#error", Label)
            error_label.update(f"{message} (your text is kept here: save again to retry)")
            error_label.display = True
            self.notify(message, title="Note not saved", severity="error", markup=False)
            return
        self.saved_text = text
        self.dismiss(text)

    def save_unasked(self) -> None:
        """The terminal went away: save what is typed, since no one can be asked. A failed
        save leaves the text nowhere to go, so it is printed where a log would catch it."""
        try:
            self.save_note(self.text)
        except (SaveError, OSError) as error:
            with suppress(OSError):  # stderr may be the terminal that went away
                print(f"reader: note not saved on hang-up: {error}", file=sys.stderr)
            return
        self.saved_text = self.text

    def action_close(self) -> None:
        if not self.dirty:
            self.dismiss(None)
            return

        def answered(discard: bool | None) -> None:
            if discard:
                self.dismiss(None)

        self.app.push_screen(
            ConfirmScreen("Discard the unsaved changes to this note?", yes="Discard", no="Keep"),
            answered,
        )
