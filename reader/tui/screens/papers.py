"""What the two screens of papers share: the main one (searches) and the similar papers.

They look alike: both are PapersScreens, which compose the same panes and answer the keys
both have the same way (the keys on a paper, moving between panes). Their keys are
paper_keys.py's lists (MAIN_KEYS, SIMILAR_KEYS).
What they work with is one Session, made by the app: the library, the settings, the
commands on papers (whose `changed` repaints them), the feeds' refresh (whose progress is a
bar under their list), the daily loop's commands (follow, mute, the queue; the PDF and
summary jobs, a bar each while they run, stopped by Esc) and the watch on the user's files
(whose `changed`, another program's edit, repaints them too).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import partial
from typing import ClassVar, TypeVar

from textual import on
from textual.app import ComposeResult
from textual.screen import Screen
from textual.timer import Timer, TimerCallback
from textual.widgets import Header, Input

from reader.core.library import Config
from reader.tui import frame_clock
from reader.tui.data import LibraryAccess
from reader.tui.feeds import FeedRefresh
from reader.tui.file_watch import Changed, FileWatch
from reader.tui.screens.daily_commands import DailyCommands, Relisted
from reader.tui.screens.not_for_me import NotForMe
from reader.tui.screens.paper_commands import PaperCommands
from reader.tui.screens.paper_keys import help_group, key_state
from reader.tui.widgets.containers import Column, Row
from reader.tui.widgets.job_line import JobProgress
from reader.tui.widgets.key_footer import KeyFooter
from reader.tui.widgets.paper_detail import PaperDetail
from reader.tui.widgets.paper_list import PaperList
from reader.tui.widgets.paper_panes import PaperPanes
from reader.tui.widgets.saved_searches import (
    Counts,
    SavedSearches,
    SearchEntry,
    count_search,
    saved_entries,
)
from reader.tui.widgets.search_bar import SearchBar
from reader.tui.widgets.status_line import StatusLine

ResultType = TypeVar("ResultType")


@dataclass(frozen=True, slots=True)
class Session:
    """What every screen of papers works with (one of each for the app)."""

    data: LibraryAccess
    config: Config
    commands: PaperCommands
    feeds: FeedRefresh
    daily: DailyCommands
    watch: FileWatch
    not_for_me: NotForMe

    def count(self, entry: SearchEntry) -> Counts:
        """A search's counts (from a worker thread: it takes the library lock once)."""
        return self.data.locked(lambda library: count_search(library, entry))


