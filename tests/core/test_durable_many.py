"""Many files replaced at once (an import's notes): each old or new, never a mix, every one on
disk before any is renamed, one disk sync for them all, and no temp file left by a failure."""

from __future__ import annotations

import errno
import os
import sys
from pathlib import Path

import pytest

from reader.core import durable
from reader.core.durable import TEMP_MARK, atomic_write_many


def temps(folder: Path) -> list[Path]:
    return [path for path in folder.iterdir() if TEMP_MARK in path.name]


class Calls:
    """The order of the OS calls that matter: syncs (file or disk) and renames."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch, fail_rename: int = 0) -> None:
        self.log: list[str] = []
        self.renames = 0
        self.fail_rename = fail_rename
        real_fsync, real_replace = durable.hooks.fsync, durable.hooks.replace
        real_sync = durable.hooks.sync

        def fsync(fd: int) -> None:
            self.log.append("fsync")
            real_fsync(fd)

        def replace(source: str | Path, target: str | Path) -> None:
            self.renames += 1
            if self.renames == self.fail_rename:
                raise OSError(errno.EIO, os.strerror(errno.EIO))
            self.log.append(f"rename {Path(target).name}")
            real_replace(source, target)

        def sync() -> None:
            self.log.append("sync")
            real_sync()

        monkeypatch.setattr(durable.hooks, "fsync", fsync)
        monkeypatch.setattr(durable.hooks, "replace", replace)
        monkeypatch.setattr(durable.hooks, "sync", sync)


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="one sync() is Linux's")
def test_every_file_is_on_disk_before_any_is_renamed_with_one_sync(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "b.md").write_bytes(b"old")
    calls = Calls(monkeypatch)
    files = {tmp_path / f"{name}.md": name.encode() * 3 for name in "abc"}
    atomic_write_many(files)
    assert {path: path.read_bytes() for path in files} == files
    renames = [f"rename {name}.md" for name in "abc"]
    assert calls.log == ["sync", *renames, "fsync"]  # then the folder, once
    assert temps(tmp_path) == []


def test_a_failed_rename_leaves_the_rest_untouched_and_no_temp(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    for name in "abc":
        (tmp_path / f"{name}.md").write_bytes(b"old")
    Calls(monkeypatch, fail_rename=2)
    files = {tmp_path / f"{name}.md": b"new" for name in "abc"}
    with pytest.raises(OSError):
        atomic_write_many(files)
    assert [(tmp_path / f"{name}.md").read_bytes() for name in "abc"] == [b"new", b"old", b"old"]
    assert temps(tmp_path) == []


def test_nothing_to_write_syncs_nothing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    calls = Calls(monkeypatch)
    atomic_write_many({})
    assert calls.log == []
