"""Build a segment in memory and write its files: Whoosh's W3 files, postings in reader's form.

Whoosh's writer costs about 50 us per posting (a token stream per field, a sort pool, then one
checked call per posting at commit): 230 papers/s here. This builder analyses text with
reader.core.index.analysis' fast path into streams of term numbers (term_streams.py), sorts
them into postings once, and writes each term's postings whole (reader.core.index.postings).
Whoosh's codec writes the term records; the columns and stored fields go to their files as
each document comes (column_files.py); what it needs of the codec's internals goes through
whoosh_seam.py (whoosh-reloaded is pinned); tests/core/index/test_index_format.py compares
its output with Whoosh's own writer.
"""

from __future__ import annotations

from array import array
from collections.abc import Iterable
from pathlib import Path

import numpy as np
from whoosh.codec.whoosh3 import W3Codec, W3Segment
from whoosh.fields import FieldType, Schema
from whoosh.filedb.filestore import Storage
from whoosh.index import FileIndex

from reader.core.index import whoosh_seam as seam
from reader.core.index.analysis import surface_words
from reader.core.index.column_files import STORED, ColumnFile, stored, write_columns
from reader.core.index.fields import INDEXNAME, Document
from reader.core.index.paper_chunks import ChunkStream, PaperChunks
from reader.core.index.postings import WORDS, TermWriter, write_vocabulary
from reader.core.index.term_buckets import TermBucket, write_bucket
from reader.core.index.term_streams import TermNumbers, TermStream
from reader.core.index.vector_files import vector_path
from reader.core.vectors import VectorWriter

# Title and abstract chunks, other fields' tokens and values kept in memory before a segment
# is written (4 bytes each; a segment of papers holds about 225 a paper, 210 of them chunks,
# so about 24,000 papers). Writing it sorts a range of terms at a time.
MAX_HELD = 5_500_000
# Keyword fields a document has one value of, or none (a date), and those it has any number of.
SINGLE_FIELDS = ("id", "date", "bookmarked", "read")
MULTI_FIELDS = ("source", "category", "tag")


