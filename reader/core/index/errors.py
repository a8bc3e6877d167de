"""What can be wrong with an index folder, each a one-line message for the user."""

from __future__ import annotations

from pathlib import Path

from reader.core.index.intake import FORMAT_VERSION


class IndexDamaged(Exception):
    """The index cannot be read; `reader index rebuild` makes a fresh one from the store."""

    def __init__(self, message: str, reason: str = "") -> None:
        super().__init__(message)
        self.reason = reason or message  # what is wrong, without the advice


class IndexBusy(Exception):
    """Another process is writing the index and did not finish within the timeout."""


class IndexFormat(Exception):
    """The index is in another version of reader's format (FORMAT.md): `found` is older (it
    is rebuilt from the store) or newer (refused: a newer reader wrote it)."""

    def __init__(self, folder: Path, found: int) -> None:
        self.found = found
        self.newer = found > FORMAT_VERSION
        if self.newer:
            message = (
                f"search index {folder} was written by a newer reader (format {found}; this "
                f"reader reads format {FORMAT_VERSION}): use that reader, or run "
                "`reader index rebuild` to make an index this one reads"
            )
        else:
            message = (
                f"search index {folder} is in an older format ({found}); the next search "
                "rebuilds it, or run `reader index rebuild`"
            )
        super().__init__(message)
