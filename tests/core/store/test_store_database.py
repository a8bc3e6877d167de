"""The store's lookups by title key: right answers, by index seeks, on old stores too."""

from __future__ import annotations

import shutil
import sqlite3
import threading
from collections.abc import Callable
from contextlib import closing
from dataclasses import replace
from pathlib import Path

from reader.core.model import Paper
from reader.core.store.database import Store, title_blocks
from reader.core.text import normalize_title

OLD_INDEXES = ("papers_norm_title", "papers_title_head", "papers_title_tail")
NEW_INDEXES = ("papers_norm_title_id", "papers_title_head_id", "papers_title_tail_id")


def paper(paper_id: str, title: str) -> Paper:
    return Paper(id=paper_id, title=title, added_at="2026-01-01", updated_at="2026-01-01")


def indexes(store: Store) -> set[str]:
    rows = store.conn.execute("SELECT name FROM sqlite_master WHERE type = 'index'")
    return {name for (name,) in rows}


def filled(path: Path) -> Store:
    store = Store(path)
    with store.transaction():
        store.title_keys("norm_title", [])
        store.insert(paper("2401.00001", "Scaling laws for sparse models"))
        store.insert(paper("2401.00002", "Scaling laws for dense models"))
        store.insert(paper("t:0123456789ab", "Scaling laws for tiny models, revisited"))
    return store


def test_title_keys_says_which_keys_exist_and_whether_a_title_id_paper_has_one(
    tmp_path: Path,
) -> None:
    store = filled(tmp_path / "papers.sqlite3")
    sparse = normalize_title("Scaling laws for sparse models")
    head, tail = title_blocks(sparse)
    assert head == "scaling laws for"
    assert store.title_keys("norm_title", [sparse, "no such title"]) == {sparse: False}
    # All three papers share the head; one of them has a title id.
    assert store.title_keys("title_head", [head, "nothing like it"]) == {head: True}
    assert store.title_keys("title_tail", [tail]) == {tail: False}
    assert store.title_keys("title_tail", [title_blocks("a tiny models revisited")[1]]) == {
        "tiny models revisited": True
    }
    store.close()


def test_title_keys_seeks_an_index_on_the_key_and_the_id(tmp_path: Path) -> None:
    """A popular title head is shared by thousands of papers: reading them all for each key
    of a batch made a big import slower and slower (0.3 ms a paper at 300k papers)."""
    store = filled(tmp_path / "papers.sqlite3")
    plan = " ".join(
        str(row)
        for row in store.conn.execute(
            "EXPLAIN QUERY PLAN SELECT EXISTS(SELECT 1 FROM papers WHERE title_head = ?"
            " AND id >= 't:' AND id < 't;')",
            ("scaling laws for",),
        )
    )
    assert "COVERING INDEX papers_title_head_id" in plan
    store.close()


def test_a_store_of_an_earlier_version_gets_the_key_indexes_at_its_next_import(
    tmp_path: Path,
) -> None:
    path = tmp_path / "papers.sqlite3"
    store = filled(path)
    with store.conn:  # as an earlier version left it
        for old, new in zip(OLD_INDEXES, NEW_INDEXES, strict=True):
            store.conn.execute(f"DROP INDEX {new}")
            column = old.removeprefix("papers_")
            store.conn.execute(f"CREATE INDEX {old} ON papers({column})")
    store.close()

    store = Store(path)
    assert indexes(store) >= set(OLD_INDEXES)  # opening the app does not rebuild them
    with store.transaction():
        store.title_keys("title_head", ["scaling laws for"])
    assert indexes(store) >= set(NEW_INDEXES)
    assert not indexes(store) & set(OLD_INDEXES)
    store.close()


