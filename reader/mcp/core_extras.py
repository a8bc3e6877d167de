"""What the MCP face needs from core beyond `reader.core.library` and `reader.core.model`.

Imported here and nowhere else in reader/mcp, so re-laying out reader/core updates one file.
"""

from __future__ import annotations

from contextlib import AbstractContextManager

from reader.core.export import annotate, render, to_markdown  # LAYOUT: moves with the re-layout
from reader.core.locking import locked  # LAYOUT: moves with the re-layout
from reader.core.sorts import SORTS  # LAYOUT: moves with the re-layout
from reader.core.userdata import SaveError, UserData  # LAYOUT: moves with the re-layout

__all__ = [
    "SORTS",
    "SaveError",
    "UserData",
    "annotate",
    "notes_locked",
    "render",
    "to_markdown",
]

# LAYOUT: moves with the re-layout. The OS lock reader/core/userdata/notes.py takes around every
# note save; holding it across reading a note and saving it makes an append one step for every
# other reader process (it is reentrant in one thread, so the save inside takes it again).
_NOTES_LOCK = "notes"


def notes_locked(user: UserData) -> AbstractContextManager[None]:
    """Hold the notes' lock: no other process saves a note until the block ends."""
    return locked(user.lock_dir, _NOTES_LOCK)
