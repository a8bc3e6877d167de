"""Index worker processes started, with their queues: what segment_write.build_parallel feeds.

Starting them needs nothing beyond the standard library (heap_trim is ctypes). An import of a
big file into an empty library starts its worker first (reader.core.library.import_workers),
so that the worker loads numpy, Whoosh and the tokenizer while this process loads them and its
parsers, and the streamed index build takes the workers over; any other big write starts them
when it begins.

Workers are spawned, not forked: forking a process with threads (the TUI) can deadlock. A
worker dies with the process that started it (killed with it on Linux, else at its next wait
for work): its segments are void without that process's commit, and the next open removes
them.
"""

from __future__ import annotations

import io
import multiprocessing
import os
import sys
import threading
from contextlib import redirect_stderr
from dataclasses import dataclass, field
from multiprocessing import resource_tracker
from multiprocessing.process import BaseProcess
from pathlib import Path
from typing import Any

from reader.core.heap_trim import hold_freed

# Messages waiting per worker: enough for the calling process to go on parsing and storing
# while a worker writes a full segment (with 8, an import of 100,000 papers waited for room
# at each).
QUEUED = 16


@dataclass(frozen=True)
class StartedWorkers:
    """Worker processes writing segments into `folder`, and their two queues."""

    folder: Path
    procs: list[BaseProcess]
    tasks: multiprocessing.Queue
    results: multiprocessing.Queue
    _reported: threading.Event = field(default_factory=threading.Event)

    def stop(self) -> None:
        """End workers that were never given their work (or failed at it): nothing they wrote
        is listed in a TOC, and the next commit removes it. Those that reported are ending."""
        if not self._reported.is_set():
            _end(self.procs)
        self.tasks.cancel_join_thread()  # else exiting waits to flush batches nobody will read

    def reported(self) -> None:
        """Every worker has reported its segments, and ends by itself: the system takes a
        while to free its memory, which the caller need not wait for (its commit, its
        report). A thread of this process waits for their ends instead."""
        self._reported.set()
        threading.Thread(target=_reap, args=(self.procs,), name="reader-worker-ends").start()


def start_workers(folder: Path, count: int) -> StartedWorkers:
    """Spawn `count` workers for segments in `folder`. With one, it shares an import's
    embedding with this process (segment_worker.py). OSError or ValueError if they cannot
    start (a sandbox, a limit): none is left running then."""
    context = multiprocessing.get_context("spawn")
    procs: list[BaseProcess] = []
    try:
        _tracker_running()
        tasks = context.Queue(maxsize=QUEUED * count)
        results = context.Queue()
        for _ in range(count):
            args = (str(folder), tasks, results, os.getpid(), count == 1)
            procs.append(context.Process(target=_work, args=args))
            procs[-1].start()
    except (OSError, ValueError):
        _end(procs)
        raise
    return StartedWorkers(folder, procs, tasks, results)


def _end(procs: list[BaseProcess]) -> None:
    """End the workers now: any still there is terminated, and its end waited for."""
    for proc in procs:
        if proc.is_alive():
            proc.terminate()
        proc.join(timeout=5)


def _reap(procs: list[BaseProcess]) -> None:
    """Wait a bounded while for workers ending by themselves; any still there is ended."""
    for proc in procs:
        proc.join(timeout=5)
    _end(procs)


def _work(*args: Any) -> None:
    """A worker's life: segment_worker.work(*args), loaded in the worker, so that the process
    that starts it never waits for that module's numpy and Whoosh. The worker does bulk work
    only, from its first import on (heap_trim.hold_freed)."""
    hold_freed()
    from reader.core.index.segment_worker import work

    work(*args)


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
