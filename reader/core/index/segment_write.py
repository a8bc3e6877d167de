"""Documents into new segments, not yet committed: in this process, or in worker processes for
big writes. The caller (reader.core.index.paper_index) holds the write lock and lists the
segments in a new TOC; until then no reader sees them, and the next commit removes them if it
never comes.

Analysis, embedding and segment writing are pure Python or hold the GIL, so threads would share
one core: for a big write the calling process turns papers into Documents, and each worker
process keeps its own SegmentBuilder, writing segments into the index folder as they fill
(segment_worker.py). With one worker the calling process embeds the papers too, so that the
two share the work (during an import it also parses and stores): it sends each batch first
and its vectors later, so that it embeds while the worker has work, and the last papers while
the worker writes the last segment. With more, each worker embeds its own, with its own copy
of the model, and the calling process is never the one they wait for.

Workers are spawned, not forked: forking a process with threads (the TUI) can deadlock. A
worker dies with the process that started it (killed with it on Linux, else at its next wait
for work): its segments are void without that process's commit, and the next open removes
them.

Not imported by a search: only a write needs it (and its segment builder's tables).
"""

from __future__ import annotations

import io
import multiprocessing
import os
import queue
import sys
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from contextlib import redirect_stderr
from itertools import chain, islice
from multiprocessing import resource_tracker
from pathlib import Path
from typing import NoReturn

from whoosh.codec.whoosh3 import W3Segment
from whoosh.fields import Schema
from whoosh.filedb.filestore import FileStorage

from reader.core.heap_trim import give_back
from reader.core.index.fields import Document
from reader.core.index.segment_build import SegmentBuilder, scratch_index
from reader.core.index.segment_worker import Vectors, work
from reader.core.vectors import paper_text, paper_vectors


class WorkersFailed(RuntimeError):
    """A worker failed: the work is void."""


class WorkersDidNotStart(WorkersFailed):
    """The workers could not start, or never said they were ready. `unsent` holds what was
    taken of the documents meanwhile (the batches sent while they started): the caller can
    go on alone with them."""

    def __init__(self, message: str, unsent: list[Document] | None = None) -> None:
        super().__init__(message)
        self.unsent = unsent or []


BATCH = 1000  # documents per message to a worker
# Batches waiting per worker: enough for it to go on while this process embeds (with one
# worker) or takes the next batch.
_QUEUED = 8
# Batches sent to the one worker before their papers are embedded (their texts held here):
# about what this process embeds while the worker writes a segment. That pays at the end of
# a small import, whose last papers are embedded while the worker writes their segment; a
# big one was slower for it, so after its first _LAGGING papers each is embedded at once.
_LAG = 8
_LAGGING = 20 * BATCH
_PROGRESS_EVERY = 500
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
    workers: int | None = None,
) -> tuple[list[W3Segment], int]:
    """The new segments of `docs` and how many documents they hold. `workers` processes build
    them, 0 this process alone (default: workers_for(total)); if workers cannot start, this
    process builds them alone."""
    if workers is None:
        workers = workers_for(total)
    docs = iter(docs)
    if workers >= 1:
        return _write_parallel(storage, schema, docs, workers, total, progress)
    return _write_alone(storage, schema, docs, total, progress)


def workers_for(total: int, most: int = 2) -> int:
    """Worker processes for a write of `total` documents: one per core, up to `most`, for
    PARALLEL_MIN or more on two cores or more; else none. With one, this process embeds the
    papers while the worker indexes them (see build_parallel)."""
    cores = os.cpu_count() or 1
    return min(most, cores) if cores > 1 and total >= PARALLEL_MIN else 0


def _write_parallel(
    storage: FileStorage,
    schema: Schema,
    docs: Iterator[Document],
    workers: int,
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
    workers: int,
    progress: Callable[[int], None] | None = None,
) -> tuple[list[W3Segment], int]:
    """Write segments of `docs` into `folder` with `workers` processes (which embed the
    papers, but for one worker: then this process does); returns the segments (not yet
    committed) and the document count. WorkersDidNotStart holds the documents taken from
    `docs` before the workers were found not to start."""
    vectors_later = workers == 1
    context = multiprocessing.get_context("spawn")
    procs: list[multiprocessing.process.BaseProcess] = []
    try:
        _tracker_running()
        tasks = context.Queue(maxsize=_QUEUED * workers)
        results = context.Queue()
        for _ in range(workers):
            args = (str(folder), tasks, results, os.getpid(), vectors_later)
            procs.append(context.Process(target=work, args=args))
            procs[-1].start()
    except (OSError, ValueError) as error:  # no processes here (a sandbox, a limit)
        for proc in procs:
            proc.terminate()
            proc.join(timeout=5)
        raise WorkersDidNotStart(f"index workers could not start: {error}") from error
    docs = iter(docs)
    # (title, abstract) of the papers of the batches sent without their vectors, oldest
    # first: the documents' own strings, so a batch still waiting in the queue costs no more.
    lagging: deque[list[tuple[str, str]]] = deque()
    count = 0
    # Batches are sent while the workers start (their imports take a while), and kept until
    # every worker has said it is ready: if one never does, this process builds from them.
    starting = _Starting(results, procs)
    try:
        batch = list(islice(docs, BATCH))
        while batch:
            starting.check(batch)
            _send(tasks, batch, procs, lagging)
            if vectors_later:
                fresh = [(doc.title, doc.abstract) for doc in batch if doc.vector is None]
                if fresh:
                    lagging.append(fresh)
                while len(lagging) > (_LAG if count < _LAGGING else 0):
                    _put_oldest_vectors(tasks, lagging, procs)
            count += len(batch)
            if progress:
                progress(count)
            if count % (_TRIM_EVERY * BATCH) == 0:
                give_back()  # what the batches freed, back to the system
            batch = list(islice(docs, BATCH))
        starting.wait()
        for _ in procs:  # no more papers: a worker writes its last segment now
            _put(tasks, None, procs)
        while lagging:  # embedded meanwhile
            _put_oldest_vectors(tasks, lagging, procs)
        segments: list[W3Segment] = []
        for _ in procs:
            segments += _result(results, procs, "done")
        return segments, count
    except BaseException:  # ctrl+c, or the papers' source failed: the work is void, stop now
        for proc in procs:
            proc.terminate()
        tasks.cancel_join_thread()  # else exiting waits to flush batches nobody will read
        raise
    finally:
        for proc in procs:
            proc.join(timeout=5)
            if proc.is_alive():
                proc.terminate()


