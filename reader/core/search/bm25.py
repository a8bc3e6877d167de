"""BM25 as Whoosh scores it, by table: a posting's score is a lookup, not arithmetic.

A term's score in a document depends only on the term's frequency there (capped at MAX_FREQ,
where BM25 has long saturated) and the document's quantised length byte, so the scores of a
field are one table of (MAX_FREQ + 1) * 256 values, times the term's idf.
"""

from __future__ import annotations

import sys
from array import array
from bisect import bisect_left
from functools import lru_cache
from itertools import repeat
from operator import itemgetter

from whoosh.util.numeric import byte_to_length

K1 = 1.2
B = 0.75
MAX_FREQ = 31
_CAP = bytes(min(i, MAX_FREQ) for i in range(256))
_BIG_ENDIAN = sys.byteorder == "big"
_LENGTHS = [byte_to_length(lbyte) or 1 for lbyte in range(256)]


@lru_cache(maxsize=16)
def table(boost: float, average: float) -> list[float]:
    """whoosh.scoring.bm25 without the idf, (tf * (K1 + 1)) / (tf + K1 * ((1 - B) + B *
    length / average)), for every frequency and length byte: the same operations in the
    same order, the length part computed once per length (the first query pays for this)."""
    norms = [K1 * ((1 - B) + B * length / average) for length in _LENGTHS]
    cells: list[float] = []
    for freq in range(MAX_FREQ + 1):
        tf = freq * boost
        top = tf * (K1 + 1)
        cells += [top / (tf + norm) for norm in norms]
    return cells


def among(docs: array[int], freqs: bytes, wanted: list[int]) -> tuple[array[int], bytes]:
    """The postings of the `wanted` documents (sorted), found by bisection: a few hundred
    probes instead of scoring a hundred thousand postings."""
    at = list(map(bisect_left, repeat(docs), wanted))
    size = len(docs)
    keep = [i for i, d in zip(at, wanted, strict=True) if i < size and docs[i] == d]
    return array("I", map(docs.__getitem__, keep)), bytes(map(freqs.__getitem__, keep))


def keys(docs: array[int], freqs: bytes, lengths: bytes) -> array[int]:
    """Each posting's row in the BM25 table, frequency * 256 + length byte, built from two
    byte strings interleaved into 16-bit numbers: no Python arithmetic per posting."""
    if len(docs) == 1:
        return array("H", [min(freqs[0], MAX_FREQ) * 256 + lengths[docs[0]]])
    pairs = bytearray(2 * len(docs))
    low, high = (slice(0, None, 2), slice(1, None, 2))
    if _BIG_ENDIAN:
        low, high = high, low
    pairs[low] = bytes(itemgetter(*docs)(lengths)) if docs else b""
    pairs[high] = freqs.translate(_CAP)
    out = array("H")
    out.frombytes(pairs)
    return out
