"""The check after an unclean end beside the open store: reads go on, writes wait for it,
a damaged store is closed everywhere and set aside, a check cut short runs again."""

from __future__ import annotations

import threading
from collections.abc import Callable
from contextlib import AbstractContextManager
from pathlib import Path

import pytest

from reader.core.library.facade import Library
from reader.core.model import ImportReport
from reader.core.paths import DataPaths
from reader.core.store import OpenMark, StoreError, background_check

Elsewhere = Callable[[Path], AbstractContextManager[object]]
Damage = Callable[[Path], None]
WAIT_S = 60.0  # generous bound for a thread to get somewhere; never a speed assertion


@pytest.fixture
def crashed(paths: DataPaths, reader_elsewhere: Elsewhere) -> DataPaths:
    """The sample library, then a reader killed with it open: the next start checks it."""
    library = Library(paths)
    library.import_sample()
    library.close()
    with reader_elsewhere(paths.data_dir):
        pass
    return paths


def test_reads_go_on_while_the_check_runs_and_writes_wait(
    crashed: DataPaths, held: threading.Event, seeds: list[Path]
) -> None:
    library = Library(crashed, check_in_background=True)
    check = library.store_check
    assert check is not None and check.running
    rows = library.open_rows()
    assert library.count() == 406
    hits = library.search("lottery ticket").results
    assert hits and rows.get(hits[0].id) == library.get(hits[0].id)
    with pytest.raises(StoreError, match="still being checked"):
        check.wait_to_write(timeout=0)
    imported: list[tuple[ImportReport, bool]] = []

    def write() -> None:
        report = library.import_paths(seeds[:1])
        imported.append((report, check.finished.is_set()))

    writer = threading.Thread(target=write)
    writer.start()
    assert library.store.last_import() is not None  # reads on beside the waiting write
    held.set()
    writer.join(WAIT_S)
    ((report, checked_first),) = imported
    assert checked_first and report.duplicates > 0 and check.message is None
    assert not OpenMark(crashed.data_dir).unclean  # the dead reader's mark went with the check
    rows.close()
    library.close()


def test_a_damaged_store_found_beside_is_set_aside_and_writes_refused(
    crashed: DataPaths, held: threading.Event, seeds: list[Path], damage_an_index: Damage
) -> None:
    damage_an_index(crashed.store)
    library = Library(crashed, check_in_background=True)
    rows = library.open_rows()
    assert library.store_message is None and library.count() == 406  # opened before the check
    check = library.store_check
    assert check is not None
    check.begin()
    held.set()
    assert check.finished.wait(WAIT_S)
    assert check.message and "damaged" in check.message and "moved to" in check.message
    (aside,) = crashed.data_dir.glob("papers.sqlite3.damaged-*")
    assert str(aside) in check.message
    assert library.count() == 0 and rows.get_many(library.store.ids()) == {}  # a fresh store
    with pytest.raises(StoreError, match="nothing was written: the paper store was damaged"):
        library.import_paths(seeds[:1])
    rows.close()
    library.close()
    again = Library(crashed)
    assert again.store_message is None and again.count() == 0  # checked once, not again
    again.close()


def test_a_check_cut_short_by_closing_runs_again_at_the_next_start(
    crashed: DataPaths, held: threading.Event
) -> None:
    library = Library(crashed, check_in_background=True)
    check = library.store_check
    assert check is not None
    check.begin()
    library.close()
    held.set()
    assert check.finished.wait(WAIT_S) and check.message is None
    mark = OpenMark(crashed.data_dir)
    assert mark.unclean  # no verdict was reached: the dead reader's mark is still there
    mark.release()


def test_the_check_waits_to_be_begun_and_a_write_begins_it(
    crashed: DataPaths, seeds: list[Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    """The app begins the check once it has painted; a write that comes first begins it."""
    started = threading.Event()
    monkeypatch.setattr(background_check.hooks, "started", started.set)
    library = Library(crashed, check_in_background=True)
    check = library.store_check
    assert check is not None
    assert not started.wait(0.2) and check.running  # not begun: no reading of the store
    report = library.import_paths(seeds[:1])  # waits for the check it begins
    assert started.is_set() and check.finished.is_set() and report.duplicates > 0
    assert not OpenMark(crashed.data_dir).unclean
    library.close()


def test_a_check_never_begun_ends_with_the_library(crashed: DataPaths) -> None:
    library = Library(crashed, check_in_background=True)
    check = library.store_check
    assert check is not None
    library.close()
    assert check.finished.is_set() and check.message is None
    mark = OpenMark(crashed.data_dir)
    assert mark.unclean  # never checked: the next start checks
    mark.release()


def test_a_command_checks_before_it_opens(crashed: DataPaths, damage_an_index: Damage) -> None:
    """The CLI's way: one command, one wait, the store known sound before it is used."""
    damage_an_index(crashed.store)
    library = Library(crashed)
    assert library.store_check is None and library.store_message
    assert "damaged" in library.store_message and library.count() == 0
    library.close()