def test_the_paper_count_is_kept_through_every_write_reader_makes(tmp_path: Path) -> None:
    store = filled(tmp_path / "papers.sqlite3")
    assert store.count() == store.count(exact=True) == 3
    with store.transaction():
        stored = store.get("t:0123456789ab")
        assert stored is not None
        store.replace(stored, paper("2401.00003", "Scaling laws for tiny models"))
        store.insert_many([])
    assert store.count() == store.count(exact=True) == 3
    with store.transaction():
        store.conn.execute("DELETE FROM papers WHERE id = '2401.00001'")  # by hand
    assert store.count() == 3  # left behind, until counted
    assert store.count(exact=True) == store.count() == 2
    store.close()


def test_a_store_without_the_kept_count_gets_it_when_opened(tmp_path: Path) -> None:
    path = tmp_path / "papers.sqlite3"
    filled(path).close()
    plain = sqlite3.connect(path)  # as an earlier version left it
    plain.execute("DROP TABLE counts")
    plain.execute(
        "INSERT INTO papers(id, title, norm_title, title_head, title_tail, abstract, authors,"
        " published, updated, listed, categories, links, sources, upvotes, added_at,"
        " updated_at, doi, journal, citekey) SELECT 'x' || id, title, norm_title, title_head,"
        " title_tail, abstract, authors, published, updated, listed, categories,"
        " links, sources, upvotes, added_at, updated_at, doi, journal, citekey"
        " FROM papers"
    )
    plain.commit()
    plain.close()
    store = Store(path)
    assert store.count() == 6
    store.insert(paper("2401.00009", "One more"))
    assert store.count() == store.count(exact=True) == 7
    store.close()


def test_an_exact_count_puts_a_drifted_kept_count_right(tmp_path: Path) -> None:
    store = filled(tmp_path / "papers.sqlite3")
    with store.conn:
        store.conn.execute("UPDATE counts SET n = 40 WHERE name = 'papers'")
    assert store.count() == 40
    assert store.count(exact=True) == 3
    assert store.count() == 3
    store.close()


def test_an_exact_count_keeps_a_paper_another_process_added_between_its_reads(
    tmp_path: Path,
) -> None:
    """The rows are counted, then the kept number read: an import that commits between the
    two (the app's start-up check beside a `reader import`) must not be counted out again."""
    path = tmp_path / "papers.sqlite3"
    store = filled(path)
    importer = Store(path)  # another process's connection
    between, imported = threading.Event(), threading.Event()
    seen: list[str] = []

    def trace(sql: str) -> None:  # called as each statement starts
        seen.append(sql)
        counted = "SELECT count(*) FROM papers" in seen
        if sql.startswith("SELECT n FROM counts") and counted and not between.is_set():
            between.set()
            imported.wait(timeout=30)

    store.conn.set_trace_callback(trace)
    counter = threading.Thread(target=store.count, kwargs={"exact": True})
    counter.start()
    assert between.wait(timeout=30)
    with importer.transaction():
        importer.insert(paper("2401.00005", "A paper imported meanwhile"))
    imported.set()
    counter.join(timeout=30)
    store.conn.set_trace_callback(None)
    assert not counter.is_alive()
    assert store.count() == 4
    importer.close()
    store.close()


def test_bulk_writes_checkpoint_rarely_cache_more_and_put_the_defaults_back(
    tmp_path: Path,
) -> None:
    store = filled(tmp_path / "papers.sqlite3")

    def every() -> int:
        return store.conn.execute("PRAGMA wal_autocheckpoint").fetchone()[0]

    def cache() -> int:
        return store.conn.execute("PRAGMA cache_size").fetchone()[0]

    assert (every(), cache()) == (1000, -2000)
    with store.bulk():
        assert (every(), cache()) == (20_000, -16_384)
        with store.transaction():
            store.insert(paper("2401.00004", "Another paper"))
    assert (every(), cache()) == (1000, -2000)
    assert store.count() == store.count(exact=True) == 4
    store.close()


