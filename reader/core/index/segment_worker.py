"""An index worker process: batches of documents in, segments written into the index folder.

worker_start.py starts the workers and segment_write.build_parallel feeds them through a
queue. The one worker of an import shares the embedding with the importing process: it
tokenises each paper's title and abstract, which it splits for its own analysis anyway, and
sends the token ids back; the importing process sums their rows (it holds the model's table,
the worker its tokenizer) and sends the vectors, in a message of their own. A segment
written before its vectors came waits for them to write its vector file; the work is done
only once every vector has come.
"""

from __future__ import annotations

import gc
import multiprocessing
import os
import queue
import signal
import sys
from collections import deque
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import NamedTuple

import numpy as np
from whoosh.codec.whoosh3 import W3Segment
from whoosh.filedb.filestore import FileStorage
from whoosh.index import FileIndex

from reader.core.gc_pause import BULK_THRESHOLDS
from reader.core.heap_trim import give_back
from reader.core.index.fields import Document, build_schema
from reader.core.index.segment_build import SegmentBuilder, scratch_index
from reader.core.vectors import TokenRuns, VectorWriter, preload


class Vectors(NamedTuple):
    """The vectors of the next papers that were sent without one, in their order."""

    rows: np.ndarray  # int8, one row a paper
    codes: np.ndarray  # uint8, the sign-bit codes


Message = list[Document] | Vectors

# A worker writes its first segment when it holds this share of a full one. The last segment
# is written after the last batch, while the importing process waits: an import of 12,000 to
# 24,000 papers (half a segment to a whole one) then writes its first 12,000 before, and a
# bigger import has one segment more.
FIRST_SHARE = 1 / 2


def build(
    ix: FileIndex,
    messages: Iterator[Message | None],
    vectors_later: bool,
    send_tokens: Callable[[TokenRuns], None] | None = None,
) -> list[W3Segment]:
    """The segments of the documents in `messages` (until None), each written when it fills
    (the first at FIRST_SHARE of a full one).
    With `vectors_later`, the token ids of each document without a vector go to
    `send_tokens`, after each message, and its vector comes back in a Vectors message: they
    may come after None too, while the last segment is written."""
    segments: list[W3Segment] = []
    waiting: deque[tuple[VectorWriter, Path]] = deque()  # written segments, but for vectors
    builder = SegmentBuilder(ix, vectors_later)
    while (message := next(messages, None)) is not None:
        if isinstance(message, Vectors):
            _supply(message, waiting, builder.vectors)
            continue
        for doc in message:
            builder.add(doc)
            if builder.full(1.0 if segments else FIRST_SHARE):
                segments.append(_written(builder, waiting))
                _hand_out(builder.vectors, send_tokens)
                builder = SegmentBuilder(ix, vectors_later)
                give_back()  # what the last segment held, back to the system
        _hand_out(builder.vectors, send_tokens)
    if len(builder):
        segments.append(_written(builder, waiting))
        _hand_out(builder.vectors, send_tokens)
    while waiting:
        message = next(messages, None)
        if not isinstance(message, Vectors):
            raise ValueError("a segment's vectors never came")
        _supply(message, waiting, None)
    return segments


def _hand_out(vectors: VectorWriter, send_tokens: Callable[[TokenRuns], None] | None) -> None:
    """A writer's token runs not handed out yet, oldest first, to whoever sums them."""
    if send_tokens is not None:
        for runs in vectors.take_tokens():
            send_tokens(runs.narrowed())


def _written(builder: SegmentBuilder, waiting: deque[tuple[VectorWriter, Path]]) -> W3Segment:
    """The builder's segment, written; its vector file waits if vectors are missing."""
    segment = builder.finish()
    if builder.vectors.missing:
        waiting.append((builder.vectors, builder.vector_file))
    return segment


def _supply(
    vectors: Vectors, waiting: deque[tuple[VectorWriter, Path]], building: VectorWriter | None
) -> None:
    """Vectors to the oldest segments first, each written once it has them all, then to the
    segment being built."""
    rows, codes = vectors
    while waiting and len(rows):
        writer, path = waiting[0]
        taken = writer.supply(rows, codes)
        rows, codes = rows[taken:], codes[taken:]
        if not writer.missing:
            writer.write(path)
            waiting.popleft()
    if len(rows) and (building is None or building.supply(rows, codes) < len(rows)):
        raise ValueError("more vectors came than documents without one")


def work(
    folder: str,
    tasks: multiprocessing.Queue,
    results: multiprocessing.Queue,
    parent: int,
    vectors_later: bool,
) -> None:
    """A worker process's life: say it is ready, build segments from the messages, report
    them (or the error), and end at once."""
    _die_with(parent)
    gc.set_threshold(*BULK_THRESHOLDS)  # the process does nothing else (see reader.core.gc_pause)
    # The tokenizer encodes on this thread: its own thread pool would take the core of the
    # process that feeds this one, and each of its threads kept a heap of its own.
    os.environ["TOKENIZERS_PARALLELISM"] = "false"
    preload()  # the tokenizer loads while the first batch comes
    try:
        results.put(("ready", []))
        ix = scratch_index(FileStorage(folder), build_schema())
        send = (lambda runs: results.put(("tokens", runs))) if vectors_later else None
        segments = build(ix, _messages(tasks, parent), vectors_later, send)
        results.put(("done", segments))
    except Exception as exc:  # reported to the parent, which raises
        results.put(("error", f"{type(exc).__name__}: {exc}"))
    # Its files are written and closed: once its last word is out, nothing is left to tear
    # down that the system does not free. The parent waits for this end before it writes the
    # TOC, and the interpreter's own ending took longer than that write.
    results.close()
    results.join_thread()
    os._exit(0)


def _die_with(parent: int) -> None:
    """Have the kernel kill this worker when its parent dies (Linux's PR_SET_PDEATHSIG), and
    stop now if the parent is gone already."""
    if sys.platform.startswith("linux"):
        import ctypes

        pr_set_pdeathsig = 1
        ctypes.CDLL(None, use_errno=True).prctl(pr_set_pdeathsig, signal.SIGKILL)
    if os.getppid() != parent:
        os._exit(1)


def _messages(tasks: multiprocessing.Queue, parent: int) -> Iterator[Message | None]:
    """The messages as they come (None: no more documents); exits if the parent died
    meanwhile (where the kernel does not see to it)."""
    while True:
        try:
            message = tasks.get(timeout=1)
        except queue.Empty:
            if os.getppid() != parent:
                os._exit(1)
            continue
        yield message
