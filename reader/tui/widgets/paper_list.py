"""The result list: a Line API widget that stays instant at a million rows.

It holds only the ids of the current result and paints each visible line from a block of
papers fetched on demand (RowCache), so neither building nor scrolling the list ever touches
more than the rows on screen. Paper text becomes Segments, never markup.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import ClassVar, Protocol

from rich.cells import cell_len, set_cell_size
from rich.segment import Segment
from rich.style import Style
from textual import events
from textual.binding import Binding, BindingType
from textual.geometry import Region, Size
from textual.message import Message
from textual.reactive import reactive
from textual.scroll_view import ScrollView
from textual.strip import Strip

from reader.core.model import Paper
from reader.tui.rowcache import Fetch, RowCache
from reader.tui.textspans import one_line

MARK_UNREAD = "●"
MARK_BOOKMARK = "★"
MARK_NOTE = "✎"
MARK_FOLLOWED = "◆"  # in the theme's $reader-followed
MARK_MUTED = "⊘"  # shown only when the muted papers are (ctrl+u)
_DATE_WIDTH = 10
_AUTHOR_WIDTH = 20
_LINE_CACHE = 2000  # painted rows kept (a few screens' worth); cleared whole when full


class Marks(Protocol):
    """The user's state of a paper, as the list needs it for its marker column."""

    def is_bookmarked(self, paper_id: str) -> bool: ...
    def has_note(self, paper_id: str) -> bool: ...
    def is_read(self, paper_id: str) -> bool: ...
    def is_followed(self, paper_id: str) -> bool: ...
    def is_muted(self, paper_id: str) -> bool: ...


def fit(runs: Sequence[tuple[str, Style]], width: int, style: Style) -> list[Segment]:
    """Styled runs cut (with an ellipsis) or padded to exactly `width` cells."""
    if width <= 0:
        return []
    total = sum(cell_len(text) for text, _ in runs)
    if total <= width:
        segments = [Segment(text, run_style) for text, run_style in runs if text]
        return [*segments, Segment(" " * (width - total), style)] if total < width else segments
    out: list[Segment] = []
    room = width - 1
    for text, run_style in runs:
        size = cell_len(text)
        if size >= room:
            if room:
                out.append(Segment(set_cell_size(text, room), run_style))
            break
        out.append(Segment(text, run_style))
        room -= size
    return [*out, Segment("…", style)]


@dataclass(frozen=True, slots=True)
class Highlight:
    """The paper under the cursor (None when the list is empty); `by_user` when a key, a
    click or the palette put it there, not a result that came in."""

    paper_id: str | None
    by_user: bool = False


