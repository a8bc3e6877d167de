"""Backups: one zip of the paper store and the user folder, verified before it counts.

The store is copied with SQLite's backup API (a consistent snapshot even while another process
writes; a raw copy of a live WAL database can miss committed pages). Every file in the archive
is listed in manifest.json with its size and SHA-256, and an archive is only trusted after every
member matches and the store copy passes `PRAGMA integrity_check`: when it is written, and again
before a restore. A restore never overwrites: the current store, user folder and index move
aside into `before-restore-<time>/`, and the library rebuilds the index on its next open.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import sqlite3
import time
import zipfile
from collections.abc import Iterator
from contextlib import ExitStack, closing, contextmanager
from dataclasses import dataclass
from datetime import date
from pathlib import Path, PurePosixPath

from reader import __version__
from reader.core.durable import TEMP_MARK, clean_stale_temps, fsync_dir, temp_path_for
from reader.core.locking import LockBusy, locked
from reader.core.paths import DataPaths
from reader.core.userdata import BOOKMARKS, READ, SEARCH_STATE, SEARCHES, TAGS

FORMAT = "reader-backup"
FORMAT_VERSION = 1
MANIFEST = "manifest.json"
STORE_NAME = "papers.sqlite3"
USER_PREFIX = "user"
DAILY_KEEP = 7
_DAILY = re.compile(r"reader-daily-(\d{4}-\d{2}-\d{2})\.zip")
_LOCK_NAMES = [fmt.file_name for fmt in (BOOKMARKS, READ, TAGS, SEARCHES, SEARCH_STATE)] + ["notes"]
_SQLITE_SIDE_FILES = ("-wal", "-shm", "-journal")


class BackupError(Exception):
    """A backup or restore that did not happen; one line, naming the file."""


@dataclass(slots=True)
class Manifest:
    created: str
    reader_version: str
    store: dict[str, object] | None  # {"path", "size", "sha256", "papers"}
    files: list[dict[str, object]]  # [{"path", "size", "sha256"}], user files

    @property
    def papers(self) -> int:
        return int(self.store["papers"]) if self.store else 0  # type: ignore[call-overload]

    def to_dict(self) -> dict[str, object]:
        return {
            "format": FORMAT,
            "version": FORMAT_VERSION,
            "created": self.created,
            "reader_version": self.reader_version,
            "store": self.store,
            "files": self.files,
        }


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


def _stamp() -> str:
    return time.strftime("%Y%m%d-%H%M%S")


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _user_files(user_dir: Path) -> Iterator[Path]:
    """Every regular file of the user folder, except temp files of saves in flight."""
    if not user_dir.is_dir():
        return
    for path in sorted(user_dir.rglob("*")):
        if path.is_file() and not path.is_symlink() and TEMP_MARK not in path.name:
            yield path


def snapshot_store(store: Path, target: Path) -> int:
    """Copy the live store to target with the backup API; returns its number of papers."""
    source = sqlite3.connect(f"{store.resolve().as_uri()}?mode=rw", uri=True, timeout=30)
    with closing(source), closing(sqlite3.connect(target)) as copy:
        source.backup(copy)
        copy.execute("PRAGMA journal_mode=DELETE")  # one self-contained file in the archive
        return _check_sqlite(copy, target)


def _check_sqlite(conn: sqlite3.Connection, path: Path) -> int:
    rows = conn.execute("PRAGMA integrity_check").fetchall()
    if rows != [("ok",)]:
        raise BackupError(f"the store copy {path} is damaged: {rows[0][0]}")
    has_papers = conn.execute(
        "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'papers'"
    ).fetchone()
    return conn.execute("SELECT count(*) FROM papers").fetchone()[0] if has_papers else 0


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
        with _scratch(paths.data_dir) as work:
            manifest = Manifest(time.strftime("%Y-%m-%dT%H:%M:%S%z"), __version__, None, [])
            with zipfile.ZipFile(temp, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as archive:
                if paths.store.exists():
                    copy = work / STORE_NAME
                    papers = snapshot_store(paths.store, copy)
                    manifest.store = _entry(copy, STORE_NAME) | {"papers": papers}
                    archive.write(copy, STORE_NAME)
                for path in _user_files(paths.user_dir):
                    name = f"{USER_PREFIX}/{path.relative_to(paths.user_dir).as_posix()}"
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


@contextmanager
def _scratch(folder: Path) -> Iterator[Path]:
    """A scratch folder next to the data (not in /tmp, which may be RAM), removed after; if
    we are killed first, clean_stale_temps removes it at the next start."""
    folder.mkdir(parents=True, exist_ok=True)
    path = temp_path_for(folder / "scratch")
    path.mkdir()
    try:
        yield path
    finally:
        shutil.rmtree(path, ignore_errors=True)


def verify_archive(archive: Path, scratch_in: Path | None = None) -> Manifest:
    """Check every member against the manifest and the store copy's integrity."""
    with _scratch(scratch_in or archive.parent) as work:
        return _extract_verified(archive, work)


