"""BM25 over the whole paper, for queries of many words: each word saturates once.

reader's usual scoring is Whoosh's BM25F, per field: a word's title score and abstract score
each saturate on their own and add up, so a common word in a short title earns a second full
score. For a name typed from memory that is right (title words matter most). For a query
that describes a paper in many words it is not: a generic word in a title then outweighs the
rare words the abstract holds. Here, as in SQLite FTS5's bm25(), a title hit counts
TITLE_BOOST times into one term frequency that saturates once over the paper's whole length
(title plus abstract), and a paper needs only some of the words: papers holding more of the
rarer ones rank first. bench/SEMANTIC.md has the measurements behind the choice.

Scored as numpy vectors with a cell per document, like array_scores.py.
"""

from __future__ import annotations

import threading
from math import log

import numpy as np
from whoosh.util.numeric import byte_to_length

from reader.core.index import TITLE_BOOST
from reader.core.search.bm25 import K1, B
from reader.core.search.evaluate import Evaluator

TEXT_FIELDS = ("title", "abstract")
Word = list[tuple[str, float]]  # one query word: its spellings (index terms) and their weights

_LENGTH_OF_BYTE = np.array([byte_to_length(b) for b in range(256)], dtype=np.float64)
_lengths: dict[tuple[str, ...], np.ndarray] = {}  # one entry: the last index generation's
_lengths_lock = threading.Lock()


def whole_paper_scores(evaluator: Evaluator, words: list[Word]) -> tuple[np.ndarray, np.ndarray]:
    """A score per global docnum (0.0 where no word matches, and for deleted documents), and
    how many of the words each document holds."""
    size = evaluator.total_docs
    lengths = paper_lengths(evaluator)
    average = float(lengths.mean()) if size else 1.0
    norms = K1 * ((1 - B) + B * lengths / (average or 1.0))
    live = _live(evaluator, size)
    papers = int(live.sum())
    total = np.zeros(size, dtype=np.float64)
    count = np.zeros(size, dtype=np.int32)
    for word in words:
        hit = np.zeros(size, dtype=bool)
        for term, weight in word:
            frequency = _term_frequency(evaluator, term, size)
            frequency[~live] = 0.0
            held = np.flatnonzero(frequency)
            if not len(held):
                continue
            found = len(held)
            idf = log(1 + (papers - found + 0.5) / (found + 0.5))
            tf = frequency[held]
            total[held] += weight * idf * tf * (K1 + 1) / (tf + norms[held])
            hit[held] = True
        count += hit
    return total, count


def _term_frequency(evaluator: Evaluator, term: str, size: int) -> np.ndarray:
    """Title hits TITLE_BOOST times plus abstract hits, per global docnum."""
    docnums: list[np.ndarray] = []
    counts: list[np.ndarray] = []
    for fieldname in TEXT_FIELDS:
        factor = TITLE_BOOST if fieldname == "title" else 1.0
        for base, _, _, docs, freqs in evaluator.term_postings(fieldname, term):
            docnums.append(np.frombuffer(docs, dtype=np.uint32).astype(np.int64) + base)
            counts.append(np.frombuffer(freqs, dtype=np.uint8) * factor)
    if not docnums:
        return np.zeros(size, dtype=np.float64)
    return np.bincount(np.concatenate(docnums), np.concatenate(counts), size)


def paper_lengths(evaluator: Evaluator) -> np.ndarray:
    """Title plus abstract length of every document, by global docnum (Whoosh's quantised
    lengths), kept for the index generation it was read from."""
    key = tuple(data.segid for data, _, _ in evaluator.leaves)
    with _lengths_lock:
        found = _lengths.get(key)
    if found is None:
        found = np.zeros(evaluator.total_docs, dtype=np.float64)
        for data, reader, base in evaluator.leaves:
            for fieldname in TEXT_FIELDS:
                raw = np.frombuffer(data.lengths(reader, fieldname), dtype=np.uint8)
                found[base : base + data.doc_count] += _LENGTH_OF_BYTE[raw[: data.doc_count]]
        with _lengths_lock:
            _lengths.clear()
            _lengths[key] = found
    return found


def _live(evaluator: Evaluator, size: int) -> np.ndarray:
    live = np.ones(size, dtype=bool)
    for _, reader, base in evaluator.leaves:
        if reader.has_deletions():
            deleted = np.fromiter(reader.segment().deleted_docs(), dtype=np.int64)
            live[deleted + base] = False
    return live
