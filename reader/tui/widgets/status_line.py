"""One line under the list: how many papers, in which order, and how long the search took;
in a feed, how many muted papers it leaves out (and the key that shows them); while the
store is checked after an unclean end, that it is."""

from __future__ import annotations

from textual.content import Content
from textual.reactive import reactive
from textual.timer import Timer
from textual.widget import Widget

SAY_BUSY_AFTER_S = 0.1  # a search that lands sooner never shows "searching…"


class StatusLine(Widget):
    """State in reactives; the screen sets them after each search and the line repaints."""

    total: reactive[int | None] = reactive(None)
    sort: reactive[str] = reactive("relevance")
    took_ms: reactive[float | None] = reactive(None)
    position: reactive[int | None] = reactive(None)  # 1-based row of the cursor
    # A search is on its way. Said only once it takes a while: a repaint the moment it starts
    # would be a frame drawn while the search needs the CPU, for a word shown a few ms.
    busy: reactive[bool] = reactive(False, repaint=False)
    searching: reactive[bool] = reactive(False)  # "searching…" is on show
    indexing: reactive[bool] = reactive(False)
    checking: reactive[bool] = reactive(False)  # the store check after an unclean end runs
    context: reactive[str | None] = reactive(None)  # what the list is, when not a search
    hidden: reactive[int] = reactive(0)  # muted papers the feed on show leaves out
    muted_shown: reactive[bool] = reactive(False)  # the feed shows its muted papers

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.muted_key = "ctrl+u"  # the key that shows or hides them (after the keymap)
        self._busy_timer: Timer | None = None

    def watch_busy(self, busy: bool) -> None:
        if self._busy_timer is not None:
            self._busy_timer.stop()
            self._busy_timer = None
        if busy:
            self._busy_timer = self.set_timer(SAY_BUSY_AFTER_S, self._say_busy)
        else:
            self.searching = False

    def _say_busy(self) -> None:
        self._busy_timer = None
        self.searching = self.busy

    def render(self) -> Content:
        if self.total is None:
            return Content("Loading the library…")
        noun = "paper" if self.total == 1 else "papers"
        parts = [f"{self.total:,} {noun}"]
        if self.muted_shown:
            parts.append(f"muted shown ({self.muted_key} hides)")
        elif self.hidden:
            parts.append(f"{self.hidden:,} muted hidden ({self.muted_key} shows)")
        parts.append(self.context or f"sorted by {self.sort}")
        if self.took_ms is not None:
            parts.append(f"{self.took_ms:,.0f} ms")
        text = " · ".join(parts)
        if self.position is not None and self.total:
            text += f"  [{self.position:,}/{self.total:,}]"
        # What is under way comes first: the line is cut at the list's width, and a narrow
        # list (the detail beside it) showed only the counts while a big index was built.
        doing = []
        if self.checking:
            doing.append("Checking the store after an unclean end…")
        if self.indexing:
            doing.append("building the search index…")
        elif self.searching:
            doing.append("searching…")
        return Content("  ".join([*doing, text]))
