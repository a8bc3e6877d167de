"""How reader writes a term's postings: one compact extent of its own per term.

Whoosh reads a posting list one posting at a time through a chain of matcher objects, about
10 us per matching document: a common word at 100k papers took a second. So a term's extent in
the postings file is reader's own (FORMAT.md): the document numbers as a little-endian uint32
array, the frequencies as bytes, the positions of text fields as one flat array, then a
trailer. reader.core.search turns a posting list, or a term's positions, into arrays with one
read each: a phrase checks whole arrays instead of unpickling positions one posting at a time.
Whoosh's own blocks are not written (format 5): Whoosh still opens the index, but cannot read
its postings. A new segment makes its terms' extents and records a bucket of terms at a time
(term_buckets.py) and hands them to TermWriter.add_made; a merge writes them one by one
(TermWriter.add). Both write the same bytes.

Each segment also gets a `.voc` file listing its terms per text field, so fuzzy queries need
not walk Whoosh's term index (the file name follows Whoosh's segment pattern, so Whoosh
deletes it with the segment).
"""

from __future__ import annotations

import json
import struct
import sys
from array import array
from bisect import bisect_left
from collections.abc import Iterable
from typing import NamedTuple

from whoosh.codec.whoosh3 import W3TermInfo
from whoosh.fields import FieldType
from whoosh.filedb.filestore import Storage
from whoosh.filedb.structfile import StructFile

from reader.core.index.whoosh_seam import add_terms, postings_out

# magic, postings, positions, bytes per position (0: none), 1 if exact counts are stored
TRAILER = struct.Struct("<4sIIBB")
MAGIC = b"RDX2"
_BIG_ENDIAN = sys.byteorder == "big"
VOCAB_EXT = ".voc"
WORDS = "_words"  # the vocabulary file's list of unstemmed title and abstract words


class DamagedPostings(EOFError):
    """A term's extent is not reader's postings (its trailer is missing or does not add up):
    the postings file is damaged, as every term reader writes is laid out so."""


class TermSums(NamedTuple):
    """What a term's record says of its postings besides where they are."""

    total: int  # occurrences in all its documents
    most: int  # occurrences in one document, at most
    shortest: int | None  # the field's length in the shortest of its documents (None: unscored)
    longest: int  # in the longest (0: unscored)


def sums_of(
    docs: list[int] | array[int], freqs: list[int] | bytes, lengths: array[int] | None
) -> TermSums:
    """A term's sums from its postings, `lengths` the field's length by docnum (None for an
    unscored field)."""
    if lengths is None:
        return TermSums(sum(freqs), max(freqs), None, 0)
    held = list(map(lengths.__getitem__, docs))
    return TermSums(sum(freqs), max(freqs), min(held), max(held))


class TermWriter:
    """Writes a field writer's terms: each term's extent to its postings file, its record to
    its terms file. It keeps the file's end itself (a buffered file's tell() is a system
    call, and a segment has hundreds of thousands of terms) and writes both files a batch of
    terms at a time. Call start_field and finish_field here, not on the field writer: the
    last batch of a field is written by finish_field."""

    _BATCH = 4096  # terms gathered before a write
    _BATCH_BYTES = 1 << 20  # or postings' bytes (a common word's reach megabytes)

    def __init__(self, fieldwriter) -> None:
        self._fieldwriter = fieldwriter
        self._postfile = postings_out(fieldwriter)
        self._end = self._postfile.tell()
        self._extents: list[bytes] = []
        self._held = 0  # bytes in _extents
        self._records: list[tuple[bytes, bytes]] = []

    def start_field(self, name: str, field: FieldType) -> None:
        self._fieldwriter.start_field(name, field)

    def add(
        self,
        btext: bytes,
        docs: list[int] | array[int],
        freqs: list[int] | bytes,
        weight: float,
        sums: TermSums,
        positions: array[int] | None = None,
    ) -> None:
        """One term of the field being written: `docs` ascending (at least one), `freqs`
        (uncapped) how often it occurs in each, `weight` what one occurrence weighs (the
        field's boost), `sums` its sums (sums_of), `positions` (text fields) every posting's
        positions in posting order.

        The record is the one Whoosh's writer makes of the same postings (W3TermInfo: total
        and greatest weight, document frequency, shortest and longest document, first and
        last document); whole numbers times the boost sum the same in any order."""
        extent = _extent_of(docs, freqs, positions)
        record = W3TermInfo(
            weight=sums.total * weight,
            df=len(docs),
            minlength=sums.shortest,
            maxlength=sums.longest,
            maxweight=sums.most * weight,
            minid=docs[0],
            maxid=docs[-1],
        )
        record.set_extent(self._end, len(extent))
        self.add_made(extent, [(btext, record.to_bytes())])

    @property
    def end(self) -> int:
        """Where the next term's extent goes in the postings file."""
        return self._end

    def add_made(self, extents: bytes, records: list[tuple[bytes, bytes]]) -> None:
        """Terms of the field being written, made already: their extents one after another
        from `end`, and each one's (term, W3TermInfo bytes). term_buckets.py makes a bucket
        of terms so."""
        self._extents.append(extents)
        self._held += len(extents)
        self._end += len(extents)
        self._records += records
        if len(self._records) >= self._BATCH or self._held >= self._BATCH_BYTES:
            self._write()

    def finish_field(self) -> None:
        self._write()
        self._fieldwriter.finish_field()

    def _write(self) -> None:
        self._postfile.write(b"".join(self._extents))
        add_terms(self._fieldwriter, self._records)
        self._extents, self._records, self._held = [], [], 0


