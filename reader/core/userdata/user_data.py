"""UserData: the user's files as one object (see the package's docstring for the guarantees)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path
from typing import Any

from reader.core.durable import clean_stale_temps
from reader.core.paths import DataPaths
from reader.core.userdata.bulk import bookmark_all, gather, tag_all
from reader.core.userdata.errors import NotIndexed, SaveError, UserFileError
from reader.core.userdata.files import Signature, UserFile, os_reason
from reader.core.userdata.formats import (
    BOOKMARKS,
    DIGEST_STATE,
    DISMISSED,
    FOLLOWS,
    MUTES,
    QUEUE,
    READ,
    SEARCH_STATE,
    SEARCHES,
    TAGS,
    Moments,
    Queries,
    Queue,
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
from reader.core.userdata.reading_queue import ReadingQueue
from reader.core.userdata.saved import Aliases, SavedSearch, SavedSearches, now_iso
from reader.core.userdata.values import ResolveAll
from reader.core.userdata.watchlists import Watchlist


def _identity(paper_id: str) -> str:
    return paper_id


class UserData:
    def __init__(
        self,
        paths: DataPaths,
        resolve: Resolve = _identity,
        on_change: Callable[[str], None] | None = None,
        aliases: Aliases | None = None,
        resolve_all: ResolveAll | None = None,
    ) -> None:
        """resolve gives the current id of one id; resolve_all, when given, of many at once
        (id -> current id, ids it does not know left out): a file is read with one call."""
        self.paths = paths
        self.resolve = resolve
        self.on_change = on_change
        folder = paths.user_dir
        self.lock_dir = paths.data_dir / ".locks"
        self.kept_dir = folder / "kept"
        summaries_dir = paths.summaries_dir
        for stale_in in (folder, paths.notes_dir, summaries_dir, self.kept_dir):
            clean_stale_temps(stale_in)

        def open_file(fmt: Any) -> UserFile[Any]:
            return UserFile(folder, self.lock_dir, self.kept_dir, fmt, resolve, resolve_all)

        self._bookmarks: UserFile[Times] = open_file(BOOKMARKS)
        self._read: UserFile[Times] = open_file(READ)
        self._tags: UserFile[Tags] = open_file(TAGS)
        self._dismissed: UserFile[Times] = open_file(DISMISSED)
        searches: UserFile[Searches] = open_file(SEARCHES)
        state: UserFile[SearchState] = open_file(SEARCH_STATE)
        follows: UserFile[Queries] = open_file(FOLLOWS)
        mutes: UserFile[Queries] = open_file(MUTES)
        queue: UserFile[Queue] = open_file(QUEUE)
        self._digest: UserFile[Moments] = open_file(DIGEST_STATE)
        self._files: list[UserFile[Any]] = [
            self._bookmarks,
            self._read,
            self._tags,
            self._dismissed,
            searches,
            state,
            follows,
            mutes,
            queue,
            self._digest,
        ]
        self._saved = SavedSearches(searches, state, aliases)
        self._notes = Notes(paths.notes_dir, self.lock_dir, self.kept_dir, resolve, resolve_all)
        # Summaries are one Markdown file per paper, as notes are: the same class keeps them.
        self._summaries = Notes(summaries_dir, self.lock_dir, self.kept_dir, resolve, resolve_all)
        self._texts = (self._notes, self._summaries)
        self.follows = Watchlist(follows, "followed queries")
        self.mutes = Watchlist(mutes, "muted queries")
        self.queue = ReadingQueue(queue, self._current)

    # -- state -----------------------------------------------------------------------------

    @property
    def load_errors(self) -> list[UserFileError]:
        """Files that could not be read: kept as they are, shown to the user, not saved over.
        (Reads every file that was not read yet.)"""
        for file in self._files:
            file.load()
        return self.errors_so_far

    @property
    def errors_so_far(self) -> list[UserFileError]:
        """load_errors of the files read so far: a command warns about the files it used."""
        errors = [file.error for file in self._files if file.loaded and file.error is not None]
        return errors + [error for texts in self._texts for error in texts.errors.values()]

    @property
    def kept(self) -> list[Path]:
        """Copies made before a save dropped something (comments, an old version, a note)."""
        kept = [path for file in self._files for path in file.kept]
        return kept + [path for texts in self._texts for path in texts.kept]

    @property
    def pending(self) -> bool:
        """True while an edit waits in memory for a save that failed."""
        return any(file.pending for file in self._files) or any(t.pending for t in self._texts)

    def signatures(self) -> dict[str, Signature | None]:
        """(size, mtime_ns, inode) of every user file by name (None: no such file), each note
        as `notes/<file name>`: compare two of these to know whether anything changed."""
        found: dict[str, Signature | None] = {f.fmt.file_name: f.signature() for f in self._files}
        for texts in self._texts:
            found |= texts.signatures()
        return found

    def refresh(self) -> set[str]:
        """Re-read what another process changed since we last looked (a stat per file);
        returns the ids whose bookmark, read state, tags or note changed."""
        changed: set[str] = set()
        for file in self._files:
            file.refresh()
            changed |= file.take_noticed()  # and what the re-reads before saves found
        for texts in self._texts:
            changed |= texts.changes()
        return changed

    def catch_up(self) -> None:
        """The cheap part of refresh (a stat per YAML file, one for the notes folder): call it
        just before reading a paper's data for the index, under the index's write lock, so the
        last writer of the index writes what is on disk now (refresh still reports the ids)."""
        for file in self._files:
            file.refresh()
        for texts in self._texts:
            texts.rescan_if_moved()

    def reresolve(self) -> None:
        """Fold entries under ids that became aliases; call after an import merged papers."""
        for file in self._files:
            file.recanonicalize()
        for texts in self._texts:
            texts.scan()

    def save_pending(self) -> None:
        """Retry every edit whose save failed; raises the first SaveError still failing (or,
        when all saved, the first NotIndexed)."""
        failures: list[SaveError] = []
        unindexed: list[NotIndexed] = []
        for flush in [file.flush for file in self._files] + [t.flush for t in self._texts]:
            try:
                saved = flush()
            except SaveError as error:
                failures.append(error)
                continue
            try:
                self._changed(saved)
            except NotIndexed as error:
                unindexed.append(error)
        if failures:
            raise failures[0]
        if unindexed:
            raise unindexed[0]

    def _current(self, pid: str) -> str:
        return safe_resolve(self.resolve, check_id(pid))

    def _changed(self, pids: Iterable[str]) -> None:
        """Saved: now re-index. A failure there is NotIndexed, never a failed save."""
        if self.on_change is None or not pids:
            return
        self.catch_up()
        failed: list[str] = []
        reason = ""
        for pid in sorted(pids):
            try:
                self.on_change(pid)
            except Exception as error:  # whatever the index met, the edit itself is saved
                failed.append(pid)
                reason = reason or _reason(error)
        if failed:
            raise NotIndexed(failed, reason)

    # -- bookmarks, read state, "not for me" --------------------------------------------------

    def is_bookmarked(self, pid: str) -> bool:
        return pid in self._bookmarks.view

    def set_bookmark(self, pid: str, on: bool) -> None:
        self._changed(_mark(self._bookmarks, self._current(pid), on))

    def bookmarks(self) -> set[str]:
        return set(self._bookmarks.view)

    def is_read(self, pid: str) -> bool:
        return pid in self._read.view

    def set_read(self, pid: str, read: bool) -> None:
        self._changed(_mark(self._read, self._current(pid), read))

    def read_ids(self) -> set[str]:
        return set(self._read.view)

    def is_dismissed(self, pid: str) -> bool:
        return pid in self._dismissed.view

    def set_dismissed(self, pid: str, dismissed: bool) -> None:
        """Mark a paper "not for me" (For you hides it and learns from it), or take it back.
        The index holds nothing of it, so nothing is re-indexed."""
        _mark(self._dismissed, self._current(pid), dismissed)

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
        """The note ("" if none, or if its file cannot be read: then it is in load_errors)."""
        return self._notes.get(pid)

    def read_note(self, pid: str) -> str:
        """The note ("" if none); UserFileError names a note file that cannot be read."""
        return self._notes.get(pid, strict=True)

    def set_note(self, pid: str, text: str) -> None:
        """Save the note exactly as given; "" deletes the note file."""
        self._changed(self._notes.set(self._current(pid), text))

    def append_note(self, pid: str, text: str) -> None:
        """Add text at the end of the note (a blank line between), never replacing a note
        another process saved meanwhile."""
        self._changed(self._notes.append(self._current(pid), text))

    def ids_with_notes(self) -> set[str]:
        return self._notes.ids()

    def note_path(self, pid: str) -> Path:
        """Where pid's note lives (or would): for `$EDITOR` and for the user to find it."""
        return self._notes.path_for(self._current(pid))

    # -- many papers at once ----------------------------------------------------------------

    def add_many(
        self,
        *,
        bookmarks: Iterable[str] = (),
        tags: Mapping[str, Iterable[str]] | None = None,
        notes: Mapping[str, str] | None = None,
    ) -> set[str]:
        """Bookmark papers and add tags and notes to them, bookmarks.yaml and tags.yaml each
        saved once (and one file per note): for an import of the user's library. What is
        there stays: a bookmark keeps its time, and a note that already holds the text is
        left alone (an import made twice adds nothing); another note gets the text after it.
        Returns the ids whose data changed, without calling on_change for each (the caller
        re-indexes them together). ValueError (a bad tag, a note that is not text) comes before
        anything is saved. A file that cannot be saved does not stop the others: the first
        SaveError is raised at the end, its edits pending as for one paper."""
        marked, tagged, noted = gather(self._current, bookmarks, tags or {}, notes or {})
        stamp = now_iso()
        steps: list[Callable[[], set[str]]] = [
            lambda: bookmark_all(self._bookmarks, marked, stamp) if marked else set(),
            lambda: tag_all(self._tags, tagged) if tagged else set(),
            lambda: self._notes.add_many(noted) if noted else set(),
        ]
        changed: set[str] = set()
        failures: list[SaveError] = []
        for step in steps:
            try:
                changed |= step()
            except SaveError as error:
                failures.append(error)
        if failures:
            raise failures[0]
        return changed

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

    def new_ids_since_opened(self, name: str, matching_ids: Iterable[str]) -> set[str]:
        return self._saved.new_ids_since_opened(name, matching_ids)

    # -- summaries (from the user's own tool) and the digest's memory -----------------------

    def summary(self, pid: str) -> str:
        return self._summaries.get(pid)

    def set_summary(self, pid: str, text: str) -> None:
        """Keep a paper's summary ("" deletes it); it is indexed as `summary:`."""
        self._changed(self._summaries.set(self._current(pid), text))

    def ids_with_summaries(self) -> set[str]:
        return self._summaries.ids()

    def summary_path(self, pid: str) -> Path:
        return self._summaries.path_for(self._current(pid))

    def last_digest(self) -> str | None:
        """When the last digest was made (UTC, ISO 8601), None before the first."""
        return self._digest.view.get("last")

    def set_last_digest(self, when: str) -> None:
        def mark(data: Moments) -> None:
            data["last"] = when

        self._digest.edit(mark)


def _mark(file: UserFile[Times], pid: str, on: bool) -> set[str]:
    """Mark pid in a file of marked papers (with when), or take the mark off; what changed."""
    stamp = now_iso()

    def change(data: Times) -> None:
        if on:
            data.setdefault(pid, stamp)
        else:
            data.pop(pid, None)

    return file.edit(change, pid)


def _reason(error: Exception) -> str:
    if isinstance(error, OSError):
        return os_reason(error)
    return " ".join(str(error).split()) or type(error).__name__
