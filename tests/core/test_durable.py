"""Atomic writes: old or new bytes, never a mix; a failed write leaves the old file and no temp."""

from __future__ import annotations

import errno
import os
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from reader.core import durable
from reader.core.durable import TEMP_MARK, atomic_write_bytes, clean_stale_temps, temp_path_for


def fail_on_call(real: Callable[..., Any], nth: int, code: int) -> Callable[..., Any]:
    """real, except that call number nth raises OSError(code): a fault at the OS boundary."""
    calls = 0

    def hook(*args: Any) -> Any:
        nonlocal calls
        calls += 1
        if calls == nth:
            raise OSError(code, os.strerror(code))
        return real(*args)

    return hook


def temps(folder: Path) -> list[Path]:
    return [path for path in folder.iterdir() if TEMP_MARK in path.name]


def test_writes_the_exact_bytes_and_replaces_the_old_file(tmp_path: Path) -> None:
    target = tmp_path / "a.yaml"
    atomic_write_bytes(target, b"old\r\n")
    atomic_write_bytes(target, b"new\r\n\x00")
    assert target.read_bytes() == b"new\r\n\x00"
    assert temps(tmp_path) == []


def test_a_short_write_is_continued_until_every_byte_is_out(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def short_write(fd: int, data: bytes) -> int:
        return os.write(fd, data[: max(1, len(data) // 3)])

    monkeypatch.setattr(durable.hooks, "write", short_write)
    data = os.urandom(3 * 1024 * 1024 + 17)
    atomic_write_bytes(tmp_path / "big", data)
    assert (tmp_path / "big").read_bytes() == data


def test_the_file_and_then_its_folder_are_synced(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    synced: list[bool] = []

    def fsync(fd: int) -> None:
        synced.append(os.path.isdir(f"/proc/self/fd/{fd}"))
        os.fsync(fd)

    monkeypatch.setattr(durable.hooks, "fsync", fsync)
    atomic_write_bytes(tmp_path / "a", b"x")
    assert synced == [False, True]


def test_a_rewritten_file_keeps_its_permissions(tmp_path: Path) -> None:
    target = tmp_path / "private.yaml"
    atomic_write_bytes(target, b"one")
    target.chmod(0o600)
    atomic_write_bytes(target, b"two")
    assert target.stat().st_mode & 0o777 == 0o600


@pytest.mark.parametrize("hook", ["open", "write", "fsync", "replace"])
@pytest.mark.parametrize("code", [errno.ENOSPC, errno.EIO, errno.EACCES])
def test_a_failing_os_call_leaves_the_old_file_and_no_temp(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, hook: str, code: int
) -> None:
    target = tmp_path / "tags.yaml"
    atomic_write_bytes(target, b"old content\n")
    monkeypatch.setattr(durable.hooks, hook, fail_on_call(getattr(durable.hooks, hook), 1, code))

    with pytest.raises(OSError) as raised:
        atomic_write_bytes(target, b"new content\n")

    assert raised.value.errno == code
    assert target.read_bytes() == b"old content\n"
    assert temps(tmp_path) == []


def _dead_pid() -> int:
    child = subprocess.Popen([sys.executable, "-c", "pass"])
    child.wait()
    return child.pid


def test_stale_temps_of_dead_writers_are_removed_and_live_ones_kept(tmp_path: Path) -> None:
    target = tmp_path / "tags.yaml"
    dead = tmp_path / f".tags.yaml{TEMP_MARK}{_dead_pid()}-0badc0de"
    live = temp_path_for(target)  # this process: alive, mid-save
    old_live = tmp_path / f".read.yaml{TEMP_MARK}{os.getppid()}-00000001"
    garbled = tmp_path / f".x{TEMP_MARK}notapid"
    others = [tmp_path / ".hidden", tmp_path / "tags.yaml", tmp_path / "notes.md"]
    for path in [dead, live, old_live, garbled, *others]:
        path.write_bytes(b"partial")
    two_hours_ago = time.time() - 7200
    os.utime(old_live, (two_hours_ago, two_hours_ago))  # pid reuse: too old to be a live save

    removed = clean_stale_temps(tmp_path)

    assert sorted(removed) == sorted([dead, old_live, garbled])
    assert live.exists()
    assert all(path.exists() for path in others)


def test_cleaning_a_missing_folder_is_a_no_op(tmp_path: Path) -> None:
    assert clean_stale_temps(tmp_path / "missing") == []
