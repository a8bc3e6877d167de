"""Plain queries over big posting lists, scored as numpy vectors over every document.

At a million papers a pair of common words holds a million postings, and the dict path
(reader.core.search.evaluate, reader.core.search.plain_words) spends about half a microsecond
on each: its loops run in C, but over Python ints and floats. Here each query word is a vector
of scores with one cell per document, and words combine by vector arithmetic.

The scores are the dict path's to the last bit: the same table products, summed in the same
order (a missing word adds an exact 0.0), so which path answered never shows in a ranking.
numpy takes about 0.1 s to import, so only a query that would cost the dict path more than that
comes here (query_cost.DENSE_MIN); this module is imported by the first one. A fuzzy word
with big posting lists (`provide~1`: provide, provided, provides...) comes here too.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping

import numpy as np
from whoosh import query as wq

from reader.core.search.bm25 import MAX_FREQ
from reader.core.search.combine import Scores
from reader.core.search.evaluate import Evaluator

_FLOATS = np.float64
_DOCNUMS = np.int64


class DenseScores(Mapping[int, float]):
    """Matching documents as two arrays: global docnums (ascending) and their scores. Reads as
    a Mapping like the dict path's scores; ranking is done on the arrays (top, ranked)."""

    def __init__(self, docnums: np.ndarray, values: np.ndarray) -> None:
        self.docnums = docnums
        self.values = values

    def __len__(self) -> int:
        return len(self.docnums)

    def __iter__(self) -> Iterator[int]:
        return iter(self.docnums.tolist())

    def __getitem__(self, docnum: int) -> float:
        return float(self.values[self._at(docnum)])

    def __setitem__(self, docnum: int, score: float) -> None:
        self.values[self._at(docnum)] = score

    def _at(self, docnum: int) -> int:
        at = int(np.searchsorted(self.docnums, docnum))
        if at == len(self.docnums) or self.docnums[at] != docnum:
            raise KeyError(docnum)
        return at

    def top(self, count: int) -> list[int]:
        """The `count` best docnums, best first; of equal scores the lowest docnum first (the
        order SearchEngine gives the dict path's scores)."""
        values = self.values
        if count <= 0:
            return []
        if count >= len(values):
            return self.ranked()
        edge = np.partition(values, len(values) - count)[len(values) - count]
        chosen = np.flatnonzero(values >= edge)  # positions, so in docnum order
        order = chosen[np.argsort(-values[chosen], kind="stable")]
        return self.docnums[order[:count]].tolist()

    def ranked(self) -> list[int]:
        """Every docnum, best first; of equal scores the lowest docnum first."""
        return self.docnums[np.argsort(-self.values, kind="stable")].tolist()

    def where(self, keep: list[bool]) -> DenseScores:
        """The documents whose `keep` (one per docnum, in order) is true."""
        mask = np.fromiter(keep, dtype=bool, count=len(self.docnums))
        return DenseScores(self.docnums[mask], self.values[mask])


def plain_scores(
    evaluator: Evaluator, groups: list[wq.Or], within: Scores | None
) -> tuple[DenseScores, bool]:
    """plain_words.PlainQuery's scores of its word groups (each an Or of Terms): the papers with
    every word (and in `within`, whose scores add), or if there are none, the papers with some
    of them, scored by BM25 times the share of the words they hold. The flag says which."""
    size = evaluator.total_docs
    live = _live(evaluator, size)
    held = _vector(within, size) if within is not None else None
    kept = live if held is None else live & held[1]
    vectors = {id(group): _group(evaluator, group, size) for group in groups}
    # The rarest word first, as plain_words._every sums them.
    ordered = [vectors[id(g)] for g in sorted(groups, key=evaluator.estimate)]
    every = kept & ordered[0][1]
    for _, hit in ordered[1:]:
        every &= hit
    if every.any() or len(groups) == 1:
        # The sum goes into the first vector itself: nothing reads it after (a copy of a
        # vector as long as the library was fresh memory for the system to give each time).
        total = held[0] if held is not None else ordered.pop(0)[0]
        for scores, _ in ordered:
            total += scores
        return _scores(every, total), True
    # No paper has every word: plain_words._some_of, the words in the query's order.
    parts = [vectors[id(g)] for g in groups]
    count = np.zeros(size, dtype=np.int32)
    total = np.zeros(size, dtype=_FLOATS)
    for scores, hit in parts:
        count += hit & kept
        total += scores
    some = count > 0
    total *= count * (1 / len(parts))
    if held is not None:
        total += held[0]
    return _scores(some, total), False


