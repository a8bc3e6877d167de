"""A store of an earlier version brought to this one when it opens: new columns added.

Each version's changes are columns with a default, so the move is SQLite's ALTER TABLE ADD
COLUMN: it changes the schema, not the rows (instant at any size), and an earlier reader
can still open the file (it never names the new columns; its inserts take the defaults).
Indexes on the new columns are made when first needed (tables.DOI_INDEX), not here: the
first open after an upgrade must not spend seconds on a big library.

Two processes may open an old store at once: the check and the change happen inside one
write transaction, so the second finds the work done.
"""

from __future__ import annotations

import sqlite3

from reader.core.store.tables import SCHEMA_VERSION

# version -> the columns it added to papers, with their SQL types and defaults
ADDED_COLUMNS: dict[int, tuple[tuple[str, str], ...]] = {
    2: tuple((name, "TEXT NOT NULL DEFAULT ''") for name in ("doi", "journal", "citekey")),
}


def schema_version(conn: sqlite3.Connection) -> int:
    """The version the store says it is at; 0 for a file just made (no version yet)."""
    row = conn.execute("SELECT value FROM meta WHERE key = 'schema'").fetchone()
    return int(row[0]) if row and str(row[0]).isdigit() else 0


def migrate(conn: sqlite3.Connection) -> int:
    """Bring the store to SCHEMA_VERSION (never down); the version it was at. A file just
    made has the current tables already, and only gets its version written."""
    before = schema_version(conn)
    if before >= SCHEMA_VERSION:
        return before
    conn.execute("BEGIN IMMEDIATE")
    try:
        have = {row[1] for row in conn.execute("PRAGMA table_info(papers)")}
        for version in range(max(before, 1) + 1, SCHEMA_VERSION + 1):
            for name, definition in ADDED_COLUMNS.get(version, ()):
                if name not in have:
                    conn.execute(f"ALTER TABLE papers ADD COLUMN {name} {definition}")
        conn.execute(
            "INSERT OR REPLACE INTO meta(key, value) VALUES('schema', ?)", (str(SCHEMA_VERSION),)
        )
    except BaseException:
        conn.rollback()
        raise
    conn.commit()
    return before
