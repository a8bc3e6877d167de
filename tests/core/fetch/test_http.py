"""The HTTP client against a real local server: manners, retries, caps and clear failures."""

from __future__ import annotations

import gzip
import socket
import time
import zlib
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from urllib.error import URLError

import pytest
from fake_server import FakeServer, Reply, gzipped

from reader import __version__
from reader.core.fetch.cache import ValidatorCache, Validators
from reader.core.fetch.http import (
    USER_AGENT,
    FetchError,
    HttpClient,
    Pacer,
    _is_offline,
    _reason,
    check_url,
    retry_after_seconds,
)

BODY = b'[{"paper": {"id": "2303.06296"}}]'


def test_user_agent_names_reader_and_its_version(server: FakeServer, client: HttpClient) -> None:
    server.queue("/x", Reply(200, BODY))
    page = client.get(f"{server.url}/x")
    assert page.body == BODY and page.status == 200 and not page.not_modified
    agent = server.seen[0].headers["User-Agent"]
    assert agent == USER_AGENT and agent.startswith(f"reader/{__version__} ")
    assert server.seen[0].headers["Accept-Encoding"] == "gzip"


def test_gzip_body_is_decompressed(server: FakeServer, client: HttpClient) -> None:
    server.queue("/x", gzipped(BODY * 100))
    assert client.get(f"{server.url}/x").body == BODY * 100


def test_etag_and_last_modified_make_the_next_request_conditional(
    server: FakeServer, client: HttpClient, cache: ValidatorCache
) -> None:
    stamp = "Mon, 11 Mar 2024 10:00:00 GMT"
    server.queue("/x", Reply(200, BODY, {"ETag": '"v1"', "Last-Modified": stamp}))
    server.queue("/x", Reply(304, headers={"ETag": '"v1"'}))
    url = f"{server.url}/x"
    first = client.get(url)
    assert "If-None-Match" not in server.seen[0].headers
    assert first.validators == Validators('"v1"', stamp)
    cache.remember(url, first.validators)

    second = client.get(url)
    assert second.not_modified and second.body == b""
    assert server.seen[1].headers["If-None-Match"] == '"v1"'
    assert server.seen[1].headers["If-Modified-Since"] == stamp
    assert second.validators == Validators('"v1"', None)


def test_conditional_false_ignores_saved_validators(
    server: FakeServer, client: HttpClient, cache: ValidatorCache
) -> None:
    url = f"{server.url}/x"
    cache.remember(url, Validators('"v1"'))
    server.queue("/x", Reply(200, BODY))
    assert client.get(url, conditional=False).body == BODY
    assert "If-None-Match" not in server.seen[0].headers


def test_500_then_success_is_retried(server: FakeServer, client: HttpClient) -> None:
    server.queue("/x", Reply(500, b"oops"), Reply(502), Reply(200, BODY))
    assert client.get(f"{server.url}/x").body == BODY
    assert len(server.seen) == 3


def test_5xx_every_time_gives_up_after_the_retries(server: FakeServer, client: HttpClient) -> None:
    server.queue("/x", *[Reply(503)] * 3)
    with pytest.raises(FetchError) as caught:
        client.get(f"{server.url}/x")
    assert len(server.seen) == 3  # one attempt + two retries
    assert str(caught.value) == (
        f"could not reach {server.url}/x: HTTP 503 Service Unavailable (gave up after 3 attempts)"
    )


def test_backoff_doubles_between_retries(server: FakeServer, cache: ValidatorCache) -> None:
    waits: list[float] = []
    client = HttpClient(cache=cache, retries=3, backoff=0.5, sleep=waits.append)
    server.queue("/x", Reply(500), Reply(500), Reply(500), Reply(200, BODY))
    assert client.get(f"{server.url}/x").body == BODY
    assert waits == [0.5, 1.0, 2.0]


def test_429_honours_retry_after_seconds(server: FakeServer, cache: ValidatorCache) -> None:
    waits: list[float] = []
    client = HttpClient(cache=cache, backoff=0.01, sleep=waits.append)
    server.queue("/x", Reply(429, headers={"Retry-After": "7"}), Reply(200, BODY))
    assert client.get(f"{server.url}/x").body == BODY
    assert waits == [7.0]


