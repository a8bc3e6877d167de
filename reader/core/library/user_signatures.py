"""What the index records of the user's files it takes in: a cheap signature of each, compared
at every open to tell whether any changed since (reader.core.library.index_keeper)."""

from __future__ import annotations

import os
from hashlib import blake2b
from pathlib import Path

from reader.core.paths import DataPaths

# The user's files the index takes in (notes and summaries are folders of files).
USER_FILES = ("bookmarks.yaml", "read.yaml", "tags.yaml")
NOTES = "notes"
SUMMARIES = "summaries"


def user_signatures(paths: DataPaths) -> dict[str, str]:
    """A signature of each user file the index takes in: a stat each (inode, size, time), and
    for the notes and summaries folders one over their files' stats. A save by rename changes
    it; so does an edit in place."""
    out = {name: _signature(paths.user_dir / name) for name in USER_FILES}
    out[NOTES] = _folder_signature(paths.notes_dir)
    out[SUMMARIES] = _folder_signature(paths.summaries_dir)
    return out


def _folder_signature(folder: Path) -> str:
    signature = blake2b(digest_size=8)
    try:
        entries = sorted(os.scandir(folder), key=lambda entry: entry.name)
    except OSError:
        entries = []
    for entry in entries:
        if entry.name.endswith(".md") and not entry.name.startswith("."):
            signature.update(f"{entry.name}\0{_signature(Path(entry.path))}\n".encode())
    return signature.hexdigest()


def _signature(path: Path) -> str:
    try:
        st = os.stat(path)
    except OSError:
        return "-"
    return f"{st.st_ino}:{st.st_size}:{st.st_mtime_ns}"
