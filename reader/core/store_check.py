"""A damaged paper store found at start: set aside (never deleted), and the way back told.

`PRAGMA quick_check` reads every page once, fast enough to run at every start. A store that
fails it is moved with its side files to `papers.sqlite3.damaged-<time>` so a fresh store can
be created and nothing is lost for a later rescue; the message names the backup to restore.
"""

from __future__ import annotations

import os
import sqlite3
import time
from contextlib import closing

from reader.core.paths import DataPaths

_SIDE_FILES = ("-wal", "-shm", "-journal")


def check_store(paths: DataPaths) -> str | None:
    """None if the store is fine (or absent); else a message for the user, store set aside."""
    store = paths.store
    if not store.exists():
        return None
    problem = _problem(paths)
    if problem is None:
        return None
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


def _problem(paths: DataPaths) -> str | None:
    uri = f"{paths.store.resolve().as_uri()}?mode=rw"
    try:
        with closing(sqlite3.connect(uri, uri=True, timeout=10)) as conn:
            rows = conn.execute("PRAGMA quick_check").fetchall()
    except sqlite3.OperationalError:
        return None  # busy, locked, no permission: not damage; opening the store says more
    except sqlite3.DatabaseError as error:  # not a database, malformed: damage
        return str(error)
    if rows == [("ok",)]:
        return None
    return "; ".join(str(row[0]) for row in rows[:3])
