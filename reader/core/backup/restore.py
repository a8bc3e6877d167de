"""Restoring an archive: verified in full first, then swapped in; nothing is overwritten.

The archive is extracted into a staging folder beside the data and verified there
(verify.py): a damaged or hostile archive is refused before anything moves. Then the current
store, user folder and index move aside into `before-restore-<time>/` and the staged ones take
their place, while every user file's lock is held, so no reader saves a file half-way
through; the library rebuilds the index on its next open.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import time
from contextlib import ExitStack, closing
from dataclasses import dataclass
from pathlib import Path

from reader.core.backup.manifest import STORE_NAME, USER_PREFIX, BackupError
from reader.core.backup.verify import extract_verified
from reader.core.durable import clean_stale_temps, fsync_dir, temp_path_for
from reader.core.locking import locked
from reader.core.paths import DataPaths
from reader.core.userdata import BOOKMARKS, READ, SEARCH_STATE, SEARCHES, TAGS

_LOCK_NAMES = [fmt.file_name for fmt in (BOOKMARKS, READ, TAGS, SEARCHES, SEARCH_STATE)] + ["notes"]
_SQLITE_SIDE_FILES = ("-wal", "-shm", "-journal")


@dataclass(slots=True)
class RestoreReport:
    archive: Path
    aside: Path  # where the data that was there before now lives
    papers: int
    user_files: int

    def to_dict(self) -> dict[str, object]:
        return {
            "archive": str(self.archive),
            "aside": str(self.aside),
            "papers": self.papers,
            "user_files": self.user_files,
            "index": "rebuilt on next open",
        }


def restore_backup(paths: DataPaths, archive: Path) -> RestoreReport:
    """Verify archive, move the current data aside, put the archive's data in its place."""
    archive = Path(archive)
    if not archive.is_file():
        raise BackupError(f"no such backup: {archive}")
    paths.ensure()
    stamp = time.strftime("%Y%m%d-%H%M%S")
    clean_stale_temps(paths.data_dir)
    staging = temp_path_for(paths.data_dir / "restore")
    aside = paths.data_dir / f"before-restore-{stamp}"
    count = 1
    while aside.exists():
        count += 1
        aside = paths.data_dir / f"before-restore-{stamp}-{count}"
    staging.mkdir()
    try:
        manifest = extract_verified(archive, staging)
        with ExitStack() as stack:  # no reader may save a user file half-way through
            for name in _LOCK_NAMES:
                stack.enter_context(locked(paths.data_dir / ".locks", name))
            _swap_in(paths, staging, aside)
    except OSError as error:
        reason = getattr(error, "strerror", None) or str(error) or type(error).__name__
        raise BackupError(f"could not restore {archive}: {reason}") from error
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return RestoreReport(archive, aside, manifest.papers, len(manifest.files))


def _swap_in(paths: DataPaths, staging: Path, aside: Path) -> None:
    """Move current store, user folder and index into aside, then staged ones in; on any
    failure, move everything back as it was."""
    _checkpoint(paths.store)
    current = [paths.store.with_name(paths.store.name + s) for s in ("", *_SQLITE_SIDE_FILES)]
    current += [paths.user_dir, paths.index_dir]
    moved: list[tuple[Path, Path]] = []
    try:
        aside.mkdir()
        for path in current:
            if path.exists():
                os.replace(path, aside / path.name)
                moved.append((aside / path.name, path))
        for staged, final in ((staging / STORE_NAME, paths.store), (staging / USER_PREFIX, None)):
            final = final or paths.user_dir
            if staged.exists():
                os.replace(staged, final)
                moved.append((final, staging / staged.name))
        fsync_dir(paths.data_dir)
    except OSError as error:
        for source, back in reversed(moved):
            os.replace(source, back)
        raise BackupError(f"could not restore into {paths.data_dir}: {error}") from None


def _checkpoint(store: Path) -> None:
    """Fold the WAL into the store file so the copy set aside is complete on its own."""
    if not store.exists():
        return
    try:
        with closing(sqlite3.connect(store, timeout=10)) as conn:
            conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    except sqlite3.DatabaseError:
        pass  # a damaged store moves aside as it is, with its side files
