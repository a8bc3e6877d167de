"""The indexed terms near a fuzzy query's word (`word~1`): rapidfuzz over the vocabulary of the
whole index, rather than Whoosh's walk of each segment's term index.

The vocabulary is kept by term length, since only terms within `maxdist` letters of the word's
length can be within `maxdist` edits of it. Title and abstract share one vocabulary (their
union: nearly every title term is an abstract term too), so `word~1`, which looks in both, scans
once; a term one field lacks simply has no postings there.
"""

from __future__ import annotations

import threading
from collections.abc import Sequence

from whoosh import query as wq
from whoosh.reading import SegmentReader

from reader.core.index import SegmentData

Leaves = Sequence[tuple[SegmentData, SegmentReader, int]]  # (data, reader, base) per segment
ByLength = dict[int, list[str]]
SHARED = ("title", "abstract")
# (segment ids, fields) -> their terms by length, for the current segments only.
_VOCABULARIES: dict[tuple[tuple[str, ...], tuple[str, ...]], ByLength] = {}
_LOCK = threading.Lock()


def vocabulary_fields(fieldname: str) -> tuple[str, ...]:
    """The fields whose terms are searched for a fuzzy term of `fieldname`."""
    return SHARED if fieldname in SHARED else (fieldname,)


def near_terms(q: wq.FuzzyTerm, leaves: Leaves) -> list[tuple[str, int]]:
    """(term, edit distance) of every term of the index within `q.maxdist` edits of `q.text`
    and sharing its first `q.prefixlength` letters."""
    from rapidfuzz import process  # loaded by the first fuzzy query, not at start
    from rapidfuzz.distance import Levenshtein

    by_length = vocabulary(leaves, vocabulary_fields(q.fieldname))
    prefix = q.text[: q.prefixlength]
    found: list[tuple[str, int]] = []
    for size in range(len(q.text) - q.maxdist, len(q.text) + q.maxdist + 1):
        near = process.extract(
            q.text,
            by_length.get(size, ()),
            scorer=Levenshtein.distance,
            score_cutoff=q.maxdist,
            limit=None,
        )
        found += [(term, distance) for term, distance, _ in near if term.startswith(prefix)]
    return sorted(found, key=lambda near: (near[1], near[0]))  # closest, then alphabetical


def vocabulary(leaves: Leaves, fields: tuple[str, ...]) -> ByLength:
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
        found = {}
        for term in sorted(terms):
            found.setdefault(len(term), []).append(term)
        with _LOCK:
            for old in [k for k in _VOCABULARIES if k[0] != key[0]]:
                del _VOCABULARIES[old]
            _VOCABULARIES[key] = found
    return found
