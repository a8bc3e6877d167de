"""One feed, end to end: fetch each page, parse it whole, import it, then remember it.

All or nothing per page: a page is parsed to the last record before any of it is imported,
and its validators are saved only after the import, so a page that failed is asked for in
full next time instead of being answered "304 Not Modified".
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import Protocol

from reader.core import importers
from reader.core.fetch import arxiv
from reader.core.fetch.arxiv import fetch_arxiv
from reader.core.fetch.cache import ValidatorCache
from reader.core.fetch.feeds import ArxivFeed, Feed, FetchSettings, HfFeed
from reader.core.fetch.hf import fetch_hf
from reader.core.fetch.http import FetchedPage, FetchError, HttpClient, Pacer
from reader.core.model import ImportReport, Item


class Importer(Protocol):
    """Where fetched pages go: a Library, or (in the app) a Library behind its lock."""

    def import_items(
        self, items: Iterable[Item], *, report: ImportReport | None = None
    ) -> ImportReport: ...


@dataclass(slots=True)
class FeedResult:
    """What one feed did; to_dict() is the --json contract."""

    feed: str
    pages: int = 0  # pages imported
    not_modified: int = 0  # pages the server said we already have
    report: ImportReport = field(default_factory=ImportReport)
    error: str | None = None

    def to_dict(self) -> dict[str, object]:
        counts = self.report.to_dict()
        return {
            "feed": self.feed,
            "pages": self.pages,
            "not_modified": self.not_modified,
            "added": counts["added"],
            "updated": counts["updated"],
            "duplicates": counts["duplicates"],
            "rejected": counts["rejected"],
            "warnings": counts["warnings"],
            "error": self.error,
        }


def feed_pages(
    feed: Feed,
    client: HttpClient,
    settings: FetchSettings,
    *,
    arxiv_pacer: Pacer,
    today: date,
    conditional: bool = True,
) -> Iterator[FetchedPage]:
    if isinstance(feed, HfFeed):
        return fetch_hf(client, settings.hf_url, feed.dates(today), conditional=conditional)
    assert isinstance(feed, ArxivFeed)
    return fetch_arxiv(
        client,
        settings.arxiv_url,
        feed.query,
        category=feed.category,
        max_results=feed.max,
        pacer=arxiv_pacer,
        conditional=conditional,
    )


def planned_pages(feed: Feed, today: date) -> int:
    """The pages a feed usually takes (a progress bar's share): one per Daily Papers day, and
    an arXiv query's `max` in pages. A busy day or a 304 makes it more or fewer."""
    if isinstance(feed, HfFeed):
        return len(feed.dates(today))
    return math.ceil(feed.max / arxiv.PAGE_SIZE)


def parse_page(page: FetchedPage) -> list[Item]:
    """Every item of the page, or FetchError: nothing of a page that does not parse goes in."""
    try:
        return list(importers.read_bytes(page.body, page.url))
    except importers.UnreadableFile as error:
        raise FetchError(page.url, error.reason, verb="read") from None


def run_feed(
    feed: Feed,
    library: Importer,
    client: HttpClient,
    settings: FetchSettings,
    *,
    arxiv_pacer: Pacer,
    today: date,
    conditional: bool = True,
    on_page: Callable[[FeedResult], None] | None = None,
) -> FeedResult:
    """Fetch and import one feed; a failure ends the feed with an error, never an exception.

    `on_page` hears of every page done (imported or not modified), for a progress bar; an
    exception it raises stops the feed after that page (the pages before stay imported)."""
    result = FeedResult(feed.label)
    pages = feed_pages(
        feed, client, settings, arxiv_pacer=arxiv_pacer, today=today, conditional=conditional
    )
    try:
        for page in pages:
            if page.not_modified:
                result.not_modified += 1
            else:
                library.import_items(parse_page(page), report=result.report)
                if client.cache is not None:
                    client.cache.remember(page.url, page.validators)
                result.pages += 1
            if on_page is not None:
                on_page(result)
    except FetchError as error:
        if result.pages == 1:
            kept = "the page before it was imported"
        elif result.pages:
            kept = f"the {result.pages} pages before it were imported"
        else:
            kept = "your library is unchanged"
        result.error = f"{error}; {kept}"
    return result


def run_feeds(
    feeds: Iterable[Feed],
    library: Importer,
    settings: FetchSettings,
    *,
    cache: ValidatorCache | None,
    conditional: bool = True,
    sleep: Callable[[float], None] = time.sleep,
    on_feed: Callable[[Feed], None] | None = None,
    on_page: Callable[[FeedResult], None] | None = None,
) -> Iterator[FeedResult]:
    """Run feeds in turn, yielding each one's result as it ends (`reader fetch` and the app's
    refresh). One client and one arXiv pacer for the run: two arXiv feeds share arXiv's pace.
    `sleep` is every wait (backoff, Retry-After, pacing): the app's can be interrupted."""
    client = HttpClient(cache=cache, sleep=sleep, deadline=settings.deadline)
    pacer = Pacer(settings.arxiv_delay, sleep=sleep)
    today = datetime.now(UTC).date()
    for feed in feeds:
        if on_feed is not None:
            on_feed(feed)
        yield run_feed(
            feed,
            library,
            client,
            settings,
            arxiv_pacer=pacer,
            today=today,
            conditional=conditional,
            on_page=on_page,
        )
