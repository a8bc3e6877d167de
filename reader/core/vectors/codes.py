"""Vectors stored compactly, and compared fast: int8 rows, and one bit per dimension.

A unit vector becomes int8 by scaling its largest component to 127 (per row, so no scale needs
storing: a cosine divides by the int8 row's own norm). Its sign bits, 32 bytes for 256
dimensions, approximate its direction: the share of bits two codes differ in estimates the
angle between the vectors, so a whole library is ranked by XOR and a bit count, and only the
best few thousand are scored exactly from their int8 rows. Every paper's vector leans the same
way (research prose shares most of its words), so that common direction is taken out before
the signs are read: at 100k papers it raised the share of the true 100 nearest found among
4,000 candidates from 0.70 to 0.83.
"""

from __future__ import annotations

import numpy as np

from reader.core.vectors.header import DIM
from reader.core.vectors.model import common_direction

CODE_WORDS = DIM // 64  # a code read as unsigned 64-bit words, for XOR and bit counts


def to_int8(rows: np.ndarray) -> np.ndarray:
    """float rows -> int8 rows, each scaled so its largest component is +-127."""
    rows = np.asarray(rows, dtype=np.float32)
    peaks = np.abs(rows).max(axis=1, keepdims=True)
    peaks[peaks == 0] = 1.0
    return np.rint(rows * (127.0 / peaks)).astype(np.int8)


def to_codes(rows: np.ndarray) -> np.ndarray:
    """The sign bits of each row once the direction all papers share is taken out of it,
    packed: uint8 (n, CODE_BYTES)."""
    rows = np.asarray(rows, dtype=np.float32)
    common = common_direction()
    return np.packbits(rows - np.outer(rows @ common, common) > 0, axis=1)


def code_words(codes: np.ndarray) -> np.ndarray:
    """Packed codes (n, CODE_BYTES) read as uint64 (n, CODE_WORDS), without copying."""
    return np.ascontiguousarray(codes).view(np.uint64).reshape(-1, CODE_WORDS)


def hamming(words: np.ndarray, query: np.ndarray) -> np.ndarray:
    """Bits in which each code (uint64 words) differs from the query's code, as uint16. (The
    words' counts are added column by column: a sum along each short row is several times
    slower.)"""
    counts = np.bitwise_count(np.bitwise_xor(words, query))
    out = counts[:, 0].astype(np.uint16)
    for column in range(1, counts.shape[1]):
        out += counts[:, column]
    return out


def unit(rows: np.ndarray) -> np.ndarray:
    """int8 (or float) rows as float32 rows of unit length (zero rows stay zero)."""
    floats = np.asarray(rows, dtype=np.float32)
    norms = np.linalg.norm(floats, axis=-1, keepdims=True)
    norms[norms == 0] = 1.0
    return floats / norms
