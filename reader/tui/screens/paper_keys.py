"""The keys of the screens of papers, in the order the footer and the help show them.

One list per screen (MAIN_KEYS, SIMILAR_KEYS) built from the same parts, so the two screens
answer a key the same way; the ids are what the user's keymap names. Whether a key is on
(key_state) and where the help lists it (help_group) are decided here too, beside the keys.
"""

from __future__ import annotations

from textual.binding import Binding, BindingType

from reader.tui.screens.daily_commands import (
    CONTEXT_KEYS,
    DAILY_FOR_A_PAPER,
    DAILY_KEYS,
    DAILY_LETTERS,
)
from reader.tui.screens.not_for_me import NOT_FOR_ME_KEYS, NOT_FOR_ME_LETTERS

# Letter keys are priority bindings: they run as the key is read, so the keys typed right
# after them (a note after `n`, a query after `/`) reach the pane they open, never the list.
_LETTERS = {"bookmark", "toggle_read", "note", "note_in_editor", "tags", "save_search"}
_LETTERS |= {"open_paper", "copy", "focus_search", "similar", "refresh_feeds"}
_LETTERS |= DAILY_LETTERS | NOT_FOR_ME_LETTERS
_FOR_A_PAPER = {"bookmark", "toggle_read", "note", "note_in_editor", "tags", "open_paper"}
_FOR_A_PAPER |= {"copy", "similar"}
_FOR_A_PAPER |= DAILY_FOR_A_PAPER | {"not_for_me"}


def key_state(action: str, *, typing: bool, paper: bool) -> bool | None:
    """Whether a key is on: in the search bar a letter is text (False hides the key), and
    with no paper the keys for one are shown dimmed (None)."""
    if typing and action in _LETTERS:
        return False
    if action in _FOR_A_PAPER:
        return True if paper else None
    return True


_SEARCH = Binding(
    "slash", "focus_search", "Search", id="search", tooltip="Type a search", priority=True
)
_PANES = [
    Binding("tab", "app.focus_next", "Next pane", show=False, id="focus.next"),
    Binding("shift+tab", "app.focus_previous", "Previous pane", show=False, id="focus.previous"),
    # Enter and Esc in the search bar: priority, so focus moves before the next key is read.
    Binding("enter", "search_done", "Results", priority=True, id="search.submit"),
    Binding("escape", "search_done", "Back", priority=True, id="search.leave"),
]
_SIMILAR = Binding(
    "S",
    "similar",
    "Similar",
    id="similar",
    priority=True,
    tooltip="Similar papers: the ones like this paper",
)
_LEAVE_SIMILAR = Binding(
    "escape", "leave_similar", "Back", id="similar.back", tooltip="Back to the list"
)
# Esc from the detail shown in the list's place (a short, narrow terminal): in the footer
# there, where nothing else on screen says how to get back. Off elsewhere: Esc is "back".
_LEAVE_DETAIL = Binding(
    "escape", "leave_detail", "Back", id="detail.back", tooltip="Back to the list"
)
_REST: list[BindingType] = [
    Binding("escape", "back", "Back", show=False, id="back"),
    Binding("ctrl+c,super+c", "screen.copy_text", "Copy selected text", show=False, id="copy_text"),
    Binding(
        "ctrl+o", "cycle_sort", "Sort", id="sort", tooltip="Sort by relevance, date, title, upvotes"
    ),
    # Named by the search bar's hint when there is a suggestion, never in the footer: the
    # footer's keys would come and go as the user types (most prefixes of a word are typos of
    # some word), and each change rebuilt the footer on a keystroke.
    Binding("ctrl+y", "take_suggestion", "Use suggestion", show=False, id="suggestion"),
    Binding(
        "b", "bookmark", "Bookmark", id="bookmark", priority=True, tooltip="Bookmark or unbookmark"
    ),
    Binding("m", "toggle_read", "Read", id="read", priority=True, tooltip="Mark read or unread"),
    Binding("n", "note", "Note", id="note", priority=True, tooltip="Write the paper's note"),
    Binding("e", "note_in_editor", "Note in $EDITOR", show=False, id="note.editor", priority=True),
    Binding("t", "tags", "Tags", id="tags", priority=True, tooltip="Edit the paper's tags"),
    Binding(
        "s", "save_search", "Save", id="save_search", priority=True, tooltip="Save this search"
    ),
    Binding("o", "open_paper", "Open", id="open", priority=True, tooltip="Open in the browser"),
    Binding("y", "copy", "Copy", id="copy", priority=True, tooltip="Copy link, title or BibTeX"),
    Binding(
        "R",
        "refresh_feeds",
        "Refresh",
        id="refresh",
        priority=True,
        tooltip="Refresh every saved feed",
    ),
    # The searches pane's key (same id: a keymap moves both), where it deletes nothing: it says why.
    Binding("d", "explain_delete", "Delete search", show=False, id="saved.delete"),
]
_LAST = [*DAILY_KEYS, *NOT_FOR_ME_KEYS]
MAIN_KEYS: list[BindingType] = [
    _SEARCH,
    *_PANES,
    _SIMILAR,
    *CONTEXT_KEYS,
    _LEAVE_DETAIL,
    *_REST,
    *_LAST,
]
# The similar papers' Esc comes before "back": it goes back a list, "back" only leaves the detail.
SIMILAR_KEYS: list[BindingType] = [
    _SEARCH,
    *_PANES,
    _SIMILAR,
    *CONTEXT_KEYS,  # first: while a job runs, Esc stops it
    _LEAVE_SIMILAR,
    _LEAVE_DETAIL,
    *_REST,
    *_LAST,
]


def help_group(action: str) -> str | None:
    """The help's group for a key that works somewhere narrower than the whole screen."""
    name = action.partition("(")[0]  # "queue_move(1)": the action, without its parameters
    if name in _FOR_A_PAPER:
        return "On a paper"
    return _NARROWER.get(name)


_NARROWER = {
    "search_done": "Search bar",
    "leave_detail": "Reading, small screen",
    "explain_delete": "Searches pane",
    "stop_job": "While a job runs",
    "queue_move": "In the Queue",
    "show_muted": "Muted papers",
}
