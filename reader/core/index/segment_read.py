"""Per-segment data the evaluator reads in bulk, cached while the segment exists.

Segments never change once written (deletions live in the TOC, not in the segment), so what
is read from one (document lengths, sort columns, the vocabulary) is cached by segment id and
stays valid across searcher refreshes; posting lists are read fresh each time (the OS caches
the file).
"""

from __future__ import annotations

import threading
from array import array
from collections import OrderedDict
from collections.abc import Collection, Sequence
from itertools import compress, groupby
from typing import NamedTuple

from whoosh.codec.whoosh3 import W3TermInfo

from reader.core.index import whoosh_seam as seam
from reader.core.index.postings import (
    DamagedPostings,
    TermPositions,
    positions_among,
    read_documents,
    read_positions,
    read_postings,
    read_vocabulary,
)

_CACHED_SEGMENTS = 64
ID_LOOKUPS = 2000  # paper ids looked up one by one; more are found in the id column, read whole


class SegmentData:
    """Bulk reads from one segment; `reader` is a whoosh SegmentReader of that segment."""

    def __init__(self, segid: str, doc_count: int) -> None:
        self.segid = segid
        self.doc_count = doc_count
        self._lengths: dict[str, bytes] = {}
        self._columns: dict[str, tuple[bytes, ...]] = {}
        self._sorted: dict[str, SortedColumn] = {}

    @staticmethod
    def term_info(reader, fieldname: str, btext: bytes) -> W3TermInfo | None:
        """The segment's record of a term, None if it does not have the term."""
        return seam.term_info(reader, fieldname, btext)

    def postings(
        self, reader, fieldname: str, btext: bytes, info: W3TermInfo | None = None
    ) -> tuple[array[int], bytes] | None:
        """(document numbers, frequencies capped at 255) of a term, deleted documents
        included; None if the segment does not have the term. `info`, if the caller has
        looked the term up already (term_info)."""
        info = info or self.term_info(reader, fieldname, btext)
        if info is None:
            return None
        return read_documents(seam.postings_in(reader), *_extent(info))

    def positions(
        self, reader, fieldname: str, btext: bytes, info: W3TermInfo | None = None
    ) -> TermPositions | None:
        """A term's postings with every posting's positions (deleted documents included), in
        one read; None if the segment does not have the term, or the field has no positions."""
        info = info or self.term_info(reader, fieldname, btext)
        if info is None:
            return None
        return read_positions(seam.postings_in(reader), *_extent(info))

    def positions_among(
        self, reader, fieldname: str, btext: bytes, info: W3TermInfo, wanted: list[int]
    ) -> dict[int, array[int]]:
        """A term's positions in each of the `wanted` documents (sorted) that hold it, only
        theirs read (`info`: the segment's record of the term)."""
        found = positions_among(seam.postings_in(reader), *_extent(info), wanted)
        return {} if found is None else found

    @staticmethod
    def whole(reader, info: W3TermInfo) -> TermPositions:
        """Everything of a term's postings, its exact counts (and positions, if the field has
        them) included: what a merge copies."""
        return read_postings(seam.postings_in(reader), *_extent(info))

    def lengths(self, reader, fieldname: str) -> bytes:
        """The length byte of every document in a field (Whoosh's quantised lengths)."""
        found = self._lengths.get(fieldname)
        if found is None:
            found = seam.length_bytes(reader, fieldname).ljust(self.doc_count, b"\x00")
            self._lengths[fieldname] = found
        return found

    def column(self, reader, name: str) -> tuple[bytes, ...]:
        """Every document's value in a variable-bytes column (id, date, title_sort). Kept as
        a tuple: the collector stops tracking a tuple of bytes, where each full collection
        walked the lists of a million ids again (tens of ms, in the middle of a keystroke)."""
        found = self._columns.get(name)
        if found is None:
            found = self._columns[name] = tuple(self._read_column(reader, name))
        return found

    def holding_ids(self, reader, keys: Collection[bytes]) -> list[tuple[int, bytes]]:
        """(docnum, id) of the documents holding these paper ids, deleted ones included: each
        id looked up for a few (a term lookup each), the id column read whole for many."""
        if len(keys) > ID_LOOKUPS:
            column = self.column(reader, "id")
            return [
                (n, column[n]) for n in compress(range(len(column)), map(keys.__contains__, column))
            ]
        found: list[tuple[int, bytes]] = []
        for key in keys:
            postings = self.postings(reader, "id", key)
            found += [(docnum, key) for docnum in postings[0]] if postings else []
        return found

    def values(self, reader, name: str) -> Sequence[bytes]:
        """A variable-bytes column for a few documents' values, by document number: the
        column if it was read whole already, else a reader of one value at a time."""
        found = self._columns.get(name)
        if found is not None:
            return found
        if reader.has_column(name):
            column = reader.column_reader(name, translate=False)
            if len(column) >= self.doc_count:
                return column
        return self.column(reader, name)  # none, or short: read whole, and padded

    def _read_column(self, reader, name: str) -> list[bytes]:
        found = [b""] * self.doc_count
        if reader.has_column(name):
            found = seam.var_bytes_values(reader, name)
            found += [b""] * (self.doc_count - len(found))
        return found

    def sorted_column(self, reader, name: str) -> SortedColumn:
        """A column's distinct non-empty values in order, and its documents by value: a range
        of values is then two bisections away (dates: thousands of terms otherwise). Kept
        compact (a value once, documents as an array): a million dates would be 100 MB as
        per-document objects."""
        found = self._sorted.get(name)
        if found is None:
            values = self._columns.get(name) or self._read_column(reader, name)
            held = compress(range(len(values)), values)
            docs = array("I", sorted(held, key=values.__getitem__))
            distinct: list[bytes] = []
            bounds = [0]
            for value, group in groupby(docs, values.__getitem__):
                distinct.append(value)
                bounds.append(bounds[-1] + sum(1 for _ in group))
            found = self._sorted[name] = SortedColumn(distinct, bounds, docs)
        return found

    def vocabulary(self, reader, *fieldnames: str) -> list[str]:
        """The segment's terms in these text fields (a term of two fields comes twice), from
        its vocabulary file, read once (or from its term index). Not kept: callers merge the
        segments' lists into one (a million papers' segments repeat the common words dozens
        of times)."""
        stored = read_vocabulary(reader.storage(), reader.segment(), fieldnames) or {}
        found: list[str] = []
        for fieldname in fieldnames:
            terms = stored.get(fieldname)
            if terms is None:
                from_bytes = reader.schema[fieldname].from_bytes
                terms = [from_bytes(t) for t in reader.lexicon(fieldname)]
            found += terms
        return found


