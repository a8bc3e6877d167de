"""The indexed terms near a fuzzy query's word (`word~1`): rapidfuzz over the vocabulary of the
whole index, rather than Whoosh's walk of each segment's term index.

The vocabulary is kept by term length, since only terms within `maxdist` letters of the word's
length can be within `maxdist` edits of it. Title and abstract share one vocabulary (their
union: nearly every title term is an abstract term too), so `word~1`, which looks in both, scans
once; a term one field lacks simply has no postings there.

Each length's terms also get a mask of the letters they hold (a bit per letter; digits and
other characters share a few bits). Every edit adds at most one letter a word lacks and
drops at most one it has, so a term within `maxdist` edits differs from the word in at most
`maxdist` bits each way: numpy checks that over the whole list, and rapidfuzz measures the
few terms left (well under a hundredth of the list), with the answer measuring all gives.
"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from typing import TYPE_CHECKING

from whoosh import query as wq
from whoosh.reading import SegmentReader

from reader.core.index import SegmentData

if TYPE_CHECKING:
    import numpy as np

Leaves = Sequence[tuple[SegmentData, SegmentReader, int]]  # (data, reader, base) per segment
ByLength = dict[int, list[str]]
SHARED = ("title", "abstract")
# (segment ids, fields) -> their terms by length, for the current segments only.
_VOCABULARIES: dict[tuple[tuple[str, ...], tuple[str, ...]], Vocabulary] = {}
_LOCK = threading.Lock()


def vocabulary_fields(fieldname: str) -> tuple[str, ...]:
    """The fields whose terms are searched for a fuzzy term of `fieldname`."""
    return SHARED if fieldname in SHARED else (fieldname,)


def near_terms(q: wq.FuzzyTerm, leaves: Leaves) -> list[tuple[str, int]]:
    """(term, edit distance) of every term of the index within `q.maxdist` edits of `q.text`
    and sharing its first `q.prefixlength` letters."""
    from rapidfuzz import process  # loaded by the first fuzzy query, not at start
    from rapidfuzz.distance import Levenshtein

    terms = vocabulary(leaves, vocabulary_fields(q.fieldname))
    prefix = q.text[: q.prefixlength]
    found: list[tuple[str, int]] = []
    for size in range(len(q.text) - q.maxdist, len(q.text) + q.maxdist + 1):
        near = process.extract(
            q.text,
            terms.candidates(q.text, q.maxdist, size),
            scorer=Levenshtein.distance,
            score_cutoff=q.maxdist,
            limit=None,
        )
        found += [(term, distance) for term, distance, _ in near if term.startswith(prefix)]
    return sorted(found, key=lambda near: (near[1], near[0]))  # closest, then alphabetical


class Vocabulary:
    """Terms by length, and the letter masks of each length asked for (made on first use)."""

    def __init__(self, by_length: ByLength) -> None:
        self.by_length = by_length
        self._masks: dict[int, np.ndarray] = {}

    def candidates(self, word: str, maxdist: int, size: int) -> list[str]:
        """The terms of `size` letters whose letters differ from the word's by at most
        `maxdist` each way: every one within `maxdist` edits of it, and a few more."""
        import numpy as np  # loaded by the first fuzzy query, not at start

        terms = self.by_length.get(size)
        if not terms:
            return []
        masks = self._masks.get(size)
        if masks is None:
            masks = self._masks[size] = _letter_masks(terms, size)
        mask = _letter_masks([word], len(word))[0]
        added = np.bitwise_count(masks & ~mask) <= maxdist
        dropped = np.bitwise_count(mask & ~masks) <= maxdist
        return [terms[i] for i in np.flatnonzero(added & dropped).tolist()]


def _letter_masks(terms: list[str], size: int) -> np.ndarray:
    """A uint32 per term (all of `size` characters): bit n for letter a + n, bits 26 to 29
    for digits, 30 and 31 for other characters."""
    import numpy as np

    codes = np.array(terms, dtype=f"<U{size}").view(np.uint32).reshape(len(terms), size)
    letter = (codes >= 97) & (codes <= 122)
    digit = (codes >= 48) & (codes <= 57)
    bits = np.where(letter, codes - 97, np.where(digit, 26 + codes % 4, 30 + codes % 2))
    return np.bitwise_or.reduce(np.left_shift(np.uint32(1), bits.astype(np.uint32)), axis=1)


def vocabulary(leaves: Leaves, fields: tuple[str, ...]) -> Vocabulary:
    """Every term of the fields in the index, by length (kept for the current segments: one
    list, where each segment's own lists would repeat the common terms)."""
    key = (tuple(data.segid for data, _, _ in leaves), fields)
    with _LOCK:
        found = _VOCABULARIES.get(key)
    if found is None:
        terms: set[str] = set()
        for data, reader, _ in leaves:
            for fieldname in fields:
                terms.update(data.vocabulary(reader, fieldname))
        by_length: ByLength = {}
        for term in sorted(terms):
            by_length.setdefault(len(term), []).append(term)
        found = Vocabulary(by_length)
        with _LOCK:
            for old in [k for k in _VOCABULARIES if k[0] != key[0]]:
                del _VOCABULARIES[old]
            _VOCABULARIES[key] = found
    return found
