"""A damaged paper store: set aside (never deleted), and the way back told.

`PRAGMA quick_check` reads every page, so it runs after an unclean end only (unclean_end.py):
before the store opens (check_store: a CLI command), or beside it (background_check.py: the
app). A store that fails it is moved with its side files to `papers.sqlite3.damaged-<time>`
so a fresh store can be created and nothing is lost for a later rescue; the message names
the backup to restore.
"""

from __future__ import annotations

import os
import sqlite3
import time
from collections.abc import Callable
from contextlib import closing, suppress
from pathlib import Path

from reader.core.paths import DataPaths

_SIDE_FILES = ("-wal", "-shm", "-journal")
# The check walks every index beside its table; in SQLite's default 2 MB page cache it reads
# the same pages again and again (28 s at 1M papers); in 64 MB, 2.4 s. Freed when it closes.
_CHECK_CACHE_KIB = 64 * 1024
_READ_AHEAD_CHUNK = 8 << 20


def check_store(paths: DataPaths) -> str | None:
    """None if the store is fine (or absent); else a message for the user, store set aside."""
    store = paths.store
    if not store.exists():
        return None
    problem = find_problem(paths)
    return None if problem is None else set_aside(paths, problem)


def set_aside(paths: DataPaths, problem: str) -> str:
    """Move the damaged store and its side files aside (every connection to it closed
    first); the message for the user."""
    store = paths.store
    aside = store.with_name(f"{store.name}.damaged-{time.strftime('%Y%m%d-%H%M%S')}")
    for suffix in ("", *_SIDE_FILES):
        side = store.with_name(store.name + suffix)
        if side.exists():
            os.replace(side, aside.with_name(aside.name + suffix))
    from reader.core.backup import latest_backup  # zip and YAML: only for a damaged store

    backup = latest_backup(paths)
    how = (
        f"restore the latest backup with: reader restore {backup}"
        if backup
        else "no backup was found: import your papers again"
    )
    return f"the paper store was damaged ({problem}); it was moved to {aside}; {how}"


def find_problem(
    paths: DataPaths, opened: Callable[[sqlite3.Connection], None] | None = None
) -> str | None:
    """What PRAGMA quick_check finds wrong with the store, or None; `opened` is handed the
    check's connection (to interrupt it from another thread: that ends the check as "busy")."""
    _read_ahead(paths.store)
    uri = f"{paths.store.resolve().as_uri()}?mode=rw"
    try:
        with closing(sqlite3.connect(uri, uri=True, timeout=10, check_same_thread=False)) as conn:
            if opened is not None:
                opened(conn)
            conn.execute(f"PRAGMA cache_size = -{_CHECK_CACHE_KIB}")
            rows = conn.execute("PRAGMA quick_check").fetchall()
    except sqlite3.OperationalError:  # busy, locked, no permission, interrupted: not damage;
        return None  # opening the store says more
    except sqlite3.DatabaseError as error:  # not a database, malformed: damage
        return str(error)
    if rows == [("ok",)]:
        return None
    return "; ".join(" ".join(str(row[0]).split()) for row in rows[:3])  # one line


def _read_ahead(path: Path) -> None:
    """The check visits pages in B-tree order, which on a cold disk cache is random reads (23 s
    at 1M papers, 2.7 GB). One sequential pass first puts the file in the OS cache in 1.7 s,
    and the check then takes 2.1 s."""
    with suppress(OSError), open(path, "rb", buffering=0) as file:
        while file.read(_READ_AHEAD_CHUNK):
            pass
