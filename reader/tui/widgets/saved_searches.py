"""The left pane: built-in and saved searches with their counts; Enter or a click opens one.

Names and queries are the user's text, so every prompt is built as Content, never markup.
The pane counts its searches itself, in one exclusive thread worker (recount), with the
`count` function it is given: that takes the library lock once per search, so a search typed
meanwhile waits for one count at most, never for all of them. Until its count arrives a
search shows "…". For you is no query: the recommender ranks it when it is opened (a worker
of the panes), so it is never counted here; the screen gives it the length of its list.
Opening and deleting are messages up (Opened, DeleteRequested).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import ClassVar

from rich.cells import cell_len, set_cell_size
from textual import events, work
from textual.binding import Binding, BindingType
from textual.content import Content
from textual.message import Message
from textual.widgets import OptionList
from textual.widgets.option_list import Option
from textual.worker import get_current_worker

from reader.core.library import Library, UserData
from reader.tui.textspans import one_line


@dataclass(frozen=True, slots=True)
class SearchEntry:
    name: str
    query: str
    builtin: bool = False
    sort: str | None = None  # a built-in with an order of its own (None: the sort in use)
    ranked: bool = False  # For you: ranked by the recommender, not searched


FOR_YOU = SearchEntry("For you", "", builtin=True, ranked=True)
ALL_PAPERS = SearchEntry("All papers", "", builtin=True)
BUILTINS = (
    FOR_YOU,
    ALL_PAPERS,
    SearchEntry("Unread", "is:unread", builtin=True),
    SearchEntry("Bookmarked", "is:bookmarked", builtin=True),
    SearchEntry("With notes", "has:note", builtin=True),
    SearchEntry("Recently added", "added:7d", builtin=True),
    SearchEntry("Queue", "is:queued", builtin=True, sort="relevance"),  # in queue order
    SearchEntry("Followed", "is:followed", builtin=True),
)


@dataclass(frozen=True, slots=True)
class Counts:
    total: int
    new: int = 0


Count = Callable[[SearchEntry], Counts]  # called from a worker thread


def saved_entries(user: UserData) -> list[SearchEntry]:
    """The user's saved searches, as the pane lists them (after the built-ins)."""
    return [SearchEntry(search.name, search.query) for search in user.saved_searches()]


def count_search(library: Library, entry: SearchEntry) -> Counts:
    """A search's total, and for a saved one what is new since it was opened (call it under
    the library's lock). Built-ins show no "new": they are counted, never listed; nor does a
    search never opened here (saved from the command line): nothing is new to it yet. Every
    search here is a feed: muted papers are not counted (see Watching.feed_ids)."""
    if entry.builtin or entry.query == "":
        return Counts(library.watching.feed_count(entry.query))
    ids = library.watching.feed_ids(entry.query).ids
    return Counts(len(ids), new_since_opened(library.user, entry.name, ids))


def new_since_opened(user: UserData, name: str, ids: Sequence[str]) -> int:
    opened = any(s.name == name and s.last_opened for s in user.saved_searches())
    return user.new_since_opened(name, ids) if opened else 0


