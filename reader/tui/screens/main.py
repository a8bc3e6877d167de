"""The main screen: saved searches | paper list | detail, with the search bar on top.

State lives in reactives here (query, sort, current paper); widgets post messages up and
get method calls down. Everything that can block (search, counts, the index, user edits)
runs in thread workers; the main thread only paints (and reads the start-up page before the
first frame, when that is a few indexed steps: see StartupActions).
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence
from time import perf_counter
from typing import ClassVar

from textual import events, on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.message import Message
from textual.reactive import reactive
from textual.screen import Screen
from textual.timer import Timer
from textual.widget import Widget
from textual.widgets import Header

from reader.core.library import Config, SearchResult, split_filters
from reader.core.model import SORTS
from reader.tui.data import LibraryAccess
from reader.tui.fetch_actions import FetchActions
from reader.tui.paper_actions import PaperActions
from reader.tui.search_actions import SearchActions
from reader.tui.similar_actions import SimilarActions
from reader.tui.startup_actions import StartupActions
from reader.tui.widgets.containers import Column, Row
from reader.tui.widgets.key_footer import KeyFooter
from reader.tui.widgets.paper_detail import DetailView, PaperDetail
from reader.tui.widgets.paper_list import PaperList
from reader.tui.widgets.saved_searches import BUILTINS, SavedSearches
from reader.tui.widgets.search_bar import SearchBar
from reader.tui.widgets.status_line import StatusLine

NARROW = 120  # below this many columns the detail goes under the list
DETAIL_DELAY_S = 0.05  # the detail catches up with the cursor after it rests this long


class EditLanded(Message):
    """An edit of the user's data was saved (or reported); `after` repaints what it changed."""

    def __init__(self, after: Callable[[], None]) -> None:
        super().__init__()
        self.after = after


