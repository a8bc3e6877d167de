"""A new segment's text fields as streams of chunk numbers, made into terms at the end.

A title, abstract, note or summary is split on whitespace and each chunk looked up once in
the segment's memo (PaperChunks), whose hit is the chunk's number as 4 bytes: a text is a join
of dict hits, in C. By that number the memo keeps what the chunk is to the index (its kept
terms' numbers, how many terms it has and where its first kept one is) and, for titles and
abstracts, to the paper's vector (its token ids, numbered alike by VectorWriter.number). So
one lookup serves the analysis and the embedding. A field's ChunkStream holds its documents'
chunk numbers in a block of whole documents, which becomes part of a TermStream (tokens,
lengths and leads, those of `analysis.text_positions`) with a few numpy calls once it is full,
and is let go: the chunks and the terms are not held whole at once, and the segment's
writing, which waits for the last document, makes only the last block's terms.
"""

from __future__ import annotations

import struct
from array import array
from collections.abc import Callable, Iterator

import numpy as np

from reader.core.index.analysis import chunk_terms
from reader.core.index.term_buckets import TermBucket
from reader.core.index.term_streams import TermNumbers, TermStream

_BLOCK = 1 << 16  # chunks a block (whole documents) holds, made into terms at once
_NUMBER = struct.Struct("=I")  # a chunk's number as the bytes of a uint32 (array "I")


class PaperChunks(dict[str, bytes]):
    """A whitespace-free chunk ("model," or "(SciML)") -> its number in the segment, as the
    bytes of a uint32. The titles' and abstracts' keys are the segment's words (the
    vocabulary offered as spellings); notes and summaries have a memo of their own."""

    def __init__(
        self, numbers: TermNumbers, vector_number: Callable[[str], int] | None = None
    ) -> None:
        super().__init__()
        self._numbers = numbers
        # Numbers chunks 0, 1, 2... for their token ids (a paper's vector is made of them).
        self._vector_number = vector_number
        self.kept = array("I")  # every chunk's kept terms' numbers, one chunk after another
        self.kept_counts = array("I")  # how many each chunk has
        self.term_counts = array("I")  # how many terms each has, stop words too
        self.firsts = array("i")  # the place of its first kept term among them; -1: none

    def __missing__(self, chunk: str) -> bytes:
        number = len(self.term_counts)
        if self._vector_number is not None:
            vector = self._vector_number(chunk)
            assert vector == number, "chunks are numbered in the order they come"
        terms = chunk_terms(chunk)
        if len(terms) == 1:  # most chunks are one word
            kept = [] if terms[0] is None else [self._numbers.number(terms[0])]
            first = 0 if kept else -1
        else:
            kept = [self._numbers.number(term) for term in terms if term is not None]
            first = next((at for at, term in enumerate(terms) if term is not None), -1)
        self.kept.extend(kept)
        self.kept_counts.append(len(kept))
        self.term_counts.append(len(terms))
        self.firsts.append(first)
        found = self[chunk] = _NUMBER.pack(number)
        return found


class ChunkStream:
    """A text field of a new segment: its documents' chunk numbers, in order, 4 bytes a chunk
    (its length). lengths() and take() are those of a TermStream of its terms."""

    def __init__(self, chunks: PaperChunks, numbers: TermNumbers) -> None:
        self._chunks = chunks
        # The full blocks' documents as terms, each block made into terms as it fills (its
        # chunks' terms are known by then): the segment's writing, which waits for the last
        # document, makes only the open block's.
        self._terms = TermStream(numbers)
        # The open block: chunk numbers, and where each document ends among them.
        self._stream, self._ends = array("I"), array("I")
        self._held = 0

    def __len__(self) -> int:
        return self._held

    def add_text(self, text: str) -> bytes:
        """The next document's text; returns its chunks' numbers (bytes of uint32s)."""
        if not text:  # most papers have no note or summary
            self._ends.append(len(self._stream))
            return b""
        found = b"".join(map(self._chunks.__getitem__, text.split()))
        self._stream.frombytes(found)
        self._ends.append(len(self._stream))
        self._held += len(found) >> 2
        if len(self._stream) >= _BLOCK:
            self._make_terms()
        return found

    def lengths(self) -> np.ndarray:
        return self._as_terms().lengths()

    def take(self) -> Iterator[TermBucket]:
        return self._as_terms().take()

    def _as_terms(self) -> TermStream:
        """The stream as terms, the open block's too."""
        if len(self._ends):
            self._make_terms()
        return self._terms

    def _make_terms(self) -> None:
        """The open block's documents as terms, after the full blocks'; the block let go."""
        chunks = np.frombuffer(self._stream, dtype=np.uint32).astype(np.int64)
        ends = np.frombuffer(self._ends, dtype=np.uint32).astype(np.int64)
        self._stream, self._ends = array("I"), array("I")
        # The tables view the memo's arrays, which grow again once they are let go.
        self._terms.add_terms(*_Tables(self._chunks).terms(chunks, ends))


class _Tables:
    """A segment's chunks by number, as numpy arrays."""

    def __init__(self, chunks: PaperChunks) -> None:
        self.kept = np.frombuffer(chunks.kept, dtype=np.uint32)
        self.kept_counts = np.frombuffer(chunks.kept_counts, dtype=np.uint32).astype(np.int64)
        self.kept_starts = np.cumsum(self.kept_counts) - self.kept_counts
        self.term_counts = np.frombuffer(chunks.term_counts, dtype=np.uint32).astype(np.int64)
        self.firsts = np.frombuffer(chunks.firsts, dtype=np.int32).astype(np.int64)

    def terms(
        self, chunks: np.ndarray, ends: np.ndarray
    ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Documents' kept term numbers (one document after another), how many each has, and
        their leads, from their chunks' numbers (`ends`: where each document's end).

        A document's lead is the place of its first kept term among all its terms, stop words
        too (Whoosh's StopFilter numbers the kept terms on from there); 0 if it keeps none."""
        counts = self.kept_counts[chunks]
        at = np.repeat(self.kept_starts[chunks] - np.cumsum(counts) + counts, counts)
        tokens = self.kept[at + np.arange(len(at))]
        starts = np.concatenate(([0], ends[:-1]))
        kept_before = np.concatenate(([0], np.cumsum(counts)))
        per_document = kept_before[ends] - kept_before[starts]
        keeping = np.flatnonzero(self.firsts[chunks] >= 0)  # chunks with a kept term
        if not len(keeping):
            return tokens, per_document, np.zeros(len(ends), dtype=np.int64)
        first = keeping[np.minimum(np.searchsorted(keeping, starts), len(keeping) - 1)]
        found = (first >= starts) & (first < ends)
        terms_before = np.concatenate(([0], np.cumsum(self.term_counts[chunks])))
        leads = terms_before[first] - terms_before[starts] + self.firsts[chunks[first]]
        return tokens, per_document, np.where(found, leads, 0)
