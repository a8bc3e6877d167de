"""What the keys do to the current paper and the saved searches (a mixin of MainScreen).

Each edit goes to the data layer's single writer (in order, off the main thread); the screen
repaints the markers, the detail and the counts when it has landed. A failed save is a
notification naming the file, and the edit stays pending in memory (UserData keeps it).
The modals (the note editor's TextArea alone is a tenth of the app's imports) and BibTeX
load when their key is first pressed, not before the first paint.
"""

from __future__ import annotations

import os
import shlex
import subprocess
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, ClassVar

from textual.app import SuspendNotSupported
from textual.binding import Binding, BindingType
from textual.widgets import Input

from reader.core.library import UserData
from reader.tui.textspans import one_line
from reader.tui.widgets.paper_detail import paper_links
from reader.tui.widgets.saved_searches import SavedSearches, SearchEntry

if TYPE_CHECKING:
    from reader.tui.screens.main import MainScreen

# Letter keys are priority bindings: they run as the key is read, so the keys typed right
# after them (a note after `n`, a query after `/`) reach the pane they open, never the list.
_LETTER_ACTIONS = {"bookmark", "toggle_read", "note", "note_in_editor", "tags", "save_search"}
_LETTER_ACTIONS |= {"open_paper", "copy", "focus_search"}
_PAPER_ACTIONS = {"bookmark", "toggle_read", "note", "note_in_editor", "tags", "open_paper", "copy"}


