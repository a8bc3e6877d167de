"""Which documents hold each rare term a query matched, so that a hit's snippet looks for its
own few terms rather than all of them.

A fuzzy word's spellings (`hecabe~1`: 39 of them) each match a few documents, and marking
every hit's title and abstract looked for all 39, a tokenising pass of the text for each.
A document is known not to hold a term only when the term's postings were read whole in
every segment that has it, in each field the snippets mark: other terms are kept for every
hit, so the marks are exactly those the whole set of terms gives.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

RARE = 256  # a segment's postings of a term recorded, at most (more: the term is kept)


class TermSightings:
    """(field, term) -> the documents seen holding it, and the segments read whole for it."""

    def __init__(self, bases: Sequence[int] = ()) -> None:
        self._bases = bases  # each segment's first global docnum, by leaf
        self._docs: dict[tuple[str, str], set[int]] = {}
        self._read: dict[tuple[str, str], set[int]] = {}  # segments (by leaf) read whole
        self._records: dict[tuple[str, str], Sequence[object | None]] = {}  # a record per leaf

    def saw(
        self,
        fieldname: str,
        term: str,
        leaf: int,
        docs: Sequence[int],
        records: Sequence[object | None],
    ) -> None:
        """The whole postings of a term in one segment, by segment docnum (none if the
        segment lacks it); `records`: the term's record in each segment, None where absent."""
        if len(docs) > RARE:
            return
        key = (fieldname, term)
        base = self._bases[leaf]
        self._docs.setdefault(key, set()).update([doc + base for doc in docs])
        self._read.setdefault(key, set()).add(leaf)
        self._records[key] = records

    def holders(self, terms: set[str], fields: Sequence[str]) -> Callable[[int], set[str]]:
        """docnum -> `terms` but those the document is known to hold in none of `fields`."""
        known: dict[str, set[int]] = {}  # term -> every document holding it in the fields
        for term in terms:
            docs: set[int] = set()
            for fieldname in fields:
                if not self._whole(fieldname, term):
                    break
                docs |= self._docs[fieldname, term]
            else:
                known[term] = docs
        if not known:
            return lambda docnum: terms
        unknown = terms - known.keys()
        return lambda docnum: unknown | {term for term, docs in known.items() if docnum in docs}

    def _whole(self, fieldname: str, term: str) -> bool:
        """Were the term's postings in the field read whole in every segment that has it?"""
        key = (fieldname, term)
        records = self._records.get(key)
        if records is None:
            return False
        read = self._read[key]
        return all(record is None or leaf in read for leaf, record in enumerate(records))
