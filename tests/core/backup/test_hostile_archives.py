"""Archives that would cost disk or memory out of all proportion to their size are refused
before a byte of them is written: a member claiming gigabytes from a few compressed ones, more
than the disk has free, a manifest that expands beyond any real one or nests too deep. And a
user folder that is partly links is backed up whole, never with a silent gap."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import sys
import zipfile
from pathlib import Path

import pytest

from reader.core.backup import manifest as manifest_module
from reader.core.backup.archive import create_backup
from reader.core.backup.manifest import BackupError
from reader.core.backup.restore import restore_backup
from reader.core.durable import TEMP_MARK
from reader.core.paths import DataPaths
from reader.core.userdata import UserData

sys.path.insert(0, str(Path(__file__).parents[2] / "fixtures" / "disk"))

from small_disk import small_disk


def archive_of(target: Path, members: dict[str, bytes], manifest: object | None = None) -> Path:
    """A reader backup holding `members` (user files), with a manifest that tells the truth
    about them unless one is given."""
    files = [
        {"path": name, "size": len(data), "sha256": hashlib.sha256(data).hexdigest()}
        for name, data in members.items()
    ]
    if manifest is None:
        manifest = {"format": "reader-backup", "version": 1, "store": None, "files": files}
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as zipped:
        for name, data in members.items():
            zipped.writestr(name, data)
        text = manifest if isinstance(manifest, bytes) else json.dumps(manifest).encode()
        zipped.writestr("manifest.json", text)
    return target


def nothing_moved(paths: DataPaths) -> bool:
    names = [p.name for p in paths.data_dir.iterdir()]
    return not [n for n in names if n.startswith("before-restore") or TEMP_MARK in n]


def test_a_member_that_expands_out_of_all_proportion_is_refused_unwritten(
    paths: DataPaths, tmp_path: Path
) -> None:
    bomb = archive_of(tmp_path / "bomb.zip", {"user/notes/x.md": bytes(64 * 2**20)})
    assert bomb.stat().st_size < 2**20

    with pytest.raises(BackupError) as raised:
        restore_backup(paths, bomb)

    assert str(raised.value).startswith(f"{bomb}: user/notes/x.md would expand ")
    assert str(raised.value).endswith("to 67,108,864 (a zip bomb, or a damaged archive)")
    assert nothing_moved(paths)


def test_an_archive_bigger_than_the_free_space_is_refused_unwritten(tmp_path: Path) -> None:
    with small_disk(tmp_path / "disk", size="8m") as disk:
        paths = DataPaths(disk / "data", disk / "data" / "config")
        archive = archive_of(tmp_path / "big.zip", {"user/notes/x.md": os.urandom(10 * 2**20)})
        free = shutil.disk_usage(disk).free

        with pytest.raises(BackupError, match=r"holds 10,485,760 bytes; .* bytes free"):
            restore_backup(paths, archive)

        assert shutil.disk_usage(disk).free >= free  # not a page of it was written
        assert nothing_moved(paths)


def test_a_manifest_over_the_size_limit_is_not_read(
    paths: DataPaths, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(manifest_module, "MAX_MANIFEST", 2**20)
    padded = json.dumps({"format": "reader-backup", "padding": " " * 2**21}).encode()
    archive = archive_of(tmp_path / "fat.zip", {}, padded)

    with pytest.raises(BackupError) as raised:
        restore_backup(paths, archive)

    assert str(raised.value) == f"{archive} has a damaged manifest ({len(padded):,} bytes)"


def test_a_manifest_nested_too_deep_names_the_archive(paths: DataPaths, tmp_path: Path) -> None:
    archive = archive_of(tmp_path / "deep.zip", {}, b"[" * 100_000 + b"]" * 100_000)

    with pytest.raises(BackupError) as raised:
        restore_backup(paths, archive)

    assert str(raised.value) == f"{archive} has a damaged manifest (not JSON: nested too deep)"


def test_notes_kept_behind_a_link_are_backed_up_and_restored(
    paths: DataPaths, tmp_path: Path
) -> None:
    synced = tmp_path / "Sync" / "reader-notes"
    synced.mkdir(parents=True)
    paths.user_dir.mkdir(parents=True)
    (paths.user_dir / "notes").symlink_to(synced, target_is_directory=True)
    user = UserData(paths)
    user.set_note("2401.00001", "first note")
    user.set_note("2401.00002", "second note")
    (synced / "loop").symlink_to(paths.user_dir, target_is_directory=True)  # a cycle ends

    archive, manifest = create_backup(paths, tmp_path / "backup.zip")

    assert sorted(str(entry["path"]) for entry in manifest.files) == [
        "user/notes/2401.00001.md",
        "user/notes/2401.00002.md",
    ]
    other = DataPaths(tmp_path / "other", tmp_path / "other" / "config")
    assert restore_backup(other, archive).user_files == 2
    assert UserData(other).note("2401.00002") == "second note"


def test_a_link_to_nothing_stops_the_backup_naming_it(paths: DataPaths, tmp_path: Path) -> None:
    UserData(paths).set_note("2401.00001", "a note")
    gone = paths.notes_dir / "2401.00002.md"
    gone.symlink_to(tmp_path / "deleted.md")

    with pytest.raises(BackupError) as raised:
        create_backup(paths, tmp_path / "backup.zip")

    assert str(raised.value) == f"{gone} is a link to nothing; remove it or mend it"
    assert not (tmp_path / "backup.zip").exists()
