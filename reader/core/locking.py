"""An OS lock around every read-modify-write, so two readers (TUI and CLI) never lose an edit.

The lock is a kernel lock (flock / LockFileEx via filelock) on a separate `.lock` file, never
on the data file itself: the data file is replaced by rename on every save, so a lock on it
would guard an inode nobody reads any more. Lock files live in `<data dir>/.locks`, outside
the user folder, so git or Syncthing never carry them to another machine. filelock is loaded
by the first lock taken: a process that only reads (a search, an import into a fresh data
folder) takes none.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

DEFAULT_TIMEOUT = 15.0


class LockBusy(OSError):
    """Another process held the lock for longer than we are willing to wait."""


def lock_file(lock_dir: Path, name: str) -> Path:
    return lock_dir / f"{name}.lock"


@contextmanager
def locked(lock_dir: Path, name: str, timeout: float = DEFAULT_TIMEOUT) -> Iterator[None]:
    """Hold the lock called name for the duration of the block (reentrant in one thread)."""
    from filelock import FileLock, Timeout

    lock_dir.mkdir(parents=True, exist_ok=True)
    path = lock_file(lock_dir, name)
    lock = FileLock(path, timeout=timeout, is_singleton=True)
    try:
        lock.acquire()
    except Timeout as error:
        raise LockBusy(
            f"another reader has held {path} for over {timeout:g} s; close it and retry"
        ) from error
    try:
        yield
    finally:
        lock.release()
