"""Many texts' token rows summed at once: each whitespace chunk's token ids kept as flat arrays.

Embedding an import's papers one text at a time built a Python list of every token id of every
text. Here a text is only mapped, chunk by chunk, to chunk numbers (a dict lookup that runs in
C); the chunks' token ids live in one numpy array with an offset per chunk, so a batch's token
ids are a few numpy calls. Each text's rows are then summed by themselves, in token order, so
a vector is the same whichever texts share its batch.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from itertools import chain

import numpy as np


class _Numbers(dict[str, int]):
    """Chunk -> its number; an unseen chunk gets the next number and waits to be encoded."""

    def __init__(self) -> None:
        super().__init__()
        self.unseen: list[str] = []

    def __missing__(self, chunk: str) -> int:
        number = self[chunk] = len(self)
        self.unseen.append(chunk)
        return number


class ChunkTokens:
    """Chunk -> token ids, for summing the rows of many texts' tokens. Not thread-safe: its
    one user (Model.embed) holds the model's lock."""

    def __init__(self, encode: Callable[[list[str]], list[list[int]]], limit: int) -> None:
        self._encode = encode  # whitespace-free chunks -> their token ids
        self._limit = limit  # chunks remembered, then the memo starts again
        self._clear()

    def _clear(self) -> None:
        self._numbers = _Numbers()
        self._ids = np.zeros(0, dtype=np.int64)  # every chunk's token ids, one after another
        self._starts = np.zeros(1, dtype=np.int64)  # chunk n's ids: _ids[_starts[n]:_starts[n+1]]

    def sums(self, texts: Sequence[str], table: np.ndarray) -> np.ndarray:
        """Each text's sum of `table` rows over its tokens (float32; zeros without tokens)."""
        split = [text.split() for text in texts]
        if len(self._numbers) >= self._limit:
            self._clear()
        numbers = self._numbers
        chunks = np.fromiter(map(numbers.__getitem__, chain.from_iterable(split)), dtype=np.int64)
        self._learn(numbers.unseen)
        numbers.unseen = []
        starts, ends = self._starts[chunks], self._starts[chunks + 1]
        lengths = ends - starts
        # The ids of every chunk of the batch, in order: a run per chunk, from its start.
        runs = np.repeat(starts - np.cumsum(lengths) + lengths, lengths)
        ids = self._ids[runs + np.arange(len(runs))]
        text_of_chunk = np.repeat(np.arange(len(split)), [len(words) for words in split])
        per_text = np.bincount(text_of_chunk, weights=lengths, minlength=len(split))
        return _row_sums(table, ids, per_text.astype(np.int64))

    def _learn(self, unseen: list[str]) -> None:
        if not unseen:
            return
        encoded = self._encode(unseen)
        lengths = np.fromiter(map(len, encoded), dtype=np.int64, count=len(encoded))
        self._ids = np.concatenate(
            (self._ids, np.fromiter(chain.from_iterable(encoded), dtype=np.int64))
        )
        self._starts = np.concatenate((self._starts, self._starts[-1] + np.cumsum(lengths)))


def _row_sums(table: np.ndarray, ids: np.ndarray, counts: np.ndarray) -> np.ndarray:
    """Sum table[ids] over consecutive runs of counts[i] ids (zeros for an empty run). Each
    run is summed by itself, in order (numpy's reduceat over rows is many times slower)."""
    out = np.zeros((len(counts), table.shape[1]), dtype=np.float32)
    ends = np.cumsum(counts).tolist()
    begin = 0
    for row, end in enumerate(ends):
        if end > begin:
            out[row] = table[ids[begin:end]].sum(axis=0)
        begin = end
    return out