class PapersScreen(Screen[ResultType], inherit_bindings=False):
    """Saved searches | the search bar over the papers (list, status, detail); the footer.

    What happens to a paper is the Session's PaperCommands: the keys call down with the
    paper under the cursor, and when an edit has landed this screen repaints (or, while
    another screen of papers hides it, once it is back on top)."""

    BINDING_GROUP_TITLE = "Main screen"  # where its keys work, in the help and the notices
    # Classes on the screen for the CSS: below 120 columns the detail goes under the list, and
    # below 30 rows as well the list takes the height (the detail shows while it has the focus).
    HORIZONTAL_BREAKPOINTS: ClassVar[list[tuple[int, str]]] = [(0, "-narrow"), (120, "-wide")]
    VERTICAL_BREAKPOINTS: ClassVar[list[tuple[int, str]]] = [(0, "-short"), (30, "-tall")]
    AUTO_FOCUS = "#papers"

    def __init__(self, session: Session) -> None:
        super().__init__()
        self.session = session
        self.data = session.data
        self.config = session.config
        self.commands = session.commands
        self.daily = session.daily
        self.panes = PaperPanes(self.data, self.config, self.daily.state, id="panes")
        self.stale = False  # the user's data changed while another screen hid this one
        self.frame_clock: frame_clock.FrameClock | None = None  # made at the first change

    def set_interval(
        self,
        interval: float,
        callback: TimerCallback | None = None,
        *,
        name: str | None = None,
        repeat: int = 0,
        pause: bool = False,
    ) -> Timer:
        """Textual's timers, but the screen's frames come from frame_clock: a search's
        results are drawn as they land, not on Textual's grid after the key's echo."""
        if name == frame_clock.SCREEN_UPDATE and not repeat:
            self.frame_clock = frame_clock.start(self, interval, callback, pause)
            return self.frame_clock
        return super().set_interval(interval, callback, name=name, repeat=repeat, pause=pause)

    def on_unmount(self) -> None:
        if self.frame_clock is not None:  # Textual stops only the timers it made
            self.frame_clock.stop()

    def compose(self) -> ComposeResult:
        # Each pane has a container of its own (see widgets/containers.py): a cursor move in
        # the list then never re-renders the searches or the search bar.
        yield Header(icon="≡")
        with Row(id="body"):
            with Column(id="side"):
                yield SavedSearches(self.session.count, id="saved")
            with Column(id="content"):
                with Column(id="top"):
                    yield SearchBar(self.config.debounce_ms, id="search")
                yield self.panes
        yield KeyFooter(compact=True)

    @property
    def paper_list(self) -> PaperList:
        return self.query_one(PaperList)

    @property
    def detail(self) -> PaperDetail:
        return self.query_one(PaperDetail)

    @property
    def status(self) -> StatusLine:
        return self.query_one(StatusLine)

    @property
    def search_bar(self) -> SearchBar:
        return self.query_one(SearchBar)

    @property
    def saved(self) -> SavedSearches:
        return self.query_one(SavedSearches)

    @property
    def paper_id(self) -> str | None:
        """The paper every key on a paper acts on: the one under the list's cursor as the key
        is read (keys typed fast after a move act on the paper moved to). It is the paper
        the detail shows, once it catches up; while the detail has the focus the cursor stays
        put, so it is the paper being read."""
        return self.panes.paper_id

    def on_mount(self) -> None:
        self.panes.show_progress(self.session.feeds.progress)
        self.commands.changed.subscribe(self, self.user_changed)
        self.session.feeds.progressed.subscribe(self, self.panes.show_progress)
        self.session.watch.changed.subscribe(self, self.library_changed)
        for kind, job in (("pdf", self.daily.pdfs), ("summary", self.daily.summaries)):
            self.show_job(kind, job.progress)
            job.progressed.subscribe(self, partial(self.show_job, kind))
        self.daily.summaries.changed.subscribe(self, self.panes.show_summary)
        self.daily.pdfs.landed.subscribe(self, self.panes.paper_changed)
        self.daily.relisted.subscribe(self, self.relisted)
        self.status.muted_key = self.key_for("muted.show", "ctrl+u")

    @classmethod
    def help_group(cls, action: str) -> str | None:
        """The help's group for a key of these screens that works somewhere narrower."""
        return help_group(action)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        typing = isinstance(self.focused, Input)  # the search bar's, the one input here
        if action == "search_done":  # False lets Enter and Esc reach the other panes
            return typing
        if action == "stop_job":  # False lets Esc go back, as always, when nothing runs
            return self.daily.busy
        if action == "leave_detail":  # False hides it: Esc is then "back", as in any pane
            return self.panes.reading_in_place
        if action == "queue_move":  # J and K are for the Queue, in its order
            if typing or not self.in_queue:
                return False
            return True if self.paper_id is not None else None
        if action == "show_muted":
            return self.muted_to_show
        if action == "take_back":  # X: a dismissal made here to take back
            return False if typing else (True if self.session.not_for_me.undoable else None)
        return key_state(action, typing=typing, paper=self.paper_id is not None)

    @property
    def in_queue(self) -> bool:
        """The list is the reading queue in its order (J and K move papers in it)."""
        return False

    @property
    def muted_to_show(self) -> bool:
        """The list is a feed that hides muted papers, or shows them on request."""
        return False

    def key_for(self, binding_id: str, default: str | None = None) -> str:
        """The key a binding has now (after the user's keymap), as the footer shows it."""
        for active in self.active_bindings.values():
            if active.binding.id == binding_id:
                return self.app.get_key_display(active.binding)
        return default or binding_id

    @property
    def covered(self) -> bool:
        """Whether another screen of papers hides this one (a modal leaves it in view)."""
        stack = self.app.screen_stack
        above = stack[stack.index(self) + 1 :] if self in stack else []
        return any(not screen.is_modal for screen in above)

    # -- moving about ------------------------------------------------------------------------

    def action_focus_search(self) -> None:
        # set_focus, not focus(), which waits a turn: keys typed fast after `/` or Enter
        # would land in the pane being left.
        self.panes.cancel_auto_read()  # typing is not reading the paper left in view
        self.set_focus(self.search_bar.input)

    def action_search_done(self) -> None:
        """Enter or Esc in the search bar: announce what is typed now, and go to the list."""
        self.search_bar.announce()
        self.set_focus(self.paper_list)

    def action_leave_detail(self) -> None:
        self.set_focus(self.paper_list)

    def action_back(self) -> None:
        focused = self.focused
        if focused is self.detail or (focused and self.detail in focused.ancestors):
            self.set_focus(self.paper_list)

    # -- the paper's keys --------------------------------------------------------------------

    def action_bookmark(self) -> None:
        self.commands.bookmark(self.paper_id)

    def action_toggle_read(self) -> None:
        self.panes.cancel_auto_read()
        if self.paper_id is not None and self.paper_id in self.data.user.queue:
            self.daily.finish(self.paper_id)  # read: off the queue
        else:
            self.commands.toggle_read(self.paper_id)

    def action_note(self) -> None:
        self.commands.note(self.paper_id)

    def action_note_in_editor(self) -> None:
        self.commands.note_in_editor(self.paper_id)

    def action_tags(self) -> None:
        self.commands.tags(self.paper_id)

    def action_open_paper(self) -> None:
        self.commands.open(self.paper_id)

    def action_copy(self) -> None:
        self.commands.copy(self.paper_id)

    def action_refresh_feeds(self) -> None:
        self.session.feeds.start()

    @on(PaperPanes.Rested)
    def rested(self, event: PaperPanes.Rested) -> None:
        self.commands.set_read(event.paper_id, True)

    # -- the daily loop's keys (screens/daily_commands.py) ---------------------------------

    def action_follow(self) -> None:
        self.daily.follow(self.paper_id)

    def action_mute(self) -> None:
        self.daily.mute(self.paper_id)

    def action_queue(self) -> None:
        self.daily.toggle_queue(self.paper_id)

    def action_queue_move(self, steps: int) -> None:
        self.daily.move(self.paper_id, steps)

    def action_pdf(self) -> None:
        self.daily.pdf(self.paper_id)

    def action_summarize(self) -> None:
        self.daily.summarize(self.paper_id)

    def action_not_for_me(self) -> None:
        paper_id = self.paper_id
        if paper_id is not None:
            undo = self.key_for("not_for_me.undo", "X")
            if self.session.not_for_me.toggle(paper_id, undo):
                self.not_for_me(paper_id)

    def not_for_me(self, paper_id: str) -> None:
        """A paper was just dismissed: a list it has no place in any more drops it."""

    def action_take_back(self) -> None:
        self.session.not_for_me.take_back()

    def action_stop_job(self) -> None:
        self.daily.cancel()

    @on(PaperDetail.ReachedEnd)
    def read_to_the_end(self, event: PaperDetail.ReachedEnd) -> None:
        if event.paper_id in self.data.user.queue:
            self.panes.cancel_auto_read()
            self.daily.finish(event.paper_id)

    def show_job(self, kind: str, progress: JobProgress | None) -> None:
        self.panes.show_job(kind, progress, self.key_for("job.stop", "esc"))
        self.refresh_bindings()  # Esc stops a job while one runs

    def relisted(self, change: Relisted) -> None:
        """The queue, follows or mutes changed: a list that depends on them is searched again
        (the main screen's); the similar papers stay as they are."""

    @on(SavedSearches.DeleteRequested)
    def delete_requested(self, event: SavedSearches.DeleteRequested) -> None:
        self.commands.delete_search(event.entry)

    def action_explain_delete(self) -> None:
        """The delete key where it deletes nothing (a built-in search, another pane)."""
        key = self.key_for("saved.delete")
        entry = self.saved.current
        if self.focused is self.saved and entry is not None and entry.builtin:
            why = f"“{entry.name}” is built in: only the searches you saved can be deleted."
        else:
            why = (
                f"{key} deletes a saved search: choose one of yours in the Searches pane "
                "first (Esc from the list goes there)."
            )
        self.notify(why, markup=False)

    # -- after an edit -----------------------------------------------------------------------

    def user_changed(self, _: None = None) -> None:
        if self.covered:
            self.stale = True  # shown again when this screen is back on top
        else:
            self.show_user_state()

    def library_changed(self, changed: Changed | None = None) -> None:
        """Another program changed the user's files or the store, or an import ran: show it
        as an edit here."""
        self.user_changed()

    def show_user_state(self) -> None:
        self.stale = False
        self.panes.repaint()
        self.saved.set_saved(saved_entries(self.data.user))
        self.saved.recount()

    def on_screen_resume(self) -> None:
        if self.stale:
            self.show_user_state()
