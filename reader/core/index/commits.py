"""How a commit is written: the TOC of the next generation, then the files it no longer
lists go; and how documents are deleted (marked in their segments, which the TOC carries)."""

from __future__ import annotations

import shutil
from collections.abc import Callable, Iterable
from pathlib import Path

from whoosh.codec.whoosh3 import W3Segment
from whoosh.filedb.filestore import FileStorage
from whoosh.index import TOC, clean_files
from whoosh.reading import SegmentReader

from reader.core.index.fields import INDEXNAME
from reader.core.index.segment_read import segment_data

# A column being written by Whoosh's per-document writer, which reader used before it wrote
# columns whole (column_files.py): a killed build of an earlier version may have left some.
_COLUMN_TEMP = ".ctmp"


def write_toc(storage: FileStorage, schema: object, segments: list, generation: int) -> None:
    """Commit: the TOC is written to a temp file and renamed (atomic); then unused files go,
    with any scratch folder Whoosh's per-document writer left behind."""
    TOC(schema, segments, generation).write(storage, INDEXNAME)
    clean(storage, segments, generation)


def clean(storage: FileStorage, segments: list, generation: int) -> None:
    """The files no TOC lists go: old segments and TOCs (Whoosh's clean-up), Whoosh's scratch
    folder and its column writers' temp files (a killed worker's)."""
    clean_files(storage, INDEXNAME, generation, segments)
    folder = Path(storage.folder)
    shutil.rmtree(folder / f"{INDEXNAME}.tmp", ignore_errors=True)
    for temp in folder.glob(f"*{_COLUMN_TEMP}"):
        temp.unlink(missing_ok=True)


# Before a segment's documents are deleted: the segment's reader and them (docnum, paper id).
Replaced = Callable[[SegmentReader, list[tuple[int, str]]], None]


def delete_ids(
    storage: FileStorage,
    schema: object,
    segments: list[W3Segment],
    ids: Iterable[str],
    replaced: Replaced | None = None,
) -> int:
    """Mark the documents with these ids deleted in `segments`; returns how many. `replaced`
    sees each segment's documents first (an upsert keeps their vectors): the ids are looked
    up once for both."""
    keys = {i.encode("utf-8") for i in ids}
    deleted = 0
    for segment in segments:
        reader = SegmentReader(storage, schema, segment)
        try:
            held = segment_data(reader).holding_ids(reader, keys)
            live = [(n, key.decode("utf-8")) for n, key in held if not segment.is_deleted(n)]
            if live and replaced is not None:
                replaced(reader, live)
            for docnum, _ in live:
                segment.delete_document(docnum)
            deleted += len(live)
        finally:
            reader.close()
    return deleted


def leftovers(folder: Path, segments: list, names: set[str]) -> bool:
    """Are there segment files no TOC lists, or Whoosh's scratch folder (a killed writer's)?"""
    listed = {segment.segment_id() for segment in segments}
    prefix = f"{INDEXNAME}_"
    segment_files = (name[len(prefix) :] for name in names if name.startswith(prefix))
    if any("." in name and name.split(".", 1)[0] not in listed for name in segment_files):
        return True
    return (folder / f"{INDEXNAME}.tmp").exists() or any(
        name.endswith(_COLUMN_TEMP) for name in names
    )
