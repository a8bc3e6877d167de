"""The main screen: saved searches | the papers (list, status, detail), the search bar on top.

It holds what is searched (the query, the sort, which saved search is open); the widgets do
the work and post messages up, and the screen calls down:
- SearchBar.QueryChanged, SavedSearches.Opened: PaperPanes.search (a worker there); then
  PaperPanes.Searched: the bar's hint, the suggestion, a saved search's papers seen.
- S: PaperPanes.find_similar; then PaperPanes.SimilarFound: a SimilarScreen over this one,
  dismissed with where to go next (None: back here, where S was pressed).
- R: the Session's FeedRefresh; its end counts the searches again and searches again.
- A built-in or saved search is a feed: its muted papers are left out (the status line
  counts them) until ctrl+u shows them; a typed query hides nothing. A change to the queue,
  the follows or the mutes searches a list that depends on them again (Relisted).
- For you is ranked, not searched (PaperPanes.rank_for_you): whatever searches the list
  again (R, a relisting) ranks it again; `x` takes a paper out of it at once, and a paper
  taken back (NotForMe.back) is ranked in again.
The keys on a paper and the repaint after an edit are PapersScreen's (papers.py); start-up
(the first page before the first frame, the rest in a worker) is Startup's.
"""

from __future__ import annotations

import threading
from functools import partial
from typing import ClassVar

from textual import on
from textual.binding import BindingType
from textual.reactive import reactive

from reader.core.library import split_filters
from reader.core.model import SORTS
from reader.tui.feeds import Refreshed
from reader.tui.file_watch import Changed
from reader.tui.screens.daily_commands import Relisted
from reader.tui.screens.paper_keys import MAIN_KEYS
from reader.tui.screens.papers import PapersScreen, Session
from reader.tui.screens.similar import (
    Leave,
    OpenSearch,
    Origin,
    SearchFor,
    ShowPaper,
    SimilarScreen,
)
from reader.tui.startup import Startup
from reader.tui.store_check import show_store_check
from reader.tui.widgets.found import FOR_YOU_ORDER
from reader.tui.widgets.paper_panes import PaperPanes
from reader.tui.widgets.saved_searches import (
    ALL_PAPERS,
    BUILTINS,
    FOR_YOU,
    Counts,
    SavedSearches,
    SearchEntry,
)
from reader.tui.widgets.search_bar import SearchBar


