"""Filters that live outside the index: read state, bookmarks, notes and when a paper was added,
and the daily loop's marks: followed, muted, queued (the queue alone lists in queue order).

They combine with any query: `is:unread transformer`, `is:bookmarked tag:survey`, `added:7d`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

_IS = "bookmarked|unread|read|followed|muted|queued"
_FILTER = re.compile(
    rf"(?<!\S)(?:is:(?P<is>{_IS})|has:(?P<has>note)|added:(?P<days>\d+)d)(?!\S)",
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
    followed: bool = False
    muted: bool = False
    queued: bool = False

    @property
    def any(self) -> bool:
        return self.uses_user_data or bool(self.added_since)

    @property
    def uses_user_data(self) -> bool:
        """A filter that needs the user's files (all but `added:`)."""
        return (
            self.bookmarked
            or self.unread
            or self.read
            or self.has_note
            or self.followed
            or self.muted
            or self.queued
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
