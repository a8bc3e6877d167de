"""The index schema and how a Paper (plus the user's data about it) becomes one document."""

from __future__ import annotations

import os
from dataclasses import dataclass, fields
from functools import lru_cache
from hashlib import blake2b
from operator import attrgetter

from whoosh.columns import VarBytesColumn
from whoosh.fields import BOOLEAN, COLUMN, ID, KEYWORD, TEXT, Schema

from reader.core.index.analysis import keyword, name_analyzer, text_analyzer
from reader.core.index.user_fields import NO_USER, UserFields
from reader.core.model import Paper

INDEXNAME = "MAIN"  # Whoosh's default index name: its files are MAIN_<segment id>.*
# Title words count double: a query word in the title says more than one in the abstract.
TITLE_BOOST = 2.0
# Sort keys are truncated: two titles equal for 80 characters sort by relevance order.
_SORT_KEY_CHARS = 80
AUTHOR_SEPARATOR = "\n"


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
        read=BOOLEAN(),
        title_sort=COLUMN(VarBytesColumn()),
        digest=COLUMN(VarBytesColumn()),
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
    read: bool
    summary: str = ""
    # The paper's vector (int8 row, sign-bit code) when its title and abstract are as they were
    # indexed: an edit of its tags or note keeps it rather than embedding the paper again.
    vector: tuple[bytes, bytes] | None = None
    # Its stored fields, title sort key and digest as a segment's columns hold them, made
    # beforehand by a process that sends it to index workers that are behind, else by the
    # segment builder (reader.core.index.segment_build.column_values).
    columns: tuple[bytes, bytes, bytes] | None = None

    def __reduce__(self) -> tuple[type[Document], tuple[object, ...]]:
        """Pickled as its fields in order, for Document(*fields): an import pickles every
        paper's document for its index worker, which unpickles it, and the slotted
        dataclass's own state (its fields set back one by one in Python) was slower both ways
        (bench/RESULTS.md, twentieth round)."""
        return Document, _field_values(self)

    def digest(self) -> bytes:
        """What the document was made of, per kind (see DIGEST_KINDS): `reader index check`
        compares it with the store and the user's files, and names what differs."""
        details = "\x1f".join(
            ["\x1e".join(self.authors), self.date, "\x1e".join(self.sources),
             "\x1e".join(self.categories)]
        )  # fmt: skip
        tags = "\x1e".join(self.tags)
        parts = (self.title, self.abstract, details, tags, self.note, self.summary)
        flags = (1 if self.read else 0) | (2 if self.bookmarked else 0)
        return b"".join(_short_hash(part) for part in parts) + bytes([flags])

    def stored(self) -> dict[str, str]:
        out = {"id": self.id, "title": self.title}
        if self.authors:
            out["author"] = AUTHOR_SEPARATOR.join(self.authors)
        if self.date:
            out["date"] = self.date
        return out

    def sort_key(self) -> bytes:
        return self.title.casefold()[:_SORT_KEY_CHARS].encode("utf-8")


_field_values = attrgetter(*(field.name for field in fields(Document)))

# The kinds a digest holds, in order: a 4-byte hash of each text kind, then one byte of flags.
DIGEST_KINDS = ("title", "abstract", "details", "tags", "note", "summary", "read", "bookmark")
_HASHED = 6
DIGEST_SIZE = 4 * _HASHED + 1


def _short_hash(text: str) -> bytes:
    if not text:  # most papers have no tags, note or summary
        return _EMPTY_HASH
    return blake2b(text.encode("utf-8", "surrogatepass"), digest_size=4).digest()


_EMPTY_HASH = blake2b(b"", digest_size=4).digest()


def digest_differences(indexed: bytes, current: bytes) -> list[str]:
    """The kinds in which two digests differ (every kind if one is not a digest)."""
    if len(indexed) != DIGEST_SIZE or len(current) != DIGEST_SIZE:
        return list(DIGEST_KINDS)
    kinds = [
        DIGEST_KINDS[i]
        for i in range(_HASHED)
        if indexed[4 * i : 4 * i + 4] != current[4 * i : 4 * i + 4]
    ]
    changed = indexed[-1] ^ current[-1]
    kinds += [kind for bit, kind in ((1, "read"), (2, "bookmark")) if changed & bit]
    return kinds


def source_names(sources: list[str]) -> list[str]:
    """'dir/2024-01.txt:12' -> ['2024-01.txt', '2024-01'], so `source:` takes either."""
    out: dict[str, None] = {}
    for source in sources:
        path = source.rsplit(":", 1)[0] if ":" in source else source
        out.update(dict.fromkeys(_file_names(path)))
    return list(out)


@lru_cache(maxsize=1024)
def _file_names(path: str) -> tuple[str, ...]:
    """A source file's names as keywords: an import's papers share a few files."""
    base = os.path.basename(path.rstrip("/\\")) or path
    return tuple(dict.fromkeys(keyword(name) for name in (base, os.path.splitext(base)[0]) if name))


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
        read=user.read,
        summary=user.summary,
    )


_BLANK = Document("", "", "", [], "", [], [], [], "", False, False).digest()
_USER_PART = slice(4 * DIGEST_KINDS.index("tags"), 4 * _HASHED)  # tags', note's, summary's hashes


def digest_of(paper: Paper, user: UserFields = NO_USER) -> bytes:
    """The digest a paper's document has when it is indexed as it is now."""
    return to_document(paper, user).digest()


def has_user_data(digest: bytes) -> bool:
    """Does a document hold a tag, a note, a summary, a read mark or a bookmark, by its
    digest? (True for a document without a digest: it needs looking at.)"""
    if len(digest) != DIGEST_SIZE:
        return True
    return digest[_USER_PART] != _BLANK[_USER_PART] or digest[-1] != 0
