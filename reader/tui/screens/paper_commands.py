"""What the keys do to a paper and to the saved searches, for every screen of papers.

A screen's key calls down here with the paper under its cursor. Each edit goes to the data
layer's single writer (in order, off the main thread); once it has landed, `changed` is
published and every screen of papers repaints its markers, the detail and its counts. A
failed save is a notification naming the file, and the edit stays pending in memory
(UserData keeps it). The modals (the note editor's TextArea alone is a tenth of the app's
imports) and BibTeX load when their key is first pressed, not before the first paint.
"""

from __future__ import annotations

import os
import shlex
import subprocess
import tempfile
from collections.abc import Callable, Sequence
from pathlib import Path

from textual.app import App, SuspendNotSupported
from textual.signal import Signal

from reader.core.library import UserData
from reader.tui.data import LibraryAccess
from reader.tui.textspans import one_line
from reader.tui.widgets.paper_detail import paper_links
from reader.tui.widgets.saved_searches import SearchEntry

Edit = Callable[[UserData], object]


class PaperCommands:
    def __init__(self, app: App[object], data: LibraryAccess) -> None:
        self.app = app
        self.data = data
        self.changed: Signal[None] = Signal(app, "user-data-changed")
        self.editor: subprocess.Popen[bytes] | None = None  # $EDITOR, while it runs
        self.ending = False  # the terminal went away: no editor may outlive the app

    def edit(self, edit: Edit) -> None:
        """Save an edit of the user's data (in order, in the background); then repaint."""
        self.data.submit(edit, after=self.landed)

    def landed(self) -> None:
        """An edit was saved (or reported): whatever shows the user's state repaints, and
        an edit saved whose index step failed says so ("saved; the index will catch up")."""
        if message := self.data.take_index_message():
            self.app.notify(message, severity="warning", timeout=15, markup=False)
        self.changed.publish(None)

    def _title(self, paper_id: str) -> str:
        paper = self.data.get(paper_id)
        return one_line(paper.title) if paper else ""

    # -- bookmark, read ----------------------------------------------------------------------

    # A toggle's new state is decided when its edit applies, in order, not when its key is
    # pressed: keys faster than the saves (b b while the first waits) each undo the one before.

    def bookmark(self, paper_id: str | None) -> None:
        if paper_id is not None:
            self.edit(lambda user: user.set_bookmark(paper_id, not user.is_bookmarked(paper_id)))

    def toggle_read(self, paper_id: str | None) -> None:
        if paper_id is not None:
            self.edit(lambda user: user.set_read(paper_id, not user.is_read(paper_id)))

    def set_read(self, paper_id: str, read: bool) -> None:
        self.edit(lambda user: user.set_read(paper_id, read))

    # -- notes -------------------------------------------------------------------------------

    def note(self, paper_id: str | None) -> None:
        """The note editor (it offers the draft kept when the app quit over this note)."""
        from reader.tui.drafts import DraftSlot
        from reader.tui.screens.note_editor import NoteEditorScreen

        if paper_id is None:
            return

        def save(text: str) -> None:  # raises SaveError: the editor stays open with the text
            self.data.edit_now(lambda user: user.set_note(paper_id, text))

        def closed(text: str | None) -> None:
            if text is not None:  # repaint once the screen is back on top, not under the modal
                self.app.call_after_refresh(self.landed)

        slot = DraftSlot(self.data.paths, paper_id)
        editor = NoteEditorScreen(self._title(paper_id), self.data.user.note(paper_id), save, slot)
        self.app.push_screen(editor, closed)

    def note_in_editor(self, paper_id: str | None) -> None:
        """The note in $EDITOR (VISUAL, EDITOR, else vi) on a copy; saved through UserData."""
        if paper_id is None:
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
                code = self._run_editor(command, draft)
        except SuspendNotSupported:  # headless (tests): nothing to hand the terminal back from
            code = self._run_editor(command, draft)
        if code != 0:
            self.app.notify(
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

        self.edit(save)

    def _run_editor(self, command: str, path: Path) -> int:
        try:
            self.editor = subprocess.Popen([*shlex.split(command), str(path)])
        except OSError as error:
            return error.errno or 1
        try:
            if self.ending:  # the hang-up came while the editor was starting
                self.editor.terminate()
            return self.editor.wait()
        except BaseException:  # as subprocess.run does: the editor never outlives the wait
            self.editor.kill()
            raise
        finally:
            self.editor = None

    def stop_editor(self) -> None:
        """The app is ending (its terminal went away): the editor must not outlive it.

        A signal handler on the main thread, which also starts the editor: it can come
        between the editor's start and its assignment, so the flag covers that moment."""
        self.ending = True
        if (editor := self.editor) is not None and editor.poll() is None:
            editor.terminate()

    # -- tags --------------------------------------------------------------------------------

    def tags(self, paper_id: str | None) -> None:
        from reader.tui.screens.prompt import PromptScreen
        from reader.tui.tag_suggester import TagSuggester, split_tags

        if paper_id is None:
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

            self.edit(change)

        prompt = PromptScreen(
            f"Tags of “{self._title(paper_id)}”",
            " ".join(old) + (" " if old else ""),
            placeholder="tags, separated by spaces or commas",
            hint="→ completes a known tag · remove a word to drop its tag · Esc cancels",
            suggester=TagSuggester(self.data.user.all_tags()),
        )
        self.app.push_screen(prompt, apply)

    # -- open, copy --------------------------------------------------------------------------

    def open(self, paper_id: str | None) -> None:
        paper = self.data.get(paper_id) if paper_id else None
        links = paper_links(paper) if paper else []
        if not links:
            self.app.notify("This paper has no link to open.", severity="warning")
            return
        url = links[0][1]
        self.app.open_url(url)
        self.app.notify(f"Opening {url}", markup=False)

    def copy(self, paper_id: str | None) -> None:
        from reader.core.library import annotate, render_export
        from reader.tui.screens.copy_menu import CopyMenu

        if paper_id is None:
            return

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
                self.app.notify("Nothing to copy.", severity="warning")
                return
            self.app.copy_to_clipboard(text)
            self.app.notify(f"Copied the {'BibTeX entry' if choice == 'bibtex' else choice}.")

        self.app.push_screen(CopyMenu(), copy)

    # -- saved searches ----------------------------------------------------------------------

    def save_search(self, query: str, sort: str, taken: set[str], shown: Sequence[str]) -> None:
        """Ask for a name and save the search; the papers `shown` now are not "new" in it."""
        from reader.tui.screens.prompt import PromptScreen

        def check(name: str) -> str | None:
            return f"“{name}” is taken; choose another name." if name in taken else None

        def save(name: str | None) -> None:
            def add(user: UserData) -> None:
                user.add_saved(name, query, sort)
                user.mark_opened(name, shown)  # what is on screen now is not "new"

            if name is not None:
                self.edit(add)

        prompt = PromptScreen(
            "Save this search as",
            placeholder="a name",
            hint=f"query: {query or '(everything)'} · sorted by {sort}",
            check=check,
        )
        self.app.push_screen(prompt, save)

    def delete_search(self, entry: SearchEntry) -> None:
        from reader.tui.screens.confirm import ConfirmScreen

        def delete(yes: bool | None) -> None:
            if yes:
                self.edit(lambda user: user.remove_saved(entry.name))

        question = f"Delete the saved search “{one_line(entry.name)}”? Its papers stay."
        self.app.push_screen(ConfirmScreen(question, yes="Delete", no="Keep"), delete)

    def mark_opened(self, name: str, shown: Sequence[str]) -> None:
        """A saved search was opened: the papers it lists now are no longer "new" in it."""
        self.edit(lambda user: user.mark_opened(name, shown))
