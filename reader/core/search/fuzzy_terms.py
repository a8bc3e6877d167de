"""The indexed terms near a fuzzy query's word (`word~1`): over the vocabulary of the whole
index (search.words_by_length), rather than Whoosh's walk of each segment's term index.

Title and abstract share one vocabulary (their union: nearly every title term is an abstract
term too), so `word~1`, which looks in both, scans once; a term one field lacks simply has no
postings there. It is gathered from each segment's vocabulary file (read once for both fields)
and kept in step with the segments (gathered_words.py).
"""

from __future__ import annotations

from collections.abc import Sequence

from whoosh import query as wq
from whoosh.reading import SegmentReader

from reader.core.index import SegmentData
from reader.core.search.gathered_words import index_words
from reader.core.search.words_by_length import WordsByLength

Leaves = Sequence[tuple[SegmentData, SegmentReader, int]]  # (data, reader, base) per segment
SHARED = ("title", "abstract")
FUZZY_PENALTY = 0.7  # a near spelling counts a little less than the word as typed


def vocabulary_fields(fieldname: str) -> tuple[str, ...]:
    """The fields whose terms are searched for a fuzzy term of `fieldname`."""
    return SHARED if fieldname in SHARED else (fieldname,)


class Spellings:
    """The spellings of a query's fuzzy terms, looked up once per query (not per segment):
    one evaluator's."""

    def __init__(self, leaves: Leaves) -> None:
        self._leaves = leaves
        self._near: dict[tuple[tuple[str, ...], str, int, int], list[tuple[str, int]]] = {}
        self._terms: dict[wq.FuzzyTerm, list[wq.Term]] = {}

    def near(self, q: wq.FuzzyTerm) -> list[tuple[str, int]]:
        """(term, edit distance) of every term of the index within `q.maxdist` edits of
        `q.text` and sharing its first `q.prefixlength` letters: the closest first, then
        alphabetically. Title and abstract share theirs."""
        key = (vocabulary_fields(q.fieldname), q.text, q.maxdist, q.prefixlength)
        found = self._near.get(key)
        if found is None:
            found = self._near[key] = near_terms(q, self._leaves)
        return found

    def terms(self, q: wq.FuzzyTerm) -> list[wq.Term]:
        """The terms near `q` as Terms of its field, boosted by distance."""
        found = self._terms.get(q)
        if found is None:
            found = self._terms[q] = [
                wq.Term(q.fieldname, term, boost=q.boost * (FUZZY_PENALTY if distance else 1.0))
                for term, distance in self.near(q)
            ]
        return found


def near_terms(q: wq.FuzzyTerm, leaves: Leaves) -> list[tuple[str, int]]:
    """(term, edit distance) of every term of the index within `q.maxdist` edits of `q.text`
    and sharing its first `q.prefixlength` letters."""
    from rapidfuzz.distance import Levenshtein  # loaded by the first fuzzy query, not at start

    terms = vocabulary(leaves, vocabulary_fields(q.fieldname))
    prefix = q.text[: q.prefixlength]
    found = terms.near(q.text, q.maxdist, Levenshtein.distance)
    found = [(term, distance) for term, distance in found if term.startswith(prefix)]
    return sorted(found, key=lambda near: (near[1], near[0]))  # closest, then alphabetical


def one_fuzzy_word(q: wq.Query) -> tuple[list[wq.FuzzyTerm], float] | None:
    """A query of one fuzzy word (`word~1` over the title and the abstract, or in one field)
    as its fuzzy terms and the boost of their sum; None for any other query. Two fields at
    most: two scores add to the same bits in either order, three might not."""
    if isinstance(q, wq.FuzzyTerm):
        return [q], 1.0
    parts = q.subqueries if isinstance(q, wq.Or) else []
    if not 0 < len(parts) <= 2 or not all(isinstance(part, wq.FuzzyTerm) for part in parts):
        return None
    return list(parts), q.boost


def vocabulary(leaves: Leaves, fields: tuple[str, ...]) -> WordsByLength:
    """Every term of the fields in the index, by length: one list, where each segment's
    own lists would repeat the common terms (kept in step with the segments, and in a file
    for the next process: gathered_words.py)."""
    return index_words([reader for _, reader, _ in leaves], fields)
