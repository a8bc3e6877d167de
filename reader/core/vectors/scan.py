"""The papers whose vectors are nearest a query vector, over every segment of an index.

Scoring a million int8 rows exactly reads 256 MB and costs hundreds of milliseconds. Instead
the sign-bit codes (32 bytes a paper, kept in memory) rank every paper by Hamming distance, a
XOR and a bit count, and the CANDIDATES closest are scored exactly from their int8 rows.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from reader.core.vectors.codes import code_words, hamming, to_codes, unit
from reader.core.vectors.files import VectorFile
from reader.core.vectors.header import DIM

CANDIDATES = 4000  # codes nearest the query that are scored exactly
_FAR = np.iinfo(np.uint16).max


@dataclass(frozen=True, slots=True)
class Part:
    """One segment's vectors: its first global docnum, its file, and its live documents."""

    base: int
    file: VectorFile
    live: np.ndarray | None = None  # False for a deleted document; None: none deleted


def distances(parts: list[Part], query: np.ndarray) -> np.ndarray:
    """The Hamming distance of every document's code to the query's, by global docnum
    (deleted documents, and any gap between parts, at the far end)."""
    size = max((part.base + part.file.count for part in parts), default=0)
    out = np.full(size, _FAR, dtype=np.uint16)
    target = code_words(to_codes(np.asarray(query, dtype=np.float32)[None, :]))[0]
    for part in parts:
        out[part.base : part.base + part.file.count] = hamming(part.file.words(), target)
        if part.live is not None:
            section = out[part.base : part.base + part.file.count]
            section[~part.live] = _FAR
    return out


def nearest(
    parts: list[Part],
    query: np.ndarray,
    count: int,
    *,
    allowed: np.ndarray | None = None,
    candidates: int = CANDIDATES,
) -> tuple[np.ndarray, np.ndarray]:
    """(global docnums, cosines) of the `count` documents nearest `query` (a unit vector),
    best first; `allowed` (a bool per global docnum) leaves the others out."""
    far = distances(parts, query)
    if allowed is not None:
        far[~allowed[: len(far)]] = _FAR
    chosen = closest(far, max(candidates, count))
    docnums, scores = exact(parts, chosen, query)
    order = np.argsort(-scores, kind="stable")[:count]
    return docnums[order], scores[order]


def closest(far: np.ndarray, wanted: int) -> np.ndarray:
    """The docnums (ascending) of the `wanted` smallest distances, leaving out the far end;
    of papers tied at the edge, the first. A histogram of the 257 possible distances finds
    the edge (a partition of a million values costs several times more)."""
    counts = np.bincount(far, minlength=_FAR + 1)[:_FAR]
    within = np.cumsum(counts)
    if not len(within) or within[-1] == 0:
        return np.zeros(0, dtype=np.int64)
    edge = int(np.searchsorted(within, min(wanted, within[-1])))
    inside = np.flatnonzero(far < edge)
    tied = np.flatnonzero(far == edge)[: max(wanted - len(inside), 0)]
    return np.sort(np.concatenate([inside, tied]))


def exact(
    parts: list[Part], docnums: np.ndarray, query: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Cosines of these documents (ascending global docnums) with `query`, from int8 rows."""
    docnums = np.asarray(docnums, dtype=np.int64)
    return docnums, vectors_of(parts, docnums) @ np.asarray(query, dtype=np.float32)


def vectors_of(parts: list[Part], docnums: np.ndarray) -> np.ndarray:
    """The unit vectors (float32 rows) of these documents (ascending global docnums)."""
    docnums = np.asarray(docnums, dtype=np.int64)
    out = np.zeros((len(docnums), DIM), dtype=np.float32)
    for part in parts:
        lo, hi = np.searchsorted(docnums, [part.base, part.base + part.file.count])
        if lo < hi:
            out[lo:hi] = unit(part.file.rows(docnums[lo:hi] - part.base))
    return out