def fuzzy_scores(evaluator: Evaluator, groups: list[wq.Or], boost: float) -> DenseScores:
    """A fuzzy word's scores (Evaluator.fuzzy_groups: its spellings per field), as the dict
    path sums them: each field's spellings as a plain word's, the fields added (in either
    order, the same bits: there are two at most), then the boost."""
    size = evaluator.total_docs
    total = np.zeros(size, dtype=_FLOATS)
    for group in groups:
        total += _group(evaluator, group, size)[0]
    if boost != 1.0:
        total *= boost
    return _scores((total > 0) & _live(evaluator, size), total)


def _scores(mask: np.ndarray, values: np.ndarray) -> DenseScores:
    docnums = np.flatnonzero(mask).astype(_DOCNUMS)
    return DenseScores(docnums, values[docnums])


def _live(evaluator: Evaluator, size: int) -> np.ndarray:
    """True for every document not deleted."""
    live = np.ones(size, dtype=bool)
    for _, reader, base in evaluator.leaves:
        if reader.has_deletions():
            deleted = np.fromiter(reader.segment().deleted_docs(), dtype=_DOCNUMS)
            live[deleted + base] = False
    return live


def _vector(scores: Scores, size: int) -> tuple[np.ndarray, np.ndarray]:
    """A dict of scores as (scores, hit) vectors."""
    docnums = np.fromiter(scores.keys(), dtype=_DOCNUMS, count=len(scores))
    values = np.zeros(size, dtype=_FLOATS)
    values[docnums] = np.fromiter(scores.values(), dtype=_FLOATS, count=len(scores))
    hit = np.zeros(size, dtype=bool)
    hit[docnums] = True
    return values, hit


def _group(evaluator: Evaluator, group: wq.Or, size: int) -> tuple[np.ndarray, np.ndarray]:
    """One word's (scores, hit) vectors: its terms' BM25 scores summed per document, in each
    segment the term with the most postings first (as combine.union adds them).

    bincount sums the postings in the order given, from 0.0: the dict path's sums exactly, at a
    third of the cost of adding into the vector by index. Every posting scores above zero (its
    frequency is at least one, idf and weights are positive), so the documents hit are those
    with a score."""
    by_segment: dict[int, list[tuple[np.ndarray, np.ndarray]]] = {}
    tables: dict[str, np.ndarray] = {}  # a fuzzy word's spellings share their field's
    for term in group.subqueries:
        if not isinstance(term, wq.Term):
            raise TypeError(f"a plain word group holds terms, not {type(term).__name__}")
        fieldname = term.fieldname
        table = tables.get(fieldname)
        if table is None:
            table = tables[fieldname] = np.asarray(evaluator.table(fieldname), dtype=_FLOATS)
        scaled = table * evaluator.weight(fieldname, term.text, term.boost)
        for base, data, reader, docs, freqs in evaluator.term_postings(fieldname, term.text):
            local = np.frombuffer(docs, dtype=np.uint32).astype(np.intp)
            lengths = np.frombuffer(data.lengths(reader, fieldname), dtype=np.uint8)
            rows = np.minimum(np.frombuffer(freqs, dtype=np.uint8), MAX_FREQ).astype(np.intp)
            rows <<= 8
            rows |= lengths[local]
            local += base
            by_segment.setdefault(base, []).append((local, scaled[rows]))
    if not by_segment:
        return np.zeros(size, dtype=_FLOATS), np.zeros(size, dtype=bool)
    parts = [
        part
        for _, found in sorted(by_segment.items())
        for part in sorted(found, key=lambda part: len(part[0]), reverse=True)
    ]
    docnums = np.concatenate([docnums for docnums, _ in parts])
    values = np.bincount(docnums, np.concatenate([scores for _, scores in parts]), size)
    if group.boost != 1.0:
        values *= group.boost
    return values, values > 0