def test_503_honours_retry_after_http_date(server: FakeServer, cache: ValidatorCache) -> None:
    waits: list[float] = []
    client = HttpClient(cache=cache, max_wait=1000, sleep=waits.append)
    when = format_datetime(datetime.now(UTC) + timedelta(seconds=100), usegmt=True)
    server.queue("/x", Reply(503, headers={"Retry-After": when}), Reply(200, BODY))
    assert client.get(f"{server.url}/x").body == BODY
    assert len(waits) == 1 and 90 <= waits[0] <= 100


def test_retry_after_beyond_max_wait_fails_at_once(server: FakeServer, client: HttpClient) -> None:
    server.queue("/x", Reply(429, headers={"Retry-After": "3600"}))
    with pytest.raises(FetchError, match="HTTP 429 Too Many Requests; the server asks us to wait"):
        client.get(f"{server.url}/x")
    assert len(server.seen) == 1


def test_retry_after_parsing() -> None:
    now = datetime(2024, 3, 11, 10, 0, 0, tzinfo=UTC)
    assert retry_after_seconds("120") == 120.0
    assert retry_after_seconds("Mon, 11 Mar 2024 10:00:30 GMT", now) == 30.0
    assert retry_after_seconds("Mon, 11 Mar 2024 09:00:00 GMT", now) == 0.0  # in the past
    assert retry_after_seconds("soon") is None
    assert retry_after_seconds(None) is None


def test_404_is_not_retried(server: FakeServer, client: HttpClient) -> None:
    with pytest.raises(FetchError, match="HTTP 404 Not Found") as caught:
        client.get(f"{server.url}/nowhere")
    assert len(server.seen) == 1 and caught.value.status == 404
    assert caught.value.body == b"not found"  # kept, so a caller can quote the server


def test_timeout_is_a_clear_error(server: FakeServer, cache: ValidatorCache) -> None:
    client = HttpClient(cache=cache, timeout=0.2, retries=1, backoff=0.01)
    server.queue("/slow", Reply(200, BODY, delay=1.0), Reply(200, BODY, delay=1.0))
    with pytest.raises(FetchError) as caught:
        client.get(f"{server.url}/slow")
    assert caught.value.reason == "no answer within 0.2 s (gave up after 2 attempts)"


def test_connection_refused_fails_at_once() -> None:
    with socket.socket() as probe:  # a port nobody listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    client = HttpClient(retries=3, backoff=10.0)  # a retry would take 10 s: none happens
    with pytest.raises(FetchError) as caught:
        client.get(f"http://127.0.0.1:{port}/api/daily_papers")
    assert str(caught.value) == (
        f"could not reach http://127.0.0.1:{port}/api/daily_papers: connection refused"
    )


def test_body_cut_short_is_retried_then_reported(server: FakeServer, client: HttpClient) -> None:
    server.queue("/x", *[Reply(200, BODY, short_by=500)] * 3)
    with pytest.raises(FetchError, match=r"the connection closed mid-response after \d+ bytes"):
        client.get(f"{server.url}/x")
    assert len(server.seen) == 3


def test_endless_body_hits_the_cap(server: FakeServer, cache: ValidatorCache) -> None:
    client = HttpClient(cache=cache, max_bytes=2**20, retries=0)
    server.queue("/x", Reply(200, endless=True))
    with pytest.raises(FetchError) as caught:
        client.get(f"{server.url}/x")
    assert caught.value.reason == "the response is over the 1 MiB cap; stopped reading"
    assert str(caught.value).startswith("could not read ")


def test_declared_length_over_the_cap_is_refused_unread(
    server: FakeServer, cache: ValidatorCache
) -> None:
    client = HttpClient(cache=cache, max_bytes=1000)
    server.queue("/x", Reply(200, b"x" * 5000))
    with pytest.raises(FetchError, match="the response is 5,000 bytes, over the"):
        client.get(f"{server.url}/x")


def test_gzip_bomb_stops_at_the_decompressed_cap(server: FakeServer, client: HttpClient) -> None:
    packer = zlib.compressobj(wbits=16 + zlib.MAX_WBITS)
    zeros = bytes(2**20)
    bomb = b"".join(packer.compress(zeros) for _ in range(80)) + packer.flush()  # 80 MiB
    assert len(bomb) < 2**20  # small on the wire: only the decompressed cap can catch it
    server.queue("/x", Reply(200, bomb, {"Content-Encoding": "gzip"}))
    with pytest.raises(FetchError) as caught:
        client.get(f"{server.url}/x")
    assert caught.value.reason == "the gzip body expands past 64 MiB (a gzip bomb?)"


