"""A feed end to end into a real library (SQLite + index in a tmp dir), page by page."""

from __future__ import annotations

import json
from datetime import date

import pytest
from fake_server import FIXTURES, FakeServer, Reply

from reader.core.fetch.cache import ValidatorCache
from reader.core.fetch.feeds import ArxivFeed, FetchSettings, HfFeed
from reader.core.fetch.hf import page_url
from reader.core.fetch.http import HttpClient, Pacer
from reader.core.fetch.runner import FeedResult, planned_pages, run_feed, run_feeds
from reader.core.library.facade import Library

MARCH_11 = date(2024, 3, 11)
HF_IDS = ["2303.06296", "2211.15661", "2302.12091"]


@pytest.fixture
def settings(server: FakeServer) -> FetchSettings:
    return FetchSettings(hf_url=server.url, arxiv_url=f"{server.url}/api/query")


def run(feed, library: Library, client: HttpClient, settings: FetchSettings, **hooks) -> FeedResult:  # type: ignore[no-untyped-def]
    return run_feed(
        feed, library, client, settings, arxiv_pacer=Pacer(0.01), today=MARCH_11, **hooks
    )


def test_hf_page_is_imported_with_upvotes(
    server: FakeServer, library: Library, client: HttpClient, settings: FetchSettings
) -> None:
    result = run(HfFeed(date=MARCH_11), library, client, settings)
    assert result.error is None and result.pages == 1
    assert (result.report.added, result.report.updated, result.report.duplicates) == (3, 0, 0)
    paper = library.get("2303.06296")
    assert paper is not None and paper.upvotes == 42 and paper.authors[0] == "Shuangfei Zhai"
    assert library.count() == 3
    assert result.to_dict()["added"] == 3 and result.to_dict()["feed"] == "hf 2024-03-11"


def test_an_unchanged_page_is_not_modified_the_next_time(
    server: FakeServer, library: Library, client: HttpClient, settings: FetchSettings
) -> None:
    server.etag = '"day-11-v1"'
    run(HfFeed(date=MARCH_11), library, client, settings)
    again = run(HfFeed(date=MARCH_11), library, client, settings)
    assert server.seen[1].headers["If-None-Match"] == '"day-11-v1"'
    assert (again.pages, again.not_modified, again.report.added, again.error) == (0, 1, 0, None)
    assert library.count() == 3


def test_a_page_that_does_not_parse_imports_nothing_and_is_not_remembered(
    server: FakeServer,
    library: Library,
    client: HttpClient,
    cache: ValidatorCache,
    settings: FetchSettings,
) -> None:
    whole = (FIXTURES / "hf_2024-03-11.json").read_bytes()
    server.queue("/api/daily_papers", Reply(200, whole[:-40], {"ETag": '"v1"'}))
    failed = run(HfFeed(date=MARCH_11), library, client, settings)
    url = page_url(server.url, MARCH_11)
    assert failed.error is not None
    assert failed.error.startswith(f"could not read {url}: the response is not valid JSON")
    assert failed.error.endswith("; your library is unchanged")
    assert library.count() == 0
    assert not cache.get(url)  # so the next run asks for the whole page, not "modified since"

    server.etag = '"v1"'
    retried = run(HfFeed(date=MARCH_11), library, client, settings)
    assert "If-None-Match" not in server.seen[1].headers
    assert retried.report.added == 3 and cache.get(url).etag == '"v1"'


def test_whole_page_trouble_from_the_importer_is_a_failed_page(
    server: FakeServer, library: Library, client: HttpClient, settings: FetchSettings
) -> None:
    server.queue("/api/daily_papers", Reply(200, b" " * 70_000 + b"[]"))
    result = run(HfFeed(date=MARCH_11), library, client, settings)
    assert result.error == (
        f"could not read {page_url(server.url, MARCH_11)}: starts with 64 KiB of blanks; "
        "your library is unchanged"
    )


