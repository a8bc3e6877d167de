"""The ways user data can fail, each one line that names the file (and line) to look at."""

from __future__ import annotations

from pathlib import Path


class UserFileError(Exception):
    """A user file that could not be read: kept byte for byte, and never saved over."""

    def __init__(
        self,
        path: Path,
        message: str,
        line: int = 0,
        column: int = 0,
        key_path: str = "",
    ) -> None:
        self.path = Path(path)
        self.line = line
        self.column = column
        self.key_path = key_path
        self.message = message
        super().__init__(str(self))

    @property
    def where(self) -> str:
        """FILE:LINE:COL (or FILE when the problem has no position)."""
        if self.line:
            return f"{self.path}:{self.line}:{self.column}"
        return str(self.path)

    def __str__(self) -> str:
        reason = f"{self.key_path}: {self.message}" if self.key_path else self.message
        return f"could not read {self.where}: {_one_line(reason)}"


class SaveError(Exception):
    """A save that did not happen; the edit stays in memory so a retry can save it."""

    def __init__(self, path: Path, reason: str) -> None:
        self.path = Path(path)
        self.reason = reason
        super().__init__(str(self))

    def __str__(self) -> str:
        return f"could not save {self.path}: {_one_line(self.reason)}"


class NotIndexed(Exception):
    """An edit that was saved, but the search index could not take it (a full disk, say).

    Not a failed save: the user's data is on disk and stays; only searches by tag, note or
    bookmark miss the change until the index is put right."""

    def __init__(self, ids: list[str], reason: str) -> None:
        self.ids = ids
        self.reason = reason
        super().__init__(str(self))

    def __str__(self) -> str:
        papers = self.ids[0] if len(self.ids) == 1 else f"{len(self.ids)} papers"
        return (
            f"saved, but the search index could not be updated for {papers} "
            f"({_one_line(self.reason)}); `reader index rebuild` puts it right"
        )


def _one_line(text: str) -> str:
    return " ".join(text.split())
