"""The start-up index check's "one query": read a little of every segment, cheaply.

Opening an index reads only its table of contents and checks the segment files exist, and
the document count comes from the TOC too, so a segment whose files were emptied, zeroed or
cut short still opens and counts right, then fails (or quietly answers wrong) at the first
search. Here each segment's first and last document are looked up through every kind of file
a search reads: the stored fields, the id, date and title-sort columns, the title length, the
id and title posting lists (the title field is written last, so its postings sit at the end
of the postings file), the first abstract posting list (the start of the file) and the two
ends of the vocabulary file. A few small reads per segment, whatever the library's
size; and a segment whose files are as they were when it last passed (the same sizes and
modification times, kept in the index folder) is not read again: at 1M papers the reads were
60 ms of every start (38 segments), the stats are 2 ms.
"""

from __future__ import annotations

import json
import os
import struct
import time
import zlib
from bisect import bisect_left
from pathlib import Path
from pickle import loads

from whoosh.codec.whoosh3 import W3Codec
from whoosh.filedb.structfile import StructFile
from whoosh.reading import IndexReader

from reader.core.index.analysis import text_positions
from reader.core.index.postings import VOCAB_EXT
from reader.core.index.segment_read import segment_data

# The variable-bytes columns searches read, and the stored fields (pickled and deflated, in one
# too): read
# from their files' ends, as Whoosh's stored_fields() first decodes every offset of the
# segment (15 ms a segment of 26,000 papers: 0.6 s of every start at 1M papers).
_COLUMNS = ("id", "date", "title_sort", "_stored")
# The segments that passed, with a [name, size, mtime_ns] stamp of each of their files. The dot
# keeps Whoosh's clean-up away; a lost or garbled record only means reading every segment.
RECORD = ".probed.json"
# A file changed this recently could change again within the same clock tick, its stamp the
# same: its segment is read again at the next start, and recorded then.
_SETTLED_NS = 2_000_000_000

Stamps = dict[str, list[list[object]]]  # segment id -> its files' stamps, by file name


class SegmentDamage(Exception):
    """What is wrong with a segment, in words."""


def probe(reader: IndexReader, folder: Path | None = None) -> None:
    """SegmentDamage (or whatever Whoosh raises on a damaged file) if a segment is unreadable.
    With `folder` (the index's), segments unchanged since they passed are not read again."""
    passed = _passed(folder) if folder else {}
    stamps = _stamps(folder) if folder else {}
    names = []
    for segment_reader, _ in reader.leaf_readers():
        segment = segment_reader.segment()
        if segment is None:  # an empty index: nothing to read
            continue
        name = segment.segment_id()
        names.append(name)
        if name not in passed or passed[name] != stamps.get(name):
            _segment(segment_reader)
    if folder:
        settled = time.time_ns() - _SETTLED_NS
        now = {
            name: stamps[name]
            for name in names
            if name in stamps and all(mtime < settled for _, _, mtime in stamps[name])
        }
        if now != passed:
            _record(folder, now)


def _segment(reader: IndexReader) -> None:
    count = reader.doc_count_all()
    if count:
        _vocabulary_file(reader)
        _first_postings(reader, "abstract")
        columns = {name: _column_ends(reader, name) for name in _COLUMNS}
        for end, docnum in enumerate(sorted({0, count - 1})):
            values = {name: ends[end] for name, ends in columns.items()}
            _document(reader, docnum, values)


def _stamps(folder: Path) -> Stamps:
    stamps: Stamps = {}
    with os.scandir(folder) as entries:
        for entry in entries:
            if entry.name.startswith((".", "_")) or "." not in entry.name:
                continue
            try:
                stat = entry.stat()
            except FileNotFoundError:  # an old segment's file, removed by a commit just now
                continue
            segment = entry.name.split(".", 1)[0]
            stamps.setdefault(segment, []).append([entry.name, stat.st_size, stat.st_mtime_ns])
    for files in stamps.values():
        files.sort()
    return stamps


def _passed(folder: Path) -> Stamps:
    try:
        passed = json.loads((folder / RECORD).read_bytes())
    except (OSError, ValueError):
        return {}
    return passed if isinstance(passed, dict) else {}


def _record(folder: Path, passed: Stamps) -> None:
    """Written to a temp file and renamed: another process reads the old record or the new."""
    temp = folder / f"{RECORD}.{os.getpid()}"
    try:
        temp.write_text(json.dumps(passed), encoding="utf-8")
        os.replace(temp, folder / RECORD)
    except OSError:  # a read-only index, a full disk: the segments are read again next time
        temp.unlink(missing_ok=True)


