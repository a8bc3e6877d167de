"""What the user's data adds to a paper's document: plain data, so that the code that only
gathers it (reader.core.library's index keeper) need not load Whoosh with the schema."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class UserFields:
    """What user data adds to a paper's document (tags, note, bookmark, read state, summary)."""

    tags: list[str] = field(default_factory=list)
    note: str = ""
    bookmarked: bool = False
    read: bool = False
    summary: str = ""  # from the user's own summarizer


NO_USER = UserFields()
