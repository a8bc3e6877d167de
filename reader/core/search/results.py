"""What a search answers: its hits, plain data that the CLI prints as JSON and the TUI lists."""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from itertools import accumulate, chain, compress
from typing import overload

# The papers a search may return: a test per id, a set of ids, or None for every paper.
Allow = Callable[[str], bool] | set[str] | frozenset[str] | None


def listed(hit: Hit | SimilarHit, digits: int) -> dict[str, object]:
    """What the JSON of any kind of hit starts with: the paper, and its score so rounded."""
    return {
        "id": hit.id,
        "title": hit.title,
        "authors": list(hit.authors),
        "date": hit.date,
        "score": round(hit.score, digits),
    }


@dataclass
class Hit:
    id: str
    title: str
    authors: list[str]
    date: str
    score: float
    snippet: str
    # (start, end) of the matched words in `title`, for the TUI's result list.
    highlights: list[tuple[int, int]] = field(default_factory=list)

    def to_dict(self) -> dict[str, object]:
        return {**listed(self, 4), "snippet": self.snippet}


@dataclass
class SearchResult:
    query: str
    total: int
    took_ms: float
    suggestion: str | None
    results: list[Hit]
    note: str | None = None
    sort: str = "relevance"
    # search_ids': the title/abstract terms its words match, to mark in a list (not in JSON).
    terms: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, object]:
        return {
            "query": self.query,
            "total": self.total,
            "took_ms": round(self.took_ms, 2),
            "suggestion": self.suggestion,
            "results": [hit.to_dict() for hit in self.results],
            "note": self.note,
            "sort": self.sort,
        }


class SegmentedColumn:
    """Every document's value in a column, by index-wide docnum, read from each segment's
    own tuple. Joined into one tuple, a million papers' ids took over 10 ms, again after every
    commit (an edit too), in its first search; this finds a value's segment by bisection,
    which suits a page of results, not a sort of every match."""

    def __init__(self, parts: Sequence[tuple[bytes, ...]]) -> None:
        self._parts = parts
        self._ends = list(accumulate(map(len, parts)))  # where each part ends

    def __len__(self) -> int:
        return self._ends[-1] if self._ends else 0

    def __getitem__(self, docnum: int) -> bytes:
        part = bisect_right(self._ends, docnum)
        return self._parts[part][docnum - (self._ends[part - 1] if part else 0)]

    def __iter__(self) -> Iterator[bytes]:
        return chain.from_iterable(self._parts)


class RankedIds(Sequence[str]):
    """The ids of a search's matches in result order, decoded as they are read. The TUI's
    list of a common word's half a million matches shows a screenful; decoding every id
    first took 0.3 s at 1M papers. `order` holds docnums, `column` every document's id.

    `order` may be only the first of them, with `rank_all` to rank every match (`total`) when
    a position past those is read: ranking a quarter of a million matches is most of what a
    search of a common word costs, and a list being typed into shows only its first screen."""

    def __init__(
        self,
        order: list[int],
        column: Sequence[bytes] | SegmentedColumn,
        rank_all: Callable[[], list[int]] | None = None,
        total: int | None = None,
    ) -> None:
        self._order = order
        self._column = column
        self._rank_all = rank_all
        self._total = len(order) if rank_all is None or total is None else total

    def __len__(self) -> int:
        return self._total

    def _ranked(self, past: int) -> list[int]:
        """The docnums in order, ranked in full first if `past` is beyond those at hand."""
        if past > len(self._order) and self._rank_all is not None:
            self._order, self._rank_all = self._rank_all(), None
        return self._order

    @overload
    def __getitem__(self, position: int) -> str: ...
    @overload
    def __getitem__(self, position: slice) -> list[str]: ...
    def __getitem__(self, position: int | slice) -> str | list[str]:
        column = self._column
        if isinstance(position, slice):
            start, stop, _ = position.indices(self._total)
            order = self._ranked(max(start, stop) if position.step in (None, 1) else self._total)
            return [column[docnum].decode("utf-8") for docnum in order[position]]
        at = position + self._total if position < 0 else position
        if not 0 <= at < self._total:
            raise IndexError("result position out of range")
        return column[self._ranked(at + 1)[at]].decode("utf-8")

    def __iter__(self) -> Iterator[str]:
        order = self._ranked(self._total)
        return map(bytes.decode, map(self._column.__getitem__, order))

    def __eq__(self, other: object) -> bool:
        if isinstance(other, Sequence) and not isinstance(other, str):
            return len(self) == len(other) and list(self) == list(other)
        return NotImplemented

    __hash__ = None  # type: ignore[assignment]  # equal to lists, so unhashable as they are

    def __contains__(self, paper_id: object) -> bool:
        return isinstance(paper_id, str) and self._position(paper_id) is not None

    def index(self, paper_id: str, start: int = 0, stop: int | None = None) -> int:
        position = self._position(paper_id, start, stop)
        if position is None:
            raise ValueError(f"{paper_id!r} is not in the results")
        return position

    def _position(self, paper_id: str, start: int = 0, stop: int | None = None) -> int | None:
        """Where the paper is (a scan of the id column, then of the order, both in C): once
        per new result list, to keep the cursor on the paper it was on. The matches ranked
        so far come first: a paper among them needs no ranking of the rest."""
        key = paper_id.encode("utf-8")
        column = self._column  # a paper's id can be in it twice: its replaced copy awaits a merge
        docnums = list(compress(range(len(column)), map(key.__eq__, column)))
        stop = len(self) if stop is None else stop
        position = _first(self._order, docnums, start, stop)
        if position is None and self._rank_all is not None:
            position = _first(self._ranked(self._total), docnums, start, stop)
        return position


def _first(order: list[int], docnums: list[int], start: int, stop: int) -> int | None:
    """The first position in order[start:stop] holding one of the docnums."""
    found = []
    for docnum in docnums:
        try:
            found.append(order.index(docnum, start, stop))
        except ValueError:
            continue
    return min(found, default=None)


@dataclass(slots=True)
class SimilarHit:
    id: str
    title: str
    authors: list[str]
    date: str
    score: float
    terms: list[str]  # the key terms this paper shares with the one it is like, strongest first

    def to_dict(self) -> dict[str, object]:
        return {**listed(self, 3), "terms": list(self.terms)}


@dataclass(slots=True)
class SimilarResult:
    id: str
    title: str
    terms: list[str]  # the paper's key terms that were searched for, strongest first
    results: list[SimilarHit] = field(default_factory=list)
    took_ms: float = 0.0
    stems: list[str] = field(default_factory=list)  # `terms` as the index has them (stemmed)

    def to_dict(self) -> dict[str, object]:
        return {
            "id": self.id,
            "title": self.title,
            "terms": list(self.terms),
            "took_ms": round(self.took_ms, 1),
            "results": [hit.to_dict() for hit in self.results],
        }
