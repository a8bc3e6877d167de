"""Documents into new segments, not yet committed: in this process, or in worker processes for
big writes. The caller (reader.core.index.paper_index) holds the write lock and lists the
segments in a new TOC; until then no reader sees them, and the next commit removes them if it
never comes.

Analysis, embedding and segment writing are pure Python or hold the GIL, so threads would share
one core: for a big write the calling process turns papers into Documents, and each worker
process keeps its own SegmentBuilder, writing segments into the index folder as they fill
(segment_worker.py). With one worker the two share the embedding (during an import the calling
process also parses and stores): the worker looks each chunk of a paper's title and abstract
up once, for its analysis and its token ids (paper_chunks.py), and sends the token ids back;
the calling process holds them and sums their rows into vectors (it has the model's table,
the worker its tokenizer) while the worker's queue is full and while the worker writes its
last segment, and sends the vectors after (worker_replies.py). With more workers, each embeds
its own, with its own copy of the model, and the calling process is never the one they wait
for.

The workers and their queues are started by worker_start.py: by the caller, or here.

Not imported by a search: only a write needs it (and its segment builder's tables).
"""

from __future__ import annotations

import multiprocessing
import os
import queue
from collections.abc import Callable, Iterable, Iterator
from itertools import chain, islice
from pathlib import Path

from whoosh.codec.whoosh3 import W3Segment
from whoosh.fields import Schema
from whoosh.filedb.filestore import FileStorage

from reader.core.heap_trim import give_back
from reader.core.index.fields import Document
from reader.core.index.segment_build import SegmentBuilder, column_values, scratch_index
from reader.core.index.worker_replies import (
    Starting,
    WorkerReplies,
    WorkersDidNotStart,
)
from reader.core.index.worker_start import StartedWorkers, start_workers

BATCH = 1000  # documents per message to a worker
FIRST_BATCH = 250  # the first message's: a worker starts on it while the next is made
# Token runs (a batch's token ids each, about 0.5 KB a paper) held before this process sums
# them: while it has papers to send it sums only when the queue is full, so that the worker
# is never kept waiting, and the rest while the worker writes its last segment.
_HELD_TOKENS = 10
_PROGRESS_EVERY = 500
# Batches waiting in the queue from which the workers are the slower (an import sends two at a
# time: a store transaction holds two batches of papers).
_BEHIND = 3
# Batches between two trims of the heap (reader.core.heap_trim): each costs the page faults of
# the memory handed back, soon taken again.
_TRIM_EVERY = 8
# Writes of at least this many papers use worker processes (starting one costs ~0.5 s).
PARALLEL_MIN = 5000


def write_segments(
    storage: FileStorage,
    schema: Schema,
    docs: Iterable[Document],
    total: int,
    progress: Callable[[int, int], None] | None = None,
    workers: int | StartedWorkers | None = None,
) -> tuple[list[W3Segment], int]:
    """The new segments of `docs` and how many documents they hold. `workers` processes build
    them (or those started already), 0 this process alone (default: workers_for(total)); if
    workers cannot start, this process builds them alone."""
    if workers is None:
        workers = workers_for(total)
    docs = iter(docs)
    if isinstance(workers, StartedWorkers) or workers >= 1:
        return _write_parallel(storage, schema, docs, workers, total, progress)
    return _write_alone(storage, schema, docs, total, progress)


def workers_for(total: int, most: int = 2) -> int:
    """Worker processes for a write of `total` documents: one per core, up to `most`, for
    PARALLEL_MIN or more on two cores or more; else none. With one, this process sums the
    rows of the tokens the worker sends back (see build_parallel)."""
    cores = os.cpu_count() or 1
    return min(most, cores) if cores > 1 and total >= PARALLEL_MIN else 0


def _write_parallel(
    storage: FileStorage,
    schema: Schema,
    docs: Iterator[Document],
    workers: int | StartedWorkers,
    total: int,
    progress: Callable[[int, int], None] | None,
) -> tuple[list[W3Segment], int]:
    """Segments built by worker processes; if they could not start, by this process alone,
    from the documents taken meanwhile on."""
    report = (lambda done: progress(done, total)) if progress else None
    try:
        return build_parallel(Path(storage.folder), docs, workers, report)
    except WorkersDidNotStart as failed:
        return _write_alone(storage, schema, chain(failed.unsent, docs), total, progress)


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
    return segments, count


def build_parallel(
    folder: Path,
    docs: Iterable[Document],
    workers: int | StartedWorkers,
    progress: Callable[[int], None] | None = None,
) -> tuple[list[W3Segment], int]:
    """Write segments of `docs` into `folder` with `workers` processes, or those started for
    it (which embed the papers, but for one worker: then this process sums their token
    rows); returns the segments (not yet committed) and the document count.
    WorkersDidNotStart holds the documents taken from `docs` before the workers were found
    not to start."""
    if isinstance(workers, StartedWorkers):
        started = workers
        assert started.folder == folder, "workers write where they were started for"
    else:
        try:
            started = start_workers(folder, workers)
        except (OSError, ValueError) as error:  # no processes here (a sandbox, a limit)
            raise WorkersDidNotStart(f"index workers could not start: {error}") from error
    procs, tasks, results = started.procs, started.tasks, started.results
    docs = iter(docs)
    count = 0
    replies = WorkerReplies(tasks, results, procs)
    # Batches are sent while the workers start (their imports take a while), and kept until
    # every worker has said it is ready: if one never does, this process builds from them.
    starting = Starting(replies)
    try:
        batch, sent = _prepared(docs, FIRST_BATCH), 0
        while batch:
            starting.check(batch)
            _send(tasks, batch, replies)
            count, sent = count + len(batch), sent + 1
            if progress:
                progress(count)
            if sent % _TRIM_EVERY == 0:
                give_back()  # what the batches freed, back to the system
            batch = _prepared(docs, columns=_behind(tasks))
        starting.wait()
        for _ in procs:  # no more papers: a worker writes its last segment now
            _send(tasks, None, replies)
        replies.wait(lambda: replies.done == len(procs))
    except BaseException:  # ctrl+c, or the papers' source failed: the work is void, stop now
        started.stop()
        raise
    started.reported()  # they end by themselves
    return replies.segments, count


def _prepared(docs: Iterator[Document], size: int = BATCH, columns: bool = False) -> list[Document]:
    """The next batch (of `size`); with `columns`, its documents' column values are made here
    (else by the worker that takes it, and the batch is smaller to send)."""
    batch = list(islice(docs, size))
    if columns:
        for doc in batch:
            doc.columns = column_values(doc)
    return batch


def _behind(tasks: multiprocessing.Queue) -> bool:
    """Are the workers behind, batches waiting for them? Then this process makes the next
    batch's column values (in an import it parses and stores too, and is most often the
    slower)."""
    try:
        return tasks.qsize() >= _BEHIND
    except NotImplementedError:  # macOS cannot count a queue
        return tasks.full()


def _send(tasks: multiprocessing.Queue, item: object, replies: WorkerReplies) -> None:
    """Queue a batch (or the end). This process holds the token runs that came back, up to
    _HELD_TOKENS, and sums them while the queue is full rather than waits."""
    replies.poll()
    while replies.held() > _HELD_TOKENS:
        replies.sum_oldest()
    while True:
        try:
            tasks.put(item, block=False)
            return
        except queue.Full:
            replies.check_alive()
        replies.poll()
        if replies.held():
            replies.sum_oldest()
        elif replies.wait_for_room(item):
            return
