"""Writes that survive kill -9 and power loss: temp file, fsync, rename, fsync of the folder.

A reader of the target path sees either the old bytes or the new bytes, never a mix: the new
bytes go to a temp file in the same folder (same file system, so the rename is atomic), are
flushed to disk, and only then replace the target; the folder is synced so the rename itself
is durable. A process killed mid-save leaves a temp file behind; `clean_stale_temps` removes
the ones whose writer is gone.

Every OS call goes through `hooks`, so tests can inject ENOSPC, EIO or EACCES at the Nth call
(fault injection at the OS boundary; our own logic runs for real).
"""

from __future__ import annotations

import os
import secrets
import shutil
import sys
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path

TEMP_MARK = ".reader-tmp-"
# Linux's sync() returns once everything is on disk; elsewhere it may only start the writes.
_ONE_SYNC = sys.platform.startswith("linux")
STALE_AFTER_SECONDS = 3600.0  # a temp this old is stale even if its pid looks alive (pid reuse)
_CHUNK = 1 << 20


def _sync_everything() -> None:
    """Everything written to the disks (os.sync; Windows has none, and atomic_write_many
    syncs file by file there)."""
    if hasattr(os, "sync"):
        os.sync()


@dataclass(slots=True)
class OsHooks:
    """The OS calls a durable write makes; tests swap one for a faulty twin."""

    open: Callable[..., int] = os.open
    write: Callable[[int, bytes], int] = os.write
    fsync: Callable[[int], None] = os.fsync
    replace: Callable[[str | Path, str | Path], None] = os.replace
    sync: Callable[[], None] = _sync_everything


hooks = OsHooks()


def temp_path_for(target: Path) -> Path:
    """A hidden, unique sibling of target that names the writing process."""
    token = secrets.token_hex(4)
    return target.with_name(f".{target.name}{TEMP_MARK}{os.getpid()}-{token}")


def atomic_write_bytes(target: Path, data: bytes) -> None:
    """Replace target with data so that any reader, even after a crash, sees old or new.

    Raises OSError (the target untouched) when any step fails; the temp file is removed.
    """
    target = Path(target)
    temp = _written_temp(target, data, sync=True)
    try:
        hooks.replace(temp, target)
    except BaseException:
        _unlink_quietly(temp)
        raise
    fsync_dir(target.parent)


def atomic_write_many(files: Mapping[Path, bytes]) -> None:
    """Replace each file with its data as atomic_write_bytes does, with one sync of the disk
    for them all instead of one per file: for thousands of files at once (an import's notes),
    where a sync each is most of the time. Every file is on disk before any is renamed into
    place. Raises OSError when a step fails: files renamed before it are replaced, the others
    untouched, and no temp file stays."""
    temps: list[tuple[Path, Path]] = []
    try:
        for target, data in files.items():
            temps.append((_written_temp(Path(target), data, sync=not _ONE_SYNC), Path(target)))
        if _ONE_SYNC and temps:
            hooks.sync()
        while temps:
            temp, target = temps[0]
            hooks.replace(temp, target)
            temps.pop(0)
    except BaseException:
        for temp, _target in temps:
            _unlink_quietly(temp)
        raise
    for folder in {Path(target).parent for target in files}:
        fsync_dir(folder)


def _written_temp(target: Path, data: bytes, *, sync: bool) -> Path:
    """A new temp file beside target holding data (synced to disk if asked)."""
    temp = temp_path_for(target)
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0)
    fd = hooks.open(temp, flags, 0o666)
    try:
        try:
            _keep_mode(fd, target)
            view = memoryview(data)
            while view:
                written = hooks.write(fd, bytes(view[:_CHUNK]))
                view = view[written:]
            if sync:
                hooks.fsync(fd)
        finally:
            os.close(fd)
    except BaseException:
        _unlink_quietly(temp)
        raise
    return temp


def atomic_write_text(target: Path, text: str) -> None:
    """UTF-8, and no newline translation: the bytes on disk are exactly the text."""
    atomic_write_bytes(target, text.encode("utf-8"))


def fsync_dir(folder: Path) -> None:
    """Make a rename in folder durable; a no-op where folders cannot be opened (Windows)."""
    if os.name == "nt":
        return
    fd = os.open(folder, os.O_RDONLY)
    try:
        hooks.fsync(fd)
    finally:
        os.close(fd)


def clean_stale_temps(folder: Path) -> list[Path]:
    """Remove temp files (and scratch folders) left by writers that died mid-save; a live
    writer's temp stays."""
    removed: list[Path] = []
    try:
        entries = list(os.scandir(folder))
    except OSError:
        return removed
    now = time.time()
    for entry in entries:
        if not entry.name.startswith(".") or TEMP_MARK not in entry.name:
            continue
        pid = _writer_pid(entry.name)
        try:
            age = now - entry.stat(follow_symlinks=False).st_mtime
        except OSError:
            continue
        if age < STALE_AFTER_SECONDS and pid is not None and _alive(pid):
            continue
        path = Path(entry.path)
        if entry.is_dir(follow_symlinks=False):
            shutil.rmtree(path, ignore_errors=True)
            removed.append(path)
        elif _unlink_quietly(path):
            removed.append(path)
    return removed


def _writer_pid(name: str) -> int | None:
    tail = name.rsplit(TEMP_MARK, 1)[-1]
    pid_text = tail.split("-", 1)[0]
    return int(pid_text) if pid_text.isdigit() else None


def _alive(pid: int) -> bool:
    if pid == os.getpid():
        return True
    if os.name == "nt":  # os.kill(pid, 0) would terminate it there; trust the age alone
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _keep_mode(fd: int, target: Path) -> None:
    """A rewritten file keeps the permissions the user gave it."""
    if not hasattr(os, "fchmod"):
        return
    try:
        mode = target.stat().st_mode & 0o7777
    except FileNotFoundError:
        return
    os.fchmod(fd, mode)


def _unlink_quietly(path: Path) -> bool:
    try:
        path.unlink()
    except OSError:
        return False
    return True
