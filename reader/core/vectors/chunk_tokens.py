"""Many texts' token rows summed at once: each whitespace chunk's token ids kept as flat arrays.

Embedding an import's papers one text at a time built a Python list of every token id of every
text. Here a text is only mapped, chunk by chunk, to chunk numbers (a dict lookup that runs in
C); the chunks' token ids live in one numpy array with an offset per chunk, so a batch's token
ids are a few numpy calls. Each text's rows are then summed by themselves, in token order, so
a vector is the same whichever texts share its batch.

The halves can run in two processes: the token ids need the tokenizer, `row_sums` the table.
An import's index worker numbers the chunks it splits for its own analysis in the same dict
lookup (reader.core.index.paper_chunks.PaperChunks), and its importing process sums the rows
(reader.core.index.segment_write).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from itertools import chain
from typing import NamedTuple

import numpy as np

# Whitespace-free chunks -> their token ids, one chunk's after another, and how many each has.
Encode = Callable[[list[str]], tuple[np.ndarray, np.ndarray]]


class TokenRuns(NamedTuple):
    """Texts' token ids, one text's run after another: what row_sums turns into their sums."""

    ids: np.ndarray  # int32 (or uint16, narrowed), every text's token ids in order
    counts: np.ndarray  # int64, how many of them each text has

    def narrowed(self) -> TokenRuns:
        """The same runs, their ids 2 bytes each if they fit (the model has 32,000 tokens):
        half the bytes to send to another process and to hold there."""
        if len(self.ids) and int(self.ids.max()) >= 1 << 16:
            return self
        return TokenRuns(self.ids.astype(np.uint16), self.counts)


class ChunkIds:
    """The token ids of numbered chunks: chunk n's are `_ids[_starts[n]:_starts[n+1]]`. The
    caller's memo gives each new chunk the next number(); its ids are encoded with the other
    new ones when runs() next needs them."""

    def __init__(self, encode: Encode) -> None:
        self._encode = encode
        self._ids = np.zeros(0, dtype=np.int32)  # every chunk's token ids, one after another
        self._starts = np.zeros(1, dtype=np.int64)
        self._unseen: list[str] = []  # numbered, not encoded yet

    def __len__(self) -> int:
        return len(self._starts) - 1 + len(self._unseen)

    def number(self, chunk: str) -> int:
        """The number of a chunk its caller has not numbered before."""
        self._unseen.append(chunk)
        return len(self) - 1

    def runs(self, chunks: np.ndarray, per_text: np.ndarray) -> TokenRuns:
        """The token runs of texts given as their chunks' numbers, one text after another,
        `per_text` chunks each."""
        self._learn()
        starts, ends = self._starts[chunks], self._starts[chunks + 1]
        lengths = ends - starts
        before = np.concatenate(([0], np.cumsum(lengths)))  # tokens before each chunk, then all
        # The ids of every chunk, in order: a run per chunk, from its start.
        at = np.repeat(starts - before[:-1], lengths)
        ids = self._ids[at + np.arange(len(at))]
        # A text's tokens: those before its end less those before its start.
        ends_at = np.cumsum(per_text)
        return TokenRuns(ids, before[ends_at] - before[ends_at - per_text])

    def _learn(self) -> None:
        if not self._unseen:
            return
        ids, lengths = self._encode(self._unseen)
        self._unseen = []
        self._ids = np.concatenate((self._ids, ids.astype(np.int32, copy=False)))
        self._starts = np.concatenate((self._starts, self._starts[-1] + np.cumsum(lengths)))


class _Numbers(dict[str, int]):
    """Chunk -> its number in `ids`; an unseen chunk is numbered there."""

    def __init__(self, ids: ChunkIds) -> None:
        super().__init__()
        self._ids = ids

    def __missing__(self, chunk: str) -> int:
        number = self[chunk] = self._ids.number(chunk)
        return number


class ChunkTokens:
    """Texts -> their token runs, each chunk's ids remembered (up to `limit` chunks, then the
    memo starts again). Not thread-safe: its one user (Model.embed) holds the model's lock."""

    def __init__(self, encode: Encode, limit: int) -> None:
        self._encode = encode
        self._limit = limit
        self._clear()

    def _clear(self) -> None:
        self._ids = ChunkIds(self._encode)
        self._numbers = _Numbers(self._ids)

    def runs(self, texts: Sequence[str]) -> TokenRuns:
        """Each text's token ids, in order (row_sums sums their rows)."""
        split = [text.split() for text in texts]
        if len(self._numbers) >= self._limit:
            self._clear()
        chunks = np.fromiter(
            map(self._numbers.__getitem__, chain.from_iterable(split)), dtype=np.int64
        )
        per_text = np.fromiter(map(len, split), dtype=np.int64, count=len(split))
        return self._ids.runs(chunks, per_text)


def row_sums(table: np.ndarray, runs: TokenRuns) -> np.ndarray:
    """Each text's sum of `table` rows over its tokens (float32; zeros without tokens). Each
    run is summed by itself, in order (numpy's reduceat over rows is many times slower): its
    rows are gathered into one buffer, reused, and added up into the text's row."""
    ids, counts = runs
    out = np.zeros((len(counts), table.shape[1]), dtype=np.float32)
    if not len(ids):
        return out
    ids = ids.astype(np.intp)  # numpy converts other ids on every gather
    if int(ids.min()) < 0 or int(ids.max()) >= len(table):
        raise ValueError("a token id outside the model's table")
    gathered = np.empty((int(counts.max()), table.shape[1]), dtype=table.dtype)
    ends = np.cumsum(counts).tolist()
    begin = 0
    for row, end in enumerate(ends):
        if end > begin:
            rows = gathered[: end - begin]
            # mode="clip" (the ids are checked above) writes into `rows` directly: "raise"
            # gathers into a buffer of its own first, to leave `rows` as it was on a bad id.
            np.take(table, ids[begin:end], axis=0, out=rows, mode="clip")
            np.add.reduce(rows, axis=0, out=out[row])
        begin = end
    return out
