"""What the daily loop's modules (watching, reading, digest) use of a Library.

They are parts of the Library (it makes them, and hands itself to them), so they name it by
this protocol rather than import facade.py, which imports them.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Protocol

from reader.core.model import Paper
from reader.core.paths import DataPaths
from reader.core.search import SearchResult
from reader.core.store import Store

if TYPE_CHECKING:
    from collections.abc import Callable

    from reader.core.index import PaperIndex
    from reader.core.recommend import ForYouResult
    from reader.core.search import SimilarResult
    from reader.core.userdata import UserData


class Mutes(Protocol):
    """What the digest asks of follows and mutes (reader.core.library.watching)."""

    def matches(self, query: str) -> frozenset[str]: ...

    def hidden_by_mutes(self, query: str = "") -> frozenset[str]: ...


class LibraryParts(Protocol):
    paths: DataPaths
    store: Store

    @property
    def user(self) -> UserData: ...

    @property
    def index(self) -> PaperIndex: ...

    @property
    def watching(self) -> Mutes: ...

    def get(self, paper_id: str) -> Paper | None: ...

    def papers(self, ids: list[str]) -> dict[str, Paper]: ...

    def resolve(self, paper_id: str) -> str | None: ...

    def similar(self, paper_id: str, *, limit: int = 10) -> SimilarResult | None: ...

    def search(
        self, query: str, *, limit: int | None = 20, offset: int = 0, sort: str = "relevance"
    ) -> SearchResult: ...

    def search_ids(
        self, query: str, *, sort: str = "relevance", hide: frozenset[str] = ...
    ) -> tuple[Sequence[str], SearchResult]: ...

    def count_matching(self, query: str, *, hide: frozenset[str] = ...) -> int: ...

    def for_you(
        self, limit: int = 20, *, hidden: Callable[[str], bool] | None = None
    ) -> ForYouResult: ...
