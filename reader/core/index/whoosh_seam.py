"""The one module that reaches into Whoosh's private parts (whoosh-reloaded 2.7.5, pinned).

reader writes and reads Whoosh's W3 files in bulk (see FORMAT.md): term records built
directly beside postings of its own, whole columns. Whoosh has no public way to do any of
that, so the few private names it takes are used here and nowhere else; a Whoosh upgrade that
renames one breaks this module and its tests (tests/core/index/test_whoosh_seam.py fails
if another module of reader uses a private name).
"""

from __future__ import annotations

import os
import struct
from collections.abc import Iterator
from hashlib import md5
from typing import Any
from weakref import WeakKeyDictionary

from whoosh.codec.whoosh3 import LENGTHS_COLUMN, W3Segment, W3TermInfo
from whoosh.columns import VarBytesColumn
from whoosh.fields import Schema
from whoosh.filedb.filestore import Storage
from whoosh.filedb.structfile import StructFile
from whoosh.index import TOC, FileIndex
from whoosh.reading import SegmentReader, TermNotFound
from whoosh.system import pack_ushort

# -- the index as a whole ------------------------------------------------------------------


def latest_generation(storage: Storage, indexname: str) -> int:
    """The highest TOC generation in the folder (-1 if none), without reading any TOC."""
    return TOC._latest_generation(storage, indexname)


def index_schema(ix: FileIndex) -> Schema:
    """The schema an index handle was opened with (not re-read from its TOC)."""
    return ix._schema or ix.schema


def scratch_index(storage: Storage, schema: Schema, indexname: str) -> FileIndex:
    """A FileIndex handle for writing new segments, whatever state the TOC is in."""
    index = FileIndex.__new__(FileIndex)
    index.storage = storage
    index._schema = schema
    index.indexname = indexname
    return index


# -- writing -------------------------------------------------------------------------------


def set_field_lengths(segment: W3Segment, totals: dict[str, int]) -> None:
    """Record each field's total length in a new segment, as Whoosh's per-document writer
    does when it closes (reader writes the columns without it: column_files.py)."""
    segment._fieldlengths = totals


def postings_out(fieldwriter: Any) -> StructFile:
    """The postings file a W3 field writer is writing."""
    return fieldwriter._postfile


def add_terms(fieldwriter: Any, records: list[tuple[bytes, bytes]]) -> None:
    """Record terms of the field being written, in order: (term, W3TermInfo bytes) each.
    The bytes are those the writer's finish_term() and OrderedHashWriter.add() write for each
    term in turn, gathered into one write, the file's position kept here instead of asked
    for twice per term."""
    if not records:
        return
    table = fieldwriter._tindex  # an OrderedHashWriter
    prefix = pack_ushort(fieldwriter._fieldid)
    hashed = _md5_hash if table.hashtype == _MD5 else table.hashfn
    buckets, places = table.buckets, table.index
    position = table.dbfile.tell()
    last = table.lastkey
    out: list[bytes] = []
    for btext, value in records:
        key = prefix + btext
        if key <= last:
            raise ValueError(f"Keys must increase: {last!r}..{key!r}")
        places.append(position)
        out += (_LENGTHS.pack(len(key), len(value)), key, value)
        code = hashed(key)
        buckets[code & 255].append((code, position))
        position += _LENGTHS.size + len(key) + len(value)
        last = key
    table.dbfile.write(b"".join(out))
    table.lastkey = last


def close_field_writer(fieldwriter: Any) -> None:
    """Close a W3 field writer: its terms file gets the bytes Whoosh's HashWriter.close()
    writes, its hash tables in one write (Whoosh writes each slot by itself)."""
    table = fieldwriter._tindex
    dbfile = table.dbfile
    at = dbfile.tell()
    tables = []
    for entries in table.buckets:
        slots = 2 * len(entries)
        table.directory.append((at, slots))
        tables.append(_hash_table(entries, slots))
        at += slots * _POINTER.size
    dbfile.write(b"".join(tables))
    table._write_directory()
    extras_at = dbfile.tell()
    table._write_extras()
    dbfile.write_int(dbfile.tell() - extras_at)
    dbfile.close()
    fieldwriter._postfile.close()
    fieldwriter.is_closed = True


def _hash_table(entries: list[tuple[int, int]], slots: int) -> bytes:
    """A bucket's table as HashWriter._write_hashes lays it out: each (hash, place) at the
    slot of its hash, or the next free one after (in the order the keys came), empty slots
    (0, 0). No key is at place 0 (the file's header is), so a slot's place says if it is
    taken."""
    hashes, places = [0] * slots, [0] * slots
    for code, place in entries:
        slot = (code >> 8) % slots
        while places[slot]:
            slot = slot + 1 if slot + 1 < slots else 0
        hashes[slot], places[slot] = code, place
    return b"".join(map(_POINTER.pack, hashes, places))


_MD5 = 0  # the hash type of Whoosh's terms files


