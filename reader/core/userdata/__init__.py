"""The user's own data: bookmarks, read state, tags, notes and saved searches.

Plain files in the user folder (DataPaths.user_dir), readable and mergeable by git or
Syncthing: bookmarks.yaml, read.yaml, tags.yaml, dismissed.yaml ("not for me"), searches.yaml,
search-state.yaml and notes/<safe id>.md. Every save is atomic (durable.py) and every
read-modify-write holds an OS lock (locking.py), so nothing typed is lost to a crash or to a
second reader running at once.
A file that cannot be read is reported (load_errors), kept byte for byte, and never saved
over; the rest of the data loads as usual.

Ids are resolved through `resolve` when a file is read and when data is changed, so entries
under an old id (an alias after a merge) count for the current id and are rewritten under it
on the next save. Queries (is_bookmarked, tags, note, ...) take current ids as they are: they
run per row of the TUI and must not cost a store lookup each.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from reader.core.durable import clean_stale_temps
from reader.core.paths import DataPaths
from reader.core.userdata.errors import SaveError, UserFileError
from reader.core.userdata.files import UserFile
from reader.core.userdata.formats import (
    BOOKMARKS,
    DISMISSED,
    READ,
    SEARCH_STATE,
    SEARCHES,
    TAGS,
    Resolve,
    Searches,
    SearchState,
    Tags,
    Times,
    check_id,
    clean_tag,
    safe_resolve,
    sorted_tags,
)
from reader.core.userdata.notes import Notes
from reader.core.userdata.saved import Aliases, SavedSearch, SavedSearches, now_iso

__all__ = [
    "BOOKMARKS",
    "DISMISSED",
    "READ",
    "SEARCHES",
    "SEARCH_STATE",
    "TAGS",
    "SaveError",
    "SavedSearch",
    "UserData",
    "UserFileError",
]


def _identity(paper_id: str) -> str:
    return paper_id


class UserData:
    def __init__(
        self,
        paths: DataPaths,
        resolve: Resolve = _identity,
        on_change: Callable[[str], None] | None = None,
        aliases: Aliases | None = None,
    ) -> None:
        self.paths = paths
        self.resolve = resolve
        self.on_change = on_change
        folder = paths.user_dir
        self.lock_dir = paths.data_dir / ".locks"
        self.kept_dir = folder / "kept"
        for stale_in in (folder, paths.notes_dir, self.kept_dir):
            clean_stale_temps(stale_in)

        def open_file(fmt: Any) -> UserFile[Any]:
            return UserFile(folder, self.lock_dir, self.kept_dir, fmt, resolve)

        self._bookmarks: UserFile[Times] = open_file(BOOKMARKS)
        self._read: UserFile[Times] = open_file(READ)
        self._tags: UserFile[Tags] = open_file(TAGS)
        self._dismissed: UserFile[Times] = open_file(DISMISSED)
        searches: UserFile[Searches] = open_file(SEARCHES)
        state: UserFile[SearchState] = open_file(SEARCH_STATE)
        self._files: list[UserFile[Any]] = [
            self._bookmarks,
            self._read,
            self._tags,
            self._dismissed,
            searches,
            state,
        ]
        self._saved = SavedSearches(searches, state, aliases)
        self._notes = Notes(paths.notes_dir, self.lock_dir, self.kept_dir, resolve)

    # -- state -----------------------------------------------------------------------------

    @property
    def load_errors(self) -> list[UserFileError]:
        """Files that could not be read: kept as they are, shown to the user, not saved over."""
        errors = [file.error for file in self._files if file.error is not None]
        return errors + list(self._notes.errors.values())

    @property
    def kept(self) -> list[Path]:
        """Copies made before a save dropped something (comments, an old version, a note)."""
        return [path for file in self._files for path in file.kept] + self._notes.kept

    @property
    def pending(self) -> bool:
        """True while an edit waits in memory for a save that failed."""
        return any(file.pending for file in self._files) or self._notes.pending

    def reload(self) -> None:
        """Re-read the files another process changed since we last looked (stat check)."""
        for file in self._files:
            file.refresh()
        self._notes.refresh()

    def reresolve(self) -> None:
        """Fold entries under ids that became aliases; call after an import merged papers."""
        for file in self._files:
            file.recanonicalize()
        self._notes.scan()

    def save_pending(self) -> None:
        """Retry every edit whose save failed; raises the first SaveError still failing."""
        failures: list[SaveError] = []
        for flush in [file.flush for file in self._files] + [self._notes.flush]:
            try:
                saved = flush()
            except SaveError as error:
                failures.append(error)
            else:
                self._changed(saved)
        if failures:
            raise failures[0]

    def _current(self, pid: str) -> str:
        return safe_resolve(self.resolve, check_id(pid))

    def _changed(self, pids: Iterable[str]) -> None:
        if self.on_change is not None:
            for pid in sorted(pids):
                self.on_change(pid)

    # -- bookmarks -------------------------------------------------------------------------

    def is_bookmarked(self, pid: str) -> bool:
        return pid in self._bookmarks.view

    def set_bookmark(self, pid: str, on: bool) -> None:
        pid, stamp = self._current(pid), now_iso()

        def change(data: Times) -> None:
            if on:
                data.setdefault(pid, stamp)
            else:
                data.pop(pid, None)

        self._changed(self._bookmarks.edit(change, pid))

    def bookmarks(self) -> set[str]:
        return set(self._bookmarks.view)

    # -- read state ------------------------------------------------------------------------

    def is_read(self, pid: str) -> bool:
        return pid in self._read.view

    def set_read(self, pid: str, read: bool) -> None:
        pid, stamp = self._current(pid), now_iso()

        def change(data: Times) -> None:
            if read:
                data.setdefault(pid, stamp)
            else:
                data.pop(pid, None)

        self._changed(self._read.edit(change, pid))

    def read_ids(self) -> set[str]:
        return set(self._read.view)

    # -- not for me ------------------------------------------------------------------------

    def is_dismissed(self, pid: str) -> bool:
        return pid in self._dismissed.view

    def set_dismissed(self, pid: str, dismissed: bool) -> None:
        """Mark a paper "not for me" (For you hides it and learns from it), or take it back.
        The index holds nothing of it, so nothing is re-indexed."""
        pid, stamp = self._current(pid), now_iso()

        def change(data: Times) -> None:
            if dismissed:
                data.setdefault(pid, stamp)
            else:
                data.pop(pid, None)

        self._dismissed.edit(change, pid)

    def dismissed(self) -> set[str]:
        return set(self._dismissed.view)

    # -- tags ------------------------------------------------------------------------------

    def tags(self, pid: str) -> list[str]:
        return list(self._tags.view.get(pid, ()))

    def add_tags(self, pid: str, tags: Iterable[str]) -> list[str]:
        """Add tags (ValueError names a bad one); returns the paper's tags after the change."""
        pid, clean = self._current(pid), {clean_tag(tag) for tag in tags}

        def change(data: Tags) -> None:
            merged = set(data.get(pid, ())) | clean
            if merged:
                data[pid] = sorted_tags(merged)

        self._changed(self._tags.edit(change, pid))
        return self.tags(pid)

    def remove_tags(self, pid: str, tags: Iterable[str]) -> list[str]:
        pid, gone = self._current(pid), {tag.strip() for tag in tags}

        def change(data: Tags) -> None:
            left = set(data.get(pid, ())) - gone
            if left:
                data[pid] = sorted_tags(left)
            else:
                data.pop(pid, None)

        self._changed(self._tags.edit(change, pid))
        return self.tags(pid)

    def all_tags(self) -> dict[str, int]:
        """Every tag and how many papers carry it, most used first (for completion)."""
        counts = Counter(tag for tags in self._tags.view.values() for tag in tags)
        return dict(sorted(counts.items(), key=lambda item: (-item[1], item[0].casefold())))

    def tagged(self) -> dict[str, list[str]]:
        return {pid: list(tags) for pid, tags in self._tags.view.items()}

    # -- notes -----------------------------------------------------------------------------

    def note(self, pid: str) -> str:
        return self._notes.get(pid)

    def set_note(self, pid: str, text: str) -> None:
        """Save the note exactly as given; "" deletes the note file."""
        self._changed(self._notes.set(self._current(pid), text))

    def ids_with_notes(self) -> set[str]:
        return self._notes.ids()

    def note_path(self, pid: str) -> Path:
        """Where pid's note lives (or would): for `$EDITOR` and for the user to find it."""
        return self._notes.path_for(self._current(pid))

    # -- saved searches --------------------------------------------------------------------

    def saved_searches(self) -> list[SavedSearch]:
        return self._saved.all()

    def add_saved(self, name: str, query: str, sort: str = "relevance") -> SavedSearch:
        """ValueError if the name is taken or invalid; nothing is overwritten silently."""
        return self._saved.add(name, query, sort)

    def remove_saved(self, name: str) -> None:
        self._saved.remove(name)

    def mark_opened(self, name: str, matching_ids: Iterable[str]) -> None:
        self._saved.mark_opened(name, matching_ids)

    def new_since_opened(self, name: str, matching_ids: Iterable[str]) -> int:
        return self._saved.new_since_opened(name, matching_ids)
