"""Opening a library: the whole-store check runs after an unclean end only."""

from __future__ import annotations

from collections.abc import Callable
from contextlib import AbstractContextManager
from pathlib import Path

from reader.core.library.facade import Library
from reader.core.paths import DataPaths

Elsewhere = Callable[[Path], AbstractContextManager[object]]


def garble(store: Path) -> None:
    """Garbage over the first table pages, as a failing disk or a stray write leaves them."""
    data = bytearray(store.read_bytes())
    data[4096 : 4096 * 3] = b"\xff" * (4096 * 2)
    store.write_bytes(bytes(data))


def test_clean_close_leaves_no_mark(paths: DataPaths) -> None:
    lib = Library(paths)
    assert len(list((paths.data_dir / ".open").glob("*.lock"))) == 1
    lib.close()
    assert list((paths.data_dir / ".open").glob("*.lock")) == []
    assert Library(paths).store_message is None


def test_damaged_store_after_a_crash_is_set_aside_with_advice(
    paths: DataPaths, reader_elsewhere: Elsewhere
) -> None:
    lib = Library(paths)
    lib.import_sample()
    lib.close()
    with reader_elsewhere(paths.data_dir):
        pass  # a reader killed with the library open
    garble(paths.store)
    reopened = Library(paths)
    assert reopened.store_message is not None
    assert "damaged" in reopened.store_message and "moved to" in reopened.store_message
    assert reopened.count() == 0  # a fresh store; the damaged one is kept aside
    assert list(paths.data_dir.glob("papers.sqlite3.damaged-*"))
    reopened.close()


def test_a_reader_open_elsewhere_is_no_reason_to_check(
    paths: DataPaths, reader_elsewhere: Elsewhere
) -> None:
    """The app open in one split, `reader search` in another: no whole-store check. The
    damage written under the live reader stays unseen at start, which shows none ran."""
    lib = Library(paths)
    lib.import_sample()
    lib.close()
    with reader_elsewhere(paths.data_dir):
        garble(paths.store)
        beside = Library(paths)
        assert beside.store_message is None
        beside.close()
    assert not list(paths.data_dir.glob("papers.sqlite3.damaged-*"))


def test_a_drifted_paper_count_is_put_right_without_rebuilding_the_index(
    paths: DataPaths,
) -> None:
    lib = Library(paths)
    lib.import_sample()
    assert lib.index.doc_count() == lib.count() == 406
    with lib.store.conn:
        lib.store.conn.execute("UPDATE counts SET n = 5 WHERE name = 'papers'")
    lib.close()
    toc_before = sorted(p.name for p in paths.index_dir.glob("_MAIN_*.toc"))

    reopened = Library(paths)
    assert reopened.index.doc_count() == reopened.count() == 406
    assert sorted(p.name for p in paths.index_dir.glob("_MAIN_*.toc")) == toc_before
    reopened.close()