class PaperActions:
    PAPER_BINDINGS: ClassVar[list[BindingType]] = [
        Binding(
            "b",
            "bookmark",
            "Bookmark",
            id="bookmark",
            priority=True,
            tooltip="Bookmark or unbookmark",
        ),
        Binding(
            "m", "toggle_read", "Read", id="read", priority=True, tooltip="Mark read or unread"
        ),
        Binding("n", "note", "Note", id="note", priority=True, tooltip="Write the paper's note"),
        Binding(
            "e", "note_in_editor", "Note in $EDITOR", show=False, id="note.editor", priority=True
        ),
        Binding("t", "tags", "Tags", id="tags", priority=True, tooltip="Edit the paper's tags"),
        Binding(
            "s", "save_search", "Save", id="save_search", priority=True, tooltip="Save this search"
        ),
        Binding("o", "open_paper", "Open", id="open", priority=True, tooltip="Open in the browser"),
        Binding(
            "y", "copy", "Copy", id="copy", priority=True, tooltip="Copy link, title or BibTeX"
        ),
    ]

    def check_action(self: MainScreen, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in _LETTER_ACTIONS and isinstance(self.focused, Input):
            return False  # typing in the search bar: the letter is text, not a command
        if action in _PAPER_ACTIONS:  # no paper: shown, but dimmed (None); False would hide
            return True if self.paper_id is not None else None
        return True

    def edit_user(
        self: MainScreen, edit: Callable[[UserData], object], counts: bool = True
    ) -> None:
        self.data.submit(edit, after=lambda: self.user_changed(counts))

    def _paper_title(self: MainScreen) -> str:
        paper = self.data.get(self.paper_id) if self.paper_id else None
        return one_line(paper.title) if paper else ""

    # -- bookmark, read ----------------------------------------------------------------------

    def action_bookmark(self: MainScreen) -> None:
        if (paper_id := self.paper_id) is not None:
            on = not self.data.user.is_bookmarked(paper_id)
            self.edit_user(lambda user: user.set_bookmark(paper_id, on))

    def action_toggle_read(self: MainScreen) -> None:
        if (paper_id := self.paper_id) is not None:
            if self._read_timer is not None:
                self._read_timer.stop()  # the user decides now; the timer must not undo it
                self._read_timer = None
            read = not self.data.user.is_read(paper_id)
            self.edit_user(lambda user: user.set_read(paper_id, read))

    # -- notes -------------------------------------------------------------------------------

    def action_note(self: MainScreen) -> None:
        from reader.tui.screens.note_editor import NoteEditorScreen

        if (paper_id := self.paper_id) is None:
            return

        def save(text: str) -> None:  # raises SaveError: the editor stays open with the text
            self.data.edit_now(lambda user: user.set_note(paper_id, text))

        def closed(text: str | None) -> None:
            if text is not None:  # repaint once this screen is back on top, not under the modal
                self.call_after_refresh(self.user_changed)

        editor = NoteEditorScreen(self._paper_title(), self.data.user.note(paper_id), save)
        self.app.push_screen(editor, closed)

    def action_note_in_editor(self: MainScreen) -> None:
        """The note in $EDITOR (VISUAL, EDITOR, else vi) on a copy; saved through UserData."""
        if (paper_id := self.paper_id) is None:
            return
        command = os.environ.get("VISUAL") or os.environ.get("EDITOR") or "vi"
        folder = self.data.paths.data_dir / "editing"
        folder.mkdir(parents=True, exist_ok=True)
        before = self.data.user.note(paper_id)
        with tempfile.NamedTemporaryFile(
            "w", encoding="utf-8", suffix=".md", dir=folder, delete=False
        ) as handle:
            handle.write(before)
        draft = Path(handle.name)
        try:
            with self.app.suspend():
                code = _run_editor(command, draft)
        except SuspendNotSupported:  # headless (tests): nothing to hand the terminal back from
            code = _run_editor(command, draft)
        if code != 0:
            self.notify(
                f"The editor exited with {code}; your draft is kept in {draft}",
                severity="warning",
                markup=False,
            )
            return
        text = draft.read_text(encoding="utf-8")
        if text == before:
            draft.unlink()
            return

        def save(user: UserData) -> None:
            user.set_note(paper_id, text)
            draft.unlink()  # only once the note is saved: until then the draft is the copy

        self.edit_user(save)

    # -- tags --------------------------------------------------------------------------------

    def action_tags(self: MainScreen) -> None:
        from reader.tui.screens.prompt import PromptScreen
        from reader.tui.tag_suggester import TagSuggester, split_tags

        if (paper_id := self.paper_id) is None:
            return
        old = self.data.user.tags(paper_id)

        def apply(text: str | None) -> None:
            if text is None:
                return
            new = split_tags(text)
            added, removed = [t for t in new if t not in old], [t for t in old if t not in new]

            def change(user: UserData) -> None:
                if added:
                    user.add_tags(paper_id, added)
                if removed:
                    user.remove_tags(paper_id, removed)

            self.edit_user(change)

        prompt = PromptScreen(
            f"Tags of “{self._paper_title()}”",
            " ".join(old) + (" " if old else ""),
            placeholder="tags, separated by spaces or commas",
            hint="→ completes a known tag · remove a word to drop its tag · Esc cancels",
            suggester=TagSuggester(self.data.user.all_tags()),
        )
        self.app.push_screen(prompt, apply)

    # -- saved searches ----------------------------------------------------------------------

    def action_save_search(self: MainScreen) -> None:
        from reader.tui.screens.prompt import PromptScreen

        query, sort = self.query_text, self.sort
        taken = {entry.name for entry in self.saved.entries}

        def check(name: str) -> str | None:
            return f"“{name}” is taken; choose another name." if name in taken else None

        ids = self.paper_list.rows.ids  # read by the writer, off the main thread

        def save(name: str | None) -> None:
            def add(user: UserData) -> None:
                user.add_saved(name, query, sort)
                user.mark_opened(name, ids)  # what is on screen now is not "new"

            if name is not None:
                self.data.submit(add, after=self._saved_changed)

        prompt = PromptScreen(
            "Save this search as",
            placeholder="a name",
            hint=f"query: {query or '(everything)'} · sorted by {sort}",
            check=check,
        )
        self.app.push_screen(prompt, save)

    def on_saved_searches_delete_requested(
        self: MainScreen, event: SavedSearches.DeleteRequested
    ) -> None:
        from reader.tui.screens.confirm import ConfirmScreen

        entry: SearchEntry = event.entry

        def delete(yes: bool | None) -> None:
            if yes:
                self.data.submit(
                    lambda user: user.remove_saved(entry.name), after=self._saved_changed
                )

        question = f"Delete the saved search “{one_line(entry.name)}”? Its papers stay."
        self.app.push_screen(ConfirmScreen(question, yes="Delete", no="Keep"), delete)

    def _saved_changed(self: MainScreen) -> None:
        self._load_saved()
        self.refresh_counts()

    # -- open, copy --------------------------------------------------------------------------

    def action_open_paper(self: MainScreen) -> None:
        paper = self.data.get(self.paper_id) if self.paper_id else None
        links = paper_links(paper) if paper else []
        if not links:
            self.notify("This paper has no link to open.", severity="warning")
            return
        url = links[0][1]
        self.app.open_url(url)
        self.notify(f"Opening {url}", markup=False)

    def action_copy(self: MainScreen) -> None:
        from reader.core.library import annotate, render_export
        from reader.tui.screens.copy_menu import CopyMenu

        if self.paper_id is None:
            return
        paper_id = self.paper_id

        def copy(choice: str | None) -> None:
            paper = self.data.get(paper_id)
            if paper is None or choice is None:
                return
            if choice == "link":
                links = paper_links(paper)
                text = links[0][1] if links else ""
            elif choice == "title":
                text = one_line(paper.title)
            else:
                text = render_export(annotate([paper], self.data.user), "bibtex")
            if not text:
                self.notify("Nothing to copy.", severity="warning")
                return
            self.app.copy_to_clipboard(text)
            self.notify(f"Copied the {'BibTeX entry' if choice == 'bibtex' else choice}.")

        self.app.push_screen(CopyMenu(), copy)


def _run_editor(command: str, path: Path) -> int:
    try:
        return subprocess.run([*shlex.split(command), str(path)], check=False).returncode
    except OSError as error:
        return error.errno or 1
