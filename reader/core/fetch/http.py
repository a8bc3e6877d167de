"""The one HTTP client of reader: stdlib urllib plus the manners a polite, safe client needs.

Timeouts, an overall deadline per request (deadline.py), retries with exponential backoff
that honour Retry-After, conditional requests from the validator cache, and hard caps on what
a server can make us read or decompress.
"""

from __future__ import annotations

import http.client
import socket
import ssl
import time
import urllib.request
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from email.message import Message
from email.utils import parsedate_to_datetime
from typing import IO, Protocol, TypeVar
from urllib.error import HTTPError, URLError
from urllib.parse import urlsplit

from reader import __version__
from reader.core.fetch.cache import ValidatorCache, Validators
from reader.core.fetch.deadline import Deadline, TimedHTTPHandler, TimedHTTPSHandler, TimedRequest
from reader.core.fetch.errors import FetchError
from reader.core.fetch.gzip_body import gunzip

USER_AGENT = f"reader/{__version__} (terminal research-paper reader; Python urllib)"
TIMEOUT = 30.0  # seconds without a byte from the server
RETRIES = 3  # extra attempts after the first, on 429, 5xx, timeouts and dropped connections
BACKOFF = 2.0  # seconds before the first retry; doubles each time
MAX_WAIT = 120.0  # the longest Retry-After we sit through; past it we give up at once
MAX_BYTES = 32 * 2**20  # on the wire
MAX_DECODED = 64 * 2**20  # after gunzip
DEADLINE = 300.0  # for one whole request (headers and body), however slowly bytes trickle in
_CHUNK = 64 * 1024
T = TypeVar("T")
_ERROR_BODY = 64 * 1024  # enough of an error page to quote the server's own explanation


class _Readable(Protocol):
    """A response body: urllib's response, or the HTTPError that stands for one."""

    def read(self, size: int = -1, /) -> bytes: ...


class _Retry(Exception):
    """A transient failure: worth another attempt after a pause."""

    def __init__(self, reason: str, retry_after: float | None = None) -> None:
        super().__init__(reason)
        self.reason = reason
        self.retry_after = retry_after


@dataclass(frozen=True, slots=True)
class FetchedPage:
    """One raw response: the body exactly as served (gunzipped), or nothing on a 304."""

    url: str
    status: int
    body: bytes
    validators: Validators

    @property
    def not_modified(self) -> bool:
        return self.status == 304


