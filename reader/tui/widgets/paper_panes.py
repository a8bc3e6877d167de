"""The papers: a list of them (a search's results, or the papers like one), its status line,
and the paper under its cursor in full beside it (or under it when the terminal is narrow).

The panes own what the list shows and which paper is current (paper_id, the one keys act
on: it follows the list's highlight before the next key is read). A search, or a look for the
papers like one, runs in a thread worker here; each gets a ticket, and a result whose ticket
is no longer the newest is dropped when it lands (a newer search was typed meanwhile). The
detail catches up with the cursor once it rests: a held-down j repaints only the list. A
paper the user chose (moved to it, Enter, the detail pane focused) and left in view for
mark_read_delay_s asks to become read (Rested, a message up: the screen saves it); a paper
that is only there (the first one at start-up, the top hit of a query being typed) never does.
On a short, narrow terminal the detail is shown in place of the list while it has the focus.
Screens call down: search, find_similar, show_similar, repaint, chosen, show_progress,
show_job, show_summary. A search of a feed (a built-in list or a saved search) leaves out the
muted papers and counts them for the status line; a typed search hides nothing. For you is
ranked by the recommender in the same worker group, with a reason for each paper (the detail
shows it); a paper the user says is not for them leaves it at once (drop).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from time import perf_counter
from typing import TYPE_CHECKING

from textual import on, work
from textual.app import ComposeResult
from textual.message import Message
from textual.reactive import reactive
from textual.timer import Timer
from textual.widget import Widget

from reader.core.library import Config, SimilarResult, split_filters
from reader.tui.data import LibraryAccess
from reader.tui.textspans import one_line
from reader.tui.widgets.containers import Column, Row
from reader.tui.widgets.found import FOR_YOU_ORDER, Found, SimilarList, for_you_found
from reader.tui.widgets.paper_detail import DailyState, DetailView, Likeness, PaperDetail
from reader.tui.widgets.paper_list import Highlight, PaperList
from reader.tui.widgets.status_line import StatusLine

if TYPE_CHECKING:
    from reader.tui.widgets.fetch_progress import FeedProgress
    from reader.tui.widgets.job_line import JobProgress

DETAIL_DELAY_S = 0.05  # the detail catches up with the cursor after it rests this long
SIMILAR_LIMIT = 30  # papers listed; they come from one pass over a dozen posting lists
FOR_YOU_LIMIT = 100  # a morning's triage; ranking more costs reasons nobody reads


class PaperPanes(Row):
    # The paper under the list's cursor, set as it moves. Screen state, not paint: a reactive
    # that repaints would redraw the panes per move.
    paper_id: reactive[str | None] = reactive(None, init=False, repaint=False)

    class Searched(Message):
        """A search's result is on screen (the bar shows its hint, the screen its state)."""

        def __init__(self, found: Found) -> None:
            super().__init__()
            self.found = found

    class SimilarFound(Message):
        """The papers like `paper_id` were found (nothing is shown yet: a screen shows them)."""

        def __init__(self, paper_id: str, similar: SimilarList) -> None:
            super().__init__()
            self.paper_id = paper_id
            self.similar = similar

    class Rested(Message):
        """An unread paper was shown long enough to count as read."""

        def __init__(self, paper_id: str) -> None:
            super().__init__()
            self.paper_id = paper_id

    def __init__(
        self,
        data: LibraryAccess,
        config: Config,
        daily: Callable[[str], DailyState] | None = None,
        *,
        id: str | None = None,
    ) -> None:
        super().__init__(id=id)
        self.data = data
        self.config = config
        self.daily = daily or (lambda _: DailyState())  # a paper's place in the daily loop
        self.ticket = 0  # the newest search's; a result with an older one is dropped
        self.shown_query: str | None = None  # the query of the result on screen
        self.likeness: Mapping[str, Likeness] = {}  # in a list of similar papers
        self.reasons: Mapping[str, str] = {}  # in For you
        self._keep: str | None = None  # a paper the next result should put the cursor on
        self._keep_row = 0  # ...and the row it goes to if that paper is not in it
        self._detail_timer: Timer | None = None
        self._read_timer: Timer | None = None
        # Made here, not found by a query at each cursor move.
        self.paper_list = PaperList(data.papers, data.marks, id="papers")
        self.status = StatusLine(id="status")
        self.detail = PaperDetail(id="detail")

    def compose(self) -> ComposeResult:
        # Each pane has a container of its own (see containers.py): a cursor move in the
        # list then never re-renders the detail beside it.
        with Column(id="results"):
            yield self.paper_list
            yield self.status
        with Column(id="reading"):
            yield self.detail

    # -- searching ---------------------------------------------------------------------------

    def begin(self, keep: str | None = None, row: int = 0) -> int:
        """A search is on its way: its ticket. `keep` is a paper its result should stay on
        (else the cursor goes to `row`)."""
        self.ticket += 1
        self._keep = keep or self._keep
        self._keep_row = row
        self.status.busy = True
        return self.ticket

    def search(
        self, query: str, sort: str, keep: str | None = None, *, feed: bool = False, row: int = 0
    ) -> None:
        """Search now, in a worker; any result still on its way is dropped when it lands.
        A feed leaves the muted papers out."""
        self.run_search(query, sort, self.begin(keep, row), feed)

    @work(thread=True, exclusive=True, group="search", exit_on_error=False)
    def run_search(self, query: str, sort: str, ticket: int, feed: bool) -> None:
        self.search_here(query, sort, ticket, feed=feed)

    def search_here(self, query: str, sort: str, ticket: int, *, feed: bool = False) -> None:
        """Search on this (worker) thread and hand the result to the main thread; not at all
        if a newer search began while this one waited for the library."""
        started = perf_counter()

        def wanted() -> bool:
            return ticket == self.ticket

        try:
            listed = self.data.search_ids(query, sort, feed=feed, wanted=wanted)
        except Exception as error:  # a worker must report, never kill the app
            self.app.call_from_thread(self.failed, ticket, f"Search failed: {error}")
            return
        if listed is None or ticket != self.ticket:
            return
        ids, result, hidden = listed
        took = result.took_ms if result.took_ms else (perf_counter() - started) * 1000
        found = Found(query, sort, self.data.for_painting(ids), result, result.terms, took, hidden)
        self.app.call_from_thread(self.search_landed, ticket, found)

    def search_landed(self, ticket: int, found: Found) -> None:
        """Show a search's result (on the main thread), unless a newer search began."""
        if ticket != self.ticket:
            return
        # The same query (re-sorted, refreshed) keeps its paper; a typed one starts at the top.
        same = found.result.query == self.shown_query
        keep, self._keep = self._keep or (self.paper_id if same else None), None
        self.shown_query = found.result.query
        self.likeness = {}
        if self.reasons or found.reasons:  # the paper may stay on while its reason changes
            self.reasons = found.reasons
            self.call_later(self.show_detail)
        self.paper_list.show_results(found.ids, found.terms, keep=keep, row=self._keep_row)
        self.paper_list.placeholder = "No papers match." if found.query else "The library is empty."
        # Relevance needs words to rank by; a filter-only query lists the newest additions first.
        relevance = found.sort == "relevance" and not found.terms
        status = self.status
        status.total, status.took_ms = len(found.ids), found.took_ms
        status.sort = "date added" if relevance else found.sort
        if relevance and split_filters(found.query).queued:
            status.sort = "queue order"
        if found.sort == FOR_YOU_ORDER:
            status.sort = "what you keep" if found.learned else "date (nothing to learn from yet)"
        status.hidden = found.hidden
        status.busy = False
        self.post_message(self.Searched(found))

    # -- For you ---------------------------------------------------------------------------

    def rank_for_you(self, keep: str | None = None, row: int = 0) -> None:
        """List For you (ranked in a worker: a million papers take a moment); any search
        still on its way is dropped when it lands, as a search would."""
        self.run_for_you(self.begin(keep, row))

    @work(thread=True, exclusive=True, group="search", exit_on_error=False)
    def run_for_you(self, ticket: int) -> None:
        try:
            ranked = self.data.searching(lambda library: library.for_you(FOR_YOU_LIMIT))
        except Exception as error:  # a worker must report, never kill the app
            self.app.call_from_thread(self.failed, ticket, f"For you failed: {error}")
            return
        if ticket == self.ticket:
            self.app.call_from_thread(self.search_landed, ticket, for_you_found(ranked))

    def drop(self, paper_id: str) -> None:
        """A paper leaves the list now (not for me); its neighbour takes its row."""
        left = self.paper_list.remove(paper_id)
        if left is not None:
            self.status.total = left

    def failed(self, ticket: int, message: str) -> None:
        if ticket == self.ticket:
            self.status.busy = False
            self.notify(message, severity="error", markup=False)

    # -- papers like one ---------------------------------------------------------------------

    def find_similar(self, paper_id: str) -> None:
        """Look for the papers like one, in a worker; a search begun meanwhile wins."""
        self.status.busy = True
        self.run_similar(paper_id, self.ticket)

    @work(thread=True, exclusive=True, group="search", exit_on_error=False)
    def run_similar(self, paper_id: str, ticket: int) -> None:
        try:
            result = self.data.searching(
                lambda library: library.similar(paper_id, limit=SIMILAR_LIMIT)
            )
        except Exception as error:  # a worker reports, never kills the app
            message = f"Could not find similar papers: {error}"
            self.app.call_from_thread(self.failed, ticket, message)
            return
        self.app.call_from_thread(self.similar_landed, ticket, paper_id, result)

    def similar_landed(self, ticket: int, paper_id: str, result: SimilarResult | None) -> None:
        if ticket != self.ticket:
            return  # a search was typed meanwhile: it wins
        self.status.busy = False
        if result is None:
            self.notify("That paper is no longer in the library.", severity="warning")
            return
        title = one_line(result.title)
        if not result.results:
            self.notify(
                f"No papers like “{title}”: it shares no distinctive words with any other paper.",
                severity="warning",
                markup=False,
            )
            return
        self.ticket += 1  # what was on its way (a search, S pressed twice) is older now
        shared = {hit.id: Likeness(title, tuple(hit.terms)) for hit in result.results}
        self.post_message(self.SimilarFound(paper_id, SimilarList(result, shared)))

    def show_similar(self, similar: SimilarList, context: str) -> None:
        """List the papers like one; `context` says whose they are in the status line."""
        result = similar.result
        self.likeness = similar.shared
        self.reasons = {}
        self.paper_list.show_results([hit.id for hit in result.results], result.stems, keep=None)
        self.status.context = context
        self.status.total, self.status.took_ms = len(result.results), result.took_ms
        self.status.hidden = 0

    # -- the current paper -------------------------------------------------------------------

    def follow_cursor(self, highlight: Highlight) -> None:
        """The cursor is on another paper (run as it moves, before the next key is read)."""
        moved = highlight.paper_id != self.paper_id
        self.paper_id = highlight.paper_id
        self.status.position = self.paper_list.cursor + 1 if highlight.paper_id else None
        if highlight.by_user:
            self.chosen()
        elif moved:  # a result came in: what is on top now was not chosen
            self.cancel_auto_read()

    @on(PaperList.Selected)
    def read_in_detail(self) -> None:
        # Not detail.focus(), which waits a turn: keys typed right after Enter go to the detail.
        self.screen.set_focus(self.detail)

    def on_mount(self) -> None:
        self.watch(self.paper_list, "highlight", self.follow_cursor, init=False)
        self.watch(self.screen, "focused", self._focus_moved, init=False)

    def _focus_moved(self, focused: Widget | None) -> None:
        """The detail (or something in it) has the focus: the paper is being read, and a
        short screen shows the detail alone (-reading)."""
        reading = focused is not None and self.detail in (focused, *focused.ancestors)
        if reading == self.has_class("-reading"):
            return
        if reading:
            self.chosen()
        self.set_class(reading, "-reading")
        self.screen.refresh_bindings()  # Esc is named in the footer while reading in place

    @property
    def reading_in_place(self) -> bool:
        """The detail is in the list's place: a short, narrow screen (reader.tcss) reading."""
        return self.has_class("-reading") and self.screen.has_class("-short", "-narrow")

    def on_resize(self) -> None:
        if self.has_class("-reading"):  # a breakpoint crossed may show or hide the list
            self.screen.refresh_bindings()

    def watch_paper_id(self, old: str | None, new: str | None) -> None:
        """The detail follows the cursor once it rests: re-laying out the detail costs more
        than a frame. The keys for a paper change only when there stops or starts being one."""
        if self._detail_timer is not None:
            self._detail_timer.stop()
        self._detail_timer = self.set_timer(DETAIL_DELAY_S, self.show_detail)
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
                like=self.likeness.get(paper.id),
                reason=self.reasons.get(paper.id),
                dismissed=user.is_dismissed(paper.id),
                daily=self.daily(paper.id),
            )
        )

    def paper_changed(self, paper_id: str) -> None:
        """Something about a paper changed (its PDF is here): repainted if it is on show."""
        if paper_id == self.paper_id:
            self.show_detail()

    def show_summary(self, paper_id: str) -> None:
        """A summary of `paper_id` came in (or ended): shown if that paper is on show."""
        if paper_id == self.paper_id and self.detail.view is not None:
            state = self.daily(paper_id)
            self.detail.show_summary(state.summary, writing=state.writing)

    def cancel_auto_read(self) -> None:
        """The user decides the read state now: the timer must not undo it."""
        if self._read_timer is not None:
            self._read_timer.stop()
            self._read_timer = None

    def chosen(self) -> None:
        """The user chose the paper under the cursor: it becomes read once it has rested in
        view for mark_read_delay_s (each move starts the wait again: scrolling past is not
        reading)."""
        self.cancel_auto_read()
        paper_id = self.paper_id
        if paper_id and not self.data.user.is_read(paper_id):
            self._read_timer = self.set_timer(
                self.config.mark_read_delay_s, lambda: self._rested(paper_id)
            )

    def _rested(self, paper_id: str) -> None:
        if paper_id == self.paper_id and not self.data.user.is_read(paper_id):
            self.post_message(self.Rested(paper_id))

    def repaint(self) -> None:
        """Show the user's state again (after an edit landed): the markers and the detail."""
        self.data.marks.changed()
        self.paper_list.refresh_marks()
        self.show_detail()

    # -- the feeds' refresh ------------------------------------------------------------------

    def show_progress(self, progress: FeedProgress | None) -> None:
        """A bar under the list while the feeds refresh (None: the refresh is over)."""
        from reader.tui.widgets.fetch_progress import FetchProgress

        bars = self.query(FetchProgress)
        if progress is None:
            bars.remove()
        elif bars:
            bars.first().show(progress)
        else:
            self.query_one("#results").mount(FetchProgress(progress))

    # -- a job on a paper --------------------------------------------------------------------

    def show_job(self, kind: str, progress: JobProgress | None, stop_key: str) -> None:
        """A bar under the list while a job of this kind runs (None: it is over)."""
        from reader.tui.widgets.job_line import JobLine

        lines = self.query(f"#job-{kind}")
        if progress is None:
            lines.remove()
        elif lines:
            lines.first(JobLine).show(progress)
        else:
            self.query_one("#results").mount(JobLine(progress, stop_key, id=f"job-{kind}"))
