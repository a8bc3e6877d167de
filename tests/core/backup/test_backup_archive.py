"""Backups of store and user data: verified when written, verified again before a restore, and
a restore that sets the current data aside instead of overwriting it."""

from __future__ import annotations

import hashlib
import json
import shutil
import sqlite3
import subprocess
import sys
import zipfile
from collections.abc import Callable, Iterator
from contextlib import closing
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest

from reader.core import importers
from reader.core.backup.archive import (
    BackupError,
    create_backup,
    ensure_daily_backup,
    list_daily,
    verify_archive,
)
from reader.core.backup.restore import restore_backup
from reader.core.durable import TEMP_MARK
from reader.core.library.dedupe import merge_record
from reader.core.model import Record
from reader.core.paths import DataPaths
from reader.core.store.database import Store
from reader.core.store.integrity import check_store
from reader.core.userdata import UserData

Change = Callable[[dict[str, bytes]], None]
SEEDS = sorted((Path(importers.__file__).parents[2] / "sample").glob("*.txt"))


def import_seeds(store: Store) -> int:
    with store.transaction():
        for seed in SEEDS:
            for item in importers.read_path(seed):
                if isinstance(item, Record):
                    merge_record(store, item)
    return store.count()


def fill_user_data(paths: DataPaths) -> UserData:
    user = UserData(paths)
    user.set_bookmark("2401.00001", True)
    user.add_tags("2401.00001", ["rl"])
    user.set_read("2401.00002", True)
    user.set_note("hep-th/9901001", "[bold]my note[/]\r\n")
    user.add_saved("weekly", "diffusion is:unread")
    return user


def tree(folder: Path) -> dict[str, bytes]:
    return {
        str(p.relative_to(folder)): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file() and ".locks" not in p.parts
    }


@pytest.fixture
def store(paths: DataPaths) -> Iterator[Store]:
    store = Store(paths.store)
    store.conn.execute("PRAGMA wal_autocheckpoint=0")  # commits stay in the WAL file
    import_seeds(store)
    yield store
    store.close()


def test_a_live_wal_store_and_the_user_files_round_trip(
    paths: DataPaths, store: Store, tmp_path: Path
) -> None:
    fill_user_data(paths)
    papers = store.count()
    raw_copy = tmp_path / "raw.sqlite3"
    shutil.copyfile(paths.store, raw_copy)  # what a naive copy of a live WAL store gets
    with closing(sqlite3.connect(raw_copy)) as conn:
        raw_count = conn.execute("SELECT count(*) FROM sqlite_master").fetchone()[0]
    assert raw_count == 0 < papers  # the naive copy misses everything still in the WAL

    archive, manifest = create_backup(paths, tmp_path / "backup.zip")

    assert manifest.papers == papers > 400
    assert verify_archive(archive).papers == papers
    with zipfile.ZipFile(archive) as zipped:
        names = set(zipped.namelist())
    assert {"manifest.json", "papers.sqlite3", "user/bookmarks.yaml"} <= names
    assert "user/notes/hep-th%2F9901001.md" in names
    assert not any(".reader-tmp-" in name or ".lock" in name for name in names)

    other = DataPaths(tmp_path / "other", tmp_path / "other" / "config")
    report = restore_backup(other, archive)

    assert (report.papers, report.user_files) == (papers, 5)
    with closing(sqlite3.connect(other.store)) as conn:
        assert conn.execute("SELECT count(*) FROM papers").fetchone()[0] == papers
    assert tree(other.user_dir) == tree(paths.user_dir)
    restored = UserData(other)
    assert restored.note("hep-th/9901001") == "[bold]my note[/]\r\n"
    assert restored.tags("2401.00001") == ["rl"]


