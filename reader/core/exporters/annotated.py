"""A paper with what the user added to it: what every export format writes."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from reader.core.model import Paper

if TYPE_CHECKING:
    from reader.core.userdata import UserData


@dataclass(slots=True)
class Annotated:
    paper: Paper
    tags: list[str]
    note: str
    bookmarked: bool
    read: bool

    @property
    def url(self) -> str:
        """The paper's page on the web: its arXiv page, else its first web link (a file://
        link is a local file, never the paper's URL)."""
        if self.paper.is_arxiv:
            return f"https://arxiv.org/abs/{self.paper.id}"
        links = self.paper.web_links
        return links[0] if links else ""

    def to_dict(self) -> dict[str, object]:
        return {
            **self.paper.to_dict(),
            "url": self.url,
            "files": self.paper.files,
            "tags": self.tags,
            "note": self.note,
            "bookmarked": self.bookmarked,
            "read": self.read,
        }


def annotate(papers: Iterable[Paper], user: UserData) -> list[Annotated]:
    return [
        Annotated(
            paper=p,
            tags=user.tags(p.id),
            note=user.note(p.id),
            bookmarked=user.is_bookmarked(p.id),
            read=user.is_read(p.id),
        )
        for p in papers
    ]
