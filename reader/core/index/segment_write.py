"""Documents into new segments, not yet committed: in this process, or in worker processes for
big writes. The caller (reader.core.index.paper_index) holds the write lock and lists the
segments in a new TOC; until then no reader sees them, and the next commit removes them if it
never comes.

Analysis, embedding and segment writing are pure Python or hold the GIL, so threads would share
one core: for a big write the calling process turns papers into Documents, and each worker
process keeps its own SegmentBuilder, writing segments into the index folder as they fill.
With one worker the calling process embeds the papers too, so that the two share the work
(during an import it also parses and stores); with more, each worker embeds its own, with
its own copy of the model, and the calling process is never the one they wait for.

Workers are spawned, not forked: forking a process with threads (the TUI) can deadlock. A
worker dies with the process that started it (killed with it on Linux, else at its next wait
for work): its segments are void without that process's commit, and the next open removes
them.

Not imported by a search: only a write needs it (and its segment builder's tables).
"""

from __future__ import annotations

import gc
import io
import multiprocessing
import os
import pickle
import queue
import signal
import sys
import zlib
from collections.abc import Callable, Iterable, Iterator
from contextlib import redirect_stderr
from itertools import chain, islice
from multiprocessing import resource_tracker
from pathlib import Path

from whoosh.codec.whoosh3 import W3Segment
from whoosh.fields import Schema
from whoosh.filedb.filestore import FileStorage

from reader.core.gc_pause import BULK_THRESHOLDS
from reader.core.index.fields import Document, build_schema
from reader.core.index.segment_build import SegmentBuilder, scratch_index
from reader.core.vectors import paper_text, paper_vectors


class WorkersFailed(RuntimeError):
    """A worker failed: the work is void."""


class WorkersDidNotStart(WorkersFailed):
    """The workers could not start, or never said they were ready. `unsent` holds what was
    taken of the documents meanwhile (the first batch, made while they started): the caller
    can go on alone with them."""

    def __init__(self, message: str, unsent: list[Document] | None = None) -> None:
        super().__init__(message)
        self.unsent = unsent or []


BATCH = 1000  # documents per message to a worker
# Batches waiting per worker: enough for this process to go on while a worker writes a
# segment (it takes no papers meanwhile); each waits packed (_packed), about 1 MB.
_QUEUED = 8
_PLAIN_BELOW = 2  # a batch with fewer waiting before it is sent uncompressed
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
    them, 0 this process alone (default: one per core, up to two, for `total` of PARALLEL_MIN
    or more, on two cores or more); if workers cannot start, this process builds them
    alone."""
    if workers is None:
        cores = os.cpu_count() or 1
        workers = min(2, cores) if cores > 1 and total >= PARALLEL_MIN else 0
    docs = iter(docs)
    if workers >= 1:
        return _write_parallel(storage, schema, docs, workers, total, progress)
    return _write_alone(storage, schema, docs, total, progress)


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
    embed_here = workers == 1
    context = multiprocessing.get_context("spawn")
    procs: list[multiprocessing.process.BaseProcess] = []
    try:
        _tracker_running()
        tasks = context.Queue(maxsize=_QUEUED * workers)
        results = context.Queue()
        for _ in range(workers):
            procs.append(
                context.Process(target=_work, args=(str(folder), tasks, results, os.getpid()))
            )
            procs[-1].start()
    except (OSError, ValueError) as error:  # no processes here (a sandbox, a limit)
        for proc in procs:
            proc.terminate()
            proc.join(timeout=5)
        raise WorkersDidNotStart(f"index workers could not start: {error}") from error
    docs = iter(docs)

    def next_batch() -> list[Document]:
        batch = list(islice(docs, BATCH))
        return _embedded(batch) if embed_here else batch

    count = 0
    try:
        batch = next_batch()  # made while the workers start (their imports take a while)
        try:
            for _ in procs:
                _result(results, procs, "ready")
        except WorkersFailed as failed:
            raise WorkersDidNotStart(str(failed), unsent=batch) from None
        while batch:
            _put(tasks, _packed(batch, _waiting(tasks)), procs)
            count += len(batch)
            if progress:
                progress(count)
            batch = next_batch()
        for _ in procs:
            _put(tasks, None, procs)
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


def _embedded(batch: list[Document]) -> list[Document]:
    """The batch with every document's vector (those kept from the index stay)."""
    fresh = [doc for doc in batch if doc.vector is None]
    if fresh:
        texts = [paper_text(doc.title, doc.abstract) for doc in fresh]
        for doc, vector in zip(fresh, paper_vectors(texts), strict=True):
            doc.vector = vector
    return batch


