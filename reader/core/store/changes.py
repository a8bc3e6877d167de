"""Which papers changed since a point: the store's change counter, for the derived index.

Every write transaction that inserts or rewrites papers takes the next number of a counter
kept in the store, and stamps the rows it writes with it (papers.changed). The index records
the number up to which it took every change in; whatever is stamped higher is what it still
has to take in, found through an index on the column without reading the rest of the store.
"""

from __future__ import annotations

import json
import sqlite3
import threading
from collections.abc import Iterable
from typing import Protocol


class LockedConnection(Protocol):
    """What these functions read a store through: its connection and the lock around it
    (a reader.core.store.Store; not imported, as the Store itself counts with this module)."""

    conn: sqlite3.Connection
    lock: threading.RLock


# Added to stores made before the counter: ALTER TABLE adds the column without rewriting rows
# (they count as taken in: an index of that time is rebuilt anyway, being of an older format).
_COLUMN = "ALTER TABLE papers ADD COLUMN changed INTEGER NOT NULL DEFAULT 0"
_INDEX = "CREATE INDEX IF NOT EXISTS papers_changed ON papers(changed)"
_COUNTER = "INSERT OR IGNORE INTO counts(name, n) VALUES('changes', 0)"


def prepare(conn: sqlite3.Connection) -> None:
    """Give a store its counter and stamp column if it has not got them. Reads only, when it
    has: a write at every open would wait for another process's import. Another process may
    be preparing the same old store: what is missing is looked at again inside the write
    transaction, so the second to get the write lock finds the work done."""
    if _prepared(conn):
        return
    conn.execute("BEGIN IMMEDIATE")
    try:
        if "changed" not in _columns(conn):
            conn.execute(_COLUMN)
        conn.execute(_INDEX)
        conn.execute(_COUNTER)
    except BaseException:
        conn.rollback()
        raise
    conn.commit()


def _prepared(conn: sqlite3.Connection) -> bool:
    indexed = conn.execute(
        "SELECT 1 FROM sqlite_master WHERE type = 'index' AND name = 'papers_changed'"
    ).fetchone()
    counted = conn.execute("SELECT 1 FROM counts WHERE name = 'changes'").fetchone()
    return "changed" in _columns(conn) and bool(indexed) and bool(counted)


def _columns(conn: sqlite3.Connection) -> set[str]:
    return {row[1] for row in conn.execute("PRAGMA table_info(papers)")}


def next_number(conn: sqlite3.Connection) -> int:
    """Take the next change number (inside the caller's write transaction)."""
    return conn.execute(
        "UPDATE counts SET n = n + 1 WHERE name = 'changes' RETURNING n"
    ).fetchone()[0]


def current(store: LockedConnection) -> int:
    """The number of the last committed change of papers, by any process."""
    with store.lock:
        row = store.conn.execute("SELECT n FROM counts WHERE name = 'changes'").fetchone()
    return row[0] if row else 0


def ids_since(store: LockedConnection, number: int, besides: Iterable[int] = ()) -> list[str]:
    """The papers written by a change numbered above `number`, other than those of `besides`
    (an import's own changes: what another process wrote since the import read them)."""
    sql = (
        "SELECT id FROM papers WHERE changed > ?"
        " AND changed NOT IN (SELECT value FROM json_each(?))"
    )
    with store.lock:
        rows = store.conn.execute(sql, (number, json.dumps(sorted(besides))))
        return [row[0] for row in rows]


def numbers_since(store: LockedConnection, number: int) -> list[int]:
    """The change numbers above `number` that some paper still carries, ascending."""
    sql = "SELECT DISTINCT changed FROM papers WHERE changed > ? ORDER BY changed"
    with store.lock:
        return [row[0] for row in store.conn.execute(sql, (number,))]
