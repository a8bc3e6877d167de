"""LibraryAccess: the app's searches run on one long-lived thread, whichever worker asks."""

from __future__ import annotations

import threading
from collections.abc import Iterator

import pytest

from reader.core.library.facade import Library
from reader.core.paths import DataPaths
from reader.tui.data import LibraryAccess


@pytest.fixture
def data(sample_paths: DataPaths) -> Iterator[LibraryAccess]:
    access = LibraryAccess(sample_paths)
    yield access
    access.close()


def from_threads(count: int, call) -> list[object]:
    """call() from `count` new threads, one after another (as workers would): the results."""
    out: list[object] = []
    for _ in range(count):
        worker = threading.Thread(target=lambda: out.append(call()))
        worker.start()
        worker.join(timeout=30)
    return out


def test_searches_from_many_workers_run_on_one_thread(data: LibraryAccess) -> None:
    seen: list[str] = []  # thread names: unlike idents, never given to another thread

    def wanted() -> bool:  # asked where the search runs, once the library is free
        seen.append(threading.current_thread().name)
        return True

    results = from_threads(3, lambda: data.search_ids("lottery", "relevance", feed=False,
                                                      wanted=wanted))  # fmt: skip
    workers = from_threads(2, lambda: data.searching(lambda _: threading.current_thread().name))
    assert len(seen + workers) == 5 and len(set(seen + workers)) == 1  # one thread ran all
    assert seen[0] != threading.current_thread().name
    ids, result, hidden = results[0]
    expected, _ = data.locked(lambda library: library.search_ids("lottery"))
    assert list(ids) == list(expected) and len(ids) > 1 and hidden == 0
    assert result.query == "lottery"


def test_a_search_that_fails_raises_in_the_worker_that_asked(data: LibraryAccess) -> None:
    def broken(_: Library) -> None:
        raise ValueError("no such sort")

    with pytest.raises(ValueError, match="no such sort"):
        data.searching(broken)
    assert data.searching(lambda library: library.is_empty()) is False  # the thread lives on


def test_after_close_a_search_is_refused_not_left_waiting(sample_paths: DataPaths) -> None:
    access = LibraryAccess(sample_paths)
    access.close()
    with pytest.raises(RuntimeError):
        access.searching(lambda library: library.is_empty())
