"""Merge index segments by copying whole posting lists, and decide when to merge.

Every upsert adds a segment; left alone, hundreds of small segments would slow every query.
Whoosh's own merge re-adds postings one at a time (about 20 us each: minutes for 100k papers),
and the abstract is not stored, so documents cannot simply be re-indexed from the index.
This merger reads each term's postings as arrays (one read per segment holding it), renumbers
their documents and writes them back as the segment builder does
(reader.core.index.segment_build).
"""

from __future__ import annotations

import heapq
import math
from array import array
from collections import defaultdict
from collections.abc import Iterator

import numpy as np
from whoosh.codec.whoosh3 import W3Codec, W3Segment, W3TermInfo
from whoosh.fields import Schema
from whoosh.filedb.filestore import Storage
from whoosh.index import FileIndex
from whoosh.reading import SegmentReader

from reader.core.index import whoosh_seam as seam
from reader.core.index.column_files import STORED, ColumnFile, quantised, write_columns
from reader.core.index.fields import NAME_FIELDS, STEMMED_FIELDS
from reader.core.index.postings import (
    WORDS,
    TermWriter,
    read_vocabulary,
    sums_of,
    write_vocabulary,
)
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
        docmaps, lengths, count = _copy_documents(storage, schema, merged, readers)
        writer = codec.field_writer(storage, merged)
        terms = TermWriter(writer)
        last_field = None
        vocab: dict[str, list[str]] = defaultdict(list)
        for fieldname, btext, sources in _union_terms(readers):
            if fieldname != last_field:
                if last_field is not None:
                    terms.finish_field()
                terms.start_field(fieldname, schema[fieldname])
                last_field = fieldname
            docs, freqs, positions = _gather(readers, docmaps, sources)
            if not docs:
                continue
            boost = schema[fieldname].format.field_boost
            sums = sums_of(docs, freqs, lengths.get(fieldname))
            terms.add(btext, docs, freqs, boost, sums, positions)
            if fieldname in _VOCAB_FIELDS:
                vocab[fieldname].append(btext.decode("utf-8"))
        if last_field is not None:
            terms.finish_field()
        seam.close_field_writer(writer)
        out = {name: vocab.get(name, []) for name in _VOCAB_FIELDS}
        words: set[str] = set()
        for segment in segments:
            words.update((read_vocabulary(storage, segment, (WORDS,)) or {}).get(WORDS, []))
        out[WORDS] = sorted(words)
        write_vocabulary(storage, merged, out)
        merge_vectors(storage.folder, segments, docmaps, merged)
    finally:
        for reader in readers:
            reader.close()
    merged.set_doc_count(count)
    return merged


def _copy_documents(
    storage: Storage, schema: Schema, merged: W3Segment, readers: list[SegmentReader]
) -> tuple[list[array[int]], dict[str, array[int]], int]:
    """Stored fields, lengths and columns of every live document, copied as they are (the
    stored fields still compressed); returns the docnum maps (old -> new, -1 if deleted),
    the new per-field lengths and the document count."""
    scorable = [name for name, field in schema.items() if field.scorable]
    names = [name for name, field in schema.items() if field.column_type]
    lengths: dict[str, list[np.ndarray]] = {name: [] for name in scorable}
    columns = {name: ColumnFile(storage, merged, name) for name in (STORED, *names)}
    docmaps: list[array[int]] = []
    new = 0
    for reader in readers:
        data = segment_data(reader)
        live = np.fromiter(reader.all_doc_ids(), dtype=np.int64)
        docmap = np.full(reader.doc_count_all(), -1, dtype=np.int32)
        docmap[live] = np.arange(new, new + len(live), dtype=np.int32)
        docmaps.append(array("i", docmap.tobytes()))
        new += len(live)
        for name in scorable:
            lengths[name].append(quantised(data.lengths(reader, name))[live])
        picked = live.tolist()
        for name in (STORED, *names):
            values = seam.stored_values(reader) if name == STORED else data.column(reader, name)
            add = columns[name].add
            for docnum in picked:
                add(values[docnum])
    joined = {name: np.concatenate(parts) for name, parts in lengths.items()}
    write_columns(storage, merged, new, joined, columns.values())
    return docmaps, {name: array("I", counts.tolist()) for name, counts in joined.items()}, new


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
) -> tuple[array[int], list[int], array[int] | None]:
    """One term's postings from every source, renumbered, deleted documents dropped: the
    documents, how often the term occurs in each, and every posting's positions (None for a
    field without positions)."""
    docs: list[np.ndarray] = []
    counts: list[np.ndarray] = []
    positions: list[np.ndarray] = []
    positional = False
    for i, info in sources:
        reader = readers[i]
        term = segment_data(reader).whole(reader, info)
        held = np.frombuffer(term.docs, dtype="<u4")
        mapped = np.frombuffer(docmaps[i], dtype=np.intc)[held]
        times = np.frombuffer(term.counts, dtype="u1" if term.counts_width == 1 else "<u4")
        poses = np.frombuffer(term.positions, dtype="<u2" if term.width == 2 else "<u4")
        positional = positional or term.width > 0
        live = mapped >= 0
        if not live.all():
            if term.width:
                poses = poses[np.repeat(live, times)]
            mapped, times = mapped[live], times[live]
        docs.append(mapped)
        counts.append(times)
        positions.append(poses)
    return (
        _native(np.concatenate(docs)),
        np.concatenate(counts).astype(np.int64).tolist(),
        _native(np.concatenate(positions)) if positional else None,
    )


def _native(values: np.ndarray) -> array[int]:
    """A uint32 array as a Python array (what the term writer takes)."""
    out = array("I")
    out.frombytes(values.astype(np.uint32, copy=False).tobytes())
    return out