class MainScreen(
    StartupActions,
    SimilarActions,
    FetchActions,
    PaperActions,
    SearchActions,
    Screen[None],
    inherit_bindings=False,
):
    BINDING_GROUP_TITLE = "Anywhere"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding(
            "slash", "focus_search", "Search", id="search", tooltip="Type a search", priority=True
        ),
        Binding("tab", "app.focus_next", "Next pane", show=False, id="focus.next"),
        Binding(
            "shift+tab", "app.focus_previous", "Previous pane", show=False, id="focus.previous"
        ),
        Binding("enter", "search_done", "Results", priority=True, id="search.submit"),
        Binding("escape", "search_done", "Back", priority=True, id="search.leave"),
        *SimilarActions.SIMILAR_BINDINGS,  # its Esc before "back": a similar list goes first
        Binding("escape", "back", "Back", show=False, id="back"),
        Binding(
            "ctrl+c,super+c", "screen.copy_text", "Copy selected text", show=False, id="copy_text"
        ),
        Binding(
            "ctrl+o",
            "cycle_sort",
            "Sort",
            id="sort",
            tooltip="Sort by relevance, date, title, upvotes",
        ),
        Binding("ctrl+y", "take_suggestion", "Use suggestion", id="suggestion"),
        *PaperActions.PAPER_BINDINGS,
        *FetchActions.FETCH_BINDINGS,
    ]

    # Screen state, not paint: a reactive that repaints would redraw the whole screen per move.
    query_text: reactive[str] = reactive("", init=False, repaint=False)
    sort: reactive[str] = reactive("relevance", init=False, repaint=False)
    paper_id: reactive[str | None] = reactive(None, init=False, repaint=False)
    suggestion: reactive[str | None] = reactive(None, init=False, repaint=False)

    def __init__(self, data: LibraryAccess, config: Config) -> None:
        super().__init__()
        self.data = data
        self.config = config
        self.set_reactive(MainScreen.sort, config.default_sort)
        self._generation = 0
        self._active_search: str | None = BUILTINS[0].name
        self._read_timer: Timer | None = None
        self._detail_timer: Timer | None = None
        self._keep: str | None = None  # a paper the next result should put the cursor on
        self._shown_query: str | None = None  # the query of the result on screen
        self._mark_opened: str | None = None  # a saved search whose next result was "seen"
        self.ready = threading.Event()  # set once start-up is over (the index open, or failed)

    def compose(self) -> ComposeResult:
        # Each pane has a container of its own (see widgets/containers.py): a cursor move in
        # the list then never re-renders the searches, the search bar or the detail.
        yield Header(icon="≡")
        with Row(id="body"):
            with Column(id="side"):
                yield SavedSearches(id="saved")
            with Column(id="content"):
                with Column(id="top"):
                    yield SearchBar(self.config.debounce_ms, id="search")
                with Row(id="panes"):
                    with Column(id="results"):
                        yield PaperList(self.data.papers, self.data.marks, id="papers")
                        yield StatusLine(id="status")
                    with Column(id="reading"):
                        yield PaperDetail(id="detail")
        yield KeyFooter(compact=True)

    @property
    def paper_list(self) -> PaperList:
        return self.query_one(PaperList)

    @property
    def detail(self) -> PaperDetail:
        return self.query_one(PaperDetail)

    @property
    def search_bar(self) -> SearchBar:
        return self.query_one(SearchBar)

    @property
    def saved(self) -> SavedSearches:
        return self.query_one(SavedSearches)

    @property
    def status(self) -> StatusLine:
        return self.query_one(StatusLine)

    # -- startup -----------------------------------------------------------------------------

    def on_mount(self) -> None:
        self.saved.border_title = "Searches"
        self.paper_list.border_title = "Papers"
        self.detail.border_title = "Paper"
        self.paper_list.focus()
        self.writer()
        self.start_up()

    def on_unmount(self) -> None:
        self.data.stop_writes()

    def on_resize(self, event: events.Resize) -> None:
        self.set_class(event.size.width < NARROW, "-narrow")

    @work(thread=True, group="writer", exit_on_error=False)
    def writer(self) -> None:
        """The one thread that saves the user's edits, in order (see LibraryAccess).

        It reports with messages (thread-safe, never waiting on the UI), so closing the app
        can wait for it to finish without a deadlock."""
        self.data.run_writes(
            report=lambda text: self.app.notify(text, severity="error", timeout=10, markup=False),
            done=lambda after: self.post_message(EditLanded(after)),
        )

    @on(EditLanded)
    def _edit_landed(self, message: EditLanded) -> None:
        message.after()

    # -- searching ---------------------------------------------------------------------------

    def search(self, query: str) -> None:
        """Search now (in a worker); any result still on its way is dropped."""
        self.run_search(query, self.sort, self._begin_search(query))

    def _begin_search(self, query: str) -> int:
        """Make query the current one; its number tells its results from stale ones."""
        self.end_similar()
        self.query_text = query
        self._generation += 1
        self.status.busy = True
        return self._generation

    @work(thread=True, exclusive=True, group="search", exit_on_error=False)
    def run_search(self, query: str, sort: str, generation: int) -> None:
        self._search_now(query, sort, generation)

    def _search_now(self, query: str, sort: str, generation: int) -> None:
        """Search and hand the result to the main thread (call from a worker thread)."""
        started = perf_counter()
        try:
            ids, result = self.data.locked(lambda library: library.search_ids(query, sort=sort))
            words = split_filters(query).query  # filters alone never need the index
            terms = (
                self.data.locked(lambda library: library.engine.terms(words))
                if ids and words
                else []
            )
        except Exception as error:  # a worker must report, never kill the app
            self.app.call_from_thread(self._search_failed, generation, error)
            return
        if generation != self._generation:
            return
        took = result.took_ms if result.took_ms else (perf_counter() - started) * 1000
        ids = self.data.for_painting(ids)
        self.app.call_from_thread(self._show_results, generation, ids, result, terms, took)

    def _show_results(
        self,
        generation: int,
        ids: Sequence[str],
        result: SearchResult,
        terms: list[str],
        took: float,
    ) -> None:
        if generation != self._generation:
            return  # a newer query was typed while this one ran
        # The same query (re-sorted, refreshed) keeps its paper; a typed one starts at the top.
        same = result.query == self._shown_query
        keep, self._keep = self._keep or (self.paper_id if same else None), None
        self._shown_query = result.query
        self.paper_list.show_results(ids, terms, keep=keep)
        self.paper_list.placeholder = (
            "No papers match." if self.query_text else "The library is empty."
        )
        # Relevance needs words to rank by; a filter-only query lists the newest additions first.
        shown_sort = "date added" if self.sort == "relevance" and not terms else self.sort
        self.status.total, self.status.took_ms, self.status.sort = len(ids), took, shown_sort
        self.status.busy = False
        self.suggestion = result.suggestion
        self.search_bar.show_hint(
            result.note, result.suggestion, len(ids), self._key_for("suggestion")
        )
        if not ids:
            self.paper_id = None
        if (name := self._mark_opened) is not None:
            self._mark_opened = None
            self.data.submit(lambda user: user.mark_opened(name, ids), after=self.refresh_counts)

    def _search_failed(self, generation: int, error: Exception) -> None:
        if generation == self._generation:
            self.status.busy = False
            self.notify(f"Search failed: {error}", severity="error", markup=False)

    @on(SearchBar.QueryChanged)
    def _query_typed(self, event: SearchBar.QueryChanged) -> None:
        self._active_search = None
        self.saved.mark_active(None)
        self.search(event.query)

    def action_search_done(self) -> None:
        """Enter or Esc in the search bar: search what is typed now, and go to the list."""
        self.search_bar.announce()
        self.focus_now(self.paper_list)

    def action_focus_search(self) -> None:
        self.focus_now(self.search_bar.input)

    def focus_now(self, widget: Widget) -> None:
        """Move focus before the next key is handled (Widget.focus() waits a turn, so keys
        typed fast after `/` or Enter would land in the pane being left)."""
        self.set_focus(widget)

    def action_back(self) -> None:
        focused = self.focused
        if focused is self.detail or (focused and self.detail in focused.ancestors):
            self.focus_now(self.paper_list)
        elif focused is self.paper_list:
            self.focus_now(self.saved)

    def action_cycle_sort(self) -> None:
        self.sort = SORTS[(SORTS.index(self.sort) + 1) % len(SORTS)]
        self.status.sort = self.sort
        self.search(self.query_text)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "take_suggestion":
            return bool(self.suggestion)  # False hides it: shown only when there is one
        if action == "search_done":  # False lets Enter and Esc reach the other panes
            return self.focused is self.search_bar.input
        return super().check_action(action, parameters)

    def watch_suggestion(self) -> None:
        self.refresh_bindings()

    def action_take_suggestion(self) -> None:
        if self.suggestion:
            self.search_bar.set_query(self.suggestion)
            self.search(self.suggestion)

    def _key_for(self, binding_id: str) -> str:
        """The key a binding has now (after the user's keymap), as the footer shows it."""
        for active in self.active_bindings.values():
            if active.binding.id == binding_id:
                return self.app.get_key_display(active.binding)
        return binding_id

    # -- the current paper -------------------------------------------------------------------

    @on(PaperList.Highlighted)
    def _highlighted(self, event: PaperList.Highlighted) -> None:
        self.paper_id = event.paper_id
        self.status.position = self.paper_list.cursor + 1 if event.paper_id else None

    @on(PaperList.Selected)
    def _selected(self) -> None:
        self.focus_now(self.detail)

    def watch_paper_id(self, old: str | None, new: str | None) -> None:
        """The detail follows the cursor once it rests: a held-down j repaints only the list
        (re-laying out the detail costs more than a frame), and the footer's keys change only
        when there stops or starts being a paper."""
        if self._detail_timer is not None:
            self._detail_timer.stop()
        self._detail_timer = self.set_timer(DETAIL_DELAY_S, self.show_detail)
        self._restart_read_timer()
        if (old is None) != (new is None):
            self.refresh_bindings()

    def show_detail(self) -> None:
        self._detail_timer = None
        paper = self.data.get(self.paper_id) if self.paper_id else None
        if paper is None:
            self.detail.show(None)
            return
        user = self.data.user
        self.detail.show(
            DetailView(
                paper=paper,
                terms=self.paper_list.terms,
                tags=user.tags(paper.id),
                note=user.note(paper.id),
                bookmarked=user.is_bookmarked(paper.id),
                read=user.is_read(paper.id),
                upvotes=self.data.upvote_trend(paper),
                like=self.likeness(paper.id),
            )
        )

    def _restart_read_timer(self) -> None:
        if self._read_timer is not None:
            self._read_timer.stop()
            self._read_timer = None
        paper_id = self.paper_id
        if paper_id and not self.data.user.is_read(paper_id):
            self._read_timer = self.set_timer(
                self.config.mark_read_delay_s, lambda: self._auto_read(paper_id)
            )

    def _auto_read(self, paper_id: str) -> None:
        if paper_id == self.paper_id and not self.data.user.is_read(paper_id):
            self.edit_user(lambda user: user.set_read(paper_id, True))

    def user_changed(self, counts: bool = True) -> None:
        """Repaint what shows user state after an edit landed (called on the main thread)."""
        self.data.marks.changed()
        self.paper_list.refresh_marks()
        self.show_detail()
        if counts:
            self.refresh_counts()
