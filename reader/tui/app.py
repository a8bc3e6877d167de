"""`reader` with no arguments: the Textual app. Thin: settings, themes, keys, then MainScreen.

The app makes what every screen shares (a Session: the library, the commands on papers, the
feeds' refresh, the daily loop's commands and jobs) and runs the one thread that saves the
user's edits, in order; a saved edit comes back as EditLanded. It saves and closes on a closed
terminal or a kill (HangUp), and starts today's backup once start-up is over. What only a key
or the backup worker needs (the help, the note editor, the backup code with its archive
modules) is imported there, not before the first paint.
"""

from __future__ import annotations

import subprocess
import sys
import threading
from collections.abc import Callable
from typing import ClassVar

from textual import on, work
from textual.app import App
from textual.binding import Binding, BindingType
from textual.message import Message
from textual.worker import get_current_worker

from reader.core.library import Config, DataPaths, load_config, save_theme_choice
from reader.tui.data import LibraryAccess
from reader.tui.feeds import FeedRefresh
from reader.tui.file_watch import FileWatch
from reader.tui.hangup import HangUp, report_unsaved
from reader.tui.keymap import apply_keymap
from reader.tui.palette import ReaderCommands
from reader.tui.screens.daily_commands import DailyCommands
from reader.tui.screens.main import MainScreen
from reader.tui.screens.not_for_me import NotForMe
from reader.tui.screens.paper_commands import PaperCommands
from reader.tui.screens.papers import Session
from reader.tui.theming import apply_theme, reader_variables, register_themes


class EditLanded(Message):
    """An edit of the user's data was saved (or reported); `after` repaints what it changed."""

    def __init__(self, after: Callable[[], None]) -> None:
        super().__init__()
        self.after = after


