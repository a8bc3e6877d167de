"""Opening a library: the whole-store check runs after an unclean shutdown only."""

from __future__ import annotations

from reader.core.library import Library
from reader.core.paths import DataPaths


def test_clean_close_leaves_no_marker(paths: DataPaths) -> None:
    lib = Library(paths)
    assert (paths.data_dir / ".store-open").exists()
    lib.close()
    assert not (paths.data_dir / ".store-open").exists()
    assert Library(paths).store_message is None


def test_damaged_store_after_a_crash_is_set_aside_with_advice(paths: DataPaths) -> None:
    lib = Library(paths)
    lib.import_sample()
    lib.store.close()  # the process "dies": the open marker stays behind
    data = bytearray(paths.store.read_bytes())
    data[4096 : 4096 * 3] = b"\xff" * (4096 * 2)  # garbage over the first table pages
    paths.store.write_bytes(bytes(data))
    reopened = Library(paths)
    assert reopened.store_message is not None
    assert "damaged" in reopened.store_message and "moved to" in reopened.store_message
    assert reopened.count() == 0  # a fresh store; the damaged one is kept aside
    assert list(paths.data_dir.glob("papers.sqlite3.damaged-*"))
    reopened.close()


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
