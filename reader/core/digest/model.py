"""A digest as plain data: sections of papers, each with why it is there.

reader.core.library.digest decides what goes in; the renderers beside this module (Markdown,
HTML, Atom) only write it out, each escaping every piece of text for its own format.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from reader.core.text import strip_controls

BLURB_CHARS = 220


@dataclass(slots=True)
class Entry:
    id: str
    title: str
    authors: list[str]
    link: str | None  # http(s) only; None when the paper has none
    blurb: str  # one line of the abstract
    added_at: str  # when the paper came into the library (ISO 8601, UTC)
    date: str = ""
    why: list[str] = field(default_factory=list)  # "follows author:…", "saved search …"

    def to_dict(self) -> dict[str, object]:
        return {
            "id": self.id,
            "title": self.title,
            "authors": list(self.authors),
            "link": self.link,
            "blurb": self.blurb,
            "added_at": self.added_at,
            "date": self.date,
            "why": list(self.why),
        }


@dataclass(slots=True)
class Section:
    key: str  # "followed", "saved", "for-you", "new": a stable name for styles and categories
    title: str
    entries: list[Entry] = field(default_factory=list)
    more: int = 0  # papers that belonged here past the limit

    def to_dict(self) -> dict[str, object]:
        return {
            "key": self.key,
            "title": self.title,
            "entries": [entry.to_dict() for entry in self.entries],
            "more": self.more,
        }


@dataclass(slots=True)
class Digest:
    since: datetime
    made: datetime
    feed_id: str  # the same for every digest of one library: what a feed reader follows
    new: int  # papers added since `since`
    hidden: int  # of them, muted ones left out
    sections: list[Section] = field(default_factory=list)

    @property
    def entries(self) -> list[Entry]:
        return [entry for section in self.sections for entry in section.entries]

    @property
    def headline(self) -> str:
        count = f"{self.new} new paper{'s' if self.new != 1 else ''}"
        return f"reader digest: {count} since {stamp(self.since)}"

    def to_dict(self) -> dict[str, object]:
        return {
            "since": self.since.isoformat(timespec="seconds"),
            "made": self.made.isoformat(timespec="seconds"),
            "new": self.new,
            "hidden": self.hidden,
            "sections": [section.to_dict() for section in self.sections],
        }


def stamp(moment: datetime) -> str:
    """2024-05-01 07:00 UTC"""
    return moment.strftime("%Y-%m-%d %H:%M UTC")


def one_line(text: str, limit: int = BLURB_CHARS) -> str:
    """Text on one line, cut at a word near `limit` characters with an ellipsis."""
    line = " ".join(strip_controls(text).split())
    if len(line) <= limit:
        return line
    cut = line.rfind(" ", 0, limit)
    return line[: cut if cut > limit // 2 else limit].rstrip(" ,;:.") + "…"
