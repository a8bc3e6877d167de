"""What a backup archive holds (manifest.json): every member with its size and SHA-256.

An archive is only as trustworthy as the file that tells what it holds, so the manifest is
read with a size limit (a manifest that expands to a gigabyte is refused unread) and its
shape checked entry by entry: safe member names, sizes, hashes. Errors name the archive.
"""

from __future__ import annotations

import json
import zipfile
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

FORMAT = "reader-backup"
FORMAT_VERSION = 1
MANIFEST = "manifest.json"
STORE_NAME = "papers.sqlite3"
USER_PREFIX = "user"
MAX_MANIFEST = 64 * 2**20  # 150 bytes an entry: room for 400,000 notes


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

    @property
    def entries(self) -> list[dict[str, object]]:
        """Every member the archive holds besides the manifest, the store first."""
        return ([self.store] if self.store else []) + self.files

    def to_dict(self) -> dict[str, object]:
        return {
            "format": FORMAT,
            "version": FORMAT_VERSION,
            "created": self.created,
            "reader_version": self.reader_version,
            "store": self.store,
            "files": self.files,
        }


def read_manifest(zipped: zipfile.ZipFile, archive: Path) -> Manifest:
    """The archive's manifest, checked; BackupError (naming the archive) if it is missing,
    too big, not JSON, nested too deep or the wrong shape."""
    try:
        info = zipped.getinfo(MANIFEST)
    except KeyError:
        raise BackupError(f"{archive} is not a reader backup (no {MANIFEST})") from None
    if info.file_size > MAX_MANIFEST:
        raise BackupError(f"{archive} has a damaged manifest ({info.file_size:,} bytes)")
    with zipped.open(info) as handle:
        raw = handle.read(MAX_MANIFEST + 1)  # the header's size is the archive's word only
    if len(raw) > MAX_MANIFEST:
        raise BackupError(f"{archive} has a damaged manifest (over {MAX_MANIFEST:,} bytes)")
    try:
        data = json.loads(raw)
    except (ValueError, RecursionError) as error:
        reason = "nested too deep" if isinstance(error, RecursionError) else str(error)
        raise BackupError(f"{archive} has a damaged manifest (not JSON: {reason})") from None
    return _checked(archive, data)


def _checked(archive: Path, raw: object) -> Manifest:
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
            and type(entry.get("size")) is int
            and entry["size"] >= 0
            and isinstance(entry.get("sha256"), str)
        ):
            raise BackupError(f"{archive} has a damaged manifest")
        safe_member(entry["path"])
    if store and store["path"] != STORE_NAME:
        raise BackupError(f"{archive} has a damaged manifest")
    return Manifest(str(raw.get("created", "")), str(raw.get("reader_version", "")), store, files)


def safe_member(name: str) -> PurePosixPath:
    """The member's path if it can only land inside the folder it is extracted to."""
    path = PurePosixPath(name)
    ok = (name == STORE_NAME or (len(path.parts) > 1 and path.parts[0] == USER_PREFIX)) and not (
        path.is_absolute() or "\\" in name or any(p in ("", ".", "..") for p in path.parts)
    )
    if not ok or ":" in name or "\x00" in name:
        raise BackupError(f"unsafe file name in the archive: {name!r}")
    return path
