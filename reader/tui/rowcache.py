"""Rows of a result list, fetched from the store a block at a time and kept in a small LRU.

The paper list holds only ids (a million is a few MB); painting a screen touches one or two
blocks, so a repaint costs at most a couple of indexed SQLite lookups, never a full load.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable, Sequence

from reader.core.model import Paper

Fetch = Callable[[list[str]], dict[str, Paper]]


class RowCache:
    def __init__(self, fetch: Fetch, block_size: int = 200, max_blocks: int = 16) -> None:
        self._fetch = fetch
        self.block_size = block_size
        self.max_blocks = max_blocks
        self._ids: Sequence[str] = ()
        self._blocks: OrderedDict[int, dict[str, Paper]] = OrderedDict()
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
        return self._ids[row] if 0 <= row < len(self._ids) else None

    def get(self, row: int) -> Paper | None:
        """The paper on a row; None past the end or if the store no longer has it."""
        paper_id = self.paper_id(row)
        if paper_id is None:
            return None
        number = row // self.block_size
        block = self._blocks.get(number)
        if block is None:
            start = number * self.block_size
            block = self._fetch(list(self._ids[start : start + self.block_size]))
            self.fetches += 1
            self._blocks[number] = block
            while len(self._blocks) > self.max_blocks:
                self._blocks.popitem(last=False)
        else:
            self._blocks.move_to_end(number)
        return block.get(paper_id)

    def index_of(self, paper_id: str) -> int | None:
        """The row of an id (a linear scan: used once per new result list, not per frame)."""
        try:
            return self._ids.index(paper_id)
        except ValueError:
            return None
