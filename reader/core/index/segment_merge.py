"""Merge index segments by copying whole posting blocks, and decide when to merge.

Every upsert adds a segment; left alone, hundreds of small segments would slow every query.
Whoosh's own merge re-adds postings one at a time (about 20 us each: minutes for 100k papers),
and the abstract is not stored, so documents cannot simply be re-indexed from the index.
This merger decodes each 128-posting block once, renumbers its documents and writes it back
through the W3 codec (see reader.core.index.segment_build), about 50x faster than Whoosh's merge.
"""

from __future__ import annotations

import heapq
import math
import sys
from array import array
from collections import defaultdict
from collections.abc import Iterator

from whoosh.codec.whoosh3 import W3Codec, W3Segment, W3TermInfo
from whoosh.fields import Schema
from whoosh.filedb.filestore import Storage
from whoosh.index import FileIndex
from whoosh.reading import SegmentReader
from whoosh.util.numeric import byte_to_length

from reader.core.index import whoosh_seam as seam
from reader.core.index.fields import NAME_FIELDS, STEMMED_FIELDS
from reader.core.index.postings import WORDS, read_vocabulary, write_term, write_vocabulary
from reader.core.index.segment_build import per_document_writer
from reader.core.index.segment_read import segment_data
from reader.core.index.segment_vectors import merge_vectors

# Segments within a factor of FANOUT in size form a tier; FANOUT of them merge into one.
FANOUT = 8
MAX_SEGMENTS = 12  # small segments kept before the smallest are merged
# Segments of this many documents or more stay as they are (but for deleted documents): a
# rebuild or a big import writes dozens of them, and merging those would rewrite the whole
# library at the next edit. So no merge takes more than about FANOUT small segments.
SETTLED = 10_000
# A segment with this share of deleted documents is rewritten without them.
DELETED_SHARE = 0.3
_VOCAB_FIELDS = (*STEMMED_FIELDS, *NAME_FIELDS)


def plan_merges(segments: list[W3Segment]) -> list[list[W3Segment]]:
    """Groups of segments to merge now: FANOUT small ones of a tier, the smallest ones if
    there are too many small ones, or a segment that is mostly deleted documents."""
    tiers: dict[int, list[W3Segment]] = defaultdict(list)
    small = sorted((s for s in segments if s.doc_count() < SETTLED), key=lambda s: s.doc_count())
    for segment in small:
        tiers[int(math.log(max(segment.doc_count(), 1), FANOUT))].append(segment)
    groups = [tier[:FANOUT] for tier in tiers.values() if len(tier) >= FANOUT]
    grouped = {id(s) for group in groups for s in group}
    rest = [s for s in small if id(s) not in grouped]
    remaining = len(rest) + len(groups)
    if remaining > MAX_SEGMENTS:
        take = remaining - MAX_SEGMENTS + 1
        groups.append(rest[:take])
    grouped = {id(s) for group in groups for s in group}
    for segment in segments:
        if id(segment) in grouped:
            continue
        if segment.deleted_count() > DELETED_SHARE * segment.doc_count_all():
            groups.append([segment])
    return groups


def merge_segments(ix: FileIndex, segments: list[W3Segment]) -> W3Segment:
    """Write one new segment holding the live documents of `segments`, in order."""
    storage, schema = ix.storage, seam.index_schema(ix)
    codec = W3Codec()
    merged = codec.new_segment(storage, ix.indexname)
    readers = [SegmentReader(storage, schema, segment) for segment in segments]
    try:
        docmaps, lengths, count = _copy_documents(codec, storage, schema, merged, readers)
        writer = codec.field_writer(storage, merged)
        last_field = None
        vocab: dict[str, list[str]] = defaultdict(list)
        for fieldname, btext, sources in _union_terms(readers):
            if fieldname != last_field:
                if last_field is not None:
                    writer.finish_field()
                writer.start_field(fieldname, schema[fieldname])
                last_field = fieldname
            docs, weights, values = _gather(readers, docmaps, sources, fieldname)
            if not docs:
                continue
            field = schema[fieldname]
            boost = field.format.field_boost
            freqs = [round(w / boost) for w in weights]
            fixed = field.format.fixed_value_size()
            lengths_of = lengths.get(fieldname)
            positions = None
            if fieldname in _VOCAB_FIELDS:
                positions = _gather_positions(readers, docmaps, sources, fieldname, btext)
            write_term(
                writer, btext, docs, freqs, weights, values if fixed != 0 else None, lengths_of,
                fixed, positions,
            )  # fmt: skip
            if fieldname in _VOCAB_FIELDS:
                vocab[fieldname].append(btext.decode("utf-8"))
        if last_field is not None:
            writer.finish_field()
        writer.close()
        out = {name: vocab.get(name, []) for name in _VOCAB_FIELDS}
        words: set[str] = set()
        for segment in segments:
            words.update((read_vocabulary(storage, segment) or {}).get(WORDS, []))
        out[WORDS] = sorted(words)
        write_vocabulary(storage, merged, out)
        merge_vectors(storage.folder, segments, docmaps, merged)
    finally:
        for reader in readers:
            reader.close()
    merged.set_doc_count(count)
    return merged


