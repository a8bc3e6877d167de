"""A killed index build takes its worker processes with it, and the next open removes the
files they left: kill -9 of `reader import` or `reader index rebuild` once left two workers
and multiprocessing's resource tracker running for good, holding the index's files open."""

from __future__ import annotations

import multiprocessing
import os
import queue
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import numpy as np
from whoosh.filedb.filestore import FileStorage

from reader.core.index import segment_write
from reader.core.index.fields import INDEXNAME, Document, build_schema
from reader.core.index.paper_index import PaperIndex
from reader.core.index.segment_build import SegmentBuilder, scratch_index
from reader.core.index.segment_worker import Vectors
from reader.core.index.worker_replies import WorkerReplies
from reader.core.vectors import TokenRuns

# Builds segments with two workers from documents that never end, printing each batch sent.
BUILD = """
import itertools, sys, time
from pathlib import Path
from reader.core.index.fields import Document
from reader.core.index.segment_write import build_parallel

def docs():
    for i in itertools.count():
        if i % 1000 == 999:
            time.sleep(0.02)
        yield Document(f"2401.{i:05d}", f"Paper {i} on graphs", "Graphs and trees. " * 40,
                       ["Ada Lovelace"], "2024-01-02", [], ["cs.lg"], [], "", False, False)

build_parallel(Path(sys.argv[1]), docs(), 2, lambda n: print(n, flush=True))
"""


def children(pid: int) -> set[int]:
    found: set[int] = set()
    for task in Path(f"/proc/{pid}/task").iterdir():
        found.update(int(c) for c in (task / "children").read_text().split())
    return found


def alive(pid: int) -> bool:
    """Running, not a zombie (a container's first process may never reap an orphan)."""
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


def test_workers_die_with_a_killed_build_and_the_next_open_cleans_up(tmp_path: Path) -> None:
    folder = tmp_path / "index"
    index = PaperIndex(folder)
    index.open()  # an empty index, as an import into an empty library has
    index.close()
    build = subprocess.Popen(
        [sys.executable, "-c", BUILD, str(folder)], stdout=subprocess.PIPE, text=True
    )
    helpers: set[int] = set()
    try:
        assert build.stdout is not None
        for _ in range(20):  # 20,000 documents sent: the workers are writing segments
            assert build.stdout.readline(), "the build ended early"
        helpers = children(build.pid)
        assert len(helpers) >= 2  # two workers (and the resource tracker)
        build.send_signal(signal.SIGKILL)
        build.wait()
        deadline = time.monotonic() + 20
        while any(alive(pid) for pid in helpers) and time.monotonic() < deadline:
            time.sleep(0.05)
        assert [pid for pid in helpers if alive(pid)] == []
    finally:
        if build.poll() is None:
            build.kill()
        for pid in helpers:  # a failing run leaves none behind either
            if alive(pid):
                os.kill(pid, signal.SIGKILL)
    index = PaperIndex(folder)
    index.open()
    assert index.doc_count() == 0
    index.close()
    assert not (folder / f"{INDEXNAME}.tmp").exists()
    assert not list(folder.glob("*.ctmp"))
    assert [p.name for p in folder.iterdir() if p.name.startswith(f"{INDEXNAME}_")] == [
        f"{INDEXNAME}_WRITELOCK"
    ]
    assert os.path.exists(folder / "READER_FORMAT")


# A few documents through write_segments in a fresh Python (multiprocessing's resource tracker
# not yet running); prints how many documents and segments, and how many workers ran while the
# documents after the first batch were taken. "captured" and "slow" build through the workers
# alone (build_parallel: workers that do not start fail the script, no fallback hides it);
# which worker takes which batch is theirs to race for, so one or two segments.
FEW = """
import io, multiprocessing, sys
from pathlib import Path
from whoosh.filedb.filestore import FileStorage
from reader.core.index.fields import Document, build_schema
from reader.core.index.paper_index import PaperIndex
from reader.core.index.segment_worker import Vectors
from reader.core.index.worker_replies import WorkerReplies
from reader.core.index.segment_write import BATCH, build_parallel, write_segments

class Captured(io.StringIO):  # sys.stderr as Textual's app replaces it: no descriptor
    def fileno(self):
        return -1

if sys.argv[2] == "captured":
    sys.stderr = Captured()
if sys.argv[2] == "no-processes":
    multiprocessing.set_executable("/nonexistent/python")
if sys.argv[2] == "dying":  # workers that start and end at once, never ready
    multiprocessing.set_executable("/bin/false")
go = Path(sys.argv[1]).with_name("go")
if sys.argv[2] == "slow":  # workers whose Python starts once the last document is taken
    # (or, should the build wait for them first, never: their shell ends with the build's)
    slow = Path(sys.argv[1]).with_name("slow-python")
    wait = f"while [ ! -e {go} ] && kill -0 $PPID; do sleep 0.01; done"
    lines = ["#!/bin/sh", wait, f'exec {sys.executable} "$@"']
    slow.write_text(chr(10).join(lines) + chr(10))
    slow.chmod(0o755)
    multiprocessing.set_executable(str(slow))
PaperIndex(Path(sys.argv[1])).open()
workers = 0

def docs():
    global workers
    for i in range(BATCH + 300):
        if i >= BATCH:
            workers = max(workers, len(multiprocessing.active_children()))
        yield Document(f"2401.{i:05d}", f"Paper {i} on graphs", "Graphs and trees.", ["Ada"],
                       "2024-01-02", [], ["cs.lg"], [], "", False, False)
    go.touch()

if sys.argv[2] in ("captured", "slow"):
    segments, count = build_parallel(Path(sys.argv[1]), docs(), 2)
else:
    storage = FileStorage(sys.argv[1])
    segments, count = write_segments(storage, build_schema(), docs(), BATCH + 300, None, 2)
print(count, len(segments), workers, file=sys.__stdout__)
"""


