"""The query input and its hint; it debounces typing and announces queries upwards.

The hint ("Did you mean", "Papers like", what is off about a query) is written in the bar's
bottom border, so it comes and goes without the bar changing height: a line of its own made
every screen below it move, and the whole screen be laid out and painted again, as results
came in while the user typed.

The bar never searches: it posts QueryChanged once typing pauses, and the screen has the
papers pane search in a worker, so a keystroke only ever costs an Input repaint. Unless the
user set a pause (debounce_ms), it adapts: while searches are fast (the last took under
FAST_SEARCH_MS) each keystroke searches at once, since results beat waiting. After a slow
search a keystroke still searches at once when it ends a pause in typing as long as the
debounce (the user paused already: the first key after it is not part of a burst); the keys
that follow it within the debounce wait for typing to pause again, so a fast typist in a big
library runs two searches per burst, not one per key.
"""

from __future__ import annotations

from collections.abc import Callable
from time import monotonic

from textual.app import ComposeResult
from textual.content import Content
from textual.message import Message
from textual.timer import Timer
from textual.widget import Widget
from textual.widgets import Input

from reader.tui.textspans import one_line
from reader.tui.widgets.found import FOR_YOU_ORDER, Found
from reader.tui.widgets.query_input import QueryInput

DEFAULT_DEBOUNCE_MS = 150
FAST_SEARCH_MS = 20.0
PLACEHOLDER = 'Search: words, "a phrase", author:name, tag:x, is:unread, added:7d  (/)'


class SearchBar(Widget):
    """Enter and Esc belong to the screen (priority bindings), so focus moves before the
    next key is read: a fast typist's `query⏎b` bookmarks instead of typing a "b"."""

    class QueryChanged(Message):
        """Typing paused (or Enter was pressed) on a query different from the last one."""

        def __init__(self, query: str) -> None:
            super().__init__()
            self.query = query

    def __init__(self, debounce_ms: int | None = None, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.adaptive = debounce_ms is None
        self.debounce_s = (DEFAULT_DEBOUNCE_MS if debounce_ms is None else debounce_ms) / 1000
        self.last_search_ms: float | None = None  # how long the last search took
        self._announced = ""
        self._timer: Timer | None = None
        self._typed_at = float("-inf")  # when the query last changed by typing
        self._hint = Content()

    def compose(self) -> ComposeResult:
        yield QueryInput(placeholder=PLACEHOLDER, id="query", select_on_focus=False)

    @property
    def hint(self) -> str:
        """The hint on show, as plain text ("" when there is none)."""
        return self._hint.plain

    @property
    def input(self) -> Input:
        return self.query_one("#query", Input)

    @property
    def value(self) -> str:
        return self.input.value

    def set_query(self, query: str) -> None:
        """Show a query the screen already searched (a saved search), without re-announcing."""
        self._announced = query
        self._cancel_timer()
        self.input.value = query
        self.input.cursor_position = len(query)

    def show_found(self, found: Found, key: Callable[[str], str]) -> None:
        """Under the bar, what a search found: what is off about its query, or over For you
        how it ranks. `key` gives a binding id's key as the keymap has it."""
        self.searched_in(found.took_ms)
        result = found.result
        if found.sort == FOR_YOU_ORDER:
            self.show_for_you(result.note, found.learned, key)
        else:
            self.show_hint(result.note, result.suggestion, len(found.ids), key("suggestion"))

    def show_hint(
        self, note: str | None, suggestion: str | None, total: int, take_key: str = "ctrl+y"
    ) -> None:
        """Say what is off about a query: malformed, a likely typo, or no results at all.

        (The index forgives small typos, so a misspelt query may find papers and still come
        with a suggestion.)"""
        parts: list[str | tuple[str, str]] = []
        if note:
            parts.append(("⚠ " + one_line(note), "$text-warning"))
        if suggestion:
            if parts:
                parts.append("  ")
            parts += [
                "No results. Did you mean " if total == 0 else "Did you mean ",
                (one_line(suggestion), "bold $text-accent"),
                f"?  {take_key} uses it",
            ]
        elif total == 0 and not note:
            parts.append("No results.")
        self.show_message(Content.assemble(*parts))

    def show_message(self, message: Content) -> None:
        """Put `message` in the hint's place (empty: no hint): a search's hint, or what the
        list shows when it is no search (papers like one paper). Content, not a str: a title
        or a word in it is never read as markup."""
        self._hint = message
        self.border_subtitle = message if message.plain else None

    def show_for_you(self, note: str | None, learned: bool, key: Callable[[str], str]) -> None:
        """Over For you: how it ranks and the key that teaches it (the notice after that key
        names its undo); that there is nothing to learn from yet, so the newest come first; or
        what is off (the core's note). `key` gives a binding id's key as the keymap has it."""
        from reader.core.library import NO_SIGNALS  # loaded by For you's worker already

        if learned:
            self.show_message(Content(f"Ranked by what you keep · {key('not_for_me')}: not for me"))
        elif note == NO_SIGNALS:
            said = f"Bookmark ({key('bookmark')}) what you like."
            warned = ("No signals yet: newest first. ", "$text-warning")
            self.show_message(Content.assemble(warned, said))
        else:
            self.show_hint(note, None, 1)

    def _cancel_timer(self) -> None:
        if self._timer is not None:
            self._timer.stop()
            self._timer = None

    def searched_in(self, took_ms: float) -> None:
        """How long the last search took: while searches are fast, typing needs no pause."""
        self.last_search_ms = took_ms

    @property
    def pause_s(self) -> float:
        """How long typing must pause before a query typed now is announced."""
        if not self.adaptive:
            return self.debounce_s
        fast = self.last_search_ms is not None and self.last_search_ms < FAST_SEARCH_MS
        paused = monotonic() - self._typed_at >= self.debounce_s
        return 0.0 if fast or paused else self.debounce_s

    def on_input_changed(self, event: Input.Changed) -> None:
        event.stop()
        pause = self.pause_s
        self._typed_at = monotonic()
        self._cancel_timer()
        if pause:
            self._timer = self.set_timer(pause, self.announce)
        else:
            self.announce()

    def announce(self) -> None:
        """Announce the typed query now, without waiting for the pause in typing."""
        self._cancel_timer()
        query = self.input.value
        if query != self._announced:
            self._announced = query
            self.post_message(self.QueryChanged(query))
