"""The calling process's side of its index workers' queues (segment_write.build_parallel).

Work goes out on one bounded queue, the batches of documents and, for an import's one worker,
the vectors of papers the worker tokenised; everything the workers say comes back on another,
read in one place (WorkerReplies): "ready", "tokens" (a batch's token ids), "done" with the
segments, or "error". The token runs are held, and summed into vectors when this process
would otherwise wait: while the queue is full, and after the last batch, while the worker
writes its last segment. Their vectors go out without waiting for room: a full queue never
keeps this process from summing the next runs.
"""

from __future__ import annotations

import multiprocessing
import queue
from collections import deque
from collections.abc import Callable
from typing import Any, NoReturn

from whoosh.codec.whoosh3 import W3Segment

from reader.core.index.fields import Document
from reader.core.index.segment_worker import Vectors
from reader.core.vectors import TokenRuns, token_vectors

# How long a wait for room in the full queue lasts before the replies are read again.
ROOM_WAIT_S = 0.01


class WorkersFailed(RuntimeError):
    """A worker failed: the work is void."""


class WorkersDidNotStart(WorkersFailed):
    """The workers could not start, or never said they were ready. `unsent` holds what was
    taken of the documents meanwhile (the batches sent while they started): the caller can
    go on alone with them."""

    def __init__(self, message: str, unsent: list[Document] | None = None) -> None:
        super().__init__(message)
        self.unsent = unsent or []


class WorkerReplies:
    """What the workers say, and the vectors this process owes them for their tokens."""

    def __init__(
        self, tasks: multiprocessing.Queue, results: multiprocessing.Queue, procs: list
    ) -> None:
        self._tasks = tasks
        self._results = results
        self._procs = procs
        self.unready = len(procs)  # workers that have not said they are ready
        self.done = 0
        self.segments: list[W3Segment] = []
        self._held: deque[TokenRuns] = deque()  # token runs not summed yet, oldest first
        self._owed: deque[Vectors] = deque()  # their vectors, not queued yet

    def poll(self) -> None:
        """Take in everything said so far, and queue the vectors owed that fit."""
        while True:
            try:
                kind, value = self._results.get_nowait()
            except queue.Empty:
                break
            self._take(kind, value)
        self._queue_owed()

    def held(self) -> int:
        """Token runs waiting to be summed."""
        return len(self._held)

    def sum_oldest(self) -> None:
        """Sum the oldest token runs held, and queue their vectors (now, if there is room)."""
        self._owed.append(Vectors(*token_vectors(self._held.popleft())))
        self._queue_owed()

    def wait_for_room(self, item: object) -> bool:
        """Queue `item` if room comes soon (after the vectors owed); whether it was."""
        if self._owed:
            self._queue_owed(ROOM_WAIT_S)
            return False
        try:
            self._tasks.put(item, timeout=ROOM_WAIT_S)
        except queue.Full:
            self.check_alive()
            return False
        return True

    def wait(self, until: Callable[[], bool]) -> None:
        """Take in what is said until `until()`, summing the token runs held meanwhile;
        WorkersFailed if a worker stops silent."""
        while True:
            self.poll()
            if until():
                return
            if self._held:
                self.sum_oldest()
                continue
            if self._owed:
                self._queue_owed(ROOM_WAIT_S)
                continue
            try:
                kind, value = self._results.get(timeout=1)
            except queue.Empty:
                procs = self._procs
                if any(proc.exitcode for proc in procs) or not any(p.is_alive() for p in procs):
                    raise WorkersFailed("an index worker stopped without a word") from None
                continue
            self._take(kind, value)

    def check_alive(self) -> None:
        """WorkersFailed if a worker has ended before its work (its queue would never drain)."""
        if any(proc.exitcode is not None for proc in self._procs):
            raise WorkersFailed("an index worker stopped unexpectedly")

    def _queue_owed(self, timeout: float = 0.0) -> None:
        """Queue the vectors owed, oldest first, while there is room (waiting up to `timeout`
        for the first)."""
        while self._owed:
            try:
                self._tasks.put(self._owed[0], block=timeout > 0, timeout=timeout or None)
            except queue.Full:
                self.check_alive()
                return
            self._owed.popleft()
            timeout = 0.0

    def _take(self, kind: str, value: Any) -> None:
        if kind == "ready":
            self.unready -= 1
        elif kind == "tokens":
            self._held.append(value)
        elif kind == "done":
            self.segments += value
            self.done += 1
        else:
            raise WorkersFailed(f"an index worker failed: {value}")


class Starting:
    """The workers until each has said it is ready, and the documents sent to them meanwhile
    (WorkersDidNotStart carries them, for this process to build from)."""

    def __init__(self, replies: WorkerReplies) -> None:
        self._replies = replies
        self._sent: list[Document] = []

    def check(self, batch: list[Document]) -> None:
        """Before `batch` is sent: the workers that said they are ready meanwhile, noted
        without waiting; WorkersDidNotStart if one failed or ended before."""
        replies = self._replies
        if not replies.unready:
            return
        try:
            replies.poll()
            if replies.unready:
                replies.check_alive()
        except WorkersFailed as failed:
            self._failed(str(failed), batch)
        self._sent = self._sent + batch if replies.unready else []

    def wait(self) -> None:
        """Until every worker is ready (all documents sent): WorkersDidNotStart if one is not."""
        replies = self._replies
        try:
            replies.wait(lambda: not replies.unready)
        except WorkersFailed as failed:
            self._failed(str(failed), [])
        self._sent = []

    def _failed(self, why: str, batch: list[Document]) -> NoReturn:
        raise WorkersDidNotStart(why, unsent=self._sent + batch)