class PaperList(ScrollView, can_focus=True, inherit_bindings=False):
    """Title, first author, date and markers; the cursor row is the paper shown in detail."""

    # A click moves the cursor, so no mouse text selection (as Textual's DataTable and
    # OptionList): rows then need no offsets in their styles, a new Style per segment.
    ALLOW_SELECT = False
    BINDING_GROUP_TITLE = "Paper list"
    BORDER_TITLE = "Papers"

    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "paper-list--cursor",
        "paper-list--followed",
        "paper-list--match",
        "paper-list--marker",
        "paper-list--meta",
        "paper-list--muted",
        "paper-list--placeholder",
    }
    # The cursor keys are priority bindings: the key then goes straight to its action, where a
    # plain binding first sends it up through every container (a fifth of a move's time).
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("j,down", "cursor_down", "Down", show=False, priority=True, id="list.down"),
        Binding("k,up", "cursor_up", "Up", show=False, priority=True, id="list.up"),
        Binding("g,home", "first", "First", show=False, priority=True, id="list.first"),
        Binding("G,end", "last", "Last", show=False, priority=True, id="list.last"),
        Binding(
            "pagedown", "page_down", "Page down", show=False, priority=True, id="list.page_down"
        ),
        Binding("pageup", "page_up", "Page up", show=False, priority=True, id="list.page_up"),
        Binding("enter", "select", "Open", id="list.open"),
    ]

    # Not repaint: watch_cursor refreshes only the two rows that change.
    cursor: reactive[int] = reactive(0, always_update=True, init=False, repaint=False)
    placeholder: reactive[str] = reactive("Loading…")
    # Set as the cursor lands on another paper. A reactive, not a message: its watchers run
    # before the next key is read, so `j b` bookmarks the paper moved to (a message would
    # reach them after `b`, which would act on the paper left).
    highlight: reactive[Highlight] = reactive(
        Highlight(None), always_update=True, init=False, repaint=False
    )

    class Selected(Message):
        """Enter (or a click on the cursor row) on a paper."""

        def __init__(self, paper_id: str) -> None:
            super().__init__()
            self.paper_id = paper_id

    def __init__(
        self, fetch: Fetch, marks: Marks, *, id: str | None = None, classes: str | None = None
    ) -> None:
        super().__init__(id=id, classes=classes)
        self.rows = RowCache(fetch)
        self.marks = marks
        self.terms: frozenset[str] = frozenset()
        self._lines: dict[tuple[int, int, bool, bool], Strip] = {}  # painted rows
        self._inks: dict[tuple[str, bool], Style] = {}
        self._bases: dict[tuple[bool, bool], Style] = {}
        self._last_id: str | None = None
        self._by_user = False  # while move() sets the cursor

    # -- what the screen calls ---------------------------------------------------------------

    def show_results(
        self, ids: Sequence[str], terms: Sequence[str], keep: str | None, row: int = 0
    ) -> None:
        """Show a new result; the cursor stays on `keep` if it is still in it, else goes to
        `row` (a paper that left the list: its neighbour takes its place)."""
        self.rows.reset(ids)
        self._forget_lines()
        self.terms = frozenset(terms)
        self.virtual_size = Size(self.scrollable_content_region.width, len(ids))
        found = self.rows.index_of(keep) if keep else None
        self.scroll_to(y=0, animate=False, immediate=True)
        self._last_id = None  # a new result says which paper is on top, even the same one
        self.cursor = row if found is None else found
        if not ids:  # no row to highlight: say there is no paper now
            self.highlight = Highlight(None)
        self.refresh()

    def move(self, row: int) -> None:
        """Move the cursor because the user asked to (a key, a click, the palette)."""
        self._by_user = True
        try:
            self.cursor = row
        finally:
            self._by_user = False

    def scroll_to_cursor(self) -> None:
        self.scroll_to_region(
            Region(0, self.cursor, 1, 1), animate=False, force=True, x_axis=False, immediate=True
        )

    def remove(self, paper_id: str) -> int | None:
        """Take a paper out of the list now; its neighbour takes its row. The rows left, or
        None if it was not listed."""
        ids = list(self.rows.ids)
        if paper_id not in ids:
            return None
        row, top = ids.index(paper_id), self.scroll_offset.y
        ids.remove(paper_id)
        self.show_results(ids, sorted(self.terms), keep=None, row=row)
        self.scroll_to(y=top, animate=False, immediate=True)  # the rows around stay in place
        return len(ids)

    @property
    def current_id(self) -> str | None:
        return self.rows.paper_id(self.cursor)

    @property
    def count(self) -> int:
        return len(self.rows)

    # -- cursor ------------------------------------------------------------------------------

    def validate_cursor(self, value: int) -> int:
        return max(0, min(value, len(self.rows) - 1))

    def watch_cursor(self, old: int, new: int) -> None:
        self.refresh_line(old)
        self.refresh_line(new)
        self.scroll_to_cursor()
        paper_id = self.current_id
        if paper_id != self._last_id:
            self._last_id = paper_id
            self.highlight = Highlight(paper_id, by_user=self._by_user)

    def action_cursor_down(self) -> None:
        self.move(self.cursor + 1)

    def action_cursor_up(self) -> None:
        self.move(self.cursor - 1)

    def action_first(self) -> None:
        self.move(0)

    def action_last(self) -> None:
        self.move(len(self.rows) - 1)

    def action_page_down(self) -> None:
        self.move(self.cursor + max(1, self.scrollable_content_region.height - 1))

    def action_page_up(self) -> None:
        self.move(self.cursor - max(1, self.scrollable_content_region.height - 1))

    def action_select(self) -> None:
        if (paper_id := self.current_id) is not None:
            self.post_message(self.Selected(paper_id))

    def on_click(self, event: events.Click) -> None:
        offset = event.get_content_offset(self)
        if offset is None:
            return
        row = offset.y + int(self.scroll_offset.y)
        if not 0 <= row < len(self.rows):
            return
        event.stop()
        if row == self.cursor and event.chain >= 2:
            self.action_select()
        self.move(row)

    def on_resize(self, event: events.Resize) -> None:
        """A smaller terminal (or the detail shown under the list) keeps the cursor in view."""
        self.virtual_size = Size(self.scrollable_content_region.width, len(self.rows))
        self.call_after_refresh(self.scroll_to_cursor)

    # -- painting ----------------------------------------------------------------------------

    def render_line(self, y: int) -> Strip:
        width = self.scrollable_content_region.width
        row = y + int(self.scroll_offset.y)
        cursor = row == self.cursor
        key = (row, width, cursor, self.has_focus)
        if (strip := self._lines.get(key)) is not None:
            return strip  # the common case: a row painted before, unchanged
        base = self._base_style(cursor)
        if not len(self.rows):
            if y != 0:
                return Strip.blank(width, base)
            style = base + self._ink("paper-list--placeholder")
            return Strip(fit([(" " + self.placeholder, style)], width, style), width)
        paper = self.rows.get(row)
        if paper is None:
            return Strip.blank(width, base)
        # Runs of one style merged: fewer segments for Textual to crop and encode.
        strip = Strip(Segment.simplify(self._row(paper, width, base, cursor)), width)
        if len(self._lines) > _LINE_CACHE:
            self._lines.clear()
        self._lines[key] = strip
        return strip

    def _base_style(self, cursor: bool) -> Style:
        """The row background (the cursor's on its row), resolved once per focus state:
        rich_style walks every ancestor's background, too slow to do for each line."""
        key = (cursor, self.has_focus)
        if (style := self._bases.get(key)) is None:
            style = self.rich_style
            if cursor:
                style = style + self.get_component_rich_style("paper-list--cursor")
            self._bases[key] = style
        return style

    def _forget_lines(self) -> None:
        """Drop painted rows (new result, new marks, new styles); the next paint redoes them."""
        self._lines.clear()
        self._inks.clear()
        self._bases.clear()

    def notify_style_update(self) -> None:
        super().notify_style_update()
        self._forget_lines()

    def on_focus(self) -> None:
        self.refresh_line(self.cursor)

    def on_blur(self) -> None:
        self.refresh_line(self.cursor)

    def _ink(self, name: str, cursor: bool = False) -> Style:
        """A component's foreground and text style only, to lay over any row's background.

        (Resolved against the widget's background, so `auto` and alpha colours stay legible.)"""
        if (ink := self._inks.get((name, cursor))) is not None:
            return ink
        full = self.get_component_rich_style(name)
        ink = self._inks[(name, cursor)] = Style(
            color=None if cursor else full.color,  # the cursor row keeps its own contrast
            bold=full.bold,
            italic=full.italic,
            underline=full.underline,
            dim=full.dim,
        )
        return ink

    def _row(self, paper: Paper, width: int, base: Style, cursor: bool) -> list[Segment]:
        marker = base + self._ink("paper-list--marker", cursor)
        meta = base + self._ink("paper-list--meta", cursor)
        marks = (
            MARK_UNREAD if not self.marks.is_read(paper.id) else " ",
            MARK_BOOKMARK if self.marks.is_bookmarked(paper.id) else " ",
            MARK_NOTE if self.marks.has_note(paper.id) else " ",
        )
        segments = [Segment(" " + "".join(marks), marker), self._watch_mark(paper.id, base, cursor)]
        segments.append(Segment(" ", base))
        room = width - 6
        date = paper.date or paper.listed
        tail: list[Segment] = []
        if room >= 40:
            tail = [
                Segment(" ", base),
                *fit([(one_line(date), meta)], _DATE_WIDTH, meta),
                Segment(" ", base),
            ]
            room -= _DATE_WIDTH + 2
        if room >= 50 and paper.authors:  # no author: the title takes the column
            author = one_line(paper.authors[0])
            tail = [Segment("  ", base), *fit([(author, meta)], _AUTHOR_WIDTH, meta), *tail]
            room -= _AUTHOR_WIDTH + 2
        return [*segments, *fit(self._title_runs(paper.title, base, cursor), room, base), *tail]

    def _watch_mark(self, paper_id: str, base: Style, cursor: bool) -> Segment:
        """◆ for a followed paper, ⊘ for a muted one (when muted papers are shown)."""
        if self.marks.is_followed(paper_id):
            return Segment(MARK_FOLLOWED, base + self._ink("paper-list--followed", cursor))
        if self.marks.is_muted(paper_id):
            return Segment(MARK_MUTED, base + self._ink("paper-list--muted", cursor))
        return Segment(" ", base)

    def _title_runs(self, title: str, base: Style, cursor: bool) -> list[tuple[str, Style]]:
        text = one_line(title)
        if not self.terms:
            return [(text, base)]
        from reader.core.library import match_spans  # Whoosh's analysis: once there is a query

        match = base + self._ink("paper-list--match", cursor)
        runs: list[tuple[str, Style]] = []
        at = 0
        for start, end in match_spans(text, self.terms):
            runs += [(text[at:start], base), (text[start:end], match)]
            at = end
        runs.append((text[at:], base))
        return runs

    def refresh_marks(self) -> None:
        """Repaint after the user's state of a paper changed (markers only, no refetch)."""
        self._forget_lines()
        self.refresh()
