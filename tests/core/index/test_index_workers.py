"""A killed index build takes its worker processes with it, and the next open removes the
files they left: kill -9 of `reader import` or `reader index rebuild` once left two workers
and multiprocessing's resource tracker running for good, holding the index's files open."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from reader.core.index.fields import INDEXNAME
from reader.core.index.paper_index import PaperIndex

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
    assert list(folder.glob("*.ctmp")) or (folder / f"{INDEXNAME}.tmp").exists()  # left
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
