"""The index as a cache of the store and the user's files: opened, caught up, checked, fixed.

At open, two cheap looks tell whether anything is left to take in: the store's change counter
against the number the index recorded (reader.core.store.changes), and a stat of each user file
against the signatures it recorded (reader.core.index.intake). Only what changed is re-indexed:
the papers written since, and of the papers with user data (in the files or in the index)
those whose digest differs. `reader index check` compares every paper's digest, and names
each kind of difference.

An edit or import whose index step failed (killed, disk full, index busy) leaves the record
as it was: that is the mark the next open repairs.
"""

from __future__ import annotations

import shutil
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from reader.core.index import (
    FORMAT_VERSION,
    IndexBusy,
    IndexDamaged,
    IndexFormat,
    Intake,
    UserFields,
)
from reader.core.library.user_signatures import user_signatures
from reader.core.model import Paper, Progress
from reader.core.paths import DataPaths
from reader.core.store import Store, changes

if TYPE_CHECKING:
    from reader.core.index import PaperIndex, Papers, StartedWorkers
    from reader.core.userdata import UserData

BROKEN = "index.broken-"  # what a set-aside damaged index is called
_SAMPLE = 100  # ids listed per kind of difference
# Vectors (reader.core.vectors) are checked whole for their model, and for this many papers
# spread over the library by embedding them again: embedding every paper would make a check
# of a million papers take minutes.
VECTOR_KIND = "vector"
VECTOR_SAMPLE = 1000


@dataclass(slots=True)
class CaughtUp:
    """What a catch-up re-indexed, by why."""

    store: list[str] = field(default_factory=list)  # the store changed these papers
    user: list[str] = field(default_factory=list)  # their tags, note, read state or bookmark
    removed: list[str] = field(default_factory=list)  # ids that are no papers now (merged)

    def __len__(self) -> int:
        return len(self.store) + len(self.user) + len(self.removed)


@dataclass(slots=True)
class IndexCheck:
    store_count: int
    index_count: int
    missing: list[str]  # in the store, not in the index
    extra: list[str]  # in the index, not in the store
    differ: dict[str, list[str]] = field(default_factory=dict)  # kind -> papers differing
    fixed: int | None = None  # papers re-indexed or removed by --fix
    fixed_ok: bool | None = None  # whether the index agreed after the fix

    @property
    def ok(self) -> bool:
        return (
            not self.missing
            and not self.extra
            and self.store_count == self.index_count
            and not any(self.differ.values())
        )

    def stale(self) -> set[str]:
        """The papers whose document differs from the store or the user's files."""
        return {pid for ids in self.differ.values() for pid in ids}

    def to_dict(self) -> dict[str, object]:
        return {
            "ok": self.ok,
            "store_count": self.store_count,
            "index_count": self.index_count,
            "missing": self.missing[:_SAMPLE],
            "extra": self.extra[:_SAMPLE],
            "missing_count": len(self.missing),
            "extra_count": len(self.extra),
            "differ_count": len(self.stale()),
            "differences": {
                kind: {"count": len(ids), "ids": ids[:_SAMPLE]}
                for kind, ids in self.differ.items()
                if ids
            },
            "fixed": self.fixed,
            "ok_after_fix": self.fixed_ok,
        }


def set_aside(folder: Path) -> Path:
    """Move a damaged index out of the way, keeping only the latest one set aside (each is
    as big as the index)."""
    for old in folder.parent.glob(f"{BROKEN}*"):
        shutil.rmtree(old, ignore_errors=True)
    aside = folder.with_name(f"{BROKEN}{time.strftime('%Y%m%d-%H%M%S')}")
    folder.rename(aside)
    return aside