def _packed(batch: list[Document], waiting: int) -> bytes:
    """A batch as it waits for a worker: pickled, and compressed when `waiting` batches wait
    before it (a third of its size as objects: its text compresses well), so a queue that
    fills up while a worker writes a segment holds little. A worker that keeps up gets its
    batches plain, and neither process spends time on zlib."""
    pickled = pickle.dumps(batch, protocol=pickle.HIGHEST_PROTOCOL)
    return zlib.compress(pickled, 1) if waiting >= _PLAIN_BELOW else pickled


def _unpacked(packed: bytes) -> list[Document]:
    """A pickle starts with its PROTO opcode (0x80); a zlib stream never does (0x78)."""
    return pickle.loads(packed if packed[:1] == b"\x80" else zlib.decompress(packed))


def _waiting(tasks: multiprocessing.Queue) -> int:
    """Batches waiting in the queue; as many as it holds where the platform cannot count
    them (macOS), so that they wait compressed."""
    try:
        return tasks.qsize()
    except NotImplementedError:
        return _QUEUED


def _put(tasks: multiprocessing.Queue, item: object, procs: list) -> None:
    """Queue work, noticing workers that died (their queue would never drain)."""
    while True:
        try:
            tasks.put(item, timeout=1)
            return
        except queue.Full:
            if any(proc.exitcode is not None for proc in procs):
                raise WorkersFailed("an index worker stopped unexpectedly") from None


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


def _die_with(parent: int) -> None:
    """Have the kernel kill this worker when its parent dies (Linux's PR_SET_PDEATHSIG), and
    stop now if the parent is gone already."""
    if sys.platform.startswith("linux"):
        import ctypes

        pr_set_pdeathsig = 1
        ctypes.CDLL(None, use_errno=True).prctl(pr_set_pdeathsig, signal.SIGKILL)
    if os.getppid() != parent:
        os._exit(1)


def _next_batch(tasks: multiprocessing.Queue, parent: int) -> list[Document] | None:
    """The next batch of work; exits if the parent died meanwhile (where the kernel does not
    see to it)."""
    while True:
        try:
            packed = tasks.get(timeout=1)
            return None if packed is None else _unpacked(packed)
        except queue.Empty:
            if os.getppid() != parent:
                os._exit(1)


def _work(
    folder: str, tasks: multiprocessing.Queue, results: multiprocessing.Queue, parent: int
) -> None:
    _die_with(parent)
    gc.set_threshold(*BULK_THRESHOLDS)  # the process does nothing else (see reader.core.gc_pause)
    try:
        results.put(("ready", []))
        ix = scratch_index(FileStorage(folder), build_schema())
        segments: list[W3Segment] = []
        builder = SegmentBuilder(ix)
        while (batch := _next_batch(tasks, parent)) is not None:
            for doc in batch:
                builder.add(doc)
                if builder.full():
                    segments.append(builder.finish())
                    builder = SegmentBuilder(ix)
        if len(builder):
            segments.append(builder.finish())
        else:
            builder.cancel()
        results.put(("done", segments))
    except Exception as exc:  # reported to the parent, which raises
        results.put(("error", f"{type(exc).__name__}: {exc}"))
