"""`S`: the papers like one paper, on a screen of their own pushed over the list it came from.

It looks like the main screen (the same panes): the list holds the papers like the one S was
pressed on, best first; the status line and the hint in the search bar say whose they
are, and the detail names the key terms each one shares with it. `S` again pushes another
screen, one paper further; Esc pops this one (dismissed with None), back to the list it came
from with the cursor where it was. Searching leaves them all: a typed query, a saved search,
the palette's paper that is not in this list, or the suggestion dismiss this screen with a
Leave, which each screen below passes on down to the main one. Sorting and saving work on
searches, so here they are shown dimmed.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, ClassVar

from textual import on
from textual.binding import BindingType
from textual.content import Content

from reader.core.library import SimilarResult
from reader.tui.feeds import Refreshed
from reader.tui.screens.paper_keys import SIMILAR_KEYS
from reader.tui.screens.papers import PapersScreen, Session
from reader.tui.textspans import one_line
from reader.tui.widgets.found import SimilarList
from reader.tui.widgets.paper_panes import PaperPanes
from reader.tui.widgets.saved_searches import (
    ALL_PAPERS,
    Counts,
    SavedSearches,
    SearchEntry,
    saved_entries,
)
from reader.tui.widgets.search_bar import SearchBar

_HINT_TERMS = 5  # key terms named under the search bar at most (the strongest)


@dataclass(frozen=True, slots=True)
class SearchFor:
    """Leave for a search of `query` (typed in the bar: the typing goes on there)."""

    query: str
    typing: bool = False


@dataclass(frozen=True, slots=True)
class OpenSearch:
    """Leave for a built-in or saved search (on the paper shown here, if it is in it): All
    papers for the palette's paper that this list does not hold."""

    entry: SearchEntry
    paper_id: str | None


Leave = SearchFor | OpenSearch


@dataclass(frozen=True, slots=True)
class Origin:
    """What the screen below showed, for this one to look the same."""

    query: str  # in the search bar
    suggestion: str | None
    counts: Mapping[str, Counts]
    hint_width: int  # of the hint in the search bar's border


class SimilarScreen(PapersScreen[Leave | None]):
    BINDING_GROUP_TITLE = "Similar papers"
    BINDINGS: ClassVar[list[BindingType]] = SIMILAR_KEYS

    def __init__(self, session: Session, similar: SimilarList, origin: Origin) -> None:
        super().__init__(session)
        self.similar = similar
        self.origin = origin

    def on_mount(self) -> None:
        self.saved.set_saved(saved_entries(self.data.user))
        self.saved.set_counts(self.origin.counts)
        self.saved.mark_active(None)
        self.search_bar.set_query(self.origin.query)
        result = self.similar.result
        self.panes.show_similar(self.similar, f"like “{cut(one_line(result.title), 36)}”")
        self.search_bar.show_message(hint(result, self.origin.hint_width))
        self.session.feeds.finished.subscribe(self, self.feeds_refreshed)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "leave_similar":  # the detail pane's Esc goes to the list first
            return self.focused is not self.detail
        if action in ("cycle_sort", "save_search"):  # they work on searches, not this list
            return None
        if action == "take_suggestion":
            return bool(self.origin.suggestion)
        return super().check_action(action, parameters)

    def action_leave_similar(self) -> None:
        self.dismiss(None)

    def action_similar(self) -> None:
        if self.paper_id is not None:
            self.panes.find_similar(self.paper_id)

    @on(PaperPanes.SimilarFound)
    def further(self, event: PaperPanes.SimilarFound) -> None:
        """One paper further: another screen over this one."""
        query, suggestion = self.origin.query, self.origin.suggestion
        show_similar(self, event.similar, query, suggestion, self.returned)

    def returned(self, leave: Leave | None) -> None:
        if leave is not None:  # a search: every list of similar papers goes
            self.dismiss(leave)

    # -- searching leaves --------------------------------------------------------------------

    @on(SearchBar.QueryChanged)
    def query_typed(self) -> None:
        # The bar's value now, not the message's: keys typed since are in it too.
        typing = self.focused is self.search_bar.input
        self.dismiss(SearchFor(self.search_bar.value, typing=typing))

    def action_take_suggestion(self) -> None:
        if self.origin.suggestion:
            self.dismiss(SearchFor(self.origin.suggestion))

    @on(SavedSearches.Opened)
    def search_opened(self, event: SavedSearches.Opened) -> None:
        self.open_search(event.entry)

    def open_search(self, entry: SearchEntry) -> None:
        self.dismiss(OpenSearch(entry, self.paper_id))

    def show_paper(self, paper_id: str) -> None:
        """Put the cursor on a paper (from the palette): in this list, else in All papers."""
        row = self.paper_list.rows.index_of(paper_id)
        if row is None:
            self.dismiss(OpenSearch(ALL_PAPERS, paper_id))
            return
        self.paper_list.move(row)  # chosen: it is read once it rests there
        self.set_focus(self.paper_list)

    def feeds_refreshed(self, refreshed: Refreshed) -> None:
        if refreshed.changed:  # the list stays as it is; the counts follow
            self.saved.count_news(refreshed.news)


def show_similar(
    below: PapersScreen[Any],
    similar: SimilarList,
    query: str,
    suggestion: str | None,
    then: Callable[[Leave | None], None],
) -> None:
    """The papers like one, on a screen over `below` that looks like it (its query and
    suggestion in the bar, its counts); `then` hears where to go once that screen closes."""
    width = below.search_bar.content_size.width - 4  # the hint's room in the border
    origin = Origin(query, suggestion, below.saved.counts, width)
    below.app.push_screen(SimilarScreen(below.session, similar, origin), then)


def cut(text: str, room: int) -> str:
    """text in `room` characters, cut at a word where one ends near the limit."""
    if len(text) <= room:
        return text
    head = text[: room - 1]
    space = head.rfind(" ")
    if space > room // 2:
        head = head[:space]
    return head.rstrip(" :,;-") + "…"


def hint(result: SimilarResult, width: int) -> Content:
    """ "Papers like “title” · key terms: a, b, c" in one line of `width` where it fits: the
    title takes up to half (less if the strongest term would not fit beside it), then as
    many of the strongest terms as fit."""
    strongest = [one_line(term) for term in result.terms[:_HINT_TERMS]]
    fixed = len("Papers like “” · key terms: ") + (len(strongest[0]) if strongest else 0)
    title = cut(one_line(result.title), max(12, min(width // 2, width - fixed)))
    parts: list[str | tuple[str, str]] = [("Papers like ", "bold"), f"“{title}”"]
    used = len("Papers like “”") + len(title) + len(" · key terms: ")
    terms: list[str] = []
    for term in strongest:
        if terms and used + len(term) + 2 > width:
            break
        terms.append(term)
        used += len(term) + 2
    if terms:
        parts += [" · key terms: ", (", ".join(terms), "$text-accent")]
    return Content.assemble(*parts)
