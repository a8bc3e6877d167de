"""Reading an archive back: each member checked before a byte of it lands, and as it lands.

Before anything is extracted: the members must be exactly those the manifest lists, each the
size the manifest says (and the zip's own header must agree), none may claim more than
deflate could plausibly have made of its compressed bytes (a zip bomb), and together they must
fit in the free space where they go, with room to spare. While extracting, each member is
hashed as it streams to disk, and stops the moment it passes its size. Then the hashes are
compared and SQLite checks the store copy. Used when a backup is written (to verify it) and
before a restore.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import sqlite3
import zipfile
from collections.abc import Iterator
from contextlib import closing, contextmanager
from pathlib import Path

from reader.core.backup.manifest import (
    MANIFEST,
    STORE_NAME,
    BackupError,
    Manifest,
    read_manifest,
    safe_member,
)
from reader.core.durable import temp_path_for

MAX_RATIO = 100  # uncompressed : compressed; real stores and notes deflate 2:1 to 6:1
RATIO_FROM = 16 * 2**20  # smaller members may be mostly zeros (a new store) and that is fine
SPARE = 16 * 2**20  # free space to leave on the disk after extracting


@contextmanager
def scratch(folder: Path) -> Iterator[Path]:
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
    with scratch(scratch_in or archive.parent) as work:
        return extract_verified(archive, work)


def check_sqlite(conn: sqlite3.Connection, path: Path) -> int:
    """The number of papers in a sound store; BackupError if SQLite finds it damaged."""
    rows = conn.execute("PRAGMA integrity_check").fetchall()
    if rows != [("ok",)]:
        raise BackupError(f"the store copy {path} is damaged: {rows[0][0]}")
    has_papers = conn.execute(
        "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'papers'"
    ).fetchone()
    return conn.execute("SELECT count(*) FROM papers").fetchone()[0] if has_papers else 0


def extract_verified(archive: Path, into: Path) -> Manifest:
    """Extract to `into` (store copy and user/), verifying everything on the way."""
    try:
        with zipfile.ZipFile(archive) as zipped:
            manifest = read_manifest(zipped, archive)
            _check_members(zipped, archive, manifest, into)
            for entry in manifest.entries:
                _extract_one(zipped, archive, entry, into)
    except (zipfile.BadZipFile, zipfile.LargeZipFile) as error:
        raise BackupError(f"{archive} is not a readable reader backup: {error}") from None
    except OSError as error:
        raise BackupError(f"could not read {archive}: {error.strerror or error}") from None
    if manifest.store:
        with closing(sqlite3.connect(into / STORE_NAME)) as conn:
            try:
                check_sqlite(conn, into / STORE_NAME)
            except sqlite3.DatabaseError as error:
                raise BackupError(f"the store in {archive} is damaged: {error}") from None
    return manifest


def _check_members(zipped: zipfile.ZipFile, archive: Path, manifest: Manifest, into: Path) -> None:
    """Everything that can be known before a byte is written: names, sizes, room."""
    listed = manifest.entries
    names = {str(entry["path"]) for entry in listed}
    members = set(zipped.namelist()) - {MANIFEST}
    if names != members or len(names) != len(listed):
        odd = sorted(names ^ members) or ["duplicate entries"]
        raise BackupError(f"{archive} does not match its manifest: {odd[0]}")
    for entry in listed:
        name, size = str(entry["path"]), int(entry["size"])  # type: ignore[call-overload]
        info = zipped.getinfo(name)
        if info.file_size != size:
            raise BackupError(f"{archive}: {name} is not the size its manifest says")
        if size > RATIO_FROM and size > MAX_RATIO * max(info.compress_size, 1):
            raise BackupError(
                f"{archive}: {name} would expand {info.compress_size:,} bytes to {size:,} "
                "(a zip bomb, or a damaged archive)"
            )
    needed = sum(int(entry["size"]) for entry in listed)  # type: ignore[call-overload]
    free = shutil.disk_usage(into).free
    if needed + SPARE > free:
        raise BackupError(
            f"{archive} holds {needed:,} bytes; {into.parent} has {free:,} bytes free, "
            f"and {SPARE // 2**20} MiB more must stay free"
        )


def _extract_one(zipped: zipfile.ZipFile, archive: Path, entry: dict, into: Path) -> None:
    name, size = str(entry["path"]), int(entry["size"])
    target = into.joinpath(*safe_member(name).parts)
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