def _extent_of(
    docs: list[int] | array[int], freqs: list[int] | bytes, positions: array[int] | None
) -> bytes:
    """A term's extent (FORMAT.md). `freqs` a list or bytes, never an array: bytes() of an
    array would be its memory."""
    out = _little(array("I", docs)).tobytes()
    if isinstance(freqs, bytes):
        capped, exact = freqs, True
    else:
        try:
            capped, exact = bytes(freqs), True
        except ValueError:  # a word more than 255 times in one field
            capped, exact = bytes(min(f, 255) for f in freqs), False
    counts = b"" if exact else _little(array("I", freqs)).tobytes()
    width = 0
    stored = b""
    if positions is not None:
        wide = bool(positions) and max(positions) > 0xFFFF
        width = 4 if wide else 2
        stored = _little(array("I" if wide else "H", positions)).tobytes()
    count, npos = len(docs), len(positions) if positions is not None else 0
    trailer = TRAILER.pack(MAGIC, count, npos, width, 0 if exact else 1)
    return out + capped + counts + stored + trailer


def _little(values: array[int]) -> array[int]:
    if _BIG_ENDIAN:
        values.byteswap()
    return values


class TermPositions(NamedTuple):
    """A term's postings with their positions, as little-endian arrays in bytes (read them
    with numpy.frombuffer): for a phrase's check over whole arrays."""

    docs: bytes  # uint32 document numbers, ascending
    counts: bytes  # each posting's number of positions: uint8, or uint32 if counts_width is 4
    counts_width: int
    positions: bytes  # every posting's positions in posting order, ascending within each
    width: int  # bytes per position: 2 or 4 (0: the field has none)


def _trailer(postfile: StructFile, offset: int, length: int) -> tuple[int, int, int, int]:
    """(postings, positions, bytes per position, 1 if exact counts are stored) of the term
    whose extent this is; DamagedPostings unless the extent is laid out as FORMAT.md says."""
    if length < TRAILER.size:
        raise DamagedPostings(f"a term's postings at {offset} are {length} bytes: no trailer")
    magic, count, npos, width, counted = TRAILER.unpack(
        postfile.get(offset + length - TRAILER.size, TRAILER.size)
    )
    if magic != MAGIC or count * (5 + 4 * counted) + npos * width + TRAILER.size != length:
        raise DamagedPostings(f"the postings at {offset} do not end in reader's trailer")
    return count, npos, width, counted


def read_documents(postfile: StructFile, offset: int, length: int) -> tuple[array[int], bytes]:
    """(document numbers, frequencies capped at 255) of a term."""
    count, _, _, _ = _trailer(postfile, offset, length)
    raw = postfile.get(offset, count * 5)
    docs = array("I")
    docs.frombytes(raw[: count * 4])
    return _little(docs), raw[count * 4 :]


def read_postings(postfile: StructFile, offset: int, length: int) -> TermPositions:
    """A term's postings, exact counts and positions (none, width 0, for a field without
    positions), in one read."""
    count, _, width, counted = _trailer(postfile, offset, length)
    raw = postfile.get(offset, length - TRAILER.size)
    split = count * 5 + 4 * count * counted
    counts = raw[count * 5 : split] if counted else raw[count * 4 : split]
    return TermPositions(raw[: count * 4], counts, 4 if counted else 1, raw[split:], width)


def read_positions(postfile: StructFile, offset: int, length: int) -> TermPositions | None:
    """A term's postings and positions, in one read; None if it has no positions (not a
    text field)."""
    found = read_postings(postfile, offset, length)
    return found if found.width else None


def positions_among(
    postfile: StructFile, offset: int, length: int, wanted: list[int]
) -> dict[int, array[int]] | None:
    """Positions of a term in each of the `wanted` documents (sorted) that hold it, reading
    only theirs: a few papers' positions of a common word are a few small reads. None if the
    term has no positions."""
    count, _, width, counted = _trailer(postfile, offset, length)
    if not width:
        return None
    docs = array("I")
    docs.frombytes(postfile.get(offset, count * 4))
    counts = array("I" if counted else "B")
    counts.frombytes(postfile.get(offset + count * (5 if counted else 4), count * counts.itemsize))
    _little(docs)
    _little(counts)
    first = offset + count * (5 + 4 * counted)  # where the positions begin
    out: dict[int, array[int]] = {}
    summed = before = 0  # the postings before `summed` hold `before` positions
    for doc in wanted:
        at = bisect_left(docs, doc)
        if at == count or docs[at] != doc:
            continue
        before += sum(counts[summed:at])
        summed = at
        poses = array("H" if width == 2 else "I")
        poses.frombytes(postfile.get(first + before * width, counts[at] * width))
        out[doc] = _little(poses)
    return out


def write_vocabulary(storage: Storage, segment, vocab: dict[str, list[str]]) -> None:
    """The sorted terms of each text field, for fuzzy matching without Whoosh's term walk."""
    data = json.dumps({name: "\n".join(terms) for name, terms in vocab.items()})
    with storage.create_file(segment.make_filename(VOCAB_EXT)) as handle:
        handle.write(data.encode("utf-8"))


def read_vocabulary(
    storage: Storage, segment, fields: Iterable[str] | None = None
) -> dict[str, list[str]] | None:
    """The vocabulary file's terms of `fields` (of every field if None); None if the segment
    has no vocabulary file. Only the fields asked for are split into terms."""
    name = segment.make_filename(VOCAB_EXT)
    if not storage.file_exists(name):
        return None
    with storage.open_file(name) as handle:
        data = json.loads(handle.read().decode("utf-8"))
    wanted = data.keys() if fields is None else set(fields)
    return {
        field: text.split("\n") if text else [] for field, text in data.items() if field in wanted
    }