class SavedSearches(OptionList, inherit_bindings=False):
    BINDING_GROUP_TITLE = "Searches pane"
    BORDER_TITLE = "Searches"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("j,down", "cursor_down", "Down", show=False, id="saved.down"),
        Binding("k,up", "cursor_up", "Up", show=False, id="saved.up"),
        Binding("g,home", "first", "First", show=False, id="saved.first"),
        Binding("G,end", "last", "Last", show=False, id="saved.last"),
        Binding("pagedown", "page_down", "Page down", show=False, id="saved.page_down"),
        Binding("pageup", "page_up", "Page up", show=False, id="saved.page_up"),
        Binding("enter", "select", "Open search", id="saved.open"),
        Binding("d", "delete", "Delete search", id="saved.delete"),
    ]

    class Opened(Message):
        def __init__(self, entry: SearchEntry) -> None:
            super().__init__()
            self.entry = entry

    class DeleteRequested(Message):
        def __init__(self, entry: SearchEntry) -> None:
            super().__init__()
            self.entry = entry

    def __init__(self, count: Count | None = None, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.count = count
        self.entries: list[SearchEntry] = list(BUILTINS)
        self.counts: dict[str, Counts] = {}
        self.active: str | None = ALL_PAPERS.name

    # -- what the screen calls ---------------------------------------------------------------

    def set_saved(self, saved: Iterable[SearchEntry]) -> None:
        """Replace the user's searches (after a load, a save or a delete)."""
        keep = self.current.name if self.current else None
        self.entries = [*BUILTINS, *saved]
        self.counts = {k: v for k, v in self.counts.items() if self._entry(k) is not None}
        self._rebuild(keep)

    def set_counts(self, counts: Mapping[str, Counts]) -> None:
        self.counts.update(counts)
        self._rebuild(self.current.name if self.current else None)

    def set_for_you(self, total: int) -> None:
        """For you's count: the length of the list it ranked (it is never counted here)."""
        self.set_counts({FOR_YOU.name: Counts(total)})

    def count_news(self, news: Mapping[str, Counts]) -> None:
        """After a feed refresh that brought papers: the saved searches' counts with what is
        new in them, and the built-ins counted again."""
        self.set_counts(news)
        self.recount(BUILTINS)

    def recount(self, entries: Iterable[SearchEntry] | None = None) -> None:
        """Count these searches again (all of them by default), in the background."""
        if self.count is not None:
            listed = self.entries if entries is None else entries
            self.count_in_worker([entry for entry in listed if not entry.ranked], self.count)

    @work(thread=True, exclusive=True, group="counts", exit_on_error=False)
    def count_in_worker(self, entries: list[SearchEntry], count: Count) -> None:
        worker = get_current_worker()
        for entry in entries:
            if worker.is_cancelled:
                return
            try:
                counts = count(entry)
            except Exception:  # a saved search whose query fails counts as unknown
                continue
            self.app.call_from_thread(self.set_counts, {entry.name: counts})

    def mark_active(self, name: str | None) -> None:
        """Which search the list is showing (None: a typed query). Unchanged (each key typed
        into the bar says None again), nothing is redrawn."""
        if name == self.active:
            return
        self.active = name
        self._rebuild(self.current.name if self.current else None)

    @property
    def current(self) -> SearchEntry | None:
        index = self.highlighted
        return self.entries[index] if index is not None and index < len(self.entries) else None

    # -- painting ----------------------------------------------------------------------------

    def _entry(self, name: str) -> SearchEntry | None:
        return next((entry for entry in self.entries if entry.name == name), None)

    def _prompt(self, entry: SearchEntry, width: int) -> Content:
        counts = self.counts.get(entry.name)
        count = ("" if entry.ranked else "…") if counts is None else f"{counts.total:,}"
        new = f" +{counts.new:,}" if counts and counts.new else ""
        right = cell_len(count) + cell_len(new)
        marker = "▸ " if entry.name == self.active else "  "
        name = one_line(entry.name)
        room = max(1, width - right - 1 - len(marker))
        if cell_len(name) > room:
            name = set_cell_size(name, room - 1) + "…"
        gap = max(1, width - len(marker) - cell_len(name) - right)
        return Content.assemble(
            (marker, "$text-accent"),
            (name, "bold" if entry.name == self.active else ""),
            " " * gap,
            (count, "$text-muted"),
            (new, "$text-success"),
        )

    def _rebuild(self, keep: str | None) -> None:
        width = max(12, self.scrollable_content_region.width - 2)
        options: list[Option | None] = []
        for index, entry in enumerate(self.entries):
            if index == len(BUILTINS) and not entry.builtin:
                options.append(None)  # a separator between built-in and saved searches
            options.append(Option(self._prompt(entry, width), id=f"search-{index}"))
        highlighted = self.highlighted
        self.set_options(options)
        names = [entry.name for entry in self.entries]
        if keep in names:
            self.highlighted = names.index(keep)
        elif highlighted is not None:
            self.highlighted = min(highlighted, len(names) - 1)

    def on_mount(self) -> None:
        self._rebuild(self.active)

    def on_resize(self, event: events.Resize) -> None:
        self._rebuild(self.current.name if self.current else None)

    # -- keys and clicks ---------------------------------------------------------------------

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        entry = self._entry_for(event.option)
        if entry is not None:
            self.post_message(self.Opened(entry))

    def on_option_list_option_highlighted(self, event: OptionList.OptionHighlighted) -> None:
        self.refresh_bindings()  # the delete key is shown on a saved search, not a built-in

    def _entry_for(self, option: Option) -> SearchEntry | None:
        index = int((option.id or "search--1").rsplit("-", 1)[1])
        return self.entries[index] if 0 <= index < len(self.entries) else None

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "delete":
            entry = self.current
            return entry is not None and not entry.builtin
        return True

    def action_delete(self) -> None:
        entry = self.current
        if entry is not None and not entry.builtin:
            self.post_message(self.DeleteRequested(entry))
