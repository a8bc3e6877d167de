"""A one-line bar under the paper list while a job on a paper runs: a PDF coming in (how far),
a summary being written (a pulse: nobody knows how long it takes). The key that stops it is on
the line. Titles are the papers' text: shown as Content, never markup.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.content import Content
from textual.widgets import Label

if TYPE_CHECKING:
    from textual.widgets import ProgressBar

TITLE_ROOM = 48  # characters of a paper's title in a job's label


@dataclass(frozen=True, slots=True)
class JobProgress:
    """Where a job stands: what it is, and how far (total None: no measure, the bar pulses)."""

    label: str
    total: float | None = None
    done: float = 0
    percent: bool = True  # show how far in percent (when the total is known)


class JobLine(Horizontal):
    def __init__(self, progress: JobProgress, stop_key: str, *, id: str | None = None) -> None:
        super().__init__(id=id, classes="job-line")
        self.progress = progress
        self.stop_key = stop_key

    def compose(self) -> ComposeResult:
        from textual.widgets import ProgressBar  # with the first job, not before the first paint

        yield Label(Content(self.progress.label), classes="job-label", markup=False)
        yield ProgressBar(
            total=self.progress.total,
            show_eta=False,
            show_percentage=self.progress.percent,
            classes="job-bar",
        )
        yield Label(Content(f"{self.stop_key} stops"), classes="job-stop", markup=False)

    @property
    def bar(self) -> ProgressBar:
        from textual.widgets import ProgressBar

        return self.query_one(".job-bar", ProgressBar)

    def show(self, progress: JobProgress) -> None:
        self.progress = progress
        self.query_one(".job-label", Label).update(Content(progress.label))
        self.bar.update(total=progress.total, progress=progress.done)


def short(title: str, room: int = TITLE_ROOM) -> str:
    """A title cut to `room` characters for a job's label."""
    return title if len(title) <= room else title[: room - 1].rstrip() + "…"
