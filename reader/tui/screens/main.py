"""The main screen: saved searches | the papers (list, status, detail), the search bar on top.

What is searched (the query, the sort, the search open, its muted papers shown) is a
Searching (searching.py); the widgets do the work and post messages up, and the screen
calls down:
- SearchBar.QueryChanged, SavedSearches.Opened: PaperPanes.search (a worker there); then
  PaperPanes.Searched: the bar's hint, the suggestion, a saved search's papers seen.
- S: PaperPanes.find_similar; then PaperPanes.SimilarFound: a SimilarScreen over this one
  (similar.show_similar), dismissed with where to go next (None: back here, where S was
  pressed).
- R: the Session's FeedRefresh; its end counts the searches again and searches again. A
  change to the queue, the follows or the mutes (Relisted) searches again a list that depends
  on them.
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

from reader.tui.feeds import Refreshed
from reader.tui.file_watch import Changed
from reader.tui.screens.daily_commands import Relisted
from reader.tui.screens.paper_keys import MAIN_KEYS
from reader.tui.screens.papers import PapersScreen, Session
from reader.tui.screens.searching import Searching
from reader.tui.screens.similar import Leave, OpenSearch, SearchFor, show_similar
from reader.tui.startup import Startup
from reader.tui.store_check import show_store_check
from reader.tui.widgets.found import FOR_YOU_ORDER
from reader.tui.widgets.paper_panes import PaperPanes
from reader.tui.widgets.saved_searches import ALL_PAPERS, SavedSearches, SearchEntry
from reader.tui.widgets.search_bar import SearchBar


class MainScreen(PapersScreen[None]):
    BINDINGS: ClassVar[list[BindingType]] = MAIN_KEYS

    def __init__(self, session: Session) -> None:
        super().__init__(session)
        self.searching = Searching(sort=session.config.default_sort)
        self.suggestion: str | None = None  # the last search's "did you mean"
        self.relist: Relisted | None = None  # a change to show once this screen is back on top
        self.ready = threading.Event()  # set once start-up is over (the index open, or failed)

    # What is searched, as the palette reads it.

    @property
    def query_text(self) -> str:
        return self.searching.query

    @property
    def sort(self) -> str:
        return self.searching.sort

    @property
    def active_search(self) -> str | None:
        return self.searching.active_search

    def on_mount(self) -> None:
        startup = Startup(self.app, self.data, self.panes, self.saved, self.ready)
        startup.start(self, self.query_text, self.sort)
        check = partial(show_store_check, self.app, self.data, self.status, self.search_again)
        self.run_worker(check, name="store-check", thread=True, exit_on_error=False)
        self.session.feeds.finished.subscribe(self, self.feeds_refreshed)
        self.session.not_for_me.back.subscribe(self, self.taken_back)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "take_suggestion":
            return bool(self.suggestion)  # only while there is one (the hint names its key)
        if action in ("cycle_sort", "save_search") and self.searching.for_you:
            return None  # For you has its own order, and no query to save
        return super().check_action(action, parameters)

    # -- searching ---------------------------------------------------------------------------

    def search(self, query: str, keep: str | None = None, row: int = 0) -> None:
        """Search now (in a worker); `keep` is a paper the result should stay on (else the
        cursor goes to `row`)."""
        searching = self.searching
        searching.query = query
        if searching.for_you:
            self.panes.rank_for_you(keep, row)
            return
        self.status.muted_shown = searching.muted_shown
        self.panes.search(query, searching.sort, keep, feed=searching.feed, row=row)

    @on(PaperPanes.Searched)
    def searched(self, event: PaperPanes.Searched) -> None:
        found = event.found
        self.suggestion = found.result.suggestion
        self.search_bar.show_found(found, self.key_for)
        if found.sort == FOR_YOU_ORDER:
            self.saved.set_for_you(len(found.ids))
        self.refresh_bindings()  # the suggestion's key, the muted papers' key, J and K
        if (name := self.searching.take_opened()) is not None:
            self.commands.mark_opened(name, found.ids)

    @on(SearchBar.QueryChanged)
    def query_typed(self, event: SearchBar.QueryChanged) -> None:
        self.search_typed(event.query)

    def search_typed(self, query: str) -> None:
        """A query typed here or over the similar papers: it is no saved search."""
        self.searching.typed()
        self.saved.mark_active(None)
        self.search(query)

    @on(SavedSearches.Opened)
    def search_opened(self, event: SavedSearches.Opened) -> None:
        self.open_search(event.entry)

    def open_search(self, entry: SearchEntry, keep: str | None = None) -> None:
        """Show a built-in or saved search: its query goes in the bar, its results in the list."""
        self.searching.open(entry, {s.name: s.sort for s in self.data.user.saved_searches()})
        self.saved.mark_active(entry.name)
        self.search_bar.set_query(entry.query)
        self.search(entry.query, keep=keep or self.paper_id)  # another view: stay on the paper
        self.set_focus(self.paper_list)

    def show_paper(self, paper_id: str) -> None:
        """Put the cursor on a paper (from the palette): in the list, else in All papers."""
        row = self.paper_list.rows.index_of(paper_id)
        if row is None:
            self.open_search(ALL_PAPERS, keep=paper_id)
            return
        self.paper_list.move(row)  # chosen: it is read once it rests there
        self.set_focus(self.paper_list)

    def action_cycle_sort(self) -> None:
        self.searching.next_sort()
        self.status.sort = self.sort
        self.search(self.query_text)

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
        return self.searching.in_queue

    @property
    def muted_to_show(self) -> bool:
        return self.searching.muted_to_show(self.status.hidden)

    def action_show_muted(self) -> None:
        """ctrl+u: the feed with its muted papers (⊘), or without them again."""
        self.searching.showing_muted = not self.searching.showing_muted
        self.search(self.query_text, keep=self.paper_id)

    def relisted(self, change: Relisted) -> None:
        if self.searching.relists(change):
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

    def not_for_me(self, paper_id: str) -> None:
        """x: in For you the paper leaves the list now (For you never lists it again)."""
        if self.searching.for_you:
            self.panes.drop(paper_id)
            self.saved.set_for_you(self.paper_list.count)

    def taken_back(self, paper_id: str) -> None:
        """A dismissal was taken back: For you may list the paper again (the cursor on it)."""
        if self.searching.for_you:
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
        show_similar(self, event.similar, self.search_bar.value, self.suggestion, self.returned)

    def returned(self, leave: Leave | None) -> None:
        """The similar papers are closed: back to this list, or on to where they said."""
        if isinstance(leave, SearchFor):
            self.search_bar.set_query(leave.query)
            if leave.typing:
                self.set_focus(self.search_bar.input)
            self.search_typed(leave.query)
        elif isinstance(leave, OpenSearch):
            self.open_search(leave.entry, keep=leave.paper_id)
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
        self.saved.count_news(refreshed.news)
        if not self.covered:  # under the similar papers: searched again when they close
            self.search(self.query_text)
