"""One line under the list: how many papers, in which order, and how long the search took."""

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
    context: reactive[str | None] = reactive(None)  # what the list is, when not a search

    def render(self) -> Content:
        if self.total is None:
            return Content("Loading the library…")
        noun = "paper" if self.total == 1 else "papers"
        parts = [f"{self.total:,} {noun}", self.context or f"sorted by {self.sort}"]
        if self.took_ms is not None:
            parts.append(f"{self.took_ms:,.0f} ms")
        text = " · ".join(parts)
        if self.position is not None and self.total:
            text += f"  [{self.position:,}/{self.total:,}]"
        if self.indexing:
            text += "  building the search index…"
        elif self.busy:
            text += "  searching…"
        return Content(text)
