"""Documents into new segments, not yet committed: in this process, or in worker processes for
big writes. The caller (reader.core.index) holds the write lock and lists the segments in a
new TOC; until then no reader sees them, and the next commit removes them if it never comes.

Not imported by a search: only a write needs it (and its segment builder's tables).
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path

from whoosh.codec.whoosh3 import W3Segment
from whoosh.fields import Schema
from whoosh.filedb.filestore import FileStorage

from reader.core.schema import Document
from reader.core.segments import SegmentBuilder, scratch_index

_PROGRESS_EVERY = 500
# Writes of at least this many papers use worker processes (starting one costs ~0.5 s).
PARALLEL_MIN = 5000


def write_segments(
    storage: FileStorage,
    schema: Schema,
    docs: Iterable[Document],
    total: int,
    progress: Callable[[int, int], None] | None = None,
    workers: int | None = None,
) -> tuple[list[W3Segment], int]:
    """The new segments of `docs` and how many documents they hold. `workers` processes build
    them (default: one per core, up to two, for `total` of PARALLEL_MIN or more); if workers
    cannot start, this process builds them alone."""
    if workers is None:
        workers = min(2, os.cpu_count() or 1) if total >= PARALLEL_MIN else 1
    docs = iter(docs)
    if workers > 1:
        segments, count = _write_parallel(storage, docs, workers, total, progress)
        if segments is not None:
            return segments, count
    return _write_alone(storage, schema, docs, total, progress)


def _write_parallel(
    storage: FileStorage,
    docs: Iterator[Document],
    workers: int,
    total: int,
    progress: Callable[[int, int], None] | None,
) -> tuple[list[W3Segment] | None, int]:
    """Segments built by worker processes, or (None, 0) if they could not start (the caller
    builds alone then: no document was taken from `docs`)."""
    taken = False

    def counted() -> Iterator[Document]:
        nonlocal taken
        for doc in docs:
            taken = True
            yield doc

    # Here, not at the top: multiprocessing is for big writes, never for a search.
    from reader.core.parallel import WorkersFailed, build_parallel

    report = (lambda done: progress(done, total)) if progress else None
    try:
        return build_parallel(Path(storage.folder), counted(), workers, report)
    except WorkersFailed:
        if taken:
            raise
        return None, 0


def _write_alone(
    storage: FileStorage,
    schema: Schema,
    docs: Iterable[Document],
    total: int,
    progress: Callable[[int, int], None] | None,
) -> tuple[list[W3Segment], int]:
    ix = scratch_index(storage, schema)
    count = 0
    segments: list[W3Segment] = []
    builder = SegmentBuilder(ix)
    try:
        for doc in docs:
            builder.add(doc)
            count += 1
            if builder.full():
                segments.append(builder.finish())
                builder = SegmentBuilder(ix)
            if progress and count % _PROGRESS_EVERY == 0:
                progress(count, total)
        if len(builder):
            segments.append(builder.finish())
        else:
            builder.cancel()
    except BaseException:
        builder.cancel()
        raise
    return segments, count
