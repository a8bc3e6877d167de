"""The write tools, offered only under `reader mcp --allow-write`. Each is the CLI's own write
(`reader bookmark`, `reader tag`, `reader note`): an atomic save under the file's OS lock, so
the app and other reader processes can stay open, and their result is the CLI's --json."""

from __future__ import annotations

from collections.abc import Callable

from reader.core.library import Library, SaveError
from reader.mcp.access import ToolFailure
from reader.mcp.params import NoteText, PaperId, Tags

Data = dict[str, object]


def _current(library: Library, paper_id: str) -> str:
    current = library.resolve(paper_id)
    if current is None:
        raise ToolFailure(f"unknown paper: {paper_id}")
    return current


def _apply(action: str, change: Callable[[], object]) -> None:
    """A bad value or a failed save is one line, as `reader tag` and the others print it."""
    try:
        change()
    except (ValueError, SaveError, OSError) as error:  # OSError: a lock held too long
        raise ToolFailure(f"{action}: {error}") from error


def bookmark(library: Library, id: PaperId, on: bool = True) -> Data:
    pid, user = _current(library, id), library.user
    _apply("bookmark not changed", lambda: user.set_bookmark(pid, on))
    return {"id": pid, "bookmarked": user.is_bookmarked(pid)}


def add_tags(library: Library, id: PaperId, tags: Tags) -> Data:
    pid, user = _current(library, id), library.user
    _apply("tags not changed", lambda: user.add_tags(pid, tags))
    return {"id": pid, "tags": user.tags(pid)}


def append_note(library: Library, id: PaperId, text: NoteText) -> Data:
    """The note as it was, a blank line, then `text` (UserData.append_note: read and saved under
    the notes' lock, so a note another process saves meanwhile is neither lost nor replaced)."""
    pid, user = _current(library, id), library.user
    _apply("note not saved", lambda: user.append_note(pid, text))
    return {"id": pid, "note": user.note(pid), "path": str(user.note_path(pid))}
