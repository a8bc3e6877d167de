"""`R`: refresh every feed saved in the config, in a worker (a mixin of MainScreen).

The same run as `reader fetch` with no arguments (reader.core.fetch.runner.run_feeds): each
page is imported whole under the library lock, so the app keeps searching and editing while
the network is slow; a progress bar under the list advances per page and per feed. Then one
line per failed feed ("could not reach ...: reason; your library is unchanged"), one line
with what came in and which saved searches have new papers, and the list and the counts are
refreshed. Closing the app stops the run between pages or during a wait.

The fetch stack (HTTP, the importers, the progress bar) loads when R is pressed: a tenth of
the app's start-up imports, for a key most sessions never press.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import TYPE_CHECKING, ClassVar

from textual import work
from textual.binding import Binding, BindingType
from textual.widgets import Input
from textual.worker import get_current_worker

from reader.tui.textspans import one_line
from reader.tui.widgets.saved_searches import BUILTINS, Counts

if TYPE_CHECKING:
    from reader.core.library import FeedResult, FetchSettings
    from reader.tui.screens.main import MainScreen
    from reader.tui.widgets.fetch_progress import FetchProgress

NO_FEEDS = """No feeds to refresh. Add some to {config}, for example:

feeds:
  - hf: {{days: 1}}
  - arxiv: {{query: "all:diffusion", max: 100}}"""


class Stopped(Exception):
    """The app is closing: the refresh ends after the page it is on."""


class FetchActions:
    FETCH_BINDINGS: ClassVar[list[BindingType]] = [
        Binding(
            "R",
            "refresh_feeds",
            "Refresh",
            id="refresh",
            priority=True,
            tooltip="Refresh every saved feed",
        ),
    ]

    def check_action(self: MainScreen, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "refresh_feeds" and isinstance(self.focused, Input):
            return False  # typing in the search bar: R is a letter
        return super().check_action(action, parameters)  # type: ignore[misc]

    @property
    def fetching(self: MainScreen) -> bool:
        return bool(self.query("FetchProgress"))

    def action_refresh_feeds(self: MainScreen) -> None:
        from reader.core.library import FeedConfigError, load_fetch_settings, planned_pages
        from reader.tui.widgets.fetch_progress import FetchProgress

        if self.fetching:
            self.notify("The feeds are being refreshed already.")
            return
        config = self.data.paths.config_file
        try:
            settings = load_fetch_settings(config)
        except FeedConfigError as error:
            self.notify(f"Cannot refresh: {error}", severity="error", timeout=15, markup=False)
            return
        if not settings.feeds:
            self.notify(
                NO_FEEDS.format(config=config), severity="warning", timeout=20, markup=False
            )
            return
        today = datetime.now(UTC).date()
        progress = FetchProgress([planned_pages(feed, today) for feed in settings.feeds])
        self.query_one("#results").mount(progress)
        self.refresh_feeds(settings, progress)

    @work(thread=True, group="fetch", exit_on_error=False)
    def refresh_feeds(self: MainScreen, settings: FetchSettings, progress: FetchProgress) -> None:
        from reader.core.library import ValidatorCache, run_feeds

        worker = get_current_worker()
        call = self.app.call_from_thread

        def wait(seconds: float) -> None:  # backoff and arXiv's pace, cut short by closing
            if worker.cancelled_event.wait(seconds):
                raise Stopped

        def page_done(_: FeedResult) -> None:
            call(progress.page_done)
            if worker.is_cancelled:
                raise Stopped

        results: list[FeedResult] = []
        try:
            for result in run_feeds(
                settings.feeds,
                self.data,
                settings,
                cache=ValidatorCache(self.data.paths.data_dir),
                sleep=wait,
                on_feed=lambda feed: call(progress.feed_started, one_line(feed.label)),
                on_page=page_done,
            ):
                results.append(result)
                call(progress.feed_done)
            news = self._new_in_saved_searches()
        except Stopped:
            return
        except Exception as error:  # a worker reports, never kills the app
            call(self.notify, f"Refresh failed: {error}", severity="error", markup=False)
            news = {}
        finally:
            if not worker.is_cancelled:
                call(progress.remove)
        call(self._refreshed, results, news)

    def _new_in_saved_searches(self: MainScreen) -> dict[str, Counts]:
        """The counts of the user's saved searches after the refresh (from the worker)."""
        counts: dict[str, Counts] = {}
        for entry in self.saved.entries:
            if not entry.builtin:
                try:
                    counts[entry.name] = self.data.locked(lambda lib, e=entry: self._count(lib, e))
                except Exception:  # a saved search whose query fails counts as unknown
                    continue
        return counts

    def _refreshed(self: MainScreen, results: list[FeedResult], news: dict[str, Counts]) -> None:
        for result in results:
            if result.error:
                self.notify(result.error, severity="error", timeout=15, markup=False)
        worked = [result for result in results if result.error is None or result.pages]
        if worked:
            self.notify(_summary(worked, news), timeout=10, markup=False)
        if not any(result.pages for result in results):
            return  # nothing came in: the list and the counts are as they were
        self.saved.set_counts(news)
        self.count_searches(list(BUILTINS))
        if self._similar is None:  # a list of similar papers stays as it is
            self.search(self.query_text)


def _summary(results: list[FeedResult], news: dict[str, Counts]) -> str:
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
