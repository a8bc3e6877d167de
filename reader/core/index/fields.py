"""The index schema and how a Paper (plus the user's data about it) becomes one document."""

from __future__ import annotations

import os
from dataclasses import dataclass, field

from whoosh.columns import VarBytesColumn
from whoosh.fields import BOOLEAN, COLUMN, ID, KEYWORD, TEXT, Schema

from reader.core.index.analysis import keyword, name_analyzer, text_analyzer
from reader.core.model import Paper

INDEXNAME = "MAIN"  # Whoosh's default index name: its files are MAIN_<segment id>.*
# Title words count double: a query word in the title says more than one in the abstract.
TITLE_BOOST = 2.0
# Sort keys are truncated: two titles equal for 80 characters sort by relevance order.
_SORT_KEY_CHARS = 80
AUTHOR_SEPARATOR = "\n"


@dataclass
class UserFields:
    """What user data adds to a paper's document (tags, note text, bookmark, summary)."""

    tags: list[str] = field(default_factory=list)
    note: str = ""
    bookmarked: bool = False
    summary: str = ""  # from the user's own summarizer


NO_USER = UserFields()


def build_schema() -> Schema:
    """The abstract is indexed but not stored: it lives in SQLite (the index is 23% smaller)."""
    text = text_analyzer()
    return Schema(
        id=ID(unique=True, stored=True, sortable=True),
        title=TEXT(analyzer=text, stored=True, field_boost=TITLE_BOOST),
        abstract=TEXT(analyzer=text),
        author=TEXT(analyzer=name_analyzer(), stored=True),
        date=ID(stored=True, sortable=True),
        source=KEYWORD(lowercase=True),
        category=KEYWORD(lowercase=True),
        tag=KEYWORD(lowercase=True),
        note=TEXT(analyzer=text),
        summary=TEXT(analyzer=text),
        bookmarked=BOOLEAN(),
        title_sort=COLUMN(VarBytesColumn()),
    )


def same_schema(a: Schema, b: Schema) -> bool:
    """Whoosh compares sortable fields by identity; compare what decides the index's content."""
    if sorted(a.names()) != sorted(b.names()):
        return False
    for name in a.names():
        x, y = a[name], b[name]
        if type(x) is not type(y) or type(x.column_type) is not type(y.column_type):
            return False
        for attr in ("analyzer", "format", "stored", "unique"):
            if getattr(x, attr, None) != getattr(y, attr, None):
                return False
    return True


# Fields analysed by reader.core.index.analysis' fast path rather than by Whoosh.
STEMMED_FIELDS = ("title", "abstract", "note", "summary")
NAME_FIELDS = ("author",)


@dataclass(slots=True)
class Document:
    """One paper as the index sees it: text per field, keyword lists, stored values."""

    id: str
    title: str
    abstract: str
    authors: list[str]
    date: str
    sources: list[str]
    categories: list[str]
    tags: list[str]
    note: str
    bookmarked: bool
    summary: str = ""

    def stored(self) -> dict[str, str]:
        out = {"id": self.id, "title": self.title}
        if self.authors:
            out["author"] = AUTHOR_SEPARATOR.join(self.authors)
        if self.date:
            out["date"] = self.date
        return out

    def sort_key(self) -> bytes:
        return self.title.casefold()[:_SORT_KEY_CHARS].encode("utf-8")


def source_names(sources: list[str]) -> list[str]:
    """'dir/2024-01.txt:12' -> ['2024-01.txt', '2024-01'], so `source:` takes either."""
    out: dict[str, None] = {}
    for source in sources:
        path = source.rsplit(":", 1)[0] if ":" in source else source
        base = os.path.basename(path.rstrip("/\\")) or path
        for name in (base, os.path.splitext(base)[0]):
            if name:
                out.setdefault(keyword(name), None)
    return list(out)


def to_document(paper: Paper, user: UserFields = NO_USER) -> Document:
    return Document(
        id=paper.id,
        title=paper.title,
        abstract=paper.abstract,
        authors=[a for a in paper.authors if a.strip()],
        date=paper.date,
        sources=source_names(paper.sources),
        categories=list(dict.fromkeys(keyword(c) for c in paper.categories if c.strip())),
        tags=list(dict.fromkeys(keyword(t) for t in user.tags if t.strip())),
        note=user.note,
        bookmarked=user.bookmarked,
        summary=user.summary,
    )
