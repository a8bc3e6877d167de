"""Completion of a file path from what is on disk, for the import and export prompts.

The last part of the path being typed is completed with the first name in its folder that
starts with it (a folder gets its "/"), as a shell's Tab would; `~` stands for the home
folder. Hidden names are offered only once a "." is typed. The folder is read in a thread:
a slow disk never stalls typing.
"""

from __future__ import annotations

import asyncio
import os
from pathlib import Path

from textual.suggester import Suggester

_MAX_NAMES = 5000  # a folder read no further than this (a huge one still completes quickly)


def complete_path(value: str) -> str | None:
    """value completed with the first matching name on disk, or None."""
    if not value:
        return None
    expanded = os.path.expanduser(value)
    folder, sep, start = expanded.rpartition(os.sep)
    where = Path((folder or os.sep) if sep else ".")
    names: list[tuple[str, bool]] = []
    try:
        with os.scandir(where) as entries:
            for count, entry in enumerate(entries):
                if count >= _MAX_NAMES:
                    break
                name = entry.name
                if name.startswith(start) and len(name) > len(start):
                    if name.startswith(".") and not start.startswith("."):
                        continue
                    names.append((name, entry.is_dir()))
    except OSError:
        return None
    if not names:
        return None
    name, is_dir = min(names)
    return value + name[len(start) :] + (os.sep if is_dir else "")


class PathSuggester(Suggester):
    def __init__(self) -> None:
        super().__init__(use_cache=False, case_sensitive=True)

    async def get_suggestion(self, value: str) -> str | None:
        return await asyncio.to_thread(complete_path, value)