def test_restore_sets_the_current_data_aside_and_drops_the_index(
    paths: DataPaths, store: Store, tmp_path: Path
) -> None:
    fill_user_data(paths)
    archive, _ = create_backup(paths, tmp_path / "b.zip")
    user = UserData(paths)
    user.add_tags("2401.00009", ["after-backup"])
    (paths.index_dir).mkdir()
    (paths.index_dir / "segment").write_bytes(b"index")
    before_user = tree(paths.user_dir)
    store.close()

    report = restore_backup(paths, archive)

    assert report.aside.parent == paths.data_dir
    assert report.aside.name.startswith("before-restore-")
    assert tree(report.aside / "user") == before_user  # nothing overwritten: all set aside
    assert (report.aside / "index" / "segment").read_bytes() == b"index"
    assert (report.aside / "papers.sqlite3").exists()
    assert not paths.index_dir.exists()  # the library rebuilds it on its next open
    assert "2401.00009" not in UserData(paths).tagged()
    user.set_bookmark("2401.00005", True)  # a running instance saves on top of the restore
    assert UserData(paths).bookmarks() == {"2401.00001", "2401.00005"}
    assert not [p for p in paths.data_dir.iterdir() if TEMP_MARK in p.name]


def test_an_existing_file_is_never_overwritten(paths: DataPaths, tmp_path: Path) -> None:
    fill_user_data(paths)
    target = tmp_path / "taken.zip"
    target.write_bytes(b"precious")
    with pytest.raises(BackupError, match="exists; not overwriting"):
        create_backup(paths, target)
    assert target.read_bytes() == b"precious"


def _rewrite(archive: Path, target: Path, change: Change) -> Path:
    """A copy of archive with its members (name -> bytes) passed through change."""
    with zipfile.ZipFile(archive) as zipped:
        members = {name: zipped.read(name) for name in zipped.namelist()}
    change(members)
    with zipfile.ZipFile(target, "w") as out:
        for name, data in members.items():
            out.writestr(name, data)
    return target


def _manifest(members: dict[str, bytes]) -> dict[str, Any]:
    return json.loads(members["manifest.json"])


def _evil_path(members: dict[str, bytes]) -> None:
    manifest = _manifest(members)
    manifest["files"][0]["path"] = "user/../../evil.yaml"
    members["user/../../evil.yaml"] = members.pop("user/bookmarks.yaml")
    members["manifest.json"] = json.dumps(manifest).encode()


def _extra(members: dict[str, bytes]) -> None:
    members["user/sneaky.yaml"] = b"x"


def _flip(members: dict[str, bytes]) -> None:
    members["user/bookmarks.yaml"] = members["user/bookmarks.yaml"].replace(b"2401", b"2402")


def _bad_store(members: dict[str, bytes]) -> None:
    data = bytearray(members["papers.sqlite3"])
    data[5000:9000] = b"\xff" * 4000
    members["papers.sqlite3"] = bytes(data)
    manifest = _manifest(members)
    manifest["store"]["sha256"] = hashlib.sha256(data).hexdigest()
    members["manifest.json"] = json.dumps(manifest).encode()


def _no_manifest(members: dict[str, bytes]) -> None:
    del members["manifest.json"]


def _wrong_format(members: dict[str, bytes]) -> None:
    members["manifest.json"] = b'{"format": "zotero"}'


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (_evil_path, "unsafe file name"),
        (_extra, "does not match its manifest"),
        (_flip, "does not match its checksum"),
        (_bad_store, "damaged"),
        (_no_manifest, "not a reader backup"),
        (_wrong_format, "not a reader backup"),
    ],
)
def test_a_damaged_or_hostile_archive_is_refused_before_anything_moves(
    paths: DataPaths,
    store: Store,
    tmp_path: Path,
    change: Change,
    message: str,
) -> None:
    fill_user_data(paths)
    archive, _ = create_backup(paths, tmp_path / "good.zip")
    bad = _rewrite(archive, tmp_path / "bad.zip", change)
    before = tree(paths.user_dir)

    with pytest.raises(BackupError, match=message):
        restore_backup(paths, bad)

    assert tree(paths.user_dir) == before
    assert not (tmp_path / "evil.yaml").exists() and not (paths.data_dir / "evil.yaml").exists()
    assert not [p for p in paths.data_dir.iterdir() if p.name.startswith("before-")]
    assert not [p for p in paths.data_dir.iterdir() if TEMP_MARK in p.name]


