"""Each segment's vectors read, and carried through merges (see vector_files.py for where
they live and why they are as fresh as the index).

Not imported by a word search: only a search by meaning, papers like a paper, For you and
writes need it (and numpy with it).
"""

from __future__ import annotations

import threading
from array import array
from collections import OrderedDict
from collections.abc import Mapping
from pathlib import Path

import numpy as np
from whoosh.reading import IndexReader, SegmentReader

from reader.core.index.fields import Document, digest_differences
from reader.core.index.segment_read import segment_data
from reader.core.index.vector_files import vector_path
from reader.core.vectors import (
    Part,
    VectorFile,
    VectorFileError,
    model_fingerprint,
    shared_model,
    unit,
    write_selected,
)

_CACHED = 64
# A stored vector is its text's if its cosine with the text embedded now is at least this
# (int8 rounding costs about 0.0001).
_SAME_VECTOR = 0.999
_cache: OrderedDict[str, VectorFile] = OrderedDict()
_lock = threading.Lock()


def segment_vectors(reader: SegmentReader) -> VectorFile:
    """A segment's vector file, opened and checked once per segment (segments never change);
    VectorFileError if it is missing or does not fit the segment."""
    segment = reader.segment()
    segid = segment.segment_id()
    with _lock:
        found = _cache.get(segid)
        if found is not None:
            _cache.move_to_end(segid)
            return found
    found = VectorFile.open(vector_path(reader.storage().folder, segment), reader.doc_count_all())
    with _lock:
        _cache[segid] = found
        while len(_cache) > _CACHED:
            _cache.popitem(last=False)
    return found


def vector_parts(reader: IndexReader) -> list[Part]:
    """Every non-empty segment's vectors, with its first global docnum and live documents."""
    parts = []
    for leaf, base in reader.leaf_readers():
        if leaf.segment() is not None and leaf.doc_count_all():
            parts.append(Part(base, segment_vectors(leaf), live_mask(leaf)))
    return parts


def live_mask(leaf: SegmentReader) -> np.ndarray | None:
    """False for a segment's deleted documents (None when it has none)."""
    if not leaf.has_deletions():
        return None
    mask = np.ones(leaf.doc_count_all(), dtype=bool)
    mask[np.fromiter(leaf.segment().deleted_docs(), dtype=np.int64)] = False
    return mask


def merge_vectors(folder: Path, segments: list, docmaps: list[array[int]], merged: object) -> None:
    """The merged segment's vector file: each source segment's rows of live documents, in
    the order the merge numbered them (docmaps: old docnum -> new, -1 if deleted)."""
    parts = []
    for segment, docmap in zip(segments, docmaps, strict=True):
        source = VectorFile.open(vector_path(folder, segment), len(docmap))
        mapped = np.frombuffer(docmap, dtype=np.int32) if len(docmap) else np.zeros(0, np.int32)
        parts.append((source, np.flatnonzero(mapped >= 0)))
    write_selected(vector_path(folder, merged), parts)


def keep_vectors(
    reader: SegmentReader, replaced: list[tuple[int, str]], docs: Mapping[str, Document]
) -> None:
    """A segment's documents about to be replaced (docnum, paper id; commits.delete_ids): each
    whose paper comes again with the same title and abstract (in `docs`, by paper id) gets the
    vector it has there. An edit of tags, a note or the read state re-indexes a paper without
    embedding it again (nor loading the model for it)."""
    digests = segment_data(reader).values(reader, "digest")
    same = {
        docnum: docs[paper_id]
        for docnum, paper_id in replaced
        if not {"title", "abstract"}
        & set(digest_differences(digests[docnum], docs[paper_id].digest()))
    }
    if not same:
        return
    try:
        vectors = segment_vectors(reader)
        if vectors.fingerprint != model_fingerprint():
            return  # written by another model: embedded again
        wanted = np.array(sorted(same))
        rows, codes = vectors.rows(wanted), vectors.codes(wanted)
    except VectorFileError:
        return  # no vector to keep: the paper is embedded again
    for docnum, row, code in zip(wanted.tolist(), rows, codes, strict=True):
        same[docnum].vector = (row.tobytes(), code.tobytes())


def vectors_differ(reader: IndexReader, sample: dict[str, str]) -> list[str]:
    """Live papers whose vectors are wrong: all those in a vector file of another model, and
    those of `sample` (paper id -> text) whose stored vector is not their text's now."""
    fingerprint = model_fingerprint()
    wrong: set[str] = set()
    checked: list[tuple[str, int, SegmentReader]] = []
    for leaf, _ in reader.leaf_readers():
        if leaf.segment() is None or not leaf.doc_count_all():
            continue
        ids = segment_data(leaf).column(leaf, "id")
        live = [d for d in range(len(ids)) if not leaf.is_deleted(d)]
        if segment_vectors(leaf).fingerprint != fingerprint:
            wrong.update(ids[d].decode("utf-8") for d in live)
            continue
        checked += [(ids[d].decode("utf-8"), d, leaf) for d in live if ids[d].decode() in sample]
    if checked:
        fresh = unit(shared_model().embed([sample[pid] for pid, _, _ in checked]))
        for (paper_id, docnum, leaf), vector in zip(checked, fresh, strict=True):
            stored = unit(segment_vectors(leaf).rows(np.array([docnum]))[0])
            if float(stored @ vector) < _SAME_VECTOR:
                wrong.add(paper_id)
    return sorted(wrong)
