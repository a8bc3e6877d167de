"""One line under the list: how many papers, in which order, and how long the search took;
in a feed, how many muted papers it leaves out (and the key that shows them); while the
store is checked after an unclean end, that it is."""

from __future__ import annotations

from textual.content import Content
from textual.reactive import reactive
from textual.widget import Widget


class StatusLine(Widget):
    """State in reactives; the screen sets them after each search and the line repaints."""

    total: reactive[int | None] = reactive(None)
    sort: reactive[str] = reactive("relevance")
    took_ms: reactive[float | None] = reactive(None)
    position: reactive[int | None] = reactive(None)  # 1-based row of the cursor
    busy: reactive[bool] = reactive(False)
    indexing: reactive[bool] = reactive(False)
    checking: reactive[bool] = reactive(False)  # the store check after an unclean end runs
    context: reactive[str | None] = reactive(None)  # what the list is, when not a search
    hidden: reactive[int] = reactive(0)  # muted papers the feed on show leaves out
    muted_shown: reactive[bool] = reactive(False)  # the feed shows its muted papers

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.muted_key = "ctrl+u"  # the key that shows or hides them (after the keymap)

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
        if self.checking:
            text += "  Checking the store after an unclean end…"
        if self.indexing:
            text += "  building the search index…"
        elif self.busy:
            text += "  searching…"
        return Content(text)