def _vocabulary_file(reader: IndexReader) -> None:
    """The vocabulary (typo tolerance reads it) is one JSON object: its first and last byte."""
    storage, name = reader.storage(), reader.segment().make_filename(VOCAB_EXT)
    if not storage.file_exists(name):
        return  # an index written before vocabulary files: the term index stands in
    with storage.open_file(name) as handle:
        first = handle.read(1)
        handle.seek(-1, 2)
        last = handle.read(1)
    if (first, last) != (b"{", b"}"):
        raise SegmentDamage(f"the vocabulary file {name} is cut short or overwritten")


def _first_postings(reader: IndexReader, fieldname: str) -> None:
    """Read the first term's postings as written: the term may occur only in deleted
    documents (an updated paper's old version), which is no damage."""
    first = next(iter(reader.lexicon(fieldname)), None)
    if first is not None:
        found = segment_data(reader).postings(reader, fieldname, first)
        if not found or not found[0]:
            raise SegmentDamage(f"the postings of {fieldname}:{first!r} are empty")


def _column_ends(reader: IndexReader, fieldname: str) -> tuple[bytes, bytes]:
    """The first and the last document's value in a variable-bytes column, read from the two
    ends of its file. (Whoosh's column reader would sum every length in Python first: 8 ms
    per column of a 25,000-paper segment.)"""
    storage = reader.storage()
    name = W3Codec.column_filename(reader.segment(), fieldname)
    if not storage.file_exists(name):
        return b"", b""  # no document has a value (e.g. no paper has a date)
    try:
        with storage.open_file(name) as column:
            size = storage.file_length(name)
            ends = _var_bytes_ends(column, size, reader.doc_count_all())
    except (struct.error, ValueError, OSError, EOFError) as error:
        raise SegmentDamage(f"the column file {name} is unreadable ({error})") from error
    if ends is None:
        raise SegmentDamage(f"the column file {name} is cut short or overwritten")
    return ends


def _var_bytes_ends(column: StructFile, size: int, count: int) -> tuple[bytes, bytes] | None:
    """Whoosh's VarBytesColumn layout: the values, their lengths, optionally their offsets,
    then the type codes (a final "X" says the offsets are there)."""
    end = size - 1
    code = chr(column.get_byte(end))
    if code == "X":  # the lengths' type code is two bytes before, the offsets' one before
        code, offsets = chr(column.get_byte(end - 2)), chr(column.get_byte(end - 1))
        end = end - 2 - count * struct.calcsize(offsets)
    width = struct.calcsize(code)
    lengths_at = end - width * count
    if lengths_at < 0:
        return None
    first = column.get_array(lengths_at, code, 1)[0]
    last = column.get_array(end - width, code, 1)[0]
    if max(first, last) > lengths_at:
        return None
    return column.get(0, first), column.get(lengths_at - last, last)


def _document(reader: IndexReader, docnum: int, columns: dict[str, bytes]) -> None:
    stored = loads(zlib.decompress(columns["_stored"])) if columns["_stored"] else {}
    if not isinstance(stored, dict):
        raise SegmentDamage(f"the stored fields of document {docnum} are not a mapping")
    paper_id = stored.get("id")
    if not isinstance(paper_id, str) or not paper_id:
        raise SegmentDamage(f"document {docnum} has no id")
    for name in ("id", "date"):
        if columns[name] != stored.get(name, "").encode("utf-8"):
            raise SegmentDamage(f"the {name} column disagrees with document {docnum} ({paper_id})")
    _listed(reader, "id", paper_id, docnum)
    title = stored.get("title", "")
    terms = text_positions(title)
    if terms:
        _listed(reader, "title", max(terms), docnum)
        if not reader.doc_field_length(docnum, "title", 0):
            raise SegmentDamage(f"document {docnum} ({paper_id}) has no title length")
        if not columns["title_sort"]:
            raise SegmentDamage(f"document {docnum} ({paper_id}) has no title sort key")


def _listed(reader: IndexReader, fieldname: str, term: str, docnum: int) -> None:
    """The term's posting list holds the document. The list as written, deleted documents
    included: the probed document may be the old version of a paper an import updated, and
    the files are what is checked."""
    found = segment_data(reader).postings(
        reader, fieldname, reader.schema[fieldname].to_bytes(term)
    )
    if found is None:
        raise SegmentDamage(f"{fieldname}:{term} of document {docnum} is not in the term index")
    docs = found[0]
    at = bisect_left(docs, docnum)
    if at == len(docs) or docs[at] != docnum:
        raise SegmentDamage(f"the postings of {fieldname}:{term} miss document {docnum}")
