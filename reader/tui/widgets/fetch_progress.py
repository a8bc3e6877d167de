"""A one-line bar under the paper list while the feeds refresh: which feed, and how far.

Each feed gets a share of the bar as large as the pages it usually takes (one per Daily
Papers day, `max` in pages for arXiv); a page done advances the bar within the feed's share,
and a feed done fills its share, however many pages it really took. Feed names come from the
user's config: shown as Content, never markup.
"""

from __future__ import annotations

from collections.abc import Sequence

from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.content import Content
from textual.widgets import Label, ProgressBar


class FetchProgress(Horizontal):
    def __init__(self, shares: Sequence[int], *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.shares = [max(1, share) for share in shares]
        self._feed = -1
        self._start = 0  # where the current feed's share begins
        self._pages = 0  # pages done in the current feed

    def compose(self) -> ComposeResult:
        yield Label(Content("Refreshing feeds…"), id="fetch-label", markup=False)
        yield ProgressBar(total=sum(self.shares), show_eta=False, id="fetch-bar")

    @property
    def bar(self) -> ProgressBar:
        return self.query_one(ProgressBar)

    def feed_started(self, label: str) -> None:
        if self._feed >= 0:
            self._start += self.shares[self._feed]
        self._feed += 1
        self._pages = 0
        self.bar.update(progress=self._start)
        count = len(self.shares)
        step = f" {self._feed + 1}/{count}" if count > 1 else ""
        self.query_one(Label).update(Content(f"Refreshing{step}: {label}"))

    def page_done(self) -> None:
        if 0 <= self._feed < len(self.shares):
            self._pages += 1
            share = self.shares[self._feed]
            self.bar.update(progress=self._start + min(self._pages, share))

    def feed_done(self) -> None:
        if 0 <= self._feed < len(self.shares):
            self.bar.update(progress=self._start + self.shares[self._feed])