def _safe_member(name: str) -> PurePosixPath:
    path = PurePosixPath(name)
    ok = (name == STORE_NAME or (len(path.parts) > 1 and path.parts[0] == USER_PREFIX)) and not (
        path.is_absolute() or "\\" in name or any(p in ("", ".", "..") for p in path.parts)
    )
    if not ok or ":" in name or "\x00" in name:
        raise BackupError(f"unsafe file name in the archive: {name!r}")
    return path


def _extract_verified(archive: Path, into: Path) -> Manifest:
    """Extract to `into` (store copy and user/), verifying everything on the way."""
    try:
        with zipfile.ZipFile(archive) as zipped:
            try:
                raw = json.loads(zipped.read(MANIFEST))
            except KeyError:
                raise BackupError(f"{archive} is not a reader backup (no {MANIFEST})") from None
            manifest = _read_manifest(archive, raw)
            listed = [manifest.store] if manifest.store else []
            listed += manifest.files
            names = {str(entry["path"]) for entry in listed}
            members = set(zipped.namelist()) - {MANIFEST}
            if names != members or len(names) != len(listed):
                odd = sorted(names ^ members) or ["duplicate entries"]
                raise BackupError(f"{archive} does not match its manifest: {odd[0]}")
            for entry in listed:
                _extract_one(zipped, archive, entry, into)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, json.JSONDecodeError) as error:
        raise BackupError(f"{archive} is not a readable reader backup: {error}") from None
    except OSError as error:
        raise BackupError(f"could not read {archive}: {error.strerror or error}") from None
    if manifest.store:
        with closing(sqlite3.connect(into / STORE_NAME)) as conn:
            try:
                _check_sqlite(conn, into / STORE_NAME)
            except sqlite3.DatabaseError as error:
                raise BackupError(f"the store in {archive} is damaged: {error}") from None
    return manifest


def _read_manifest(archive: Path, raw: object) -> Manifest:
    if not isinstance(raw, dict) or raw.get("format") != FORMAT:
        raise BackupError(f"{archive} is not a reader backup (unknown manifest)")
    if raw.get("version") != FORMAT_VERSION:
        raise BackupError(f"{archive} is backup format {raw.get('version')}; this reader reads 1")
    files = raw.get("files")
    store = raw.get("store")
    entries = [*(files if isinstance(files, list) else [None]), *([store] if store else [])]
    for entry in entries:
        if not (
            isinstance(entry, dict)
            and isinstance(entry.get("path"), str)
            and isinstance(entry.get("size"), int)
            and isinstance(entry.get("sha256"), str)
        ):
            raise BackupError(f"{archive} has a damaged manifest")
        _safe_member(entry["path"])
    if store and store["path"] != STORE_NAME:
        raise BackupError(f"{archive} has a damaged manifest")
    return Manifest(str(raw.get("created", "")), str(raw.get("reader_version", "")), store, files)


def _extract_one(zipped: zipfile.ZipFile, archive: Path, entry: dict, into: Path) -> None:
    name, size = str(entry["path"]), int(entry["size"])
    target = into.joinpath(*_safe_member(name).parts)
    target.parent.mkdir(parents=True, exist_ok=True)
    digest, written = hashlib.sha256(), 0
    with zipped.open(name) as source, open(target, "wb") as out:
        while block := source.read(1 << 20):
            written += len(block)
            if written > size:  # never trust the archive's own idea of sizes
                raise BackupError(f"{archive}: {name} is larger than its manifest says")
            digest.update(block)
            out.write(block)
        out.flush()
        os.fsync(out.fileno())
    if written != size or digest.hexdigest() != entry["sha256"]:
        raise BackupError(f"{archive}: {name} does not match its checksum (damaged archive)")


def restore_backup(paths: DataPaths, archive: Path) -> RestoreReport:
    """Verify archive, move the current data aside, put the archive's data in its place."""
    archive = Path(archive)
    if not archive.is_file():
        raise BackupError(f"no such backup: {archive}")
    paths.ensure()
    stamp = _stamp()
    clean_stale_temps(paths.data_dir)
    staging = temp_path_for(paths.data_dir / "restore")
    aside = paths.data_dir / f"before-restore-{stamp}"
    count = 1
    while aside.exists():
        count += 1
        aside = paths.data_dir / f"before-restore-{stamp}-{count}"
    staging.mkdir()
    try:
        manifest = _extract_verified(archive, staging)
        with ExitStack() as stack:  # no reader may save a user file half-way through
            for name in _LOCK_NAMES:
                stack.enter_context(locked(paths.data_dir / ".locks", name))
            _swap_in(paths, staging, aside)
    except OSError as error:
        raise BackupError(f"could not restore {archive}: {_reason(error)}") from error
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


def daily_dir(paths: DataPaths) -> Path:
    return paths.backups_dir / "daily"


def daily_path(paths: DataPaths, today: date | None = None) -> Path:
    return daily_dir(paths) / f"reader-daily-{(today or date.today()).isoformat()}.zip"


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