def test_a_bad_record_is_rejected_and_the_rest_of_the_page_goes_in(
    server: FakeServer, library: Library, client: HttpClient, settings: FetchSettings
) -> None:
    papers = json.loads((FIXTURES / "hf_2024-03-11.json").read_text(encoding="utf-8"))
    papers[1]["paper"]["title"] = papers[1]["title"] = ""
    server.queue("/api/daily_papers", Reply(200, json.dumps(papers).encode()))
    result = run(HfFeed(date=MARCH_11), library, client, settings)
    assert result.error is None and result.report.added == 2
    assert [r.reason for r in result.report.rejected] == ["no title"]


def test_arxiv_pages_before_a_failure_stay_imported(
    server: FakeServer, library: Library, client: HttpClient, settings: FetchSettings
) -> None:
    second = (FIXTURES / "arxiv_start2.xml").read_bytes()
    server.queue(
        "/api/query",
        Reply(200, (FIXTURES / "arxiv_start0.xml").read_bytes()),
        Reply(200, second[: len(second) // 2]),
    )
    result = run(ArxivFeed("all:operator", "cs.LG", 5), library, client, settings)
    assert result.pages == 1 and result.report.added == 2
    assert result.error is not None and "not well-formed XML" in result.error
    assert result.error.endswith("; the page before it was imported")
    assert library.count() == 2


def test_arxiv_feed_pages_to_the_end(
    server: FakeServer, library: Library, client: HttpClient, settings: FetchSettings
) -> None:
    result = run(ArxivFeed("all:operator", "cs.LG", 50), library, client, settings)
    assert (result.pages, result.report.added, result.error) == (3, 5, None)
    assert [seen.arg("start") for seen in server.seen] == ["0", "2", "4"]
    assert library.get("2405.19101") is not None


def test_each_page_is_reported_as_it_is_done(
    server: FakeServer, library: Library, client: HttpClient, settings: FetchSettings
) -> None:
    seen: list[tuple[int, int]] = []
    result = run(
        ArxivFeed("all:operator", "cs.LG", 50),
        library,
        client,
        settings,
        on_page=lambda done: seen.append((done.pages, done.report.added)),
    )
    assert seen == [(1, 2), (2, 4), (3, 5)] and result.pages == 3


def test_a_page_report_that_raises_stops_the_feed_after_that_page(
    server: FakeServer, library: Library, client: HttpClient, settings: FetchSettings
) -> None:
    class Stop(Exception):
        pass

    def stop(done: FeedResult) -> None:
        raise Stop

    with pytest.raises(Stop):
        run(ArxivFeed("all:operator", "cs.LG", 50), library, client, settings, on_page=stop)
    assert library.count() == 2 and len(server.seen) == 1


def test_planned_pages() -> None:
    assert planned_pages(HfFeed(days=3), MARCH_11) == 3
    assert planned_pages(HfFeed(date=MARCH_11), MARCH_11) == 1
    assert planned_pages(ArxivFeed("all:x", max=100), MARCH_11) == 1
    assert planned_pages(ArxivFeed("all:x", max=450), MARCH_11) == 3


def test_run_feeds_runs_each_feed_in_turn_with_every_wait_through_sleep(
    server: FakeServer, library: Library, cache: ValidatorCache
) -> None:
    settings = FetchSettings(
        hf_url=server.url, arxiv_url=f"{server.url}/api/query", arxiv_delay=3.0
    )
    server.etag = '"v1"'
    waits: list[float] = []
    started: list[str] = []
    feeds = [HfFeed(date=MARCH_11), ArxivFeed("all:operator", "cs.LG", 50)]
    results = list(
        run_feeds(
            feeds,
            library,
            settings,
            cache=cache,
            sleep=waits.append,  # no real waiting: the pacer's 3 s come here
            on_feed=lambda feed: started.append(feed.label),
        )
    )
    assert [r.feed for r in results] == started == [f.label for f in feeds]
    assert [r.report.added + r.report.updated for r in results] == [3, 5]
    assert all(r.error is None for r in results)
    assert len(waits) == 2 and all(0 < w <= 3.0 for w in waits)  # between the 3 arXiv pages
    assert cache.get(page_url(server.url, MARCH_11)).etag == '"v1"'  # the run's own cache
