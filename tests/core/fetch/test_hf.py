"""Hugging Face Daily Papers paging against a local server that serves the API's JSON."""

from __future__ import annotations

import json
from datetime import date

import pytest
from fake_server import FakeServer, Reply

from reader.core.fetch.hf import days_back, fetch_hf, page_url, paper_ids, parse_date
from reader.core.fetch.http import FetchError, HttpClient

MARCH_11 = date(2024, 3, 11)
MARCH_10 = date(2024, 3, 10)


def test_one_day_one_page(server: FakeServer, client: HttpClient) -> None:
    pages = list(fetch_hf(client, server.url, [MARCH_11]))
    assert len(pages) == 1
    assert paper_ids(pages[0]) == ["2303.06296", "2211.15661", "2302.12091"]
    assert server.paths() == ["/api/daily_papers?date=2024-03-11&limit=100&p=0"]


def test_pages_through_a_day_and_over_several_days(server: FakeServer, client: HttpClient) -> None:
    pages = list(fetch_hf(client, server.url, [MARCH_11, MARCH_10], page_size=2))
    assert [paper_ids(page) for page in pages] == [
        ["2303.06296", "2211.15661"],
        ["2302.12091"],  # a short page: the day is done
        ["2310.06110", "2303.06296"],
        # 2024-03-10 has exactly two papers: a full page, so one more (empty) page is asked for
    ]
    assert server.paths() == [
        "/api/daily_papers?date=2024-03-11&limit=2&p=0",
        "/api/daily_papers?date=2024-03-11&limit=2&p=1",
        "/api/daily_papers?date=2024-03-10&limit=2&p=0",
        "/api/daily_papers?date=2024-03-10&limit=2&p=1",
    ]


def test_a_server_that_ignores_p_does_not_loop(server: FakeServer, client: HttpClient) -> None:
    same = json.dumps([{"paper": {"id": "2303.06296"}}, {"paper": {"id": "2211.15661"}}]).encode()
    server.queue("/api/daily_papers", *[Reply(200, same)] * 5)
    pages = list(fetch_hf(client, server.url, [MARCH_11], page_size=2))
    assert len(pages) == 1 and len(server.seen) == 2


def test_not_modified_ends_the_day(server: FakeServer, client: HttpClient) -> None:
    server.queue("/api/daily_papers", Reply(304, headers={"ETag": '"a"'}))
    pages = list(fetch_hf(client, server.url, [MARCH_11], page_size=2))
    assert [page.not_modified for page in pages] == [True]
    assert len(server.seen) == 1


def test_malformed_json_is_a_clear_error(server: FakeServer, client: HttpClient) -> None:
    server.queue("/api/daily_papers", Reply(200, b'[{"paper": {"id": "2303.06296", "title": "'))
    with pytest.raises(FetchError) as caught:
        list(fetch_hf(client, server.url, [MARCH_11]))
    message = str(caught.value)
    assert message.startswith(f"could not read {page_url(server.url, MARCH_11)}: ")
    assert "the response is not valid JSON" in message


def test_json_that_is_not_a_list_is_a_clear_error(server: FakeServer, client: HttpClient) -> None:
    server.queue("/api/daily_papers", Reply(200, b'{"error": "Invalid date"}'))
    with pytest.raises(FetchError, match="not a JSON list of papers"):
        list(fetch_hf(client, server.url, [MARCH_11]))


def test_dates() -> None:
    assert days_back(3, MARCH_11) == [MARCH_11, MARCH_10, date(2024, 3, 9)]
    assert parse_date("2024-02-29") == date(2024, 2, 29)
    for bad, reason in (("2024-02-30", "not a real date"), ("20240311", "not a YYYY-MM-DD")):
        with pytest.raises(ValueError, match=reason):
            parse_date(bad)
    with pytest.raises(ValueError, match="days must be between 1 and 60"):
        days_back(0, MARCH_11)