def _md5_hash(key: bytes) -> int:
    """Whoosh's md5_hash (the digest's last 32 bits), without its trip through hex."""
    return int.from_bytes(md5(key, usedforsecurity=False).digest()[12:], "big")


# -- reading terms and postings ------------------------------------------------------------


def term_info(reader: SegmentReader, fieldname: str, btext: bytes) -> W3TermInfo | None:
    """The segment's record of a term, None if it does not have the term."""
    lookup = _LOOKUPS.get(reader)
    if lookup is None:
        lookup = _LOOKUPS[reader] = _TermLookup(reader)
    if lookup.readable():
        return lookup.find(fieldname, btext)
    try:
        return reader._terms.term_info(fieldname, btext)
    except (TermNotFound, KeyError):
        return None


_POINTER = struct.Struct("!Iq")  # a hash table slot: the key's hash, where the key is
_LENGTHS = struct.Struct("!ii")  # before each key: its length and its value's
_VALUE_GUESS = 48  # bytes read past a key: reader's term records are 35


class _TermLookup:
    """A segment's term records read straight from its terms file, Whoosh's hash file, with
    one pread per probe. Whoosh's own lookup seeks and reads through three layers of Python
    per probe, about five times the cost; a fuzzy word's spellings make hundreds of lookups,
    mostly of terms a segment lacks. The file is asked for its descriptor at every lookup, so
    a closed reader is never read through a number the system has given to another file."""

    def __init__(self, reader: SegmentReader) -> None:
        hashes = reader._terms._tindex
        self._fieldmap: dict[str, int] = reader._terms._fieldmap
        self._tables: list[tuple[int, int]] = hashes.tables
        self._hash = hashes.hashfn
        dbfile = hashes.dbfile
        self._file = dbfile.file if getattr(dbfile, "is_real", False) else None

    def readable(self) -> bool:
        """Is the terms file a plain file, still open? (Else Whoosh is asked, and says why.)"""
        return self._file is not None and not self._file.closed

    def find(self, fieldname: str, btext: bytes) -> W3TermInfo | None:
        """The term's record, None if the segment lacks it."""
        fieldnum = self._fieldmap.get(fieldname)
        if fieldnum is None:
            return None
        fd = self._file.fileno()
        key = pack_ushort(fieldnum) + btext
        keyhash = self._hash(key)
        start, slots = self._tables[keyhash & 255]
        slot = (keyhash >> 8) % slots if slots else 0
        size = _POINTER.size
        for _ in range(slots):  # open addressing, as Whoosh's HashReader probes
            slothash, at = _POINTER.unpack(os.pread(fd, size, start + slot * size))
            if not at:
                return None
            if slothash == keyhash:
                head = os.pread(fd, _LENGTHS.size + len(key) + _VALUE_GUESS, at)
                keylen, valuelen = _LENGTHS.unpack_from(head)
                begin = _LENGTHS.size + keylen
                if keylen == len(key) and head[_LENGTHS.size : begin] == key:
                    value = head[begin : begin + valuelen]
                    if len(value) < valuelen:
                        value = os.pread(fd, valuelen, at + begin)
                    return W3TermInfo.from_bytes(value)
            slot = slot + 1 if slot + 1 < slots else 0
        return None


_LOOKUPS: WeakKeyDictionary[SegmentReader, _TermLookup] = WeakKeyDictionary()


def term_items(reader: SegmentReader) -> Iterator[tuple[tuple[str, bytes], W3TermInfo]]:
    """Every ((field, term), record) of a segment in index order, in one sequential pass."""
    return reader._terms.items()


def postings_in(reader: SegmentReader) -> StructFile:
    """The segment's postings file."""
    return reader._terms._postfile


# -- reading per-document columns ----------------------------------------------------------


def length_bytes(reader: SegmentReader, fieldname: str) -> bytes:
    """The quantised length byte of every document in a field, in one read ("" if none)."""
    perdoc = reader._perdoc
    name = f"_{fieldname}_len"
    if not perdoc.has_column(name):
        return b""
    column = perdoc.column_reader(name, LENGTHS_COLUMN)
    return column._dbfile.get(column._basepos, column._count)


def var_bytes_values(reader: SegmentReader, name: str) -> list[bytes]:
    """Every document's value in a variable-bytes column, in one read."""
    return _all_values(reader.column_reader(name, translate=False))


def stored_values(reader: SegmentReader) -> list[bytes]:
    """Every document's stored fields as the segment holds them (compressed), in one read:
    a merge copies them without unpacking them."""
    return _all_values(reader._perdoc.column_reader("_stored", VarBytesColumn()))


def _all_values(column: Any) -> list[bytes]:
    offsets, lengths = column._offsets, column._lengths
    data = column._dbfile.get(column._basepos, sum(lengths)) if len(lengths) else b""
    return [data[o : o + n] for o, n in zip(offsets, lengths, strict=False)]
