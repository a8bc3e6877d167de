"""One feed, end to end: fetch each page, parse it whole, import it, then remember it.

All or nothing per page: a page is parsed to the last record before any of it is imported,
and its validators are saved only after the import, so a page that failed is asked for in
full next time instead of being answered "304 Not Modified".
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING

from reader.core import importers
from reader.core.fetch.arxiv import fetch_arxiv
from reader.core.fetch.feeds import ArxivFeed, Feed, FetchSettings, HfFeed
from reader.core.fetch.hf import fetch_hf
from reader.core.fetch.http import FetchedPage, FetchError, HttpClient, Pacer
from reader.core.model import ImportReport, Record, Rejection, Warning_

if TYPE_CHECKING:
    from reader.core.library import Library


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


def parse_page(page: FetchedPage) -> list[Record | Rejection | Warning_]:
    """Every item of the page, or FetchError: nothing of a page that does not parse goes in."""
    try:
        return list(importers.read_bytes(page.body, page.url))
    except importers.UnreadableFile as error:
        raise FetchError(page.url, error.reason, verb="read") from None


def run_feed(
    feed: Feed,
    library: Library,
    client: HttpClient,
    settings: FetchSettings,
    *,
    arxiv_pacer: Pacer,
    today: date,
    conditional: bool = True,
) -> FeedResult:
    """Fetch and import one feed; a failure ends the feed with an error, never an exception."""
    result = FeedResult(feed.label)
    pages = feed_pages(
        feed, client, settings, arxiv_pacer=arxiv_pacer, today=today, conditional=conditional
    )
    try:
        for page in pages:
            if page.not_modified:
                result.not_modified += 1
                continue
            library.import_items(parse_page(page), report=result.report)
            if client.cache is not None:
                client.cache.remember(page.url, page.validators)
            result.pages += 1
    except FetchError as error:
        if result.pages == 1:
            kept = "the page before it was imported"
        elif result.pages:
            kept = f"the {result.pages} pages before it were imported"
        else:
            kept = "your library is unchanged"
        result.error = f"{error}; {kept}"
    return result
