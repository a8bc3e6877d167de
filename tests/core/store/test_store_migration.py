"""A library made by an earlier reader opens, and is brought to this version (the DOI and
journal columns): its papers, ids and aliases kept, and its next import matches by DOI."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
import threading
from pathlib import Path

from reader.core.library.facade import Library
from reader.core.model import Record
from reader.core.paths import DataPaths
from reader.core.store import changes
from reader.core.store.database import Store
from reader.core.store.migrate import schema_version
from reader.core.store.tables import SCHEMA_VERSION

# The papers table and meta row as schema 1 (reader 0.1) made them.
VERSION_1 = """
CREATE TABLE papers (
    id TEXT PRIMARY KEY, title TEXT NOT NULL, norm_title TEXT NOT NULL,
    title_head TEXT NOT NULL, title_tail TEXT NOT NULL, abstract TEXT NOT NULL DEFAULT '',
    authors TEXT NOT NULL DEFAULT '[]', published TEXT NOT NULL DEFAULT '',
    updated TEXT NOT NULL DEFAULT '', listed TEXT NOT NULL DEFAULT '',
    categories TEXT NOT NULL DEFAULT '[]', links TEXT NOT NULL DEFAULT '[]',
    sources TEXT NOT NULL DEFAULT '[]', upvotes INTEGER, added_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX papers_added_at ON papers(added_at);
CREATE TABLE aliases (alias TEXT PRIMARY KEY, paper_id TEXT NOT NULL);
CREATE TABLE imports (at TEXT NOT NULL, files INTEGER NOT NULL, added INTEGER NOT NULL,
    updated INTEGER NOT NULL, duplicates INTEGER NOT NULL, rejected INTEGER NOT NULL);
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE counts (name TEXT PRIMARY KEY, n INTEGER NOT NULL);
INSERT INTO meta VALUES ('schema', '1');
INSERT INTO papers VALUES ('1706.03762', 'Attention Is All You Need',
    'attention is all you need', 'attention is all', 'is all you need', 'Transformers.',
    '["Ashish Vaswani"]', '2017-06-12', '', '', '["cs.CL"]',
    '["https://arxiv.org/abs/1706.03762"]', '["old.txt"]', NULL, '2024-01-01T00:00:00+00:00',
    '2024-01-01T00:00:00+00:00');
INSERT INTO papers VALUES ('t:0123456789ab', 'Deep Residual Learning for Image Recognition',
    'deep residual learning for image recognition', 'deep residual learning',
    'for image recognition', '', '[]', '', '', '', '[]', '[]', '["old.txt"]', NULL,
    '2024-01-01T00:00:00+00:00', '2024-01-01T00:00:00+00:00');
INSERT INTO aliases VALUES ('t:fedcba987654', '1706.03762');
INSERT INTO counts VALUES ('papers', 2);
"""


def old_store(data_dir: Path) -> Path:
    paths = DataPaths.resolve(data_dir)
    paths.ensure()
    conn = sqlite3.connect(paths.store)
    conn.executescript(VERSION_1)
    conn.close()
    return paths.store


def columns(path: Path) -> list[str]:
    conn = sqlite3.connect(path)
    try:
        return [row[1] for row in conn.execute("PRAGMA table_info(papers)")]
    finally:
        conn.close()


def test_a_new_store_is_made_at_the_current_version(tmp_path: Path) -> None:
    store = Store(tmp_path / "papers.sqlite3")
    assert schema_version(store.conn) == SCHEMA_VERSION == 2
    assert columns(store.path)[-4:] == ["doi", "journal", "citekey", "changed"]
    store.close()


def test_an_old_store_opens_with_its_papers_and_gains_the_new_columns(tmp_path: Path) -> None:
    path = old_store(tmp_path / "data")
    store = Store(path)
    assert schema_version(store.conn) == 2
    assert columns(path)[-4:] == ["doi", "journal", "citekey", "changed"]
    paper = store.get("1706.03762")
    assert paper is not None
    assert (paper.title, paper.doi, paper.journal, paper.citekey) == (
        "Attention Is All You Need",
        "",
        "",
        "",
    )
    assert store.resolve("t:fedcba987654") == "1706.03762"
    assert store.count() == 2
    store.close()
    again = Store(path)  # opening again changes nothing
    assert schema_version(again.conn) == 2 and again.count() == 2
    again.close()


def test_the_first_import_after_the_move_matches_and_keeps_dois(tmp_path: Path) -> None:
    data = tmp_path / "data"
    old_store(data)
    library = Library.open(data)
    doi = "10.1109/cvpr.2016.90"
    resnet = Record(
        title="Deep residual learning for image recognition",
        doi=doi,
        journal="CVPR",
        source="refs.bib:1",
    )
    report = library.import_items([resnet])
    assert (report.added, report.updated) == (0, 1)
    assert library.store.find_by_doi(doi) == "t:0123456789ab"
    by_doi = Record(title="ResNet, as a citation manager names it", doi=doi, source="b.bib:1")
    report = library.import_items([by_doi])
    assert (report.added, report.duplicates) == (0, 1)  # the same DOI: the same paper
    assert library.count() == 2
    assert library.search("title:residual").total == 1
    library.close()


_OPEN = """
import sys
from reader.core.store import changes
from reader.core.store.database import Store
Store(__import__("pathlib").Path(sys.argv[1])).close()
"""


def test_two_processes_opening_an_old_store_at_once_both_open_it(tmp_path: Path) -> None:
    path = old_store(tmp_path / "data")
    runs = [
        subprocess.Popen([sys.executable, "-c", _OPEN, str(path)], stderr=subprocess.PIPE)
        for _ in range(4)
    ]
    errors = [run.communicate(timeout=60)[1] for run in runs]
    assert [run.returncode for run in runs] == [0, 0, 0, 0], errors
    assert columns(path).count("doi") == 1


_HOLD = """
import sqlite3, sys
conn = sqlite3.connect(sys.argv[1], isolation_level=None)
conn.execute("BEGIN IMMEDIATE")
print("held", flush=True)
sys.stdin.readline()
conn.execute("COMMIT")
"""


def test_an_old_store_opens_once_another_process_ends_its_write(tmp_path: Path) -> None:
    """Moving to WAL reads the file, then needs the write lock, which SQLite does not wait
    for: the opening waits in its own loop, and opens when the writer is done."""
    path = old_store(tmp_path / "data")
    writer = subprocess.Popen(
        [sys.executable, "-c", _HOLD, str(path)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    opened: list[Store | BaseException] = []

    def open_it() -> None:
        try:
            opened.append(Store(path))
        except BaseException as error:  # shown by the assertion below
            opened.append(error)

    try:
        assert writer.stdout is not None and writer.stdin is not None
        assert writer.stdout.readline() == "held\n"
        opening = threading.Thread(target=open_it)
        opening.start()
        opening.join(timeout=0.5)
        assert opening.is_alive(), opened  # still waiting, not failed at once
        writer.stdin.write("\n")
        writer.stdin.close()
        assert writer.wait(timeout=30) == 0
        opening.join(timeout=30)
    finally:
        writer.kill()
    (store,) = opened
    assert isinstance(store, Store), store
    assert schema_version(store.conn) == SCHEMA_VERSION
    store.close()


def test_a_store_of_a_later_version_is_not_moved_back(tmp_path: Path) -> None:
    path = tmp_path / "papers.sqlite3"
    Store(path).close()
    conn = sqlite3.connect(path)
    with conn:
        conn.execute("UPDATE meta SET value = '9' WHERE key = 'schema'")
        conn.execute("ALTER TABLE papers ADD COLUMN later TEXT NOT NULL DEFAULT ''")
    conn.close()
    store = Store(path)
    assert schema_version(store.conn) == 9
    assert "later" in columns(path)
    store.close()


def test_two_openings_that_both_saw_an_old_store_add_the_change_column_once(
    tmp_path: Path,
) -> None:
    """Both read the columns while a third connection writes, then both want to add one: the
    second to get the write lock must find it there (a CI run once failed on this)."""
    path = old_store(tmp_path / "data")
    Store(path).close()  # WAL and version 2, but the change column taken away again below
    with sqlite3.connect(path) as conn:
        conn.execute("DROP INDEX papers_changed")
        conn.execute("ALTER TABLE papers DROP COLUMN changed")
    holder = sqlite3.connect(path, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")
    waiting = threading.Semaphore(0)
    errors: list[BaseException] = []

    def open_one() -> None:
        conn = sqlite3.connect(path, timeout=30, check_same_thread=False)
        # Called as each statement starts, before it waits for the write lock.
        conn.set_trace_callback(
            lambda sql: sql.startswith(("ALTER", "BEGIN")) and waiting.release()
        )
        try:
            changes.prepare(conn)
        except sqlite3.Error as error:
            errors.append(error)
        finally:
            conn.close()

    threads = [threading.Thread(target=open_one) for _ in range(2)]
    for thread in threads:
        thread.start()
    assert waiting.acquire(timeout=30) and waiting.acquire(timeout=30)
    holder.execute("COMMIT")
    holder.close()
    for thread in threads:
        thread.join(timeout=30)
    assert errors == []
    assert columns(path).count("changed") == 1
