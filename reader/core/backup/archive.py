"""Backups: one zip of the paper store and the user folder, verified before it counts.

The store is copied with SQLite's backup API (a consistent snapshot even while another process
writes; a raw copy of a live WAL database can miss committed pages). Every file in the archive
is listed in manifest.json with its size and SHA-256 (manifest.py), and an archive is only
trusted after every member matches and the store copy passes `PRAGMA integrity_check`
(verify.py): when it is written, and again before a restore (restore.py).

The user folder is backed up as the app sees it: a folder or file in it that is a link (notes
kept in a synced folder, say) is followed, so no note is left out while the archive says
"verified"; a link to nothing stops the backup, naming it.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import sqlite3
import stat
import time
import zipfile
from collections.abc import Iterator
from contextlib import closing
from datetime import date
from pathlib import Path

from reader import __version__
from reader.core.backup.daily import daily_dir, daily_path
from reader.core.backup.manifest import MANIFEST, STORE_NAME, USER_PREFIX, BackupError, Manifest
from reader.core.backup.verify import check_sqlite, scratch, verify_archive
from reader.core.durable import TEMP_MARK, clean_stale_temps, fsync_dir, temp_path_for
from reader.core.locking import LockBusy, locked
from reader.core.paths import DataPaths

DAILY_KEEP = 7
_DAILY = re.compile(r"reader-daily-(\d{4}-\d{2}-\d{2})\.zip")


def _stamp() -> str:
    return time.strftime("%Y%m%d-%H%M%S")


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _user_files(user_dir: Path) -> Iterator[tuple[str, Path]]:
    """(name in the folder, path) of every file of the user folder, through links, except
    temp files of saves in flight and anything that is not a plain file (a pipe, a socket)."""
    if not user_dir.is_dir():
        return
    seen: set[tuple[int, int]] = set()  # folders walked, so a link to a parent ends
    for root, folders, files in os.walk(user_dir, followlinks=True):
        here = os.stat(root)
        seen.add((here.st_dev, here.st_ino))
        folders[:] = sorted(f for f in folders if _key(Path(root, f)) not in seen)
        for name in sorted(files):
            path = Path(root, name)
            if TEMP_MARK in name:
                continue
            try:
                mode = path.stat().st_mode
            except FileNotFoundError:
                raise BackupError(f"{path} is a link to nothing; remove it or mend it") from None
            except OSError as error:
                raise BackupError(f"could not read {path}: {_reason(error)}") from error
            if stat.S_ISREG(mode):
                yield path.relative_to(user_dir).as_posix(), path


def _key(folder: Path) -> tuple[int, int] | None:
    try:
        st = folder.stat()
    except OSError:
        return None
    return (st.st_dev, st.st_ino)


def snapshot_store(store: Path, target: Path) -> int:
    """Copy the live store to target with the backup API; returns its number of papers."""
    source = sqlite3.connect(f"{store.resolve().as_uri()}?mode=rw", uri=True, timeout=30)
    with closing(source), closing(sqlite3.connect(target)) as copy:
        source.backup(copy)
        copy.execute("PRAGMA journal_mode=DELETE")  # one self-contained file in the archive
        return check_sqlite(copy, target)


def create_backup(paths: DataPaths, target: Path | None = None) -> tuple[Path, Manifest]:
    """Write and verify one archive of store and user data; never overwrites an existing file."""
    target = Path(target) if target else paths.backups_dir / f"reader-{_stamp()}.zip"
    if target.exists():
        raise BackupError(f"{target} exists; not overwriting it (choose another name)")
    if not paths.store.exists() and not paths.user_dir.is_dir():
        raise BackupError(f"nothing to back up in {paths.data_dir}")
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
    except OSError as error:  # e.g. a file where the folder should be
        raise BackupError(f"could not write {target}: {_reason(error)}") from error
    for folder in {target.parent, paths.data_dir}:
        clean_stale_temps(folder)
    temp = temp_path_for(target)
    try:
        with scratch(paths.data_dir) as work:
            manifest = Manifest(time.strftime("%Y-%m-%dT%H:%M:%S%z"), __version__, None, [])
            with zipfile.ZipFile(temp, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as archive:
                if paths.store.exists():
                    copy = work / STORE_NAME
                    papers = snapshot_store(paths.store, copy)
                    manifest.store = _entry(copy, STORE_NAME) | {"papers": papers}
                    archive.write(copy, STORE_NAME)
                for relative, path in _user_files(paths.user_dir):
                    name = f"{USER_PREFIX}/{relative}"
                    data = path.read_bytes()  # one read: the hash is of what the archive holds
                    manifest.files.append(
                        {
                            "path": name,
                            "size": len(data),
                            "sha256": hashlib.sha256(data).hexdigest(),
                        }
                    )
                    archive.writestr(name, data)
                archive.writestr(MANIFEST, json.dumps(manifest.to_dict(), indent=2))
            with open(temp, "rb") as handle:
                os.fsync(handle.fileno())
            verify_archive(temp, paths.data_dir)
        os.replace(temp, target)
        fsync_dir(target.parent)
    except (OSError, sqlite3.Error) as error:
        temp.unlink(missing_ok=True)
        raise BackupError(f"could not write {target}: {_reason(error)}") from error
    except BaseException:
        temp.unlink(missing_ok=True)
        raise
    return target, manifest


def _reason(error: Exception) -> str:
    return getattr(error, "strerror", None) or str(error) or type(error).__name__


def _entry(path: Path, name: str) -> dict[str, object]:
    return {"path": name, "size": path.stat().st_size, "sha256": _sha256(path)}


def ensure_daily_backup(paths: DataPaths, today: date | None = None) -> Path | None:
    """Today's verified backup if there is none yet (then keep the last 7); None if today's
    exists, another process is making it, or there is nothing to back up. Cheap when
    today's exists: one stat."""
    target = daily_path(paths, today)
    if target.exists() or (not paths.store.exists() and not paths.user_dir.is_dir()):
        return None
    try:
        with locked(paths.data_dir / ".locks", "daily-backup", timeout=0):
            if target.exists():  # made while we waited for the lock
                return None
            create_backup(paths, target)
            for old in list_daily(paths)[:-DAILY_KEEP]:
                old.unlink(missing_ok=True)
    except LockBusy:
        return None  # another reader is making today's backup right now
    return target


def list_daily(paths: DataPaths) -> list[Path]:
    """The daily backups, oldest first (only files we named; anything else is left alone)."""
    folder = daily_dir(paths)
    if not folder.is_dir():
        return []
    return sorted(p for p in folder.iterdir() if _DAILY.fullmatch(p.name) and p.is_file())


def latest_backup(paths: DataPaths) -> Path | None:
    """The newest archive in the backups folder (daily or made by `reader backup`)."""
    if not paths.backups_dir.is_dir():
        return None
    found = [*paths.backups_dir.glob("*.zip"), *list_daily(paths)]
    return max(found, key=lambda p: p.stat().st_mtime, default=None)
