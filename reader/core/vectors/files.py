"""A vector file: one row per document of an index segment, in the segment's order (FORMAT.md).

The file is written once, whole, beside the segment it belongs to, and never changed: like the
segment, it is visible only once a table of contents lists the segment, and it goes when the
segment goes. The codes (32 bytes a paper) are mapped: every query by meaning reads them all.
The int8 rows are never mapped: a query reads the few thousand it scores one by one, and a
scan of every row reads blocks into one buffer, so a searcher's resident memory does not grow
with the 256 bytes a paper the rows take.
"""

from __future__ import annotations

import os
import threading
import weakref
from collections import deque
from collections.abc import Iterator
from pathlib import Path

import numpy as np

from reader.core.vectors.chunk_tokens import ChunkIds, TokenRuns
from reader.core.vectors.codes import CODE_WORDS, to_codes, to_int8
from reader.core.vectors.header import (
    CODE_BYTES,
    DIM,
    HEADER_SIZE,
    VectorFileError,
    pack_header,
    read_header,
)
from reader.core.vectors.model import embed_runs, encode_chunks, model_fingerprint

_EMBED_BATCH = 1000  # texts embedded at a time while a segment is built


class VectorWriter:
    """Collects the vectors of one new segment's papers (a few tens of thousands at most). A
    paper comes with its vector (kept from the index) or its text's chunks, by the numbers
    number() gave them, tokenised and embedded with others in batches. A writer made with
    `later=True` only tokenises: take_tokens() hands the token ids out, and supply() gives
    the vectors back in the papers' order (an import's index worker numbers the chunks it
    splits for its own analysis, and its importing process sums the rows: each holds half of
    the model)."""

    def __init__(self, later: bool = False) -> None:
        self._later = later
        self._chunk_ids = ChunkIds(encode_chunks)  # the segment's chunks' token ids
        # Each paper's chunks' numbers (the bytes of uint32s), or its known vector.
        self._pending: list[bytes | tuple[bytes, bytes]] = []
        self._codes: list[np.ndarray] = []
        self._rows: list[np.ndarray] = []
        # (block, its rows) waiting for supply(), oldest first
        self._awaited: deque[tuple[int, np.ndarray]] = deque()
        self._outgoing: list[TokenRuns] = []  # tokens not taken yet, oldest first
        self._fingerprint: bytes | None = None
        self.count = 0
        self.missing = 0  # papers whose vectors supply() has yet to give

    def number(self, chunk: str) -> int:
        """The number of a whitespace-free chunk new to this segment (the caller remembers
        it); its token ids are encoded once a paper's vector needs them."""
        return self._chunk_ids.number(chunk)

    def add(self, chunks: bytes, known: tuple[bytes, bytes] | None = None) -> None:
        """The next document's vector: `known` (its int8 row and code, kept from the index),
        else that of its text's chunks, by number (the bytes of uint32s): those of
        `paper_text(title, abstract).split()`, the title's and then the abstract's."""
        if known is not None:
            self._pending.append(known)
        else:
            self._pending.append(chunks)
            if self._later:
                self.missing += 1
        self.count += 1
        if len(self._pending) >= _EMBED_BATCH:
            self._embed()

    def take_tokens(self) -> list[TokenRuns]:
        """The token runs of the papers added since the last call, oldest first, for whoever
        sums their rows and supply()s the vectors (a writer made with `later=True`)."""
        self._embed()
        taken, self._outgoing = self._outgoing, []
        return taken

    def supply(self, rows: np.ndarray, codes: np.ndarray) -> int:
        """The next papers' vectors (int8 rows, codes), to those still without, in order;
        returns how many it took (the rest belong to papers after this segment's)."""
        self._embed()
        taken = 0
        while self._awaited and taken < len(rows):
            block, wanted = self._awaited.popleft()
            now, rest = wanted[: len(rows) - taken], wanted[len(rows) - taken :]
            self._rows[block][now] = rows[taken : taken + len(now)]
            self._codes[block][now] = codes[taken : taken + len(now)]
            taken += len(now)
            if len(rest):
                self._awaited.appendleft((block, rest))
        self.missing -= taken
        return taken

    def _embed(self) -> None:
        if not self._pending:
            return
        rows = np.zeros((len(self._pending), DIM), dtype=np.int8)
        codes = np.zeros((len(self._pending), CODE_BYTES), dtype=np.uint8)
        fresh = [i for i, item in enumerate(self._pending) if isinstance(item, bytes)]
        if fresh:
            texts = [item for item in self._pending if isinstance(item, bytes)]
            chunks = np.frombuffer(b"".join(texts), dtype=np.uint32).astype(np.int64)
            per_text = np.fromiter(map(len, texts), dtype=np.int64, count=len(texts)) // 4
            runs = self._chunk_ids.runs(chunks, per_text)
            if self._later:
                self._outgoing.append(runs)
                self._awaited.append((len(self._rows), np.array(fresh, dtype=np.int64)))
            else:
                rows[fresh], codes[fresh] = token_vectors(runs)
        for i, item in enumerate(self._pending):
            if isinstance(item, tuple):
                rows[i] = np.frombuffer(item[0], dtype=np.int8)
                codes[i] = np.frombuffer(item[1], dtype=np.uint8)
        self._fingerprint = model_fingerprint()
        self._rows.append(rows)
        self._codes.append(codes)
        self._pending = []

    def write(self, path: Path) -> None:
        """The file, whole (a segment's files are visible only once a TOC lists it)."""
        self._embed()
        if self.missing:
            raise VectorFileError(f"{self.missing} vectors of {path.name} never came")
        with open(path, "wb") as out:
            out.write(pack_header(self.count, self._fingerprint or bytes(8)))
            for codes in self._codes:
                out.write(codes.tobytes())
            for rows in self._rows:
                out.write(rows.tobytes())


