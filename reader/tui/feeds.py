"""`R`: refresh every feed saved in the config, once at a time for the whole app, in a worker.

The same run as `reader fetch` with no arguments (run_feeds): each page is imported whole
under the library lock, so the app keeps searching and editing while the network is slow.
The run belongs to the app, not to a screen: it goes on under a list of similar papers and
after it is closed. It publishes where it stands (`progressed`, each screen of papers shows a
bar under its list) and when it is over (`finished`: the screens count their searches again
and the main one searches again). Then one line per failed feed ("could not reach ...:
reason; your library is unchanged"), and one line with what came in and which saved searches
have new papers. Closing the app stops the run between pages or during a wait.

The fetch stack (HTTP, the importers, the progress bar) loads when R is pressed: a tenth of
the app's start-up imports, for a key most sessions never press.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from functools import partial
from typing import TYPE_CHECKING

from textual.app import App
from textual.signal import Signal
from textual.worker import Worker, get_current_worker

from reader.tui.data import LibraryAccess
from reader.tui.textspans import one_line
from reader.tui.widgets.fetch_progress import FeedProgress
from reader.tui.widgets.saved_searches import Counts, SearchEntry, count_search

if TYPE_CHECKING:
    from reader.core.library import FeedResult, FetchSettings

NO_FEEDS = """No feeds to refresh. Add some to {config}, for example:

feeds:
  - hf: {{days: 1}}
  - arxiv: {{query: "all:diffusion", max: 100}}"""


class Stopped(Exception):
    """The app is closing: the refresh ends after the page it is on."""


@dataclass(frozen=True, slots=True)
class Refreshed:
    """A refresh is over: whether anything came in, and the saved searches' counts after it."""

    changed: bool
    news: dict[str, Counts] = field(default_factory=dict)


class FeedRefresh:
    def __init__(self, app: App[object], data: LibraryAccess) -> None:
        self.app = app
        self.data = data
        self.progress: FeedProgress | None = None  # None: no refresh is running
        self.progressed: Signal[FeedProgress | None] = Signal(app, "feeds-progressed")
        self.finished: Signal[Refreshed] = Signal(app, "feeds-finished")
        self._worker: Worker[None] | None = None

    @property
    def running(self) -> bool:
        return self.progress is not None

    def start(self) -> None:
        """Refresh the config's feeds, unless they are being refreshed already."""
        from reader.core.library import FeedConfigError, load_fetch_settings, planned_pages

        if self.running:
            self.app.notify("The feeds are being refreshed already.")
            return
        config = self.data.paths.config_file
        try:
            settings = load_fetch_settings(config)
        except FeedConfigError as error:
            self.app.notify(f"Cannot refresh: {error}", severity="error", timeout=15, markup=False)
            return
        if not settings.feeds:
            message = NO_FEEDS.format(config=config)
            self.app.notify(message, severity="warning", timeout=20, markup=False)
            return
        today = datetime.now(UTC).date()
        self.progress = FeedProgress([planned_pages(feed, today) for feed in settings.feeds])
        self.progressed.publish(self.progress)
        self._worker = self.app.run_worker(
            lambda: self._run(settings),
            name="refresh feeds",
            group="fetch",
            thread=True,
            exit_on_error=False,
        )

    def stop(self) -> None:
        """The app is closing: end the run after the page it is on."""
        if self._worker is not None:
            self._worker.cancel()

    def _run(self, settings: FetchSettings) -> None:
        from reader.core.library import ValidatorCache, run_feeds

        worker = get_current_worker()
        call = self.app.call_from_thread

        def wait(seconds: float) -> None:  # backoff and arXiv's pace, cut short by closing
            if worker.cancelled_event.wait(seconds):
                raise Stopped

        def advance(step: Callable[[FeedProgress], None]) -> None:
            if worker.is_cancelled:
                raise Stopped
            call(self._advance, step)

        results: list[FeedResult] = []
        try:
            for result in run_feeds(
                settings.feeds,
                self.data,
                settings,
                cache=ValidatorCache(self.data.paths.data_dir),
                sleep=wait,
                on_feed=lambda feed: advance(
                    partial(FeedProgress.feed_started, name=one_line(feed.label))
                ),
                on_page=lambda _: advance(FeedProgress.page_done),
            ):
                results.append(result)
                advance(FeedProgress.feed_done)
            news = self._new_in_saved_searches()
        except Stopped:
            return
        except Exception as error:  # a worker reports, never kills the app
            call(self.app.notify, f"Refresh failed: {error}", severity="error", markup=False)
            news = {}
        call(self._finish, results, news)

    def _new_in_saved_searches(self) -> dict[str, Counts]:
        """The counts of the user's saved searches after the refresh (from the worker)."""
        with self.data.user_lock:
            saved = [SearchEntry(s.name, s.query) for s in self.data.user.saved_searches()]
        counts: dict[str, Counts] = {}
        for entry in saved:
            try:
                counts[entry.name] = self.data.locked(lambda lib, e=entry: count_search(lib, e))
            except Exception:  # a saved search whose query fails counts as unknown
                continue
        return counts

    def _advance(self, step: Callable[[FeedProgress], None]) -> None:
        if self.progress is not None:
            step(self.progress)
            self.progressed.publish(self.progress)

    def _finish(self, results: list[FeedResult], news: dict[str, Counts]) -> None:
        self.progress = None
        self._worker = None
        self.progressed.publish(None)
        for result in results:
            if result.error:
                self.app.notify(result.error, severity="error", timeout=15, markup=False)
        worked = [result for result in results if result.error is None or result.pages]
        if worked:
            self.app.notify(summary(worked, news), timeout=10, markup=False)
        # Nothing came in: the lists and the counts are as they were.
        self.finished.publish(Refreshed(any(result.pages for result in results), news))


def summary(results: list[FeedResult], news: dict[str, Counts]) -> str:
    added = sum(result.report.added for result in results)
    updated = sum(result.report.updated for result in results)
    unchanged = sum(result.not_modified for result in results)
    feeds = f"{len(results)} feed{'s' if len(results) != 1 else ''}"
    if not added and not updated:
        text = f"Refreshed {feeds}: nothing new"
    else:
        text = f"Refreshed {feeds}: {added:,} added, {updated:,} updated"
    if unchanged:
        text += f" ({unchanged} page{'s' if unchanged != 1 else ''} not modified)"
    fresh = [f"{one_line(name)} +{counts.new:,}" for name, counts in news.items() if counts.new]
    if fresh:
        text += ".\nNew in your saved searches: " + ", ".join(fresh)
    return text + "."
