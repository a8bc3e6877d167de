"""Plain data shared by importers, store, index, search, CLI and TUI."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from urllib.parse import unquote, urlsplit

# The orders a list of papers can take: for the CLI, the config, search and the app.
SORTS = ("relevance", "date", "title", "upvotes")
# A long job's progress report: (done, total).
Progress = Callable[[int, int], None]


@dataclass(slots=True)
class Record:
    """One paper as an importer read it, before it has an identity in the store."""

    title: str
    abstract: str = ""
    authors: list[str] = field(default_factory=list)
    arxiv_id: str | None = None
    published: str = ""  # ISO date (YYYY-MM-DD; YYYY-MM or YYYY when the source has no more)
    updated: str = ""  # ISO date or ""
    listed: str = ""  # the listing's own date text, e.g. "Sep 8" on a saved Daily Papers page
    categories: list[str] = field(default_factory=list)
    links: list[str] = field(default_factory=list)  # http(s) links, and file:// links to PDFs
    upvotes: int | None = None
    source: str = ""  # "file:line" where the record starts
    # What a reference manager (BibTeX, Zotero, papis) holds of the user's own:
    doi: str = ""  # lower case, no resolver prefix: "10.18653/v1/n19-1423"
    journal: str = ""  # the journal a paper appeared in (never "arXiv"): BibTeX's @article
    citekey: str = ""  # the citation key the user cites it by (BibTeX key, papis ref)
    tags: list[str] = field(default_factory=list)  # already valid reader tags
    note: str = ""  # Markdown
    own: bool = False  # the user's own paper (from their library): bookmark it


@dataclass(slots=True)
class Rejection:
    """A record an importer could not use; the rest of the import still goes through."""

    source: str  # file path
    line: int  # 1-based line (or record number for formats without lines); 0: the whole file
    reason: str

    def __str__(self) -> str:  # line 0: the whole file
        return (
            f"{self.source}:{self.line}: {self.reason}"
            if self.line
            else f"{self.source}: {self.reason}"
        )


@dataclass(slots=True)
class Warning_:
    """Something odd but usable, e.g. a title with no abstract."""

    source: str
    line: int
    message: str

    def __str__(self) -> str:  # line 0: the whole file
        if not self.line:
            return f"{self.source}: {self.message}"
        return f"{self.source}:{self.line}: {self.message}"


# What an importer yields, one at a time: a paper, or a record it could not use, or a warning.
Item = Record | Rejection | Warning_


@dataclass(slots=True)
class Paper:
    """One paper in the store of truth."""

    id: str
    title: str
    abstract: str = ""
    authors: list[str] = field(default_factory=list)
    published: str = ""
    updated: str = ""
    listed: str = ""
    categories: list[str] = field(default_factory=list)
    links: list[str] = field(default_factory=list)
    sources: list[str] = field(default_factory=list)
    upvotes: int | None = None
    added_at: str = ""  # ISO timestamp (UTC)
    updated_at: str = ""
    doi: str = ""  # lower case, no resolver prefix
    journal: str = ""
    citekey: str = ""  # the citation key it came with; an export makes one if it has none

    @property
    def date(self) -> str:
        """The best date we know: published, else updated."""
        return self.published or self.updated

    @property
    def is_arxiv(self) -> bool:
        return not self.id.startswith("t:")

    @property
    def web_links(self) -> list[str]:
        """The links a browser opens: every link but the file:// ones."""
        return [link for link in self.links if not link.startswith("file:")]

    @property
    def files(self) -> list[str]:
        """The local files a reference manager keeps for the paper (its file:// links), as
        paths."""
        return [file_path(link) for link in self.links if link.startswith("file:")]

    def to_dict(self) -> dict[str, object]:
        return {
            "id": self.id,
            "title": self.title,
            "abstract": self.abstract,
            "authors": list(self.authors),
            "date": self.date,
            "published": self.published,
            "updated": self.updated,
            "listed": self.listed,
            "categories": list(self.categories),
            "links": list(self.links),
            "sources": list(self.sources),
            "upvotes": self.upvotes,
            "added_at": self.added_at,
            "updated_at": self.updated_at,
            "doi": self.doi,
            "journal": self.journal,
            "citekey": self.citekey,
        }


def file_path(link: str) -> str:
    """The path of a file:// link: "file:///home/a/x%20y.pdf" is "/home/a/x y.pdf", and
    "file:///C:/x.pdf" is "C:/x.pdf"."""
    path = unquote(urlsplit(link).path)
    if len(path) > 2 and path[0] == "/" and path[2] == ":" and path[1].isalpha():
        return path[1:]
    return path


@dataclass(slots=True)
class ImportReport:
    """What one import did; the JSON keys are a contract (added/updated/duplicates/rejected)."""

    added: int = 0
    updated: int = 0
    duplicates: int = 0
    rejected: list[Rejection] = field(default_factory=list)
    warnings: list[Warning_] = field(default_factory=list)
    files: int = 0
    seconds: float = 0.0
    # The papers of the user's own library (a .bib, Zotero, papis) the import bookmarked.
    own: set[str] = field(default_factory=set, repr=False)

    @property
    def bookmarked(self) -> int:
        return len(self.own)

    def to_dict(self) -> dict[str, object]:
        return {
            "added": self.added,
            "updated": self.updated,
            "duplicates": self.duplicates,
            "rejected": [
                {"source": r.source, "line": r.line, "reason": r.reason} for r in self.rejected
            ],
            "warnings": [
                {"source": w.source, "line": w.line, "message": w.message} for w in self.warnings
            ],
            "files": self.files,
            "seconds": round(self.seconds, 3),
            "bookmarked": self.bookmarked,
        }
