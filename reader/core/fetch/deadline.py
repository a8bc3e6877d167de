"""One deadline for a whole request: connecting, the TLS handshake, the headers and the body.

A socket timeout bounds each wait for a byte, not the request: a server that drips one byte
every few seconds never trips it, and http.client reads the headers with no limit of its own.
So each request gets a timer, and the sockets it opens (redirects open more) are handed to it
the moment they connect, before any TLS: when the time is up the timer shuts them down, and
whatever read was waiting, in urllib, http.client or ssl, ends at once. The client then
reports the deadline, not the broken connection that followed from it.

The timer holds a duplicate of each socket's descriptor, closed when the request ends, so it
can never shut down a descriptor that has since been closed and reused.
"""

from __future__ import annotations

import contextlib
import http.client
import socket
import ssl
import threading
import urllib.request
from typing import Any


class Deadline:
    """A request's clock, and the sockets to cut when it runs out."""

    def __init__(self, seconds: float) -> None:
        self.seconds = seconds
        self.expired = False
        self._sockets: list[socket.socket] = []
        self._lock = threading.Lock()
        self._timer = threading.Timer(seconds, self._expire)
        self._timer.daemon = True

    def __enter__(self) -> Deadline:
        self._timer.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._timer.cancel()
        with self._lock:
            for duplicate in self._sockets:
                duplicate.close()
            self._sockets.clear()

    def watch(self, sock: socket.socket) -> None:
        duplicate = sock.dup()
        with self._lock:
            self._sockets.append(duplicate)
            if self.expired:  # connected just as the time ran out
                _shut(duplicate)

    def _expire(self) -> None:
        with self._lock:
            self.expired = True
            for duplicate in self._sockets:
                _shut(duplicate)


def _shut(sock: socket.socket) -> None:
    with contextlib.suppress(OSError):  # already closed by the other side
        sock.shutdown(socket.SHUT_RDWR)


class TimedRequest(urllib.request.Request):
    """A request that carries its deadline to the connections it opens."""

    def __init__(self, url: str, headers: dict[str, str], deadline: Deadline) -> None:
        super().__init__(url, headers=headers)
        self.deadline = deadline


class _Watched(http.client.HTTPConnection):
    """Hands its socket to the deadline once connected (for https: before the handshake)."""

    deadline: Deadline

    def connect(self) -> None:
        super().connect()
        self.deadline.watch(self.sock)


class _WatchedHTTP(_Watched):
    def __init__(self, *args: Any, deadline: Deadline, **kwargs: Any) -> None:
        self.deadline = deadline
        super().__init__(*args, **kwargs)


class _WatchedHTTPS(http.client.HTTPSConnection, _Watched):
    def __init__(self, *args: Any, deadline: Deadline, **kwargs: Any) -> None:
        self.deadline = deadline
        super().__init__(*args, **kwargs)


class TimedHTTPHandler(urllib.request.HTTPHandler):
    def http_open(self, req: TimedRequest) -> http.client.HTTPResponse:  # type: ignore[override]
        return self.do_open(_WatchedHTTP, req, deadline=req.deadline)  # type: ignore[arg-type]


class TimedHTTPSHandler(urllib.request.HTTPSHandler):
    def __init__(self) -> None:
        self.tls = ssl.create_default_context()
        super().__init__(context=self.tls)

    def https_open(self, req: TimedRequest) -> http.client.HTTPResponse:  # type: ignore[override]
        return self.do_open(  # type: ignore[arg-type]
            _WatchedHTTPS, req, context=self.tls, deadline=req.deadline
        )
