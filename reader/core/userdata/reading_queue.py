"""The reading queue: queue.yaml, paper ids in the order the user means to read them.

Each change is an operation on the list as it is on disk at save time (files.py), so the app
moving a paper up while a script adds another keeps both. A paper is in the queue once; ids
that became aliases of one paper fold into its first place.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from reader.core.userdata.files import UserFile
from reader.core.userdata.formats import Queue


class ReadingQueue:
    def __init__(self, file: UserFile[Queue], current: Callable[[str], str]) -> None:
        self.file = file
        self._current = current  # checks an id and resolves it to the paper's current id

    def ids(self) -> list[str]:
        return list(self.file.view)

    def __contains__(self, pid: object) -> bool:
        return pid in self.file.view

    def __len__(self) -> int:
        return len(self.file.view)

    def position(self, pid: str) -> int | None:
        """0 for the next paper to read; None if pid is not queued."""
        try:
            return self.file.view.index(pid)
        except ValueError:
            return None

    def add(self, pids: Iterable[str], *, first: bool = False) -> list[str]:
        """Queue papers at the end (or first, in the order given); those already queued stay
        where they are. Returns the ids newly queued."""
        wanted = list(dict.fromkeys(self._current(pid) for pid in pids))
        fresh = [pid for pid in wanted if pid not in self.file.view]

        def add(data: Queue) -> None:
            new = [pid for pid in wanted if pid not in data]
            data[:] = [*new, *data] if first else [*data, *new]

        self.file.edit(add)
        return fresh

    def remove(self, pids: Iterable[str]) -> list[str]:
        """Take papers off; returns those that were queued."""
        gone = {self._current(pid) for pid in pids}
        removed = [pid for pid in self.file.view if pid in gone]
        if removed:
            self.file.edit(lambda data: _keep(data, lambda pid: pid not in gone))
        return removed

    def move(self, pid: str, steps: int) -> int:
        """Move a paper `steps` places later (negative: earlier), stopping at either end;
        returns its new position. ValueError if it is not queued."""
        pid = self._current(pid)
        at = self.position(pid)
        if at is None:
            raise ValueError(f"{pid} is not in the reading queue")
        return self.move_to(pid, at + steps)

    def move_to(self, pid: str, position: int) -> int:
        """Put a queued paper at `position` (0 first; clamped to the queue); its new place."""
        pid = self._current(pid)
        if pid not in self.file.view:
            raise ValueError(f"{pid} is not in the reading queue")

        def move(data: Queue) -> None:
            if pid in data:
                rest = [other for other in data if other != pid]
                rest.insert(max(0, min(position, len(rest))), pid)
                data[:] = rest

        self.file.edit(move)
        return self.position(pid) or 0


def _keep(data: Queue, wanted: Callable[[str], bool]) -> None:
    data[:] = [pid for pid in data if wanted(pid)]
