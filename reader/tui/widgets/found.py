"""What the panes show: a search's result, For you's ranking, the papers like one paper.

Plain data made in the panes' workers and read by the screens: a search's ids with the
terms to highlight, the muted papers a feed left out, For you's reason for each paper.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from reader.core.library import SearchResult, SimilarResult
from reader.tui.widgets.paper_detail import Likeness

if TYPE_CHECKING:
    from reader.core.library import ForYouResult  # numpy and the vectors: when For you opens

FOR_YOU_ORDER = "for you"  # the sort For you's result says it has


@dataclass(frozen=True, slots=True)
class Found:
    """A search's result, as the panes show it."""

    query: str  # as typed
    sort: str
    ids: Sequence[str]
    result: SearchResult
    terms: list[str]  # the index's terms of the query's words, highlighted in the list
    took_ms: float
    hidden: int = 0  # muted papers a feed left out
    reasons: Mapping[str, str] = field(default_factory=dict)  # For you: why each paper is there
    learned: bool = False  # For you ranked from the user's signals (False: the newest first)


@dataclass(frozen=True, slots=True)
class SimilarList:
    """The papers like one paper, best first, and why each is there."""

    result: SimilarResult
    shared: Mapping[str, Likeness]  # result id -> the key terms it shares with the paper


def for_you_found(ranked: ForYouResult) -> Found:
    """For you's papers as the panes show a search's, its note (nothing to learn from yet)
    for the screen to say."""
    ids = [hit.id for hit in ranked.results]
    result = SearchResult("", len(ids), ranked.took_ms, None, [], ranked.note, FOR_YOU_ORDER)
    reasons = {hit.id: hit.reason for hit in ranked.results}
    return Found("", FOR_YOU_ORDER, ids, result, [], ranked.took_ms, 0, reasons, ranked.learned)