class Pacer:
    """Keeps at least `interval` seconds between the end of one request and the next start.

    Measured from the end, so the gap the server sees between two arrivals is never shorter.
    """

    def __init__(
        self,
        interval: float,
        *,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.interval = interval
        self._clock = clock
        self._sleep = sleep
        self._last: float | None = None

    def wait(self) -> None:
        if self._last is not None:
            remaining = self._last + self.interval - self._clock()
            if remaining > 0:
                self._sleep(remaining)

    def done(self) -> None:
        self._last = self._clock()


class _SafeRedirects(urllib.request.HTTPRedirectHandler):
    """Follow redirects to http(s) only: a server must not steer us to file:// or ftp://."""

    def redirect_request(
        self,
        req: urllib.request.Request,
        fp: IO[bytes],
        code: int,
        msg: str,
        headers: Message,
        newurl: str,
    ) -> urllib.request.Request | None:
        if urlsplit(newurl).scheme not in ("http", "https"):
            raise FetchError(req.full_url, f"refused a redirect to {newurl!r}")
        new = super().redirect_request(req, fp, code, msg, headers, newurl)
        if new is not None:
            new.deadline = req.deadline  # type: ignore[attr-defined]  # one clock for all hops
        return new


def check_url(url: str) -> str:
    """The url if reader may fetch it (http or https with a host), else ValueError."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ValueError(f"not an http(s) URL: {url!r}")
    return url


def retry_after_seconds(value: str | None, now: datetime | None = None) -> float | None:
    """Retry-After as seconds from now: either delta-seconds or an HTTP-date (RFC 9110)."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - (now or datetime.now(UTC))).total_seconds())


class HttpClient:
    """GET with retries, backoff, pacing, conditional requests and size caps."""

    def __init__(
        self,
        *,
        cache: ValidatorCache | None = None,
        timeout: float = TIMEOUT,
        retries: int = RETRIES,
        backoff: float = BACKOFF,
        max_wait: float = MAX_WAIT,
        max_bytes: int = MAX_BYTES,
        max_decoded: int = MAX_DECODED,
        deadline: float = DEADLINE,
        user_agent: str = USER_AGENT,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.cache = cache
        self.timeout = timeout
        self.retries = retries
        self.backoff = backoff
        self.max_wait = max_wait
        self.max_bytes = max_bytes
        self.max_decoded = max_decoded
        self.deadline = deadline
        self.user_agent = user_agent
        self._sleep = sleep
        self._opener = urllib.request.build_opener(
            _SafeRedirects(), TimedHTTPHandler(), TimedHTTPSHandler()
        )

    def get(self, url: str, *, pacer: Pacer | None = None, conditional: bool = True) -> FetchedPage:
        """The page at url; FetchError once retries are spent or the failure is not transient.

        With conditional=True the saved validators go along, and an unchanged page comes back
        as a 304 FetchedPage with an empty body.
        """
        check_url(url)
        saved = self.cache.get(url) if self.cache and conditional else Validators()
        return self._retrying(url, lambda: self._once(url, saved), pacer)

    def _retrying(self, url: str, once: Callable[[], T], pacer: Pacer | None = None) -> T:
        """once(), again after each transient failure (_Retry) with exponential backoff (or
        the server's Retry-After), until the retries are spent."""
        attempt = 0
        while True:
            if pacer:
                pacer.wait()
            try:
                return once()
            except _Retry as retry:
                if attempt >= self.retries:
                    tries = f" (gave up after {attempt + 1} attempts)" if attempt else ""
                    raise FetchError(url, retry.reason + tries) from None
                delay = self.backoff * 2**attempt
                if retry.retry_after is not None:
                    delay = retry.retry_after
                if delay > self.max_wait:
                    raise FetchError(
                        url, f"{retry.reason}; the server asks us to wait {delay:.0f} s"
                    ) from None
                self._sleep(delay)
                attempt += 1
            finally:
                if pacer:
                    pacer.done()

    def _once(self, url: str, saved: Validators) -> FetchedPage:
        """One request within the deadline; past it, FetchError (not retried: a server that
        slow would only make every attempt as slow)."""
        with Deadline(self.deadline) as clock:
            try:
                page = self._exchange(url, saved, clock)
            except Exception:
                if clock.expired:
                    raise self._too_slow(url) from None
                raise
            if clock.expired:  # a body without a length ends where the cut came
                raise self._too_slow(url)
            return page

    def _too_slow(self, url: str) -> FetchError:
        return FetchError(url, f"no complete answer within {self.deadline:g} s", verb="read")

    def _exchange(self, url: str, saved: Validators, clock: Deadline) -> FetchedPage:
        headers = {
            "User-Agent": self.user_agent,
            "Accept-Encoding": "gzip",
            **saved.request_headers(),
        }
        request = TimedRequest(url, headers, clock)
        try:
            response = self._opener.open(request, timeout=self.timeout)
        except HTTPError as error:
            with error:
                return self._http_error(url, error, saved)
        except (OSError, http.client.HTTPException) as error:
            if _is_offline(error):
                raise FetchError(url, _reason(error, self.timeout)) from None
            raise _Retry(_reason(error, self.timeout)) from None
        with response:
            body = self._read_body(url, response, response.headers, self.max_bytes)
            return FetchedPage(url, response.status, body, _validators(response.headers, saved))

    @contextmanager
    def stream(self, url: str, headers: Mapping[str, str]) -> Iterator[http.client.HTTPResponse]:
        """GET url and give the response with its body unread, for a file too big to hold (a
        PDF goes to disk as it arrives). Headers and body share one deadline: when it runs
        out the connection is cut, so a read that waits ends at once, however the bytes
        drip. Up to the headers it has get()'s manners: User-Agent, safe redirects, retries
        with backoff on 429, 5xx and dropped connections. An error status is a FetchError."""
        check_url(url)
        with Deadline(self.deadline) as clock:
            request = TimedRequest(url, {"User-Agent": self.user_agent, **headers}, clock)
            with self._retrying(url, lambda: self._open(url, request)) as response:
                yield response

    def _open(self, url: str, request: TimedRequest) -> http.client.HTTPResponse:
        """One try at the response's headers; _Retry for what may pass."""
        try:
            return self._opener.open(request, timeout=self.timeout)
        except HTTPError as error:
            with error:
                page = self._http_error(url, error, Validators())
            raise FetchError(url, f"HTTP {page.status}", status=page.status) from None
        except (OSError, http.client.HTTPException) as error:
            if request.deadline.expired:
                raise self._too_slow(url) from None
            if _is_offline(error):
                raise FetchError(url, _reason(error, self.timeout)) from None
            raise _Retry(_reason(error, self.timeout)) from None

    def _http_error(self, url: str, error: HTTPError, saved: Validators) -> FetchedPage:
        status = error.code
        reason = f"HTTP {status} {error.reason}".strip()
        if status == 304:
            return FetchedPage(url, 304, b"", _validators(error.headers, saved))
        if status == 429 or status >= 500:
            raise _Retry(reason, retry_after_seconds(error.headers.get("Retry-After")))
        try:
            body = self._read_body(url, error, error.headers, _ERROR_BODY)
        except (FetchError, _Retry):
            body = b""
        raise FetchError(url, reason, status=status, body=body)

    def _read_body(self, url: str, stream: _Readable, headers: Message, limit: int) -> bytes:
        """The whole body, gunzipped, or FetchError when a cap or the deadline is hit."""
        mib = limit / 2**20
        length = headers.get("Content-Length", "")
        if length.isdigit() and int(length) > limit:
            raise FetchError(
                url, f"the response is {int(length):,} bytes, over the {mib:g} MiB cap", verb="read"
            )
        chunks: list[bytes] = []
        size = 0
        while True:
            try:
                chunk = stream.read(_CHUNK)
            except http.client.IncompleteRead as error:
                got = size + len(error.partial)
                raise _Retry(f"the connection closed mid-response after {got:,} bytes") from None
            except (OSError, http.client.HTTPException) as error:
                raise _Retry(_reason(error, self.timeout)) from None
            if not chunk:
                break
            size += len(chunk)
            if size > limit:
                raise FetchError(
                    url, f"the response is over the {mib:g} MiB cap; stopped reading", verb="read"
                )
            chunks.append(chunk)
        if length.isdigit() and size < int(length):  # urllib returns short bodies silently
            raise _Retry(f"the connection closed mid-response after {size:,} bytes")
        body = b"".join(chunks)
        encoding = headers.get("Content-Encoding", "identity").strip().lower()
        if encoding in ("gzip", "x-gzip"):
            return gunzip(url, body, self.max_decoded)
        if encoding not in ("", "identity"):
            raise FetchError(
                url, f"the server sent an encoding we did not ask for: {encoding}", verb="read"
            )
        return body


def _validators(headers: Message, saved: Validators) -> Validators:
    """The response's validators; on a 304 that sends none, the ones we already had."""
    fresh = Validators(headers.get("ETag"), headers.get("Last-Modified"))
    return fresh or saved


def _root(error: BaseException) -> BaseException:
    while isinstance(error, URLError) and isinstance(error.reason, BaseException):
        error = error.reason
    return error


def _is_offline(error: BaseException) -> bool:
    """No route to the server at all: retrying within seconds will not help."""
    return isinstance(_root(error), socket.gaierror | ConnectionRefusedError)


def _reason(error: BaseException, timeout: float) -> str:
    root = _root(error)
    if isinstance(root, socket.gaierror):
        return f"name lookup failed: {root.strerror or root} (offline?)"
    if isinstance(root, ConnectionRefusedError):
        return "connection refused"
    if isinstance(root, TimeoutError):
        return f"no answer within {timeout:g} s"
    if isinstance(root, http.client.RemoteDisconnected):
        return "the server closed the connection without answering"
    if isinstance(root, ConnectionResetError):
        return "the connection was reset"
    if isinstance(root, ssl.SSLError):
        return f"TLS error ({root.reason or root})"
    if isinstance(root, URLError):
        return str(root.reason)
    return str(root) or type(root).__name__