def _tracker_running() -> None:
    """Start multiprocessing's resource tracker, which spawned workers' queues need, if it is
    not running. It is handed sys.stderr's file descriptor, and under an app that captures its
    output (Textual does, with a stand-in whose descriptor is -1) the spawn failed with "bad
    value(s) in fds_to_keep": then it is started with a stand-in that has none, and inherits
    the process's own standard error like any child."""
    try:
        usable = sys.stderr.fileno() >= 0
    except (AttributeError, OSError, ValueError):
        usable = True  # no descriptor at all: the tracker leaves it out itself
    if usable:
        resource_tracker.ensure_running()
        return
    with redirect_stderr(io.StringIO()) as held:  # another thread's writes meanwhile kept
        resource_tracker.ensure_running()
    if said := held.getvalue():
        sys.stderr.write(said)


def _put_oldest_vectors(
    tasks: multiprocessing.Queue, lagging: deque[list[tuple[str, str]]], procs: list
) -> None:
    """Embed the oldest batch sent without its vectors, and queue them for the worker."""
    papers = lagging.popleft()
    texts = [paper_text(title, abstract) for title, abstract in papers]
    _put(tasks, Vectors(*paper_vectors(texts)), procs)


def _put(tasks: multiprocessing.Queue, item: object, procs: list) -> None:
    """Queue work, noticing workers that died (their queue would never drain)."""
    while True:
        try:
            tasks.put(item, timeout=1)
            return
        except queue.Full:
            if any(proc.exitcode is not None for proc in procs):
                raise WorkersFailed("an index worker stopped unexpectedly") from None


def _send(
    tasks: multiprocessing.Queue,
    batch: list[Document],
    procs: list,
    lagging: deque[list[tuple[str, str]]],
) -> None:
    """Queue a batch. While the queue is full, the oldest batch sent without its vectors is
    embedded and they are queued: this process embeds rather than waits."""
    while lagging:
        try:
            tasks.put(batch, block=False)
            return
        except queue.Full:
            _put_oldest_vectors(tasks, lagging, procs)
    _put(tasks, batch, procs)


class _Starting:
    """The workers until each has said it is ready, and the documents sent to them meanwhile
    (WorkersDidNotStart carries them, for this process to build from)."""

    def __init__(self, results: multiprocessing.Queue, procs: list) -> None:
        self._results = results
        self._procs = procs
        self._waiting = len(procs)  # workers not ready yet
        self._sent: list[Document] = []

    def check(self, batch: list[Document]) -> None:
        """Before `batch` is sent: the workers that said they are ready meanwhile, noted
        without waiting; WorkersDidNotStart if one failed or ended before."""
        while self._waiting:
            try:
                kind, value = self._results.get_nowait()
            except queue.Empty:
                if any(proc.exitcode is not None for proc in self._procs):
                    self._failed("an index worker stopped before it was ready", batch)
                self._sent += batch
                return
            if kind != "ready":
                self._failed(f"an index worker failed: {value}", batch)
            self._waiting -= 1
        self._sent = []

    def wait(self) -> None:
        """Until every worker is ready (all documents sent): WorkersDidNotStart if one is not."""
        try:
            for _ in range(self._waiting):
                _result(self._results, self._procs, "ready")
        except WorkersFailed as failed:
            self._failed(str(failed), [])
        self._waiting, self._sent = 0, []

    def _failed(self, why: str, batch: list[Document]) -> NoReturn:
        raise WorkersDidNotStart(why, unsent=self._sent + batch)


def _result(results: multiprocessing.Queue, procs: list, wanted: str) -> list[W3Segment]:
    """The next message of kind `wanted` from a worker; WorkersFailed if one failed."""
    while True:
        try:
            kind, value = results.get(timeout=1)
        except queue.Empty:
            if any(proc.exitcode for proc in procs) or not any(p.is_alive() for p in procs):
                raise WorkersFailed("an index worker stopped without a word") from None
            continue
        if kind == "error":
            raise WorkersFailed(f"an index worker failed: {value}")
        assert kind == wanted, (kind, wanted)
        return value