def live_holders(reader, fieldname: str, btext: bytes) -> list[int]:
    """The live documents (index-wide numbers, ascending) that hold a term in a field, read
    from the segments' postings: Whoosh's own posting reader cannot read reader's postings."""
    found: list[int] = []
    for leaf, base in reader.leaf_readers():
        if leaf.segment() is None or not leaf.doc_count_all():
            continue
        postings = segment_data(leaf).postings(leaf, fieldname, btext)
        if postings is None:
            continue
        docs = postings[0]
        if leaf.has_deletions():
            docs = [doc for doc in docs if not leaf.is_deleted(doc)]
        found.extend(base + doc for doc in docs)
    return found


def _extent(info: W3TermInfo) -> tuple[int, int]:
    """(offset, length) of a term's postings in the postings file."""
    if info.is_inlined():  # Whoosh's writer keeps a rare term's postings in its record
        raise DamagedPostings("a term's postings are in its record, not in the postings file")
    offset, length = info.extent()
    if isinstance(length, tuple):  # W3TermInfo.from_bytes leaves it a 1-tuple
        length = length[0]
    return offset, length


class SortedColumn(NamedTuple):
    values: list[bytes]  # distinct, ascending
    bounds: list[int]  # documents of values[i] are docs[bounds[i]:bounds[i + 1]]
    docs: array[int]  # segment docnums ordered by value


_cache: OrderedDict[str, SegmentData] = OrderedDict()  # by segment id
_lock = threading.Lock()


def segment_data(reader) -> SegmentData:
    """The cached SegmentData of a SegmentReader's segment."""
    segid = reader.segment().segment_id()  # random per segment: unique across indexes
    with _lock:
        data = _cache.get(segid)
        if data is None:
            data = _cache[segid] = SegmentData(segid, reader.doc_count_all())
            while len(_cache) > _CACHED_SEGMENTS:
                _cache.popitem(last=False)
        else:
            _cache.move_to_end(segid)
        return data
