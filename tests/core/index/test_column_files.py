"""reader writes a segment's column files whole: the same files Whoosh's per-document writer
writes for the same documents, byte for byte (the stored fields: the same values)."""

from __future__ import annotations

import pickle
import zlib
from io import BytesIO
from pathlib import Path

import numpy as np
import pytest
from whoosh.codec.whoosh3 import W3Codec
from whoosh.columns import VarBytesColumn
from whoosh.fields import ID, TEXT, Schema
from whoosh.filedb.filestore import FileStorage
from whoosh.filedb.structfile import StructFile
from whoosh.reading import SegmentReader

from reader.core.index import whoosh_seam as seam
from reader.core.index.column_files import STORED, ColumnFile, quantised, stored, write_columns

COLUMNS = ("id", "date", "sort")


def documents(count: int) -> list[dict]:
    """Documents with what a library has: lengths of 0 (a note nobody wrote), long ones, a
    field no document has, dates missing here and there."""
    out = []
    for n in range(count):
        out.append(
            {
                "stored": {"id": f"2401.{n:05d}", "title": f"Paper {n} [/b]" * (1 + n % 3)},
                "lengths": {"title": 1 + n % 17, "abstract": (n * 37) % 400, "note": 0},
                "id": f"2401.{n:05d}".encode(),
                "date": None if n % 4 == 1 else f"2024-01-{1 + n % 28:02d}".encode(),
                "sort": b"" if n % 5 == 0 else b"paper %d" % n,  # a title of no letters: b""
            }
        )
    out[-2 if count > 1 else 0]["lengths"]["abstract"] = 200_000  # past the longest length
    return out


def whoosh_written(folder: Path, docs: list[dict]):
    """The documents through Whoosh's own per-document writer."""
    folder.mkdir()
    storage = FileStorage(str(folder))
    codec = W3Codec()
    segment = codec.new_segment(storage, "MAIN")
    perdoc = codec.per_document_writer(storage, segment)
    schema = Schema(id=ID(stored=True), title=TEXT(stored=True), abstract=TEXT(), note=TEXT())
    for docnum, doc in enumerate(docs):
        perdoc.start_doc(docnum)
        for name, value in doc["stored"].items():
            perdoc.add_field(name, schema[name], value, 0)
        for name, length in doc["lengths"].items():
            perdoc.add_field(name, schema[name], None, length)
        for name in COLUMNS:
            if doc[name] is not None:
                perdoc.add_column_value(name, VarBytesColumn(), doc[name])
        perdoc.finish_doc()
    perdoc.close()
    return storage, segment


def ours_written(folder: Path, docs: list[dict]):
    folder.mkdir(exist_ok=True)
    storage = FileStorage(str(folder))
    segment = W3Codec().new_segment(storage, "MAIN")
    lengths = {
        name: np.array([doc["lengths"][name] for doc in docs], dtype=np.int64)
        for name in docs[0]["lengths"]
    }
    columns = {name: ColumnFile(storage, segment, name) for name in (*COLUMNS, STORED)}
    for doc in docs:
        for name in COLUMNS:
            columns[name].add(doc[name])
        columns[STORED].add(stored(doc["stored"]))
    write_columns(storage, segment, len(docs), lengths, columns.values())
    return storage, segment


def column_files(storage: FileStorage, segment) -> dict[str, bytes]:
    prefix = segment.make_filename("")
    return {
        name[len(prefix) :]: storage.open_file(name).read()
        for name in storage.list()
        if name.startswith(prefix) and name.endswith(W3Codec.COLUMN_EXT)
    }


@pytest.mark.parametrize("count", [1, 9, 300])
def test_the_files_whoosh_writes(tmp_path: Path, count: int) -> None:
    docs = documents(count)
    theirs_storage, theirs = whoosh_written(tmp_path / "whoosh", docs)
    ours_storage, ours = ours_written(tmp_path / "reader", docs)
    expected, written = column_files(theirs_storage, theirs), column_files(ours_storage, ours)
    assert sorted(written) == sorted(expected)  # the note, with no length, has no file
    assert f"._note_len{W3Codec.COLUMN_EXT}" not in written
    for name in expected:
        if name != f".{STORED}{W3Codec.COLUMN_EXT}":
            assert written[name] == expected[name], name
    assert ours._fieldlengths == theirs._fieldlengths
    assert type(ours._fieldlengths) is type(theirs._fieldlengths)


def test_whoosh_reads_the_stored_fields_and_a_merge_copies_them(tmp_path: Path) -> None:
    docs = documents(40)
    storage, segment = ours_written(tmp_path, docs)
    W3Codec().field_writer(storage, segment).close()  # a segment without terms
    segment.set_doc_count(len(docs))
    schema = Schema(id=ID(stored=True), title=TEXT(stored=True), abstract=TEXT(), note=TEXT())
    reader = SegmentReader(storage, schema, segment)
    try:
        assert [reader.stored_fields(n) for n in range(len(docs))] == [d["stored"] for d in docs]
        raw = seam.stored_values(reader)
        assert [pickle.loads(zlib.decompress(value)) for value in raw] == [
            d["stored"] for d in docs
        ]
        assert reader.doc_field_length(len(docs) - 2, "abstract") == 106374  # the longest
    finally:
        reader.close()


@pytest.mark.parametrize("sizes", [(3, 250), (300, 70_000), (40_000, 60)])
def test_variable_bytes_as_whooshs_column_writes_them(
    tmp_path: Path, sizes: tuple[int, int]
) -> None:
    """Lengths and offsets past each typecode's bound, and offsets past 32,768 values."""
    count, longest = sizes
    values = [bytes([n % 251]) * (n * 7919 % (longest + 1)) for n in range(count)]
    values[count // 2] = b"x" * longest
    handle = BytesIO()
    writer = VarBytesColumn().writer(StructFile(handle))
    for docnum, value in enumerate(values):
        writer.add(docnum, value)
    writer.finish(count)
    storage = FileStorage(str(tmp_path))
    segment = W3Codec().new_segment(storage, "MAIN")
    column = ColumnFile(storage, segment, "id")
    for value in values:
        column.add(value)
    write_columns(storage, segment, count, {}, [column])
    assert column_files(storage, segment) == {f".id{W3Codec.COLUMN_EXT}": handle.getvalue()}


def test_length_bytes_stand_for_their_lengths() -> None:
    from whoosh.util.numeric import byte_to_length, length_to_byte

    codes = bytes(length_to_byte(n) for n in (0, 1, 7, 300, 106373, 106374, 10**6))
    assert quantised(codes).tolist() == [byte_to_length(code) for code in codes]