def few_documents(tmp_path: Path, how: str) -> list[str]:
    done = subprocess.run(
        [sys.executable, "-c", FEW, str(tmp_path / "index"), how],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    return done.stdout.split()


def test_workers_start_under_an_app_that_captures_its_output(tmp_path: Path) -> None:
    """Textual's stand-in for sys.stderr has no descriptor: starting the workers' resource
    tracker failed with "bad value(s) in fds_to_keep", and no big index could be built in
    the app."""
    count, _, workers = few_documents(tmp_path, "captured")
    assert (count, workers) == ("1300", "2")  # the two workers built it


def test_without_worker_processes_this_process_builds_alone(tmp_path: Path) -> None:
    assert few_documents(tmp_path, "no-processes") == ["1300", "1", "0"]  # built here, alone


def test_workers_that_die_at_start_leave_the_documents_taken_meanwhile_to_this_process(
    tmp_path: Path,
) -> None:
    """Batches are sent while the workers start: if they never say they are ready, this
    process builds alone from them and the rest."""
    assert few_documents(tmp_path, "dying")[:2] == ["1300", "1"]


def test_the_documents_are_taken_and_sent_while_the_workers_start(tmp_path: Path) -> None:
    """The workers cannot start until the last document is taken (their Python waits for a
    file the documents make at their end): the build does not wait for them to be ready
    before it takes the next batch, and they then build every document."""
    count, _, workers = few_documents(tmp_path, "slow")
    assert (count, workers) == ("1300", "2")


class Said:
    """A worker's results queue, holding what it has said (as multiprocessing's reads it)."""

    def __init__(self, *messages: tuple[str, object]) -> None:
        self.messages = list(messages)

    def get_nowait(self) -> tuple[str, object]:
        if not self.messages:
            raise queue.Empty
        return self.messages.pop(0)

    def get(self, timeout: float) -> tuple[str, object]:
        return self.get_nowait()


def test_a_wait_ends_on_what_was_already_said() -> None:
    """The worker's last word, read with what came before it, ends the wait: waiting on for
    another word after a worker that has ended took it for a worker gone silent."""
    said = Said(("done", ["a segment"]))
    tasks = multiprocessing.get_context("spawn").Queue()
    replies = WorkerReplies(tasks, said, [])  # type: ignore[arg-type]
    replies.wait(lambda: replies.done == 1)
    assert replies.segments == ["a segment"]


def test_while_the_queue_is_full_the_tokens_sent_back_are_summed_first() -> None:
    """With one worker, the worker sends each batch's token ids back; when its queue is
    full, this process sums the rows of the tokens that came rather than wait, and their
    vectors go ahead of the next batch."""
    tasks = multiprocessing.get_context("spawn").Queue(maxsize=1)
    tasks.put(["a batch the worker has not taken yet"])
    said = Said(("tokens", TokenRuns(np.array([5, 9, 5], dtype=np.int32), np.array([1, 2]))))
    replies = WorkerReplies(tasks, said, [])  # type: ignore[arg-type]
    taken: list[object] = []

    def worker() -> None:  # takes nothing until this process has taken up the tokens
        deadline = time.monotonic() + 60  # (read and begun to sum: the queue was full)
        while (said.messages or replies.held()) and time.monotonic() < deadline:
            time.sleep(0.01)
        taken.extend(tasks.get(timeout=60) for _ in range(3))

    reading = threading.Thread(target=worker)
    reading.start()
    segment_write._send(tasks, ["the next batch"], replies)
    reading.join(timeout=120)
    assert taken[0] == ["a batch the worker has not taken yet"]
    assert isinstance(taken[1], Vectors) and taken[1].rows.shape == (2, 256)
    assert taken[2] == ["the next batch"]


def graph_papers(count: int) -> list[Document]:
    return [
        Document(f"2401.{i:05d}", f"Paper {i} on graphs", "Graphs and trees.", ["Ada Lovelace"],
                 "2024-01-02", ["daily.txt"], ["cs.lg"], ["todo"], "a note", i % 2 == 0, False)
        for i in range(count)
    ]  # fmt: skip


def test_column_values_are_made_here_only_while_batches_wait_for_the_workers() -> None:
    """In an import this process parses and stores as well, and is most often the slower: a
    worker that keeps up makes its documents' column values itself. Once batches wait for
    the workers, this process makes them."""
    tasks = multiprocessing.get_context("spawn").Queue(maxsize=16)
    try:
        for waiting in range(segment_write._BEHIND + 2):
            columns = segment_write._behind(tasks)
            batch = segment_write._prepared(iter(graph_papers(3)), 3, columns)
            made = [doc.columns is not None for doc in batch]
            assert made == [waiting >= segment_write._BEHIND] * 3
            tasks.put(["a batch no worker takes"])
    finally:
        tasks.cancel_join_thread()


def test_a_segment_is_the_same_whoever_made_its_column_values(tmp_path: Path) -> None:
    def segment_files(folder: Path, made_here: bool) -> dict[str, bytes]:
        folder.mkdir()
        storage = FileStorage(str(folder))
        papers = segment_write._prepared(iter(graph_papers(40)), 40, made_here)
        builder = SegmentBuilder(scratch_index(storage, build_schema()))
        for doc in papers:
            builder.add(doc)
        builder.finish()
        return {name: storage.open_file(name).read() for name in sorted(storage.list())}

    here, there = segment_files(tmp_path / "here", True), segment_files(tmp_path / "there", False)
    assert [name.split(".", 1)[1] for name in here] == [name.split(".", 1)[1] for name in there]
    assert list(here.values()) == list(there.values())
