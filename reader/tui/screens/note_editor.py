"""Edit one paper's note (Markdown) in a modal; nothing typed is lost to a failed save or Esc.

ctrl+s calls the save callback and closes only if it succeeded: a SaveError ("could not save
FILE: reason") is shown and the text stays in the editor for another try. Esc with unsaved
changes asks first. The title carries an "unsaved" marker while the text differs from disk.
Quitting the app over unsaved text keeps it as a draft (keep_draft, drafts.py); the next
editor of that paper's note offers it (ctrl+r restores it, ctrl+d discards it) until it is
restored and saved, or discarded.
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
from reader.tui.drafts import Draft, DraftSlot
from reader.tui.screens.confirm import ConfirmScreen
from reader.tui.widgets.key_footer import KeyFooter

Save = Callable[[str], None]  # raises SaveError (or OSError) when the note could not be saved

UNSAVED = "  [unsaved]"


class NoteEditorScreen(ModalScreen[str | None]):
    """Dismisses with the saved text, or None when closed without saving."""

    BINDING_GROUP_TITLE = "Note editor"
    CSS_PATH = "note_editor.tcss"
    BINDINGS: ClassVar[list[BindingType]] = [
        # Only while a kept draft is offered. Priority: the editor's ctrl+d deletes a letter,
        # and the footer then lists both before the editor's other keys.
        Binding("ctrl+r", "restore_draft", "Restore draft", id="note.restore_draft", priority=True),
        Binding("ctrl+d", "discard_draft", "Discard draft", id="note.discard_draft", priority=True),
        Binding("ctrl+s", "save", "Save and close", id="note.save"),
        Binding("escape", "close", "Close", id="note.close"),
    ]

    def __init__(
        self, paper_title: str, text: str, save: Save, slot: DraftSlot | None = None
    ) -> None:
        super().__init__()
        self.paper_title = paper_title
        self.saved_text = text
        self.save_note = save
        self.slot = slot
        self.offered: Draft | None = None  # a kept draft, until restored or discarded
        self.restored = False  # the draft is in the editor: saving the note drops it

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
            yield Label("", id="draft", markup=False)
            yield KeyFooter()

    def on_mount(self) -> None:
        self.query_one("#error", Label).display = False
        draft = self.slot.find() if self.slot is not None else None
        self._offer(draft if draft is not None and draft.text != self.saved_text else None)
        editor = self.query_one("#editor", TextArea)
        editor.focus()
        editor.move_cursor(editor.document.end)

    def _offer(self, draft: Draft | None) -> None:
        self.offered = draft
        label = self.query_one("#draft", Label)
        label.display = draft is not None
        if draft is not None:
            lines = len(draft.text.splitlines())
            label.update(
                f"A draft of this note ({lines} line{'s' if lines != 1 else ''}) was kept "
                f"when reader quit on {draft.kept_at}: restore it, or discard it."
            )
        self.refresh_bindings()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in ("restore_draft", "discard_draft"):
            return self.offered is not None
        return True

    def action_restore_draft(self) -> None:
        """The draft replaces the text (the note on disk is unchanged until ctrl+s)."""
        if self.offered is not None:
            editor = self.query_one("#editor", TextArea)
            editor.text = self.offered.text
            editor.move_cursor(editor.document.end)
            self.restored = True
            self._offer(None)

    def action_discard_draft(self) -> None:
        if self.offered is not None and self.slot is not None:
            self.slot.drop()
            self._offer(None)

    def keep_draft(self) -> str | None:
        """The app quits over this unsaved text: keep it for next time. None when it is kept,
        else why it could not be."""
        if self.slot is None:
            return "there is nowhere to keep it"
        try:
            self.slot.keep(self.text)
        except OSError as error:
            return f"could not write {self.slot.path}: {error.strerror or error}"
        return None

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
        if self.restored and self.slot is not None:
            self.slot.drop()  # it is the note now
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
        if self.restored and self.slot is not None:
            self.slot.drop()

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
