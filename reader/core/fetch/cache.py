"""ETag / Last-Modified validators per URL, kept in the data dir between runs.

The fetch runner saves a URL's validators only after its page was imported, so a page that
failed to import is never answered "304 Not Modified" next time and silently skipped.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from reader.core.durable import atomic_write_text
from reader.core.locking import locked

CACHE_NAME = "fetch-validators.json"
MAX_ENTRIES = 500  # arXiv query pages make many URLs; the oldest validators go first
_VERSION = 1


@dataclass(frozen=True, slots=True)
class Validators:
    """What the server said identifies this version of a response."""

    etag: str | None = None
    last_modified: str | None = None

    def __bool__(self) -> bool:
        return bool(self.etag or self.last_modified)

    def request_headers(self) -> dict[str, str]:
        headers: dict[str, str] = {}
        if self.etag:
            headers["If-None-Match"] = self.etag
        if self.last_modified:
            headers["If-Modified-Since"] = self.last_modified
        return headers


class ValidatorCache:
    """A small JSON file of validators; every write is atomic and under the data dir's lock
    for it, so two fetches at once never lose each other's entries."""

    def __init__(self, data_dir: Path) -> None:
        self.path = data_dir / CACHE_NAME
        self._lock_dir = data_dir / ".locks"

    def get(self, url: str) -> Validators:
        entry = self._read().get(url)
        if not isinstance(entry, dict):
            return Validators()
        etag, modified = entry.get("etag"), entry.get("last_modified")
        return Validators(
            etag if isinstance(etag, str) else None,
            modified if isinstance(modified, str) else None,
        )

    def remember(self, url: str, validators: Validators) -> None:
        """Keep validators for url (or forget url when the server sent none)."""
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with locked(self._lock_dir, "fetch-validators"):
            entries = self._read()
            entries.pop(url, None)
            if validators:
                entries[url] = {
                    "etag": validators.etag,
                    "last_modified": validators.last_modified,
                    "saved": datetime.now(UTC).isoformat(timespec="seconds"),
                }
            # dicts keep insertion order and remember() re-inserts: the first keys are the oldest.
            while len(entries) > MAX_ENTRIES:
                del entries[next(iter(entries))]
            document = {"version": _VERSION, "urls": entries}
            atomic_write_text(self.path, json.dumps(document, indent=1) + "\n")

    def _read(self) -> dict[str, object]:
        """The saved entries; an unreadable file is an empty cache (the cost is a full fetch)."""
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return {}
        urls = data.get("urls") if isinstance(data, dict) else None
        return dict(urls) if isinstance(urls, dict) else {}
