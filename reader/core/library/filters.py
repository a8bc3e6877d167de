"""Filters that live outside the index: read state, bookmarks, notes and when a paper was added.

They combine with any query: `is:unread transformer`, `is:bookmarked tag:survey`, `added:7d`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

_FILTER = re.compile(
    r"(?<!\S)(?:is:(?P<is>bookmarked|unread|read)|has:(?P<has>note)|added:(?P<days>\d+)d)(?!\S)",
    re.IGNORECASE,
)


@dataclass(slots=True)
class Filters:
    query: str  # what is left for the full-text index
    bookmarked: bool = False
    unread: bool = False
    read: bool = False
    has_note: bool = False
    added_since: str | None = None  # ISO timestamp

    @property
    def any(self) -> bool:
        return (
            self.bookmarked or self.unread or self.read or self.has_note or bool(self.added_since)
        )


def split_filters(query: str, now: datetime | None = None) -> Filters:
    filters = Filters(query="")
    for match in _FILTER.finditer(query):
        if match["is"]:
            setattr(filters, match["is"].lower(), True)
        elif match["has"]:
            filters.has_note = True
        else:
            moment = (now or datetime.now(UTC)) - timedelta(days=int(match["days"]))
            filters.added_since = moment.isoformat(timespec="seconds")
    filters.query = " ".join(_FILTER.sub(" ", query).split())
    return filters
