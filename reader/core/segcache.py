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
from itertools import compress

from whoosh.codec.whoosh3 import LENGTHS_COLUMN
from whoosh.reading import TermNotFound

from reader.core.postings import read_tail, read_vocabulary

_CACHED_SEGMENTS = 64
# Encoded positions -> positions: most postings hold one small position, so few distinct
# encodings recur endlessly, and a dict lookup beats unpickling each one.
_DECODED: dict[bytes, list[int]] = {}
_DECODED_MAX = 100_000


class SegmentData:
    """Bulk reads from one segment; `reader` is a whoosh SegmentReader of that segment."""

    def __init__(self, segid: str, doc_count: int) -> None:
        self.segid = segid
        self.doc_count = doc_count
        self._lengths: dict[str, bytes] = {}
        self._columns: dict[str, list[bytes]] = {}
        self._vocab: dict[str, list[str]] | None = None
        self._sorted: dict[str, tuple[list[bytes], list[int]]] = {}

    def postings(self, reader, fieldname: str, btext: bytes) -> tuple[array[int], bytes] | None:
        """(document numbers, frequencies capped at 255) of a term, deleted documents
        included; None if the segment does not have the term."""
        terms = reader._terms
        try:
            info = terms.term_info(fieldname, btext)
        except (TermNotFound, KeyError):
            return None
        if not info.is_inlined():
            offset, length = info.extent()
            if isinstance(length, tuple):  # W3TermInfo.from_bytes leaves it a 1-tuple
                length = length[0]
            found = read_tail(terms._postfile, offset, length)
            if found is not None:
                return found
        docs = array("I")
        weights: list[float] = []
        for ids, block_weights, _ in self.blocks(reader, fieldname, btext):
            docs.extend(ids)
            weights.extend(block_weights)
        boost = reader.schema[fieldname].format.field_boost
        return docs, bytes(min(255, round(w / boost)) for w in weights)

    def blocks(self, reader, fieldname: str, btext: bytes):
        """(ids, weights, values) of each stored block of a term, deleted documents included."""
        terms = reader._terms
        info = terms.term_info(fieldname, btext)
        if info.is_inlined():
            yield info.inlined_postings()
            return
        matcher = terms.matcher(fieldname, btext, reader.schema[fieldname].format)
        while matcher.is_active():
            matcher._read_ids()
            matcher._read_weights()
            matcher._read_values()
            yield matcher._ids, matcher._weights, matcher._values
            matcher._next_block()

    def positions(
        self, reader, fieldname: str, btext: bytes, wanted: set[int]
    ) -> dict[int, list[int]]:
        """Positions of a term in the `wanted` documents (a phrase's candidates); blocks
        holding none of them are not decoded further than their ids."""
        decode = reader.schema[fieldname].format.decode_positions
        out: dict[int, list[int]] = {}
        for ids, values in self._id_value_blocks(reader, fieldname, btext):
            if wanted.isdisjoint(ids):
                continue
            for i in compress(range(len(ids)), map(wanted.__contains__, ids)):
                value = values[i]
                poses = _DECODED.get(value)
                if poses is None:
                    poses = decode(value)
                    if len(_DECODED) < _DECODED_MAX:
                        _DECODED[value] = poses
                out[ids[i]] = poses
        return out

    def _id_value_blocks(self, reader, fieldname: str, btext: bytes):
        """(ids, values) of each stored block of a term: `blocks` without the weights."""
        terms = reader._terms
        info = terms.term_info(fieldname, btext)
        if info.is_inlined():
            ids, _, values = info.inlined_postings()
            yield ids, values
            return
        matcher = terms.matcher(fieldname, btext, reader.schema[fieldname].format)
        while matcher.is_active():
            matcher._read_ids()
            matcher._read_values()
            yield matcher._ids, matcher._values
            matcher._next_block()

    def lengths(self, reader, fieldname: str) -> bytes:
        """The length byte of every document in a field (Whoosh's quantised lengths)."""
        found = self._lengths.get(fieldname)
        if found is None:
            perdoc = reader._perdoc
            name = f"_{fieldname}_len"
            found = b""
            if perdoc.has_column(name):
                column = perdoc.column_reader(name, LENGTHS_COLUMN)
                found = column._dbfile.get(column._basepos, column._count)
            found = self._lengths[fieldname] = found.ljust(self.doc_count, b"\x00")
        return found

    def column(self, reader, name: str) -> list[bytes]:
        """Every document's value in a variable-bytes column (id, date, title_sort)."""
        found = self._columns.get(name)
        if found is None:
            found = [b""] * self.doc_count
            if reader.has_column(name):
                column = reader.column_reader(name, translate=False)
                offsets, lengths = column._offsets, column._lengths
                data = column._dbfile.get(column._basepos, sum(lengths)) if len(lengths) else b""
                found = [data[o : o + n] for o, n in zip(offsets, lengths, strict=False)]
                found += [b""] * (self.doc_count - len(found))
            self._columns[name] = found
        return found

    def sorted_column(self, reader, name: str) -> tuple[list[bytes], list[int]]:
        """A column's non-empty values in order and the documents holding them: a range of
        values is then two bisections away (dates: thousands of terms otherwise)."""
        found = self._sorted.get(name)
        if found is None:
            values = self.column(reader, name)
            order = sorted((d for d in range(len(values)) if values[d]), key=values.__getitem__)
            found = self._sorted[name] = ([values[d] for d in order], order)
        return found

    def vocabulary(self, reader, fieldname: str) -> list[str]:
        """The segment's terms in a text field, from its vocabulary file (or its term index)."""
        if self._vocab is None:
            self._vocab = read_vocabulary(reader.storage(), reader.segment()) or {}
        found = self._vocab.get(fieldname)
        if found is None:
            from_bytes = reader.schema[fieldname].from_bytes
            found = self._vocab[fieldname] = [from_bytes(t) for t in reader.lexicon(fieldname)]
        return found


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