def test_a_checkpoint_copies_the_log_into_the_file(tmp_path: Path) -> None:
    """What bulk() left in the log is in the database file itself after checkpoint(): a
    copy of the file alone, without its log, has the paper."""

    def alone() -> int:
        copy = tmp_path / f"copy-{len(list(tmp_path.glob('copy-*')))}.sqlite3"
        shutil.copyfile(tmp_path / "papers.sqlite3", copy)
        with closing(sqlite3.connect(copy)) as conn:
            return conn.execute("SELECT count(*) FROM papers").fetchone()[0]

    store = filled(tmp_path / "papers.sqlite3")
    store.checkpoint()
    assert alone() == 3
    with store.bulk():
        with store.transaction():
            store.insert(paper("2401.00004", "Another paper"))
        assert alone() == 3
        store.checkpoint()
        assert alone() == 4
    store.close()


def test_an_emptying_checkpoint_empties_the_log_unless_another_process_reads_it(
    tmp_path: Path,
) -> None:
    """An import empties the log in its own time, not at the store's close. A reader in
    another process (an open app) keeps the log as it is, and the checkpoint does not wait
    for it: it copies what it can, and the store waits as long as before for other locks."""
    path = tmp_path / "papers.sqlite3"
    log = tmp_path / "papers.sqlite3-wal"
    store = filled(path)
    waits = store.conn.execute("PRAGMA busy_timeout").fetchone()[0]
    store.checkpoint()
    assert log.stat().st_size > 0
    store.checkpoint(empty=True)
    assert log.stat().st_size == 0

    with store.transaction():
        store.insert(paper("2401.00004", "Another paper"))
    with closing(sqlite3.connect(path, timeout=30)) as other:
        other.execute("BEGIN")
        assert other.execute("SELECT count(*) FROM papers").fetchone()[0] == 4
        with store.transaction():  # the reader's snapshot is now an old one
            store.insert(paper("2401.00005", "A fifth paper"))
        done = threading.Thread(target=store.checkpoint, kwargs={"empty": True})
        done.start()
        done.join(timeout=20)  # the store's own wait is 30 s
        assert not done.is_alive()
        assert log.stat().st_size > 0
        other.rollback()
    assert store.conn.execute("PRAGMA busy_timeout").fetchone()[0] == waits > 20_000
    assert store.count(exact=True) == 5
    store.close()


def test_a_merge_writes_only_the_columns_that_changed(tmp_path: Path) -> None:
    """A duplicate that gains a source writes its sources and the change number, not the
    title's keys or the dates: every indexed column written costs its index's pages (a daily
    re-import of 500 papers at 1M wrote 3.5 times the log)."""
    store = filled(tmp_path / "papers.sqlite3")
    store.conn.execute("CREATE TEMP TABLE written(name TEXT)")
    for name in ("title", "norm_title", "title_head", "title_tail", "added_at", "sources"):
        store.conn.execute(
            f"CREATE TEMP TRIGGER wrote_{name} AFTER UPDATE OF {name} ON main.papers "
            f"BEGIN INSERT INTO written VALUES ('{name}'); END"
        )

    def merged(change: Callable[[Paper], Paper]) -> list[str]:
        stored = store.get("2401.00001")
        assert stored is not None
        with store.transaction():
            store.replace(stored, change(stored))
        names = [name for (name,) in store.conn.execute("SELECT name FROM written")]
        store.conn.execute("DELETE FROM written")
        return sorted(names)

    assert merged(lambda p: replace(p, sources=[*p.sources, "b.txt"])) == ["sources"]
    assert store.get("2401.00001").sources == ["b.txt"]  # type: ignore[union-attr]
    assert merged(lambda p: replace(p, title="Scaling laws for sparse models, revised")) == [
        "norm_title",
        "title",
        "title_head",
        "title_tail",
    ]
    revised = normalize_title("Scaling laws for sparse models, revised")
    assert store.find_by_norm_title(revised) == "2401.00001"  # found by its new keys
    store.close()
