"""Rows of a result list, fetched from the store a block at a time and kept in a small LRU.

The paper list holds only a sequence of ids: a list for a search, or a StoreView for a
browse view, which reads its ids from the store too. Painting a screen touches one or two
blocks, so a repaint costs at most a couple of indexed SQLite lookups, never a full load,
and asking for the id on a row (every cursor move) reads the block it is in, once. A block
is about a screenful: each new result (a keystroke) reads its first block before it is
painted, and rows past the screen would only delay that frame.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable, Sequence

from reader.core.model import Paper

Fetch = Callable[[list[str]], dict[str, Paper]]


class RowCache:
    def __init__(self, fetch: Fetch, block_size: int = 64, max_blocks: int = 48) -> None:
        self._fetch = fetch
        self.block_size = block_size
        self.max_blocks = max_blocks
        self._ids: Sequence[str] = ()
        self._blocks: OrderedDict[int, tuple[list[str], dict[str, Paper]]] = OrderedDict()
        self.fetches = 0  # how many blocks were read from the store (for tests and benchmarks)

    def reset(self, ids: Sequence[str]) -> None:
        self._ids = ids
        self._blocks.clear()

    @property
    def ids(self) -> Sequence[str]:
        return self._ids

    def __len__(self) -> int:
        return len(self._ids)

    def paper_id(self, row: int) -> str | None:
        if not 0 <= row < len(self._ids):
            return None
        ids, _ = self._block(row // self.block_size)
        offset = row % self.block_size
        return ids[offset] if offset < len(ids) else None

    def get(self, row: int) -> Paper | None:
        """The paper on a row; None past the end or if the store no longer has it."""
        if not 0 <= row < len(self._ids):
            return None
        ids, papers = self._block(row // self.block_size)
        offset = row % self.block_size
        return papers.get(ids[offset]) if offset < len(ids) else None

    def _block(self, number: int) -> tuple[list[str], dict[str, Paper]]:
        block = self._blocks.get(number)
        if block is not None:
            self._blocks.move_to_end(number)
            return block
        start = number * self.block_size
        ids = list(self._ids[start : start + self.block_size])
        block = self._blocks[number] = (ids, self._fetch(ids))
        self.fetches += 1
        while len(self._blocks) > self.max_blocks:
            self._blocks.popitem(last=False)
        return block

    def index_of(self, paper_id: str) -> int | None:
        """The row of an id (a list scans; a StoreView asks the store): once per new result."""
        try:
            return self._ids.index(paper_id)
        except ValueError:
            return None