@pytest.mark.parametrize("content", [b"", b"not a zip at all", b"PK\x03\x04truncated"])
def test_a_file_that_is_not_an_archive_is_refused(
    paths: DataPaths, tmp_path: Path, content: bytes
) -> None:
    fill_user_data(paths)
    bad = tmp_path / "bad.zip"
    bad.write_bytes(content)
    with pytest.raises(BackupError, match="not a readable reader backup"):
        restore_backup(paths, bad)


def test_daily_backups_are_made_once_a_day_and_the_last_seven_kept(
    paths: DataPaths, store: Store
) -> None:
    fill_user_data(paths)
    first = date(2024, 5, 1)
    folder = paths.backups_dir / "daily"
    folder.mkdir(parents=True)
    (folder / "mine.zip").write_bytes(b"not ours")

    made = [ensure_daily_backup(paths, first + timedelta(days=i)) for i in range(9)]
    again = ensure_daily_backup(paths, first + timedelta(days=8))

    assert all(made) and again is None
    kept = list_daily(paths)
    assert [p.name for p in kept] == [
        f"reader-daily-{(first + timedelta(days=i)).isoformat()}.zip" for i in range(2, 9)
    ]
    assert all(verify_archive(p).papers == store.count() for p in kept)
    assert (folder / "mine.zip").read_bytes() == b"not ours"


def test_no_daily_backup_of_an_empty_data_dir(paths: DataPaths) -> None:
    assert ensure_daily_backup(paths) is None
    assert not paths.backups_dir.exists()


def test_a_sound_store_passes_the_check(paths: DataPaths, store: Store) -> None:
    assert check_store(paths) is None
    assert check_store(DataPaths(paths.data_dir / "none", paths.config_dir)) is None


def test_a_damaged_store_is_set_aside_and_the_way_back_told(
    paths: DataPaths, store: Store, tmp_path: Path
) -> None:
    fill_user_data(paths)
    archive, _ = create_backup(paths, paths.backups_dir / "reader-manual.zip")
    store.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    store.close()
    data = bytearray(paths.store.read_bytes())
    data[4096 * 3 : 4096 * 6] = b"\x13" * (4096 * 3)  # a few pages of garbage
    paths.store.write_bytes(bytes(data))

    message = check_store(paths)

    assert message is not None and message.startswith("the paper store was damaged")
    assert f"reader restore {archive}" in message
    [aside] = paths.data_dir.glob("papers.sqlite3.damaged-*")
    assert aside.read_bytes() == bytes(data)
    assert not paths.store.exists()
    restore_backup(paths, archive)
    assert check_store(paths) is None


def test_a_file_that_is_not_a_database_is_set_aside(paths: DataPaths) -> None:
    paths.store.parent.mkdir(parents=True)
    paths.store.write_bytes(b"this is not sqlite" * 100)
    message = check_store(paths)
    assert message is not None and "no backup was found" in message
    assert not paths.store.exists()


def test_scratch_left_by_a_killed_backup_is_removed_by_the_next_one(
    paths: DataPaths, tmp_path: Path
) -> None:
    fill_user_data(paths)
    child = subprocess.Popen([sys.executable, "-c", "pass"])
    child.wait()
    stale = paths.data_dir / f".scratch{TEMP_MARK}{child.pid}-00c0ffee"
    (stale / "user").mkdir(parents=True)
    (stale / "papers.sqlite3").write_bytes(b"x" * 1000)
    half = tmp_path / f".b.zip{TEMP_MARK}{child.pid}-00c0ffee"
    half.write_bytes(b"PK half an archive")

    create_backup(paths, tmp_path / "b.zip")

    assert not stale.exists() and not half.exists()
