"""A one-line bar under the paper list while the feeds refresh: which feed, and how far.

FeedProgress is where the one refresh of the app stands; FetchProgress shows it, and each
screen of papers has one while a refresh runs (reader.tui.feeds tells them). Each feed gets a
share of the bar as large as the pages it usually takes (one per Daily Papers day, `max` in
pages for arXiv); a page done advances the bar within the feed's share, and a feed done
fills its share, however many pages it really took. Feed names come from the user's config:
shown as Content, never markup.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.content import Content
from textual.widgets import Label

if TYPE_CHECKING:
    from textual.widgets import ProgressBar


class FeedProgress:
    """How far a refresh of the feeds has come: the bar's total and progress, and its label."""

    def __init__(self, shares: Sequence[int]) -> None:
        self.shares = [max(1, share) for share in shares]
        self.feed = -1  # the feed being fetched (its index in shares)
        self.start = 0  # where its share of the bar begins
        self.pages = 0  # pages done in it
        self.label = "Refreshing feeds…"

    @property
    def total(self) -> int:
        return sum(self.shares)

    @property
    def done(self) -> int:
        if not 0 <= self.feed < len(self.shares):
            return self.start
        return self.start + min(self.pages, self.shares[self.feed])

    def feed_started(self, name: str) -> None:
        if self.feed >= 0:
            self.start += self.shares[self.feed]
        self.feed += 1
        self.pages = 0
        count = len(self.shares)
        step = f" {self.feed + 1}/{count}" if count > 1 else ""
        self.label = f"Refreshing{step}: {name}"

    def page_done(self) -> None:
        self.pages += 1

    def feed_done(self) -> None:
        if 0 <= self.feed < len(self.shares):
            self.pages = self.shares[self.feed]


class FetchProgress(Horizontal):
    def __init__(self, progress: FeedProgress, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.progress = progress

    def compose(self) -> ComposeResult:
        from textual.widgets import ProgressBar  # with the refresh, not before the first paint

        yield Label(Content(self.progress.label), id="fetch-label", markup=False)
        yield ProgressBar(total=self.progress.total, show_eta=False, id="fetch-bar")

    @property
    def bar(self) -> ProgressBar:
        from textual.widgets import ProgressBar

        return self.query_one("#fetch-bar", ProgressBar)

    def show(self, progress: FeedProgress) -> None:
        """Show where the refresh stands now."""
        self.progress = progress
        self.query_one("#fetch-label", Label).update(Content(progress.label))
        self.bar.update(total=progress.total, progress=progress.done)
