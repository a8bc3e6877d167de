"""Which file holds a segment's vectors, and whether every segment has a sound one.

A segment's vectors (reader.core.vectors) are one file beside its postings,
`MAIN_<segment id>.vec`, a row per document in the segment's order: written by the segment's
builder (in the index's worker processes for big writes), carried through merges, and removed
with the segment (Whoosh's clean-up takes every `MAIN_<segment id>.*` file no table of contents
lists). So vectors are exactly as fresh as the index: whatever catches the index up, rebuilds
or repairs it does the same for them. Checking a file reads its header only (no numpy).
"""

from __future__ import annotations

from pathlib import Path

from whoosh.reading import IndexReader

from reader.core.vectors import read_header

VECTORS_EXT = ".vec"


def vector_path(folder: str | Path, segment: object) -> Path:
    """Where a segment's vector file is (`segment` is a Whoosh segment)."""
    return Path(folder) / segment.make_filename(VECTORS_EXT)  # type: ignore[attr-defined]


def check_vector_files(reader: IndexReader, folder: Path) -> None:
    """VectorFileError if a segment's vector file is missing or does not fit the segment."""
    for leaf, _ in reader.leaf_readers():
        segment = leaf.segment()
        if segment is not None and leaf.doc_count_all():
            read_header(vector_path(folder, segment), leaf.doc_count_all())