def token_vectors(runs: TokenRuns) -> tuple[np.ndarray, np.ndarray]:
    """The int8 rows and sign-bit codes, as a VectorWriter stores them, of texts given as
    their token runs: the same as their texts embedded, to the bit. Needs the model's table,
    not its tokenizer."""
    vectors = embed_runs(runs)
    return to_int8(vectors), to_codes(vectors)


def write_selected(path: Path, parts: list[tuple[VectorFile, np.ndarray]]) -> None:
    """A file of chosen rows of other files (ascending row numbers per file), in order, read a
    block at a time: a merge of big segments never holds their vectors in memory."""
    fingerprints = {source.fingerprint for source, chosen in parts if len(chosen)}
    if len(fingerprints) > 1:
        raise VectorFileError("vectors of two different models cannot share a file")
    count = sum(len(chosen) for _, chosen in parts)
    codes_at, rows_at = HEADER_SIZE, HEADER_SIZE + count * CODE_BYTES
    with open(path, "wb") as out:
        out.write(pack_header(count, fingerprints.pop() if fingerprints else bytes(8)))
        for source, chosen in parts:
            out.seek(codes_at)
            out.write(source.codes(chosen).tobytes())
            codes_at += len(chosen) * CODE_BYTES
            out.seek(rows_at)
            for start, rows in source.blocks():
                lo, hi = np.searchsorted(chosen, [start, start + len(rows)])
                out.write(rows[chosen[lo:hi] - start].tobytes())
            rows_at += len(chosen) * DIM


class VectorFile:
    """One segment's vectors, read."""

    def __init__(self, path: Path, count: int, fingerprint: bytes) -> None:
        self.path = path
        self.count = count
        self.fingerprint = fingerprint
        self._words: np.ndarray | None = None
        self._fd: int | None = None
        self._lock = threading.Lock()

    @classmethod
    def open(cls, path: Path, expected: int | None = None) -> VectorFile:
        """The file, its header checked against its size (and `expected` rows, if given)."""
        count, fingerprint = read_header(path, expected)
        return cls(path, count, fingerprint)

    def words(self) -> np.ndarray:
        """Every row's code as uint64 words (n, CODE_WORDS), mapped: the part a query scans
        whole (32 bytes a paper), so it may stay resident."""
        if self._words is None:
            if not self.count:
                self._words = np.zeros((0, CODE_WORDS), dtype=np.uint64)
            else:
                self._words = np.memmap(
                    self.path, np.uint64, "r", HEADER_SIZE, (self.count, CODE_WORDS)
                )
        return self._words

    def rows(self, local: np.ndarray) -> np.ndarray:
        """The int8 rows of these documents (any order), read row by row with pread: a map
        of the file would leave every page it touched in the searcher's resident memory
        (and a fault costs about twice a read)."""
        local = np.asarray(local, dtype=np.int64)
        out = np.empty((len(local), DIM), dtype=np.int8)
        if not len(local):
            return out
        handle, at = self._handle(), self._rows_at()
        for row, docnum in zip(out, local.tolist(), strict=True):
            if os.preadv(handle, [row], at + docnum * DIM) != DIM:
                raise VectorFileError(f"the vector file {self.path.name} is cut short")
        return out

    def _handle(self) -> int:
        """The file, open for reading while this object lives."""
        with self._lock:
            if self._fd is None:
                self._fd = os.open(self.path, os.O_RDONLY)
                weakref.finalize(self, os.close, self._fd)
            return self._fd

    def codes(self, local: np.ndarray) -> np.ndarray:
        """The packed codes (uint8, CODE_BYTES each) of these documents."""
        words = self.words()[np.asarray(local, dtype=np.int64)]
        return np.ascontiguousarray(words).view(np.uint8).reshape(-1, CODE_BYTES)

    def blocks(self, size: int = 16384) -> Iterator[tuple[int, np.ndarray]]:
        """(first row, int8 rows) of the whole file in blocks read into one buffer: a scan of
        every row without mapping the file (each block is valid until the next)."""
        buffer = np.empty((size, DIM), dtype=np.int8)
        with open(self.path, "rb", buffering=0) as handle:
            handle.seek(self._rows_at())
            start = 0
            while start < self.count:
                take = min(size, self.count - start)
                view = memoryview(buffer[:take].reshape(-1))
                got = 0
                while got < len(view):
                    read = handle.readinto(view[got:])
                    if not read:
                        raise VectorFileError(f"the vector file {self.path.name} is cut short")
                    got += read
                yield start, buffer[:take]
                start += take

    def _rows_at(self) -> int:
        return HEADER_SIZE + self.count * CODE_BYTES
