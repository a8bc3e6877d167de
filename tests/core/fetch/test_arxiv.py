"""arXiv API paging and pacing against a local server that serves Atom pages."""

from __future__ import annotations

import itertools
from pathlib import Path

import pytest
from fake_server import FIXTURES, FakeServer, Reply, empty_feed

from reader.core.fetch.arxiv import feed_counts, fetch_arxiv, search_query
from reader.core.fetch.http import FetchError, HttpClient, Pacer

GAP = 0.2  # a tiny pace for tests; the default is arXiv's 3 s (see test_feeds)


def fixture(name: str) -> bytes:
    return Path(FIXTURES / name).read_bytes()


def test_pages_until_the_results_end_at_the_requested_pace(
    server: FakeServer, client: HttpClient
) -> None:
    api = f"{server.url}/api/query"
    pages = list(
        fetch_arxiv(
            client,
            api,
            "all:operator",
            category="cs.LG",
            max_results=50,
            pacer=Pacer(GAP),
            page_size=2,
        )
    )
    assert [feed_counts(page) for page in pages] == [(2, 5), (2, 5), (1, 5)]
    query = "search_query=%28all%3Aoperator%29+AND+cat%3Acs.LG"
    order = "sortBy=submittedDate&sortOrder=descending"
    assert [page.url for page in pages] == [
        f"{api}?{query}&start={start}&max_results=2&{order}" for start in (0, 2, 4)
    ]
    arrivals = [seen.at for seen in server.seen]
    gaps = [later - earlier for earlier, later in itertools.pairwise(arrivals)]
    assert len(gaps) == 2 and min(gaps) >= GAP  # a lower bound: arXiv asks us to wait


def test_max_results_limits_the_requests(server: FakeServer, client: HttpClient) -> None:
    api = f"{server.url}/api/query"
    pages = list(
        fetch_arxiv(client, api, "all:operator", max_results=3, pacer=Pacer(0), page_size=2)
    )
    assert [seen.arg("max_results") for seen in server.seen] == ["2", "1"]
    assert [feed_counts(page)[0] for page in pages] == [2, 2]  # the server may send a bit more


def test_a_short_page_mid_query_continues_from_what_came(
    server: FakeServer, client: HttpClient
) -> None:
    server.queue("/api/query", Reply(200, fixture("arxiv_start4.xml")))  # 1 entry of 5
    pages = list(
        fetch_arxiv(client, f"{server.url}/api/query", "all:x", max_results=5, pacer=Pacer(0))
    )
    assert [seen.arg("start") for seen in server.seen] == ["0", "1"]
    assert [feed_counts(page)[0] for page in pages] == [1, 0]  # start=1 has no fixture: empty


def test_an_empty_result_is_one_page(server: FakeServer, client: HttpClient) -> None:
    server.queue("/api/query", Reply(200, empty_feed()))
    pages = list(fetch_arxiv(client, f"{server.url}/api/query", "ti:nothing", pacer=Pacer(0)))
    assert len(pages) == 1 and feed_counts(pages[0]) == (0, 0)


def test_truncated_xml_is_a_clear_error(server: FakeServer, client: HttpClient) -> None:
    whole = fixture("arxiv_start0.xml")
    server.queue("/api/query", Reply(200, whole[: len(whole) // 2]))
    with pytest.raises(FetchError) as caught:
        list(fetch_arxiv(client, f"{server.url}/api/query", "all:x", pacer=Pacer(0)))
    assert str(caught.value).startswith(f"could not read {server.url}/api/query?")
    assert "the response is not well-formed XML" in str(caught.value)


def test_an_entity_bomb_is_refused(server: FakeServer, client: HttpClient) -> None:
    bomb = (
        b'<?xml version="1.0"?><!DOCTYPE f [<!ENTITY a "aaaaaaaaaa">'
        b'<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]>'
        b'<feed xmlns="http://www.w3.org/2005/Atom"><title>&b;</title></feed>'
    )
    server.queue("/api/query", Reply(200, bomb))
    with pytest.raises(FetchError, match="forbidden XML"):
        list(fetch_arxiv(client, f"{server.url}/api/query", "all:x", pacer=Pacer(0)))


def test_arxiv_error_feed_is_quoted(server: FakeServer, client: HttpClient) -> None:
    server.queue("/api/query", Reply(400, fixture("arxiv_error.xml")))
    with pytest.raises(FetchError) as caught:
        list(fetch_arxiv(client, f"{server.url}/api/query", "all:x", pacer=Pacer(0)))
    assert caught.value.reason == (
        "HTTP 400 Bad Request; arXiv says: max_results must be less than 30000"
    )
    assert len(server.seen) == 1  # a bad query is not retried


def test_arxiv_error_entry_in_a_200_is_an_error_too(server: FakeServer, client: HttpClient) -> None:
    server.queue("/api/query", Reply(200, fixture("arxiv_error.xml")))
    with pytest.raises(FetchError, match="arXiv says: max_results must be less than 30000"):
        list(fetch_arxiv(client, f"{server.url}/api/query", "all:x", pacer=Pacer(0)))


def test_search_query_syntax() -> None:
    assert search_query("all:diffusion") == "all:diffusion"
    assert search_query("ti:a OR ti:b", "cs.LG") == "(ti:a OR ti:b) AND cat:cs.LG"
    assert search_query("", "hep-th") == "cat:hep-th"
    with pytest.raises(ValueError, match="not an arXiv category"):
        search_query("x", "cs.LG; DROP")


def test_limits_are_checked(client: HttpClient) -> None:
    with pytest.raises(ValueError, match="max must be between 1 and 10000"):
        next(
            fetch_arxiv(client, "http://127.0.0.1:9/api/query", "x", max_results=0, pacer=Pacer(0))
        )
    with pytest.raises(ValueError, match="needs search terms or a category"):
        next(fetch_arxiv(client, "http://127.0.0.1:9/api/query", "  ", pacer=Pacer(0)))


def test_paging_stops_when_a_page_brings_nothing_new(
    server: FakeServer, client: HttpClient
) -> None:
    """A server that ignores `start` and claims 1,000 results: the same two papers each time."""
    same = fixture("arxiv_start0.xml").replace(
        b">5</opensearch:totalResults>", b">1000</opensearch:totalResults>"
    )
    server.queue("/api/query", *[Reply(200, same) for _ in range(10)])

    pages = list(
        fetch_arxiv(
            client,
            f"{server.url}/api/query",
            "all:operator",
            max_results=1000,
            pacer=Pacer(0),
            page_size=2,
        )
    )

    assert [feed_counts(page) for page in pages] == [(2, 1000)]
    assert [seen.arg("start") for seen in server.seen] == ["0", "2"]