class IndexKeeper:
    """Keeps one library's index in step with its store and its user's files."""

    def __init__(self, paths: DataPaths, store: Store, user: Callable[[], UserData]) -> None:
        self.paths = paths
        self.store = store
        self._user = user  # the library's UserData, loaded on first use (YAML: not for a search)

    def user_fields(self, pid: str) -> UserFields:
        user = self._user()
        return UserFields(
            tags=user.tags(pid),
            note=user.note(pid),
            bookmarked=user.is_bookmarked(pid),
            read=user.is_read(pid),
            summary=user.summary(pid),
        )

    def _user_lookup(self) -> Callable[[str], UserFields]:
        """user_fields for a whole rebuild: the papers with any user data are listed once,
        and the others (nearly all of a big library's) have none without five lookups."""
        user, none = self._user(), UserFields()
        noted = user.bookmarks() | user.read_ids() | user.ids_with_notes()
        noted |= user.tagged().keys() | user.ids_with_summaries()
        return lambda pid: self.user_fields(pid) if pid in noted else none

    def _fresh_user(self) -> dict[str, str]:
        """The user files' signatures, then the user data re-read where they changed: the data
        is at least as new as the signatures (which are recorded as taken in)."""
        signatures = user_signatures(self.paths)
        self._user().refresh()
        return signatures

    # -- opening ---------------------------------------------------------------------------

    def open(self, *, catch_up: bool = True) -> tuple[PaperIndex, str | None]:
        """The index, opened and caught up (or rebuilt), and a line to show if it had to be
        set aside or rebuilt. IndexFormat if a newer reader wrote it. Without `catch_up`, an
        index that opens is left as it is (for `reader index check` to see)."""
        index = self.new_index()
        try:
            self._open_probed(index)
        except IndexFormat as other:
            index.close()
            if other.newer:
                raise
            self.rebuild(index)
            return index, (
                f"The search index was in an older format ({other.found}); it was rebuilt "
                f"from the library (format {FORMAT_VERSION})."
            )
        except IndexDamaged:
            index.close()
            index, message = self._mended()
            if message is not None:
                return index, message
        if index.doc_count() == 0 and self.store.count():
            self.rebuild(index)  # a first build, or a first import that was stopped
        elif catch_up:
            self.catch_up(index)
        return index, None

    def _mended(self) -> tuple[PaperIndex, str | None]:
        """The damaged index set aside and rebuilt, under a lock: another process that found
        it damaged at the same moment waits, then opens the mended one (set aside again, the
        fresh index would go, and the damaged copy kept with it). No message: mended by it."""
        from reader.core.locking import LockBusy, locked  # filelock: not for every open

        index = self.new_index()
        try:
            with locked(self.paths.data_dir / ".locks", "index-repair", index.lock_timeout):
                try:
                    self._open_probed(index)
                except IndexDamaged as damage:
                    index.close()
                    aside = set_aside(self.paths.index_dir)
                    index = self.new_index()
                    self.rebuild(index)
                    return index, (
                        f"The search index was damaged ({damage.reason}); it was set aside as "
                        f"{aside} (the only copy kept) and rebuilt from the library."
                    )
        except LockBusy as busy:
            why = f"another reader process is rebuilding the search index {self.paths.index_dir}"
            raise IndexBusy(f"{why}; try again when it has finished") from busy
        return index, None

    def new_index(self) -> PaperIndex:
        """The index folder's PaperIndex, not opened yet. Whoosh loads here, when there is
        work for the index: never before the app's first paint."""
        from reader.core.index import PaperIndex

        return PaperIndex(self.paths.index_dir)

    @staticmethod
    def _open_probed(index: PaperIndex) -> None:
        """Open and probe (the one query: a damaged segment can hide behind a sound TOC). A
        file that went missing as another process committed is no damage: then once more."""
        generation = index.generation()
        try:
            index.open()
            index.probe()
        except IndexDamaged:
            if index.generation() == generation:
                raise
            index.close()
            index.open()
            index.probe()

    def rebuild(
        self,
        index: PaperIndex,
        progress: Progress | None = None,
        *,
        papers: Iterable[Paper] | None = None,
        workers: int | StartedWorkers | None = None,
    ) -> int:
        """Index every paper afresh (or `papers`, when they are the whole store: an import
        into an empty library streams them here, and records its own changes after)."""
        old = _intake(index) if papers is not None else None
        change = old.store_change if old else changes.current(self.store)
        signatures = self._fresh_user()
        return index.rebuild(
            self.store.iter_papers() if papers is None else papers,
            self.store.count(),
            self._user_lookup(),
            progress,
            workers=workers,
            intake=Intake(store_change=change, user=signatures),
        )

    # -- catching up -----------------------------------------------------------------------

    def catch_up(self, index: PaperIndex) -> CaughtUp:
        """Re-index what changed since the index last took it in. An index that cannot be
        written now (another process writing, a read-only folder, a full disk) is searched as
        it is, and caught up another time."""
        try:
            return self._catch_up(index)
        except (IndexBusy, OSError):
            return CaughtUp()

    def _catch_up(self, index: PaperIndex) -> CaughtUp:
        done = CaughtUp()
        intake = _intake(index)
        now = changes.current(self.store)
        if now > intake.store_change:
            changed = changes.ids_since(self.store, intake.store_change)
            aliases = self.store.aliases_of(changed)
            indexed = index.digests(set(aliases)) if aliases else {}
            done.removed = sorted(indexed)
            index.delete(done.removed)
            index.upsert(self.stored(changed), self.user_fields)
            done.store = sorted(changed)
            intake.store_change = now
        signatures = user_signatures(self.paths)
        if signatures != intake.user:
            signatures = self._fresh_user()
            user = self._user()
            mentioned = user.bookmarks() | user.read_ids() | set(user.tagged())
            written = user.ids_with_notes() | user.ids_with_summaries()
            candidates = (mentioned | written | index.ids_with_user_data()) - set(done.store)
            done.user = sorted(self._stale(index, candidates))
            index.upsert(self.stored(done.user), self.user_fields)
            intake.user = signatures
        if intake != _intake(index):
            index.record(intake)
        if index.doc_count() != self.store.count():
            self._same_papers(index, done)
        return done

    def _same_papers(self, index: PaperIndex, done: CaughtUp) -> None:
        """The index holds another number of papers than the store, which no change explains
        (a drifted kept count, a store written by hand): make the ids agree."""
        total = self.store.count(exact=True)  # and the kept count is put right if it drifted
        if index.doc_count() == total:
            return
        indexed, stored = index.ids(), set(self.store.ids())
        index.delete(sorted(indexed - stored))
        index.upsert(self.stored(sorted(stored - indexed)), self.user_fields)
        done.removed += sorted(indexed - stored)
        done.store += sorted(stored - indexed)

    def _stale(self, index: PaperIndex, candidates: set[str]) -> list[str]:
        """Those of the papers whose document is not what they would be indexed as now."""
        from reader.core.index import digest_of  # the index is open: Whoosh is loaded

        papers = self.store.get_many(sorted(candidates))
        digests = index.digests(set(papers))
        return [
            paper.id
            for paper in papers.values()
            if digests.get(paper.id) != digest_of(paper, self.user_fields(paper.id))
        ]

    def stored(self, ids: list[str]) -> Papers:
        """These papers as the store holds them when the index reads them, under its write
        lock (PaperIndex.upsert): read before, a copy another process wrote over meanwhile
        (and indexed) would go into the index after the newer one. No ids: no lock to wait
        for."""
        return (lambda: self.store.get_many(ids).values()) if ids else []

    def advance(self, index: PaperIndex, taken: set[int]) -> None:
        """After an import wrote its changes (`taken`: its transactions' numbers) to the index:
        record them taken in, up to the first change of another process not taken yet."""
        intake = _intake(index)
        reached = intake.store_change
        for number in changes.numbers_since(self.store, intake.store_change):
            if number not in taken:
                break
            reached = number
        if reached != intake.store_change:
            intake.store_change = reached
            index.record(intake)

    # -- checking --------------------------------------------------------------------------

    def check(self, index: PaperIndex) -> IndexCheck:
        """Every paper's document against the store and the user's files, kind by kind."""
        from reader.core.index import DIGEST_KINDS, digest_differences, digest_of
        from reader.core.vectors import paper_text  # numpy: a check, not a search

        self._fresh_user()
        digests = index.digests()
        differ: dict[str, list[str]] = {kind: [] for kind in DIGEST_KINDS}
        missing: list[str] = []
        count = 0
        sample: dict[str, str] = {}  # papers whose vectors are embedded again and compared
        every = max(1, self.store.count() // VECTOR_SAMPLE)
        for paper in self.store.iter_papers():
            if count % every == 0:
                sample[paper.id] = paper_text(paper.title, paper.abstract)
            count += 1
            indexed = digests.pop(paper.id, None)
            if indexed is None:
                missing.append(paper.id)
                continue
            current = digest_of(paper, self.user_fields(paper.id))
            if indexed != current:
                for kind in digest_differences(indexed, current):
                    differ[kind].append(paper.id)
        differ[VECTOR_KIND] = index.vectors_differ(sample)
        return IndexCheck(
            store_count=count,
            index_count=index.doc_count(),
            missing=sorted(missing),
            extra=sorted(digests),
            differ={kind: sorted(ids) for kind, ids in differ.items()},
        )

    def fix(self, index: PaperIndex, check: IndexCheck) -> int:
        """Repair just what a check found; returns how many papers it touched."""
        index.delete(check.extra)
        ids = sorted(check.stale() | set(check.missing))
        embed = set(check.differ.get(VECTOR_KIND, ()))
        again, kept = [p for p in ids if p in embed], [p for p in ids if p not in embed]
        written = index.upsert(self.stored(again), self.user_fields, embed=True)
        written += index.upsert(self.stored(kept), self.user_fields)
        return len(check.extra) + written


def _intake(index: PaperIndex) -> Intake:
    return index.intake() or Intake()