def _copy_documents(
    codec: W3Codec,
    storage: Storage,
    schema: Schema,
    merged: W3Segment,
    readers: list[SegmentReader],
) -> tuple[list[array[int]], dict[str, array[int]], int]:
    """Stored fields, lengths and columns of every live document; returns the docnum maps
    (old -> new, -1 if deleted), the new per-field lengths and the document count."""
    perdoc = per_document_writer(codec, storage, merged)
    scorable = [name for name, field in schema.items() if field.scorable]
    columns = [(name, field.column_type) for name, field in schema.items() if field.column_type]
    lengths: dict[str, array[int]] = {name: array("I") for name in scorable}
    docmaps: list[array[int]] = []
    new = 0
    for reader in readers:
        data = segment_data(reader)
        length_bytes = {name: data.lengths(reader, name) for name in scorable}
        values = {name: data.column(reader, name) for name, _ in columns}
        docmap = array("i", [-1]) * reader.doc_count_all()
        for docnum, stored in reader.iter_docs():
            docmap[docnum] = new
            perdoc.start_doc(new)
            for name, value in stored.items():
                perdoc.add_field(name, schema[name], value, 0)
            for name in scorable:
                length = byte_to_length(length_bytes[name][docnum])
                lengths[name].append(length)
                perdoc.add_field(name, schema[name], None, length)
            for name, column in columns:
                perdoc.add_column_value(name, column, values[name][docnum])
            perdoc.finish_doc()
            new += 1
        docmaps.append(docmap)
    perdoc.close()
    return docmaps, lengths, new


def _union_terms(
    readers: list[SegmentReader],
) -> Iterator[tuple[str, bytes, list[tuple[int, W3TermInfo]]]]:
    """Every (field, term) of the readers in index order, with the readers holding it and
    their term infos (read in one sequential pass, no hash lookups)."""
    streams = [_tagged(reader, i) for i, reader in enumerate(readers)]
    current: tuple[str, bytes] | None = None
    sources: list[tuple[int, W3TermInfo]] = []
    for fieldname, btext, i, info in heapq.merge(*streams, key=_term_key):
        if (fieldname, btext) != current:
            if current is not None:
                yield current[0], current[1], sources
            current, sources = (fieldname, btext), []
        sources.append((i, info))
    if current is not None:
        yield current[0], current[1], sources


def _term_key(item: tuple[str, bytes, int, W3TermInfo]) -> tuple[str, bytes, int]:
    return item[0], item[1], item[2]


def _tagged(reader: SegmentReader, tag: int) -> Iterator[tuple[str, bytes, int, W3TermInfo]]:
    for (fieldname, btext), info in seam.term_items(reader):
        yield fieldname, btext, tag, info


def _gather(
    readers: list[SegmentReader],
    docmaps: list[array[int]],
    sources: list[tuple[int, W3TermInfo]],
    fieldname: str,
) -> tuple[array[int], array[float], list[bytes]]:
    """One term's postings from every source reader, renumbered, deleted documents dropped."""
    docs = array("I")
    weights = array("f")
    values: list[bytes] = []
    for i, info in sources:
        reader, docmap = readers[i], docmaps[i]
        fmt = reader.schema[fieldname].format
        for ids, block_weights, block_values in seam.blocks_of(reader, info, fmt):
            mapped = [docmap[d] for d in ids]
            if -1 in mapped:
                keep = [j for j, d in enumerate(mapped) if d >= 0]
                mapped = [mapped[j] for j in keep]
                block_weights = [block_weights[j] for j in keep]
                block_values = [block_values[j] for j in keep]
            docs.extend(mapped)
            weights.extend(block_weights)
            values.extend(block_values)
    return docs, weights, values


def _gather_positions(
    readers: list[SegmentReader],
    docmaps: list[array[int]],
    sources: list[tuple[int, W3TermInfo]],
    fieldname: str,
    btext: bytes,
) -> array[int]:
    """One term's positions from every source's tail, in the order _gather gives its
    postings, deleted documents' dropped."""
    out = array("I")
    for i, info in sources:
        reader, docmap = readers[i], docmaps[i]
        found = segment_data(reader).positions(reader, fieldname, btext, info)
        if found is None:
            continue
        docs = _unpacked("I", found.docs)
        counts = _unpacked("B" if found.counts_width == 1 else "I", found.counts)
        positions = _unpacked("H" if found.width == 2 else "I", found.positions)
        if positions.typecode != out.typecode:
            positions = array(out.typecode, positions)
        if min(map(docmap.__getitem__, docs), default=0) >= 0:
            out.extend(positions)
            continue
        at = 0
        for doc, count in zip(docs, counts, strict=True):
            if docmap[doc] >= 0:
                out.extend(positions[at : at + count])
            at += count
    return out


def _unpacked(typecode: str, raw: bytes) -> array[int]:
    """A little-endian array of a tail's numbers."""
    values = array(typecode)
    values.frombytes(raw)
    if sys.byteorder == "big":
        values.byteswap()
    return values
