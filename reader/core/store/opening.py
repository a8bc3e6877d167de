"""Opening the store: WAL mode and the schema, or, on a full disk, reading without a byte of
free space.

In WAL mode every reader goes through a shared-memory file beside the store (-shm) that the
first reader creates and grows; with no free space that fails and SQLite says only "disk I/O
error". So when opening fails on a disk that is full, the store is opened read-only and
immutable instead: SQLite reads the one file, with no -shm, no -wal and no locks. That reads
every paper only if the log holds nothing the file lacks, as after every clean close; a log
left holding pages (a crash) is first folded into the file by a connection that keeps its log
index in its own memory (exclusive locking), which needs no new space while the file does not
grow. Writes stay impossible until space is freed, and say why.
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from reader.core.store.tables import COUNTED, SCHEMA, SCHEMA_VERSION

FULL_BELOW = 2**20  # bytes free: less than this, SQLite cannot grow its files reliably
_SHM_SIZE = 32768  # the first region of the shared-memory file, made by the first reader


class StoreError(Exception):
    """The store file cannot be used; the message names the file."""


def open_store(path: Path, timeout: float) -> tuple[sqlite3.Connection, str | None]:
    """A connection to the store (made if new), and None; or on a full disk a read-only one,
    and why it is read-only. StoreError names the file when neither can be had.

    On a disk that is full already, SQLite is not even asked to make its shared-memory file
    (unless one of full size is there, another process's): the attempt would take whatever
    few pages are left, which a save of the user's files may need."""
    full = None if _shared_memory_ready(path) else full_disk(path.parent)
    if full is None:
        try:
            return _connect_when_free(path, timeout), None
        except sqlite3.OperationalError as error:
            full = full_disk(path.parent)
            if full is None:
                raise StoreError(f"could not open {path}: {error}") from error
        except sqlite3.DatabaseError as error:
            raise StoreError(f"could not open {path}: {error}") from error
    if not path.exists():
        raise StoreError(f"could not make {path}: {full}")
    try:
        return open_without_space(path, timeout), full
    except sqlite3.Error as error:
        raise StoreError(f"could not open {path}: {full}; {error}") from error


@contextmanager
def waiting_at_most(conn: sqlite3.Connection, ms: int) -> Iterator[None]:
    """Statements in the block wait at most `ms` for another process's lock (a write that
    may be skipped), then as long as the connection was opened to."""
    before = conn.execute("PRAGMA busy_timeout").fetchone()[0]
    conn.execute(f"PRAGMA busy_timeout = {ms}")
    try:
        yield
    finally:
        conn.execute(f"PRAGMA busy_timeout = {before}")


def _connect_when_free(path: Path, timeout: float) -> sqlite3.Connection:
    """_connect, tried again while another connection's lock is in the way, up to TIMEOUT.

    SQLite waits for a lock by itself, except where waiting could deadlock: a connection that
    reads the file and then needs to write it gives up at once if another holds the write lock.
    Moving a store of an earlier kind to WAL mode is such a read-then-write, so two processes
    opening an old store at the same moment, or one opening it while an older reader writes,
    would otherwise fail with "database is locked"."""
    deadline = time.monotonic() + timeout
    pause = 0.01
    while True:
        try:  # each try waits in SQLite only for what is left of the whole bound
            return _connect(path, max(deadline - time.monotonic(), pause))
        except sqlite3.OperationalError as error:
            busy = error.sqlite_errorcode & 0xFF in (sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED)
            if not busy or time.monotonic() + pause > deadline:
                raise
        time.sleep(pause)
        pause = min(pause * 2, 0.2)


def _connect(path: Path, timeout: float) -> sqlite3.Connection:
    conn = sqlite3.connect(path, timeout=timeout, check_same_thread=False)
    try:
        conn.execute("PRAGMA journal_mode=WAL")
        conn.execute("PRAGMA synchronous=NORMAL")
        conn.executescript(SCHEMA)
        conn.execute(
            "INSERT OR IGNORE INTO meta(key, value) VALUES('schema', ?)", (str(SCHEMA_VERSION),)
        )
        conn.commit()
        if conn.execute("SELECT n FROM counts WHERE name = 'papers'").fetchone() is None:
            with conn:  # a new file, or one of an earlier version
                conn.execute(COUNTED)
    except BaseException:
        conn.close()
        raise
    return conn


def full_disk(folder: Path) -> str | None:
    """'the disk holding FOLDER is full (N bytes free)', or None if there is room."""
    try:
        stats = os.statvfs(folder)
    except (OSError, AttributeError):  # no statvfs (Windows): not known to be full
        return None
    free = stats.f_bavail * stats.f_frsize
    if free >= FULL_BELOW:
        return None
    return f"the disk holding {folder} is full ({free:,} bytes free)"


def open_without_space(path: Path, timeout: float) -> sqlite3.Connection:
    """The store, read-only, needing no free space; sqlite3.Error if it cannot be read so."""
    if _log_size(path):
        _fold_log(path, timeout)
    if _log_size(path):
        raise sqlite3.OperationalError(
            "its write-ahead log holds changes that need free space to be read"
        )
    uri = f"{path.resolve().as_uri()}?mode=ro&immutable=1"
    conn = sqlite3.connect(uri, uri=True, timeout=timeout, check_same_thread=False)
    try:
        conn.execute("SELECT count(*) FROM sqlite_master").fetchone()  # fail now, not later
    except sqlite3.Error:
        conn.close()
        raise
    return conn


def _shared_memory_ready(path: Path) -> bool:
    """Is the -shm file there at its first full size (32 KiB), so readers need no space?"""
    try:
        return path.with_name(path.name + "-shm").stat().st_size >= _SHM_SIZE
    except OSError:
        return False


def _log_size(path: Path) -> int:
    try:
        return path.with_name(path.name + "-wal").stat().st_size
    except OSError:
        return 0


def _fold_log(path: Path, timeout: float) -> None:
    """Copy the log's pages into the store file; closing the connection removes the log."""
    uri = f"{path.resolve().as_uri()}?mode=rw"
    with (
        contextlib.suppress(sqlite3.Error),
        contextlib.closing(sqlite3.connect(uri, uri=True, timeout=timeout)) as conn,
    ):
        conn.execute("PRAGMA locking_mode=EXCLUSIVE")
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()