def test_truncated_gzip_is_reported(server: FakeServer, client: HttpClient) -> None:
    packed = gzip.compress(BODY * 1000)
    server.queue("/x", Reply(200, packed[: len(packed) // 2], {"Content-Encoding": "gzip"}))
    with pytest.raises(FetchError, match="the gzip body is truncated"):
        client.get(f"{server.url}/x")


def test_redirect_off_http_is_refused(server: FakeServer, client: HttpClient) -> None:
    server.queue("/x", Reply(302, headers={"Location": "ftp://127.0.0.1/secret"}))
    with pytest.raises(FetchError, match=r"refused a redirect to 'ftp://127\.0\.0\.1/secret'"):
        client.get(f"{server.url}/x")
    server.queue("/y", Reply(302, headers={"Location": "file:///etc/passwd"}))
    with pytest.raises(FetchError, match="is not allowed"):  # urllib's own check
        client.get(f"{server.url}/y")


def test_redirect_within_http_is_followed(server: FakeServer, client: HttpClient) -> None:
    server.queue("/old", Reply(301, headers={"Location": f"{server.url}/new"}))
    server.queue("/new", Reply(200, BODY))
    assert client.get(f"{server.url}/old").body == BODY


def test_only_http_urls_are_fetched(client: HttpClient) -> None:
    for url in ("file:///etc/passwd", "ftp://example.org/x", "http:///nohost"):
        with pytest.raises(ValueError, match="not an http"):
            client.get(url)
    assert check_url("https://huggingface.co") == "https://huggingface.co"


def test_server_text_in_errors_is_stripped_of_escapes(server: FakeServer) -> None:
    error = FetchError(f"{server.url}/x", "HTTP 418 \x1b[31mred\x1b[0m\nsecond line")
    assert str(error) == f"could not reach {server.url}/x: HTTP 418 red second line"


def test_pacer_keeps_the_interval_from_the_end_of_the_last_request() -> None:
    now = [100.0]
    waits: list[float] = []
    pacer = Pacer(3.0, clock=lambda: now[0], sleep=waits.append)
    pacer.wait()  # the first request goes at once
    now[0] = 101.0
    pacer.done()
    now[0] = 102.5
    pacer.wait()
    assert waits == [1.5]


def test_a_failed_name_lookup_reads_as_offline() -> None:
    # Built by hand: a real lookup would leave the machine, and no test reaches the internet.
    error = URLError(socket.gaierror(socket.EAI_NONAME, "Name or service not known"))
    assert _is_offline(error)  # no retries: they would not help within seconds
    assert _reason(error, 30) == "name lookup failed: Name or service not known (offline?)"


def _drip_and_time(server: FakeServer, cache: ValidatorCache, reply: Reply) -> tuple[str, float]:
    server.queue("/slow", reply)
    client = HttpClient(cache=cache, timeout=5.0, retries=2, backoff=0.01, deadline=1.0)
    started = time.monotonic()
    with pytest.raises(FetchError) as raised:
        client.get(f"{server.url}/slow")
    return str(raised.value), time.monotonic() - started


def test_headers_dripping_a_byte_at_a_time_stop_at_the_deadline(
    server: FakeServer, cache: ValidatorCache
) -> None:
    message, took = _drip_and_time(server, cache, Reply(200, BODY, drip=0.05))

    assert message == f"could not read {server.url}/slow: no complete answer within 1 s"
    assert took < 3.0  # the whole header would take 2.5 s, the body 1.6 s more
    assert len(server.seen) == 1  # a server that slow is not asked again


def test_a_body_dripping_a_byte_at_a_time_stops_at_the_deadline(
    server: FakeServer, cache: ValidatorCache
) -> None:
    head = len(f"HTTP/1.1 200 Slow\r\nContent-Length: {len(BODY) * 4}\r\n\r\n")
    message, took = _drip_and_time(server, cache, Reply(200, BODY * 4, drip=0.05, drip_from=head))

    assert message.endswith("no complete answer within 1 s")
    assert took < 3.0  # the body would take 6.6 s


def test_a_quick_answer_is_untouched_by_the_deadline(
    server: FakeServer, cache: ValidatorCache
) -> None:
    server.queue("/x", Reply(200, BODY, drip=0.001))
    client = HttpClient(cache=cache, deadline=5.0)
    assert client.get(f"{server.url}/x").body == BODY