class SegmentBuilder:
    """Collects documents for one new segment of `ix`; `finish()` writes its files."""

    def __init__(self, ix: FileIndex, vectors_later: bool = False) -> None:
        self._storage: Storage = ix.storage
        self._schema = seam.index_schema(ix)
        self._codec = W3Codec()
        self.segment: W3Segment = self._codec.new_segment(ix.storage, ix.indexname)
        self._fields: dict[str, FieldType] = dict(self._schema.items())
        # The papers' vectors, a file beside the segment's; with `vectors_later`, a paper
        # without one is only tokenised here and gets its vector through `vectors.supply()`
        # (segment_worker.py).
        self.vectors = VectorWriter(later=vectors_later)
        # Text fields as streams of chunk numbers until the segment is written (paper_chunks.py),
        # a title's and abstract's chunks numbered for their terms and their tokens at once;
        # then as streams of term numbers (term_streams.py). The titles' and abstracts' chunks
        # are the words of the segment's vocabulary; notes and summaries have their own memo,
        # so that their words are not offered as spellings of the library's papers.
        numbers = TermNumbers()
        self._chunks = PaperChunks(numbers, self.vectors.number)
        self._own_chunks = PaperChunks(numbers)
        self._title = ChunkStream(self._chunks, numbers)
        self._abstract = ChunkStream(self._chunks, numbers)
        self._note = ChunkStream(self._own_chunks, numbers)
        self._summary = ChunkStream(self._own_chunks, numbers)
        self._authors = TermStream(numbers, explicit=True)
        self._streams: dict[str, TermStream | ChunkStream] = {
            "title": self._title,
            "abstract": self._abstract,
            "note": self._note,
            "summary": self._summary,
            "author": self._authors,
        }
        # Keyword fields' values as they come, grouped into terms with a few numpy calls when
        # the segment is written (_grouped), rather than a dict lookup and an array per value as
        # each document comes: a value a document (None: none) in document order, or each of a
        # document's values once, with its document.
        self._single: dict[str, list[str | None]] = {name: [] for name in SINGLE_FIELDS}
        self._multi: dict[str, tuple[array[int], list[str]]] = {
            name: (array("I"), []) for name in MULTI_FIELDS
        }
        # Each document's value in each column, written as it comes (its file ends at the end).
        self._columns = {
            name: ColumnFile(ix.storage, self.segment, name)
            for name in (STORED, "id", "date", "title_sort", "digest")
        }
        self._count = 0
        self._values = 0  # values of the other fields

    def __len__(self) -> int:
        return self._count

    def full(self, share: float = 1.0) -> bool:
        """Does the segment hold MAX_HELD values (or `share` of them)?"""
        return self._values + sum(map(len, self._streams.values())) >= MAX_HELD * share

    def add(self, doc: Document) -> None:
        docnum = self._count
        self._count += 1
        # The vector's chunks: paper_text(title, abstract)'s, split once for both.
        chunks = self._title.add_text(doc.title) + self._abstract.add_text(doc.abstract)
        self._note.add_text(doc.note)
        self._summary.add_text(doc.summary)
        self._authors.add_names(doc.authors)
        single = self._single
        single["id"].append(doc.id)
        single["date"].append(doc.date or None)
        single["bookmarked"].append("t" if doc.bookmarked else "f")
        single["read"].append("t" if doc.read else "f")
        self._values += 4 if doc.date else 3
        self._add_values("source", docnum, doc.sources)
        self._add_values("category", docnum, doc.categories)
        self._add_values("tag", docnum, doc.tags)
        columns = self._columns
        stored_fields, title_sort, digest = doc.columns or column_values(doc)
        columns[STORED].add(stored_fields)
        columns["id"].add(doc.id.encode("utf-8"))
        columns["date"].add(doc.date.encode("utf-8") if doc.date else None)
        columns["title_sort"].add(title_sort)
        columns["digest"].add(digest)
        self.vectors.add(chunks, doc.vector)

    def _add_values(self, name: str, docnum: int, values: Iterable[str]) -> None:
        docs, held = self._multi[name]
        once = dict.fromkeys(values)
        docs.extend([docnum] * len(once))
        held.extend(once)
        self._values += len(once)

    @property
    def vector_file(self) -> Path:
        return vector_path(self._storage.folder, self.segment)

    def finish(self) -> W3Segment:
        """Write the segment's files; the caller lists the segment in a new TOC to commit it.
        The vector file waits if vectors are missing: then the caller writes `vectors` to
        `vector_file` once they came."""
        lengths = {name: stream.lengths() for name, stream in self._streams.items()}
        write_columns(self._storage, self.segment, self._count, lengths, self._columns.values())
        writer = self._codec.field_writer(self._storage, self.segment)
        terms = TermWriter(writer)
        vocab: dict[str, list[str]] = {}
        keywords = {*SINGLE_FIELDS, *MULTI_FIELDS} if self._count else set()
        for name in sorted({*self._streams, *keywords}):
            field = self._fields[name]
            terms.start_field(name, field)
            if name in self._streams:
                vocab[name] = self._write_positional(terms, field, name)
            else:
                self._write_flat(terms, field, name)
            terms.finish_field()
        seam.close_field_writer(writer)
        vocab[WORDS] = sorted(surface_words(self._chunks))
        write_vocabulary(self._storage, self.segment, vocab)
        if not self.vectors.missing:
            self.vectors.write(self.vector_file)
        self.segment.set_doc_count(self._count)
        return self.segment

    def _write_positional(self, out: TermWriter, field: FieldType, name: str) -> list[str]:
        """Write the field's terms; returns them (in order) for the vocabulary file."""
        terms: list[str] = []
        for bucket in self._streams[name].take():
            write_bucket(out, bucket, field.format.field_boost)
            terms += bucket.terms
        return terms

    def _write_flat(self, out: TermWriter, field: FieldType, name: str) -> None:
        if name in self._single:
            values: list[str | None] | list[str] = self._single[name]
            docs = np.arange(len(values), dtype=np.uint32)
        else:
            held, values = self._multi[name]
            docs = np.frombuffer(held, dtype=np.uint32)
        terms, bounds, postings = _grouped(values, docs)
        if not terms:
            return
        bucket = TermBucket(
            terms=terms,
            bounds=bounds,
            docs=postings,
            freqs=np.ones(len(postings), dtype=np.int64),
            positions=None,  # no positions, and not scored
            shortest=None,
            longest=None,
        )
        # Each value occurs once in a document: ask Whoosh what that posting weighs.
        _, _, weight, _ = next(iter(field.index(["x"])))
        write_bucket(out, bucket, weight)


def _grouped(
    values: list[str | None] | list[str], docs: np.ndarray
) -> tuple[list[str], np.ndarray, np.ndarray]:
    """Values (None: none) and their documents, ascending, as terms in order, where each
    term's documents begin and end, and the documents, ascending within a term. Strings sort
    in code point order, as their UTF-8 bytes do."""
    present = [at for at, value in enumerate(values) if value is not None]
    kept = [value for value in values if value is not None]
    terms = sorted(set(kept))
    rank = {term: at for at, term in enumerate(terms)}
    ranks = np.fromiter(map(rank.__getitem__, kept), dtype=np.int64, count=len(kept))
    postings = docs[present][np.argsort(ranks, kind="stable")]
    bounds = np.concatenate(([0], np.cumsum(np.bincount(ranks, minlength=len(terms)))))
    return terms, bounds, postings


def column_values(doc: Document) -> tuple[bytes, bytes, bytes]:
    """A document's stored fields, title sort key and digest, as its segment's columns hold
    them (Document.columns)."""
    return stored(doc.stored()), doc.sort_key(), doc.digest()


def scratch_index(storage: Storage, schema: Schema) -> FileIndex:
    """A FileIndex handle for writing new segments, whatever state the TOC is in."""
    return seam.scratch_index(storage, schema, INDEXNAME)
