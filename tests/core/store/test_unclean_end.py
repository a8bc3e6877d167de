"""Unclean ends are told apart from live neighbours, with real processes holding the marks."""

from __future__ import annotations

from collections.abc import Callable
from contextlib import AbstractContextManager
from pathlib import Path

from reader.core.store.unclean_end import OpenMark

Elsewhere = Callable[[Path], AbstractContextManager[object]]


def test_a_live_process_is_not_an_unclean_end(data_dir: Path, reader_elsewhere: Elsewhere) -> None:
    with reader_elsewhere(data_dir):
        mark = OpenMark(data_dir)
        assert not mark.unclean
        mark.release()


def test_a_killed_process_is_an_unclean_end_told_once(
    data_dir: Path, reader_elsewhere: Elsewhere
) -> None:
    with reader_elsewhere(data_dir):
        pass  # killed with the library open
    first = OpenMark(data_dir)
    assert first.unclean
    first.checked()
    second = OpenMark(data_dir)
    assert not second.unclean  # the dead process's mark is gone; the first is alive
    first.release()
    second.release()
    assert not OpenMark(data_dir).unclean


def test_a_clean_release_leaves_nothing_to_check(data_dir: Path) -> None:
    mark = OpenMark(data_dir)
    assert list(mark.folder.glob("*.lock")) == [mark.path]
    mark.release()
    assert list(mark.folder.glob("*.lock")) == []
    assert not OpenMark(data_dir).unclean


def test_the_shared_marker_of_earlier_versions_counts_once(data_dir: Path) -> None:
    data_dir.mkdir(parents=True, exist_ok=True)
    (data_dir / ".store-open").touch()
    mark = OpenMark(data_dir)
    assert mark.unclean
    mark.release()
    assert not (data_dir / ".store-open").exists()
    assert not OpenMark(data_dir).unclean
