"""BM25 over the whole paper, for queries of many words: each word saturates once.

reader's usual scoring is Whoosh's BM25F, per field: a word's title score and abstract score
each saturate on their own and add up, so a common word in a short title earns a second full
score. For a name typed from memory that is right (title words matter most). For a query
that describes a paper in many words it is not: a generic word in a title then outweighs the
rare words the abstract holds. Here, as in SQLite FTS5's bm25(), a title hit counts
TITLE_BOOST times into one term frequency that saturates once over the paper's whole length
(title plus abstract), and a paper needs only some of the words: papers holding more of the
rarer ones rank first. bench/SEMANTIC.md has the measurements behind the choice.

Scored with numpy over the docnums of the matching papers, gathered from whole posting lists.
"""

from __future__ import annotations

import threading
from math import log
from typing import NamedTuple

import numpy as np
from whoosh.util.numeric import byte_to_length

from reader.core.index import TITLE_BOOST
from reader.core.search.bm25 import K1, B
from reader.core.search.evaluate import Evaluator

TEXT_FIELDS = ("title", "abstract")
# The rarer terms of a query are read whole (see whole_paper_scores): those in at most this
# share of the papers, and the next rarest until their papers are at least CANDIDATES.
RARE_SHARE = 0.02
CANDIDATES = 20_000
Word = list[tuple[str, float]]  # one query word: its spellings (index terms) and their weights

_LENGTH_OF_BYTE = np.array([byte_to_length(b) for b in range(256)], dtype=np.float64)
_norms_kept: dict[tuple[str, ...], np.ndarray] = {}  # one entry: the last index generation's
_norms_lock = threading.Lock()


def whole_paper_scores(evaluator: Evaluator, words: list[Word]) -> Held:
    """The papers holding some of the words, their scores and how many words each holds.

    In a big library most words of a long query are in a large share of the papers, and
    reading every posting of every word is the query's whole cost. So the rarer terms are
    read whole, rarest first, while they are held by at most RARE_SHARE of the papers or
    their papers are fewer than CANDIDATES; those papers are the matches, and the commoner
    terms' posting lists are only probed for them. A paper holding none but the library's
    commonest words is no match for a description (and the vectors bring papers that say it
    in other words). In a library of fewer than CANDIDATES papers every term is read whole.
    A probed term's paper count is its title's or its abstract's, whichever is larger (the
    exact union would take the whole read)."""
    live = _live(evaluator)
    papers = int(live.sum())
    spread = {term: _spread(evaluator, term) for word in words for term, _ in word}
    merged: dict[str, tuple[np.ndarray, np.ndarray]] = {}
    matched = np.zeros(evaluator.total_docs, dtype=bool)
    for term in sorted((t for t in spread if spread[t]), key=spread.__getitem__):
        if merged and spread[term] > RARE_SHARE * papers and matched.sum() >= CANDIDATES:
            break
        merged[term] = _merged_postings(evaluator, term)
        matched[merged[term][0]] = True
    universe = np.flatnonzero(matched)
    position = np.full(evaluator.total_docs, -1, dtype=np.int32)
    position[universe] = np.arange(len(universe), dtype=np.int32)
    norms = _norms(evaluator)[universe]
    total = np.zeros(len(universe), dtype=np.float64)
    count = np.zeros(len(universe), dtype=np.int16)
    for word in words:
        hit = np.zeros(len(universe), dtype=bool)
        for term, weight in word:
            if term in merged:
                held, tf = merged[term]
                at, found = np.searchsorted(universe, held), len(held)
            else:
                at, tf = _probed_postings(evaluator, term, position)
                found = spread[term]
            if not found or not len(at):
                continue
            idf = log(1 + (papers - found + 0.5) / (found + 0.5))
            total[at] += weight * idf * tf * (K1 + 1) / (tf + norms[at])
            hit[at] = True
        count += hit
    keep = (count > 0) & live[universe]
    return Held(universe[keep], total[keep], count[keep])