class ReaderApp(App[None], inherit_bindings=False):
    BINDING_GROUP_TITLE = "Anywhere"
    CSS_PATH = ["reader.tcss", "daily.tcss"]  # noqa: RUF012 - Textual's own class attribute
    TITLE = "reader"
    SUB_TITLE = "papers"
    COMMANDS = App.COMMANDS | {ReaderCommands}
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("q", "quit", "Quit", id="quit"),
        Binding("ctrl+q", "quit", "Quit", show=False, priority=True, id="quit.now"),
        Binding("question_mark", "help", "Help", id="help"),
        Binding(
            "ctrl+p", "command_palette", "Commands", show=False, priority=True, id="command_palette"
        ),
        Binding("ctrl+c", "help_quit", "How to quit", show=False, system=True, id="help_quit"),
    ]

    def __init__(self, paths: DataPaths, config: Config | None = None) -> None:
        super().__init__()
        self.paths = paths
        notices: list[str] = []
        if config is None:
            config, notices = load_config(paths.config_file)
        self.config = config
        self._notices = notices
        self.data: LibraryAccess | None = None
        self.session: Session | None = None
        self.hang_up: HangUp | None = None
        self.kept_drafts: list[str] = []  # titles of the notes whose text quitting kept
        self.keymap: dict[str, str] = {}  # the user's keymap as applied (the help shows it)
        self._theme_ready = False

    def on_mount(self) -> None:
        _names, notices = register_themes(self, self.paths.themes_dir)
        notices += apply_theme(self, self.config.theme)
        self.keymap, more = apply_keymap(self, self.config.keymap)
        notices += more
        self._theme_ready = True
        self.data = data = LibraryAccess(self.paths)
        notices += [str(error) for error in data.user.load_errors]
        commands = PaperCommands(self, data)
        feeds = FeedRefresh(self, data)
        daily = DailyCommands(self, data, commands, feeds)
        watch = FileWatch(self, data)
        not_for_me = NotForMe(self, commands)
        self.session = Session(data, self.config, commands, feeds, daily, watch, not_for_me)
        self.writer(data)
        main = MainScreen(self.session)
        self.push_screen(main)
        daily.rewatch(ready=main.ready)  # the followed papers' ◆, once the index is open
        watch.start(main.ready)
        for notice in [*self._notices, *notices]:
            self.notify(notice, severity="warning", timeout=15, markup=False)
        self.daily_backup(main.ready)
        self.hang_up = HangUp(data, self.save_drafts, self.exit, commands.stop_editor)
        self.hang_up.install()

    @work(thread=True, group="writer", exit_on_error=False)
    def writer(self, data: LibraryAccess) -> None:
        """The one thread that saves the user's edits, in order (see LibraryAccess).

        It reports with messages (thread-safe, never waiting on the UI), so closing the app
        can wait for it to finish without a deadlock."""
        data.run_writes(
            report=lambda text: self.notify(text, severity="error", timeout=10, markup=False),
            done=lambda after: self.post_message(EditLanded(after)),
        )

    @on(EditLanded)
    def edit_landed(self, message: EditLanded) -> None:
        message.after()

    def save_drafts(self) -> None:
        """Nobody is left to ask (the terminal went away): a note's unsaved text is saved."""
        from reader.tui.screens.note_editor import NoteEditorScreen

        for screen in self.screen_stack:
            if isinstance(screen, NoteEditorScreen) and screen.dirty:
                screen.save_unasked()

    @work(thread=True, group="backup", exit_on_error=False)
    def daily_backup(self, started: threading.Event) -> None:
        """Today's backup, if it is due, once start-up is over (it must not slow the first
        paint or the index): in a process of its own, which closing the app leaves to
        finish. A failure is a warning naming the file; nothing else comes of it. The
        backup's modules load after the wait: loaded sooner, they took the interpreter from
        the first paint."""
        worker = get_current_worker()
        while not started.wait(0.1):
            if worker.is_cancelled:
                return
        from reader.core.library import daily_backup_due, start_daily_backup

        if not daily_backup_due(self.paths):
            return
        try:
            process = start_daily_backup(self.paths, report=True)
        except OSError as error:
            self._backup_failed(f"could not start it: {error}")
            return
        while True:
            try:
                _, err = process.communicate(timeout=0.25)
                break
            except subprocess.TimeoutExpired:
                if worker.is_cancelled:
                    return  # closing: the backup goes on by itself
        if process.returncode != 0:
            lines = err.strip().splitlines() or [f"it exited with {process.returncode}"]
            self._backup_failed(lines[-1].removeprefix("reader: no daily backup written: "))

    def _backup_failed(self, why: str) -> None:
        self.call_from_thread(
            self.notify,
            f"Today's backup failed: {why}",
            severity="warning",
            timeout=15,
            markup=False,
        )

    def get_theme_variable_defaults(self) -> dict[str, str]:
        """reader's own theme variables ($reader-followed), for themes that do not set them."""
        return reader_variables(self.current_theme)

    def watch_theme(self, theme: str) -> None:
        """A theme picked in the app is remembered in config.yaml (one line, nothing else)."""
        if not self._theme_ready or theme == self.config.theme:
            return
        self.config.theme = theme
        if problem := save_theme_choice(self.paths.config_file, theme):
            self.notify(problem, severity="warning", markup=False)

    def action_quit(self) -> None:
        """Quit at once, from any screen, asking nothing: a note's unsaved text is kept as a
        draft its editor offers next time. Only a draft that cannot be written stops it."""
        from reader.tui.screens.note_editor import NoteEditorScreen

        for screen in self.screen_stack:
            if isinstance(screen, NoteEditorScreen) and screen.dirty:
                if problem := screen.keep_draft():
                    message = (
                        f"Not quitting: the note's unsaved text could not be kept ({problem}). "
                        "Save it with ctrl+s first."
                    )
                    self.notify(message, severity="error", timeout=15, markup=False)
                    return
                self.kept_drafts.append(screen.paper_title)
        self.exit()

    def action_help(self) -> None:
        """Every key: the screen's and its panes', and those of the screens opened on top."""
        from reader.tui.screens.confirm import ConfirmScreen
        from reader.tui.screens.copy_menu import CopyMenu
        from reader.tui.screens.help import HelpScreen
        from reader.tui.screens.note_editor import NoteEditorScreen
        from reader.tui.screens.prompt import PromptScreen
        from reader.tui.screens.similar import SimilarScreen
        from reader.tui.screens.watch_chooser import WatchChooser

        if not isinstance(self.screen, HelpScreen):
            more = [
                SimilarScreen,
                NoteEditorScreen,
                WatchChooser,
                PromptScreen,
                ConfirmScreen,
                CopyMenu,
            ]
            self.push_screen(HelpScreen(more, self.keymap))

    def on_unmount(self) -> None:
        if self.session is not None:
            self.session.feeds.stop()
            self.session.daily.stop()
            self.session.watch.stop()
        if self.data is not None:
            self.data.close()
        if self.hang_up is not None:
            self.hang_up.uninstall()


def run_app(paths: DataPaths) -> int:
    app = ReaderApp(paths)
    app.run()
    for title in app.kept_drafts:
        print(
            f"reader: your unsaved note on “{title}” is kept; its editor offers it next time",
            file=sys.stderr,
        )
    if app.data is not None and app.data.unsaved:
        report_unsaved(app.data)
        return 1
    return 0
