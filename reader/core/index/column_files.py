"""A new segment's per-document files without Whoosh's per-document writer: its W3 columns.

Whoosh's per-document writer takes each document through a dozen calls (a length per text
field, the stored fields pickled and compressed, a value per column), and its zlib call sets
up a compressor of 256 KB for each document's few hundred bytes: a large share of an index
worker's time. Here a segment's builder (or a merge) hands each variable-bytes column's value
to a ColumnFile, which writes it to the column's file at once and keeps only its length, and
`write_columns` ends each file and writes the fields' lengths, laid out as Whoosh's writer
lays them out (tests/core/index/test_column_files.py compares them file by file). The
layouts, from whoosh.columns:

- a field's lengths (`_<field>_len`, NumericColumn "B"): a length byte per document up to
  the last one with a length, as whoosh.util.numeric.length_to_byte quantises it. A field
  no document has a length in has no file.
- variable bytes (`id`, `date`, `title_sort`, `digest`, and `_stored`): the values one after
  another, then their lengths as a big-endian array, then their offsets likewise, then the
  lengths' typecode, then the offsets' typecode and "X". Each array has the smallest of the
  typecodes B, H, i, I its numbers fit in. Whoosh writes the offsets only past 32,768
  documents; `_stored` has them always, since without them Whoosh's reader sums every length
  in Python when it opens the column, which the first search paid for each segment. A column
  no document has a value in has no file.
- `_stored`: a document's stored fields are a pickled dict in a zlib stream. Whoosh's reader
  inflates any zlib stream, so here the stream is stored, not compressed (see `stored`).
"""

from __future__ import annotations

import pickle
import sys
import zlib
from array import array
from collections import defaultdict
from collections.abc import Iterable, Mapping

import numpy as np
from whoosh.codec.whoosh3 import W3Codec, W3Segment
from whoosh.filedb.filestore import Storage
from whoosh.filedb.structfile import StructFile
from whoosh.util.numeric import byte_to_length

from reader.core.index import whoosh_seam as seam

STORED = "_stored"
# Variable-bytes columns list their offsets past this many documents (Whoosh's default).
_OFFSETS_PAST = 2**15
_TYPECODES = ((2**8, "B"), (2**16, "H"), (2**31, "i"), (2**32, "I"))
# Length bytes' lengths: a length quantises to the first byte whose length is not below it.
_BYTE_LENGTHS = np.array([byte_to_length(code) for code in range(256)], dtype=np.int64)
_SWAP = sys.byteorder == "little"  # Whoosh writes arrays big-endian
# Values a column holds before it writes them in one write (a write each went through
# Whoosh's file wrapper, then Python's buffer, for every value of every document).
_HELD_VALUES = 256


class ColumnFile:
    """A new segment's variable-bytes column: the documents' values go to the column's file
    as they come, _HELD_VALUES at a time in one write (the file is made at the first), their
    lengths are kept for the file's end (`finish`): held in memory until the segment was
    written, a segment's values took a big import's peak memory close to its target."""

    def __init__(self, storage: Storage, segment: W3Segment, name: str) -> None:
        self._storage, self._segment, self.name = storage, segment, name
        self._file: StructFile | None = None
        self._sizes: array[int] = array("I")
        self._held: list[bytes] = []  # values not written yet

    def add(self, value: bytes | None) -> None:
        """The next document's value (None: it has none)."""
        if value is None:
            self._sizes.append(0)
            return
        self._held.append(value)
        self._sizes.append(len(value))
        if len(self._held) >= _HELD_VALUES:
            self._write_held()

    def _write_held(self) -> None:
        if self._file is None:
            self._file = _create(self._storage, self._segment, self.name)
        self._file.write(b"".join(self._held))
        self._held.clear()

    def finish(self, doc_count: int) -> None:
        """End the file (if a document had a value): the values' lengths and offsets."""
        if self._held:
            self._write_held()
        if self._file is None:
            return
        offsets_past = 0 if self.name == STORED else _OFFSETS_PAST
        sizes = np.zeros(doc_count, dtype=np.int64)
        sizes[: len(self._sizes)] = np.frombuffer(self._sizes, dtype=np.uint32)
        lengths, lengths_code = _big_endian(sizes)
        if doc_count <= offsets_past:
            tail = [lengths, lengths_code]
        else:
            offsets, offsets_code = _big_endian(np.cumsum(sizes) - sizes)
            tail = [lengths, offsets, lengths_code, offsets_code, b"X"]
        with self._file as handle:
            for part in tail:
                handle.write(part)


def stored(fields: Mapping[str, str]) -> bytes:
    """A document's stored fields as Whoosh's `_stored` column holds them. The stream is
    stored rather than compressed (zlib level 0), with the smallest window and memory
    level: a value this short hardly shrinks, and setting up the compressor cost more than
    the rest of the document."""
    packer = zlib.compressobj(0, zlib.DEFLATED, 9, 1)
    return packer.compress(pickle.dumps(dict(fields), 2)) + packer.flush()


def length_bytes(lengths: np.ndarray) -> np.ndarray:
    """Each length as its length byte (whoosh.util.numeric.length_to_byte)."""
    return np.searchsorted(_BYTE_LENGTHS, lengths).clip(max=255).astype(np.uint8)


def quantised(codes: bytes) -> np.ndarray:
    """The lengths that length bytes stand for (whoosh.util.numeric.byte_to_length)."""
    return _BYTE_LENGTHS[np.frombuffer(codes, dtype=np.uint8)]


def write_columns(
    storage: Storage,
    segment: W3Segment,
    doc_count: int,
    lengths: Mapping[str, np.ndarray],
    columns: Iterable[ColumnFile],
) -> None:
    """End a segment's variable-bytes columns, and write its fields' lengths and record their
    totals: `lengths` each text field's length in every document."""
    totals: defaultdict[str, int] = defaultdict(int)  # the type Whoosh's writer leaves there
    for name, counts in lengths.items():
        held = length_bytes(counts).tobytes().rstrip(b"\x00")  # Whoosh stops at the last
        if held:
            with _create(storage, segment, f"_{name}_len") as handle:
                handle.write(held)
            totals[name] = int(counts.sum())
    seam.set_field_lengths(segment, totals)
    for column in columns:
        column.finish(doc_count)


def _big_endian(numbers: np.ndarray) -> tuple[bytes, bytes]:
    """The numbers as the smallest array that holds them, big-endian, and its typecode."""
    most = int(numbers.max()) if len(numbers) else 0
    code = next((code for bound, code in _TYPECODES if most < bound), None)
    if code is None:
        raise OverflowError(f"{most} is too big for a column of Whoosh's")
    values = array(code, numbers.tolist())
    if _SWAP:
        values.byteswap()
    return values.tobytes(), code.encode("ascii")


def _create(storage: Storage, segment: W3Segment, column: str) -> StructFile:
    """A new file for one of the segment's columns, named as Whoosh names it."""
    return storage.create_file(W3Codec.column_filename(segment, column))