class MainScreen(PapersScreen[None]):
    BINDINGS: ClassVar[list[BindingType]] = MAIN_KEYS

    # Screen state, not paint: a reactive that repaints would redraw the whole screen.
    query_text: reactive[str] = reactive("", init=False, repaint=False)
    sort: reactive[str] = reactive("relevance", init=False, repaint=False)
    suggestion: reactive[str | None] = reactive(None, init=False, repaint=False)

    def __init__(self, session: Session) -> None:
        super().__init__(session)
        self.set_reactive(MainScreen.sort, session.config.default_sort)
        self.active_search: str | None = ALL_PAPERS.name
        self.opening: str | None = None  # a saved search whose next result is "seen"
        self.showing_muted = False  # ctrl+u: the feed on show shows its muted papers
        self.relist: Relisted | None = None  # a change to show once this screen is back on top
        self.ready = threading.Event()  # set once start-up is over (the index open, or failed)

    def on_mount(self) -> None:
        startup = Startup(self.app, self.data, self.panes, self.saved, self.ready)
        ticket = startup.first_page(self.query_text, self.sort)
        rest = partial(startup.rest, self.query_text, self.sort, ticket)
        self.run_worker(rest, name="start-up", group="startup", thread=True, exit_on_error=False)
        check = partial(show_store_check, self.app, self.data, self.status, self.search_again)
        self.run_worker(check, name="store-check", thread=True, exit_on_error=False)
        self.session.feeds.finished.subscribe(self, self.feeds_refreshed)
        self.session.not_for_me.back.subscribe(self, self.taken_back)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "take_suggestion":
            return bool(self.suggestion)  # False hides it: shown only when there is one
        if action in ("cycle_sort", "save_search") and self.for_you:
            return None  # For you has its own order, and no query to save
        return super().check_action(action, parameters)

    # -- searching ---------------------------------------------------------------------------

    def search(self, query: str, keep: str | None = None, row: int = 0) -> None:
        """Search now (in a worker); `keep` is a paper the result should stay on (else the
        cursor goes to `row`)."""
        self.query_text = query
        if self.for_you:
            self.panes.rank_for_you(keep, row)
            return
        feed = self.active_search is not None and not self.showing_muted
        self.status.muted_shown = self.active_search is not None and self.showing_muted
        self.panes.search(query, self.sort, keep, feed=feed, row=row)

    @on(PaperPanes.Searched)
    def searched(self, event: PaperPanes.Searched) -> None:
        result, ids = event.found.result, event.found.ids
        self.suggestion = result.suggestion
        take = self.key_for("suggestion")
        self.search_bar.searched_in(event.found.took_ms)
        if event.found.sort == FOR_YOU_ORDER:
            self.saved.set_counts({FOR_YOU.name: Counts(len(ids))})
            self.search_bar.show_for_you(result.note, event.found.learned, self.key_for)
        else:
            self.search_bar.show_hint(result.note, result.suggestion, len(ids), take)
        self.refresh_bindings()  # the key that shows muted papers, J and K in the Queue
        if (name := self.opening) is not None:
            self.opening = None
            self.commands.mark_opened(name, ids)

    @on(SearchBar.QueryChanged)
    def query_typed(self, event: SearchBar.QueryChanged) -> None:
        self.active_search = None
        self.showing_muted = False
        self.saved.mark_active(None)
        self.search(event.query)

    @on(SavedSearches.Opened)
    def search_opened(self, event: SavedSearches.Opened) -> None:
        self.open_search(event.entry)

    def open_search(self, entry: SearchEntry, keep: str | None = None) -> None:
        """Show a built-in or saved search: its query goes in the bar, its results in the list."""
        self.active_search = entry.name
        self.showing_muted = False
        self.saved.mark_active(entry.name)
        self.search_bar.set_query(entry.query)
        saved = {s.name: s for s in self.data.user.saved_searches()}
        if not entry.builtin and entry.name in saved and saved[entry.name].sort in SORTS:
            self.sort = saved[entry.name].sort
        elif entry.sort in SORTS:  # the Queue: in its own order
            self.sort = entry.sort
        self.search(entry.query, keep=keep or self.paper_id)  # another view: stay on the paper
        self.set_focus(self.paper_list)
        self.opening = None if entry.builtin else entry.name

    def show_paper(self, paper_id: str) -> None:
        """Put the cursor on a paper (from the palette): in the list, else in All papers."""
        row = self.paper_list.rows.index_of(paper_id)
        if row is None:
            self.open_search(ALL_PAPERS, keep=paper_id)
            return
        self.paper_list.move(row)  # chosen: it is read once it rests there
        self.set_focus(self.paper_list)

    def action_cycle_sort(self) -> None:
        self.sort = SORTS[(SORTS.index(self.sort) + 1) % len(SORTS)]
        self.status.sort = self.sort
        self.search(self.query_text)

    def watch_suggestion(self) -> None:
        self.refresh_bindings()

    def action_take_suggestion(self) -> None:
        if self.suggestion:
            self.search_bar.set_query(self.suggestion)
            self.search(self.suggestion)

    def action_save_search(self) -> None:
        taken = {entry.name for entry in self.saved.entries}
        self.commands.save_search(self.query_text, self.sort, taken, self.paper_list.rows.ids)

    # -- the daily loop: the Queue's order, muted papers -------------------------------------

    @property
    def in_queue(self) -> bool:
        filters = split_filters(self.query_text)
        return filters.queued and not filters.query and self.sort == "relevance"

    @property
    def muted_to_show(self) -> bool:
        return self.active_search is not None and (self.showing_muted or self.status.hidden > 0)

    def action_show_muted(self) -> None:
        """ctrl+u: the feed with its muted papers (⊘), or without them again."""
        self.showing_muted = not self.showing_muted
        self.search(self.query_text, keep=self.paper_id)

    def relisted(self, change: Relisted) -> None:
        filters = split_filters(self.query_text)
        watched = self.active_search is not None or filters.followed or filters.muted
        if (change.queue and filters.queued) or (change.watch and watched):
            self.search_again(change)

    def search_again(self, change: Relisted | None = None) -> None:
        """The list again, on the change's paper (else the current one); under the similar
        papers, once this screen is back on top."""
        change = change or Relisted(self.paper_id)
        if self.covered:
            self.relist = change
        else:
            self.search(self.query_text, keep=change.paper_id, row=self.paper_list.cursor)

    def on_screen_resume(self) -> None:
        if (change := self.relist) is not None:
            self.relist = None
            self.search_again(change)

    # -- For you -----------------------------------------------------------------------------

    @property
    def for_you(self) -> bool:
        return self.active_search == FOR_YOU.name

    def not_for_me(self, paper_id: str) -> None:
        """x: in For you the paper leaves the list now (For you never lists it again)."""
        if self.for_you:
            self.panes.drop(paper_id)
            self.saved.set_counts({FOR_YOU.name: Counts(self.paper_list.count)})

    def taken_back(self, paper_id: str) -> None:
        """A dismissal was taken back: For you may list the paper again (the cursor on it)."""
        if self.for_you:
            self.search_again(Relisted(paper_id))

    def action_back(self) -> None:
        """Esc: from the detail to the list (PapersScreen's), from the list to the searches."""
        if self.focused is self.paper_list:
            self.set_focus(self.saved)
        else:
            super().action_back()

    # -- papers like one ---------------------------------------------------------------------

    def action_similar(self) -> None:
        if self.paper_id is not None:
            self.panes.find_similar(self.paper_id)

    @on(PaperPanes.SimilarFound)
    def similar_found(self, event: PaperPanes.SimilarFound) -> None:
        width = self.search_bar.content_size.width - 2  # the hint's padding
        origin = Origin(self.search_bar.value, self.suggestion, self.saved.counts, width)
        self.app.push_screen(SimilarScreen(self.session, event.similar, origin), self.returned)

    def returned(self, leave: Leave | None) -> None:
        """The similar papers are closed: back to this list, or on to where they said."""
        if isinstance(leave, SearchFor):
            self.search_bar.set_query(leave.query)
            if leave.typing:
                self.set_focus(self.search_bar.input)
            self.active_search = None
            self.saved.mark_active(None)
            self.search(leave.query)
        elif isinstance(leave, OpenSearch):
            self.open_search(leave.entry, keep=leave.paper_id)
        elif isinstance(leave, ShowPaper):
            self.open_search(ALL_PAPERS, keep=leave.paper_id)
        else:  # back where S was pressed: the same search, now
            self.search(self.query_text, keep=self.paper_id)

    # -- after a refresh ---------------------------------------------------------------------

    def library_changed(self, changed: Changed | None = None) -> None:
        """Another program's edit, an import: the markers and counts, and the list searched
        again (a tag added elsewhere, papers imported), staying on the paper."""
        super().library_changed(changed)
        if changed is not None and changed.watchlists:  # the ◆ and the muted: found again
            self.daily.rewatch(then=Relisted(self.paper_id, watch=True))
        if not self.covered:  # under the similar papers: searched again when they close
            self.search(self.query_text)

    def feeds_refreshed(self, refreshed: Refreshed) -> None:
        if not refreshed.changed:
            return  # nothing came in: the list and the counts are as they were
        self.saved.set_counts(refreshed.news)
        self.saved.recount(BUILTINS)
        if not self.covered:  # under the similar papers: searched again when they close
            self.search(self.query_text)
