"""A phrase in one segment over whole arrays: its candidates, its words in order, its scores.

A common phrase has hundreds of thousands of candidates (the papers holding every word). Each
term's postings and positions are read from its tail as flat arrays (reader.core.index.postings),
and everything after is array arithmetic: the candidates are the words' document arrays
intersected; every position of word i in a candidate becomes the key (document << 32) +
position - i, and the phrase is where the first word's keys meet every other word's; the papers
that hold it are then scored by the same BM25 table lookups, summed in the same order, as the
dict path scores a term (reader.core.search.evaluate), so a phrase ranks as it always did.
numpy loads with the first phrase searched.
"""

from __future__ import annotations

import numpy as np

from reader.core.index import TermPositions
from reader.core.search.bm25 import MAX_FREQ

_TABLES: dict[int, tuple[list[float], np.ndarray]] = {}  # by id of a bm25.table list
_TABLES_KEPT = 16


def documents(term: TermPositions) -> np.ndarray:
    """The term's document numbers (ascending)."""
    return np.frombuffer(term.docs, dtype="<u4")


def common(held: np.ndarray | None, term: TermPositions) -> np.ndarray:
    """The documents of `held` (all if None) that hold the term too."""
    docs = documents(term)
    return docs if held is None else np.intersect1d(held, docs, assume_unique=True)


def in_order(terms: list[TermPositions], candidates: np.ndarray, slop: int = 1) -> np.ndarray:
    """The `candidates` (ascending segment docnums holding every term) in which the terms
    occur in order, each 1 to `slop` positions after the one before (Whoosh's SpanNear2,
    ordered, as its Phrase asks). Exact (slop 1): some position p of the first term has term
    i at p + i."""
    if slop > 1:
        return _near_in_order(terms, candidates, slop)
    matches: np.ndarray | None = None
    for shift, term in enumerate(terms):
        keys = _keys(term, candidates, shift)
        matches = keys if matches is None else matches[np.isin(matches, keys, assume_unique=True)]
        if not len(matches):
            break
    return np.unique(matches >> 32) if matches is not None else candidates[:0]


def _near_in_order(terms: list[TermPositions], candidates: np.ndarray, slop: int) -> np.ndarray:
    """Where a chain of the terms' positions reaches the last term: each term's positions
    that are 1 to `slop` after a reached position of the term before are reached (the
    nearest one before is the one to ask)."""
    reached = _keys(terms[0], candidates, 0)
    for term in terms[1:]:
        keys = _keys(term, candidates, 0)
        before = np.searchsorted(reached, keys, side="left") - 1  # the nearest reached below
        gap = keys - reached[np.maximum(before, 0)]
        reached = keys[(before >= 0) & (gap <= slop) & ((keys >> 32) == (keys - gap) >> 32)]
        if not len(reached):
            break
    return np.unique(reached >> 32)


def scores(
    terms: list[tuple[TermPositions, float]], docs: np.ndarray, table: list[float], lengths: bytes
) -> list[float]:
    """BM25 of `docs` (ascending, each holding every term): for each (term, weight) in order,
    table[min(frequency, MAX_FREQ) * 256 + length byte] * weight, and the terms' scores summed
    one after the other, as combine.intersect sums the dict path's."""
    cells = _array(table)
    length_bytes = np.frombuffer(lengths, dtype=np.uint8)[docs].astype(np.intp)
    total: np.ndarray | None = None
    for term, weight in terms:
        counts = _counts(term)
        at = np.searchsorted(documents(term), docs)
        rows = (np.minimum(counts[at], MAX_FREQ).astype(np.intp) << 8) | length_bytes
        found = cells[rows] * weight
        total = found if total is None else total + found
    return [] if total is None else total.tolist()


def _keys(term: TermPositions, wanted: np.ndarray, shift: int) -> np.ndarray:
    """(document << 32) + position - shift for each position of the term in the wanted
    documents (each of which holds it), ascending: documents ascend, and positions within
    each."""
    counts = _counts(term)
    positions = np.frombuffer(term.positions, dtype="<u2" if term.width == 2 else "<u4")
    at = np.searchsorted(documents(term), wanted)
    ends = np.cumsum(counts, dtype=np.int64)
    sizes = counts[at].astype(np.int64)
    starts = ends[at] - sizes
    # the index of each wanted position in `positions`: its posting's start, plus its place
    placed = np.cumsum(sizes) - sizes
    gather = np.repeat(starts - placed, sizes) + np.arange(int(sizes.sum()), dtype=np.int64)
    poses = positions[gather].astype(np.int64) - shift
    keys = (np.repeat(wanted.astype(np.int64), sizes) << 32) + poses
    return keys[poses >= 0]


def _counts(term: TermPositions) -> np.ndarray:
    """Each posting's number of positions (its frequency)."""
    return np.frombuffer(term.counts, dtype="u1" if term.counts_width == 1 else "<u4")


def _array(table: list[float]) -> np.ndarray:
    """A BM25 table as an array, kept while bm25 keeps the table."""
    found = _TABLES.get(id(table))
    if found is None or found[0] is not table:
        if len(_TABLES) >= _TABLES_KEPT:
            _TABLES.clear()
        found = _TABLES[id(table)] = (table, np.asarray(table, dtype=np.float64))
    return found[1]
