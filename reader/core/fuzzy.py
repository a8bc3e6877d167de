"""The indexed terms near a fuzzy query's word (`word~1`): rapidfuzz over the vocabulary of the
whole index, rather than Whoosh's walk of each segment's term index."""

from __future__ import annotations

import threading
from collections.abc import Sequence

from whoosh import query as wq
from whoosh.reading import SegmentReader

from reader.core.segcache import SegmentData

Leaves = Sequence[tuple[SegmentData, SegmentReader, int]]  # (data, reader, base) per segment
# (segment ids, field) -> the field's terms, for the current segments only.
_VOCABULARIES: dict[tuple[tuple[str, ...], str], list[str]] = {}
_LOCK = threading.Lock()


def near_terms(q: wq.FuzzyTerm, leaves: Leaves) -> list[tuple[str, int]]:
    """(term, edit distance) of every term of the index within `q.maxdist` edits of `q.text`
    and sharing its first `q.prefixlength` letters."""
    from rapidfuzz import process  # loaded by the first fuzzy query, not at start
    from rapidfuzz.distance import Levenshtein

    prefix = q.text[: q.prefixlength]
    near = process.extract(
        q.text,
        vocabulary(leaves, q.fieldname),
        scorer=Levenshtein.distance,
        score_cutoff=q.maxdist,
        limit=None,
    )
    return [(term, distance) for term, distance, _ in near if term.startswith(prefix)]


def vocabulary(leaves: Leaves, fieldname: str) -> list[str]:
    """Every term of a text field in the index, sorted (kept for the current segments: one
    list, where each segment's own lists would repeat the common terms)."""
    key = (tuple(data.segid for data, _, _ in leaves), fieldname)
    with _LOCK:
        found = _VOCABULARIES.get(key)
    if found is None:
        terms: set[str] = set()
        for data, reader, _ in leaves:
            terms.update(data.vocabulary(reader, fieldname))
        found = sorted(terms)
        with _LOCK:
            for old in [k for k in _VOCABULARIES if k[0] != key[0]]:
                del _VOCABULARIES[old]
            _VOCABULARIES[key] = found
    return found
