"""An import of a big file into an empty library starts its index workers before anything
else, and they never outlive the import: taken over by its index build, or stopped."""

from __future__ import annotations

import multiprocessing
import time
from pathlib import Path

import pytest

from reader.core.library import import_workers
from reader.core.library.facade import Library
from reader.core.library.sample import sample_files


def _no_worker_left() -> None:
    """No child process is left, once those that reported have ended by themselves (the
    system frees a worker's memory meanwhile); any other is ended (a worker left waiting for
    work would keep the test process from exiting)."""
    deadline = time.monotonic() + 10
    while (left := multiprocessing.active_children()) and time.monotonic() < deadline:
        left[0].join(timeout=0.1)
    for proc in left:
        proc.terminate()
    assert left == []


def _big(path: Path, text: bytes) -> Path:
    path.write_bytes(text)
    return path


@pytest.fixture
def small_threshold(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(import_workers, "MANY_BYTES", 64)


@pytest.mark.usefixtures("small_threshold")
def test_workers_start_for_a_big_file_into_an_empty_library_only(
    library: Library, tmp_path: Path
) -> None:
    big = _big(tmp_path / "big.jsonl", b"{}\n" * 100)
    small = _big(tmp_path / "small.jsonl", b"{}\n")
    index_dir = tmp_path / "index"
    assert import_workers.early_workers([small], library.store, index_dir) is None
    assert import_workers.early_workers([tmp_path / "missing"], library.store, index_dir) is None
    started = import_workers.early_workers([big], library.store, index_dir)
    assert started is not None and len(started.procs) == import_workers.workers_for_import()
    started.stop()
    library.import_sample()
    assert import_workers.early_workers([big], library.store, index_dir) is None


@pytest.mark.usefixtures("small_threshold")
def test_workers_started_for_an_empty_library_are_stopped_if_not_taken(
    library: Library, tmp_path: Path
) -> None:
    big = _big(tmp_path / "big.jsonl", b"{}\n" * 100)
    workers = import_workers.early_workers([big], library.store, tmp_path / "index")
    assert workers is not None and all(proc.is_alive() for proc in workers.procs)
    workers.stop()
    assert not any(proc.is_alive() for proc in workers.procs)
    workers.stop()  # again: nothing left to do


@pytest.mark.usefixtures("small_threshold")
def test_an_import_that_never_indexes_leaves_no_worker_behind(
    library: Library, tmp_path: Path
) -> None:
    """A big file that is no listing at all (binary): the workers started for it are
    stopped, and the next file is imported as usual."""
    binary = _big(tmp_path / "data.bin", bytes(range(256)) * 40)
    report = library.import_paths([binary, *sample_files()[:1]])
    assert report.rejected[0].source.endswith("data.bin") and report.added > 0
    _no_worker_left()


@pytest.mark.usefixtures("small_threshold")
def test_a_big_file_is_indexed_by_the_workers_started_for_it(
    library: Library, tmp_path: Path
) -> None:
    rows = [
        f'{{"id": "2401.{n:05d}", "title": "Paper {n} on sparse pruning", "abstract": "x {n}"}}'
        for n in range(600)
    ]
    big = _big(tmp_path / "big.jsonl", "\n".join(rows).encode())
    report = library.import_paths([big])
    assert report.added == 600
    assert library.has_index() and library.index.doc_count() == 600
    assert library.search("pruning").total == 600
    _no_worker_left()
