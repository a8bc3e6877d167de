"""What a fetch that failed for good says: one line naming the URL and the reason."""

from __future__ import annotations

from reader.core.text import strip_controls


class FetchError(Exception):
    """A request that failed for good; str() is the one line the CLI prints."""

    def __init__(
        self,
        url: str,
        reason: str,
        *,
        status: int | None = None,
        body: bytes = b"",
        verb: str = "reach",
    ) -> None:
        super().__init__(url, reason)
        self.url = url
        self.reason = " ".join(strip_controls(reason).split())
        self.status = status
        self.body = body
        self.verb = verb  # "read" when the response came but is unusable

    def __str__(self) -> str:
        return f"could not {self.verb} {self.url}: {self.reason}"