class Held(NamedTuple):
    docnums: np.ndarray  # ascending global docnums of the papers holding some of the words
    scores: np.ndarray
    words: np.ndarray  # how many of the query's words each holds


def _spread(evaluator: Evaluator, term: str) -> int:
    """How many papers hold a term in their title, or in their abstract, whichever more."""
    schema = evaluator.schema
    return max(evaluator.frequency(name, schema[name].to_bytes(term)) for name in TEXT_FIELDS)


def _merged_postings(evaluator: Evaluator, term: str) -> tuple[np.ndarray, np.ndarray]:
    """(docnums, term frequencies) of the papers holding a term in the title or abstract, a
    title hit counting TITLE_BOOST times: the two posting lists merged without a pass over
    the whole library (both are in docnum order; titles are the shorter)."""
    lists = []
    for fieldname in TEXT_FIELDS:
        docs, freqs = [], []
        for base, _, _, local, frequencies in evaluator.term_postings(fieldname, term):
            docs.append(np.frombuffer(local, dtype=np.uint32).astype(np.int64) + base)
            freqs.append(np.frombuffer(frequencies, dtype=np.uint8))
        lists.append(
            (np.concatenate(docs), np.concatenate(freqs).astype(np.float64))
            if docs
            else (np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.float64))
        )
    (title, title_tf), (abstract, abstract_tf) = lists
    title_tf *= TITLE_BOOST
    at = np.searchsorted(abstract, title)
    both = np.zeros(len(title), dtype=bool)
    if len(abstract):
        both = abstract[np.minimum(at, len(abstract) - 1)] == title
    abstract_tf[at[both]] += title_tf[both]
    return np.concatenate([abstract, title[~both]]), np.concatenate([abstract_tf, title_tf[~both]])


def _probed_postings(
    evaluator: Evaluator, term: str, position: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """(positions in the universe, term frequencies) of the universe's papers holding a
    term, `position` giving each global docnum's place in it (-1: not in it)."""
    places, counts = [], []
    for fieldname in TEXT_FIELDS:
        factor = TITLE_BOOST if fieldname == "title" else 1.0
        for base, data, _, local, frequencies in evaluator.term_postings(fieldname, term):
            at = position[base : base + data.doc_count][np.frombuffer(local, dtype=np.uint32)]
            held = at >= 0
            places.append(at[held])
            counts.append(np.frombuffer(frequencies, dtype=np.uint8)[held] * factor)
    if not places:
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.float64)
    at = np.concatenate(places)
    tf = np.bincount(at, np.concatenate(counts))  # a paper's title and abstract hits add up
    held = np.flatnonzero(tf)
    return held, tf[held]


def _norms(evaluator: Evaluator) -> np.ndarray:
    """BM25's length part of every document, K1 * (1 - B + B * length / average), its length
    its title's plus its abstract's (Whoosh's quantised lengths); kept for the index
    generation it was read from."""
    key = tuple(data.segid for data, _, _ in evaluator.leaves)
    with _norms_lock:
        found = _norms_kept.get(key)
    if found is None:
        lengths = np.zeros(evaluator.total_docs, dtype=np.float64)
        for data, reader, base in evaluator.leaves:
            for fieldname in TEXT_FIELDS:
                raw = np.frombuffer(data.lengths(reader, fieldname), dtype=np.uint8)
                lengths[base : base + data.doc_count] += _LENGTH_OF_BYTE[raw[: data.doc_count]]
        average = float(lengths.mean()) if len(lengths) else 1.0
        found = K1 * ((1 - B) + B * lengths / (average or 1.0))
        with _norms_lock:
            _norms_kept.clear()
            _norms_kept[key] = found
    return found


def _live(evaluator: Evaluator) -> np.ndarray:
    live = np.ones(evaluator.total_docs, dtype=bool)
    for _, reader, base in evaluator.leaves:
        if reader.has_deletions():
            deleted = np.fromiter(reader.segment().deleted_docs(), dtype=np.int64)
            live[deleted + base] = False
    return live
