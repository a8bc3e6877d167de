"""Merging parsed items into the store, a transaction per batch, and keeping the index in step.

A big import into an empty library builds its index while the store fills: each committed
batch's papers go straight to the parallel segment builder (worker processes analyse and write
segments while this process parses and merges), and one TOC write at the end makes them the
index. That replaces a full rebuild after the import, which read every paper back from the
store and left the second core idle while the store filled. Killed half-way, the import
leaves committed batches that the index has not recorded as taken in: the next open takes
them in (reader.core.library.index_keeper).
"""

from __future__ import annotations

import time
from collections.abc import Iterable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from itertools import chain, islice
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

import numpy as np

from reader.core import importers
from reader.core.gc_pause import fewer_collections
from reader.core.index import IndexBusy, IndexFormat, PaperIndex, UserFields
from reader.core.library.dedupe import Outcome, merge_batch
from reader.core.library.import_workers import big_file, workers_for_import
from reader.core.library.own_papers import OwnPapers
from reader.core.model import ImportReport, Paper, Progress, Record, Rejection, Warning_
from reader.core.store import Store, changes, now_iso, upvotes
from reader.core.vectors import preload_for_many

if TYPE_CHECKING:
    from reader.core.index import StartedWorkers
    from reader.core.userdata import UserData

BATCH = 2000  # records per store transaction
# Records in the first transaction of a big file: its papers go to the index worker (which
# starts at the same time) while the next batch is parsed.
FIRST_BATCH = 250
INDEX_BATCH = 20_000  # papers per index write: fewer, bigger segments write several times faster
_FETCHED = ("http://", "https://")  # upvote history comes from live fetches, not saved pages


@dataclass(slots=True)
class PendingIndex:
    """Papers merged into the store but not yet written to the index."""

    changed: dict[str, Paper] = field(default_factory=dict)
    # The store's last change before they were read: one numbered above it, not the import's
    # own, is another process's write over them.
    since: int = 0
    gone: list[str] = field(default_factory=list)
    # Duplicates that left their stored row as it was.
    again: list[str] = field(default_factory=list)

    def __len__(self) -> int:
        return len(self.changed) + len(self.gone)


class Target(Protocol):
    """What an import writes into: the Library, as far as importing needs it."""

    store: Store
    index_message: str | None

    @property
    def index(self) -> PaperIndex: ...

    def has_index(self) -> bool: ...

    @property
    def user(self) -> UserData: ...

    def user_fields(self, pid: str) -> UserFields: ...

    def reresolve_user(self) -> None: ...

    def rebuild_index(
        self,
        progress: Progress | None = None,
        *,
        papers: Iterable[Paper] | None = None,
        workers: int | StartedWorkers | None = None,
    ) -> int: ...

    def took_in(self, changes: set[int]) -> None: ...


def import_files(
    library: Target, paths: list[Path], progress: Progress | None, workers: StartedWorkers | None
) -> ImportReport:
    """Import files, each by an Importer; an unreadable file is one rejection and the others
    still go in. `workers`: the first file's index workers, started before the parsers loaded
    (import_workers.py); stopped once its import is done, if it did not take them over."""
    report = ImportReport()
    started = time.perf_counter()
    for path in paths:
        report.files += 1
        try:
            items, many = importers.read_path(path), big_file(path)
            Importer(library, report, progress, many, workers).run(items)
        except importers.UnreadableFile as error:
            report.rejected.append(Rejection(error.source, 0, error.reason))
        except OSError as error:
            report.rejected.append(Rejection(str(path), 0, error.strerror or str(error)))
        finally:
            if workers:
                workers.stop()
                workers = None
    report.seconds = time.perf_counter() - started
    library.store.record_import(
        report.files, report.added, report.updated, report.duplicates, len(report.rejected)
    )
    return report


class Importer:
    """One file's or one list's import: its report, its progress callback and its library."""

    def __init__(
        self,
        library: Target,
        report: ImportReport,
        progress: Progress | None,
        expect_many: bool = False,
        workers: StartedWorkers | None = None,
    ) -> None:
        self.library = library
        self.expect_many = expect_many  # a big file: many papers are coming
        self.workers = workers  # its index workers, if they were started before the parsing
        self.store = library.store
        self.report = report
        self.progress = progress
        self.changes: set[int] = set()  # the numbers of this import's store transactions
        # The index is kept in step as papers are stored, unless it could not be written
        # before this import (the next start catches it up) or fails during it.
        self._indexing = not library.index_message
        self._warned_save = False  # a user file that cannot be saved is told once
        self._renamed = False  # did a paper change id (title id -> arXiv id)?

    def run(self, items: Iterable[Record | Rejection | Warning_]) -> ImportReport:
        with fewer_collections(), self.store.bulk():
            self._run(items)
        if self._renamed:  # a paper made the user's own may have changed id since
            with self.store.lock:
                self.report.own = {self.store.resolve(pid) or pid for pid in self.report.own}
        return self.report

    def _run(self, items: Iterable[Record | Rejection | Warning_]) -> None:
        batches = self._batches(items, FIRST_BATCH if self.expect_many else BATCH)
        if self._empty_library():
            # A big file, or a whole first batch: the papers are indexed as they are stored
            # (for a big file, the index worker starts up while the first batch is parsed,
            # and that batch is small: the worker starts on it while the next is).
            # Less is the whole import, and its index is built at its first use (a worker
            # process takes longer to start than such an index takes to build).
            many = self.expect_many
            if not many:
                first = list(islice(batches, 1))
                many = bool(first) and len(first[0]) == BATCH
                batches = chain(first, batches)
            if many:
                preload_for_many()  # this process will sum the papers' token rows
                self._stream(batches)
                return
        pending = PendingIndex(since=changes.current(self.store))
        self._open_index()
        for batch in batches:
            self._store_batch(batch, pending)
            if len(pending) >= INDEX_BATCH:
                self._flush_index(pending)
        self._flush_index(pending)

    def _batches(
        self, items: Iterable[Record | Rejection | Warning_], first: int
    ) -> Iterator[list[Record]]:
        """Records in batches of BATCH (the first of `first`); rejections and warnings go to
        the report meanwhile."""
        report = self.report
        batch: list[Record] = []
        size = first
        for item in items:
            if isinstance(item, Record):
                batch.append(item)
                if len(batch) >= size:
                    yield batch
                    batch, size = [], BATCH
            elif isinstance(item, Rejection):
                report.rejected.append(item)
            else:
                report.warnings.append(item)
        if batch:
            yield batch

    def _empty_library(self) -> bool:
        """Is there nothing to merge with, in the store or the index? (Then the index can be
        built from the import's papers alone.)"""
        if self.store.count():
            return False
        return not self.library.has_index() or self.library.index.doc_count() == 0

    def _store_batch(self, records: list[Record], pending: PendingIndex) -> None:
        """Merge one batch in one transaction; what changed is noted for the index."""
        report = self.report
        stamp = now_iso()
        samples: list[tuple[str, int, str]] = []
        own = OwnPapers()
        with self.store.transaction():
            for record, merged in zip(
                records, merge_batch(self.store, records, stamp), strict=True
            ):
                if record.upvotes is not None and record.source.startswith(_FETCHED):
                    samples.append((merged.paper.id, record.upvotes, stamp))
                if record.own:
                    own.add(merged.paper, record)
                if merged.outcome is Outcome.ADDED:
                    report.added += 1
                elif merged.outcome is Outcome.UPDATED:
                    report.updated += 1
                else:
                    report.duplicates += 1
                if merged.written:  # a duplicate may add a source, which is indexed
                    pending.changed[merged.paper.id] = merged.paper
                else:
                    pending.again.append(merged.paper.id)
                if merged.old_id:
                    pending.gone.append(merged.old_id)
                    pending.changed.pop(merged.old_id, None)
            upvotes.record(self.store.conn, samples)
        if self.store.last_change is not None:
            self.changes.add(self.store.last_change)
        if pending.gone:
            self._renamed = True
            self.library.reresolve_user()
        if own.papers:
            self._adopt(own, pending)
        if self.progress:
            self.progress(report.added + report.updated + report.duplicates, 0)

    def _adopt(self, own: OwnPapers, pending: PendingIndex) -> None:
        """The batch's papers from the user's own library become theirs (bookmarked, tagged,
        annotated); those whose user data changed go to the index again."""
        changed, warning = own.save(self.library.user)
        self.report.own.update(own.papers)
        for paper in changed:
            pending.changed.setdefault(paper.id, paper)
        if warning and not self._warned_save:
            self.report.warnings.append(warning)
            self._warned_save = True

    def _open_index(self) -> None:
        """Open the index before this import stores anything. Opening catches it up with the
        store: opened at the first flush instead, it took in the batches stored until then,
        which the flush wrote again (a daily import's papers, indexed twice)."""
        if self._indexing and self.library.has_index():
            try:
                self.library.index  # noqa: B018 -- the property opens it
            except (OSError, IndexBusy, IndexFormat) as error:
                self._not_indexed(error)

    def _flush_index(self, pending: PendingIndex) -> None:
        """Write what changed to the index (if there is one yet: else its first use builds it)
        and record it taken in. Papers are stored already: should the index fail to take
        them (a full disk), the record stays behind and the next open catches up."""
        if len(pending) and self._indexing and self.library.has_index():
            try:
                index = self.library.index
                if pending.gone:
                    index.delete(pending.gone)
                # Under the index's lock: the papers as stored and the user's files as saved
                # now (another process may have written either since).
                index.upsert(
                    lambda: self._as_stored(pending),
                    self.library.user_fields,
                    catch_up=self.library.user.catch_up,
                )
                self.library.took_in(self.changes)
            except (OSError, IndexBusy, IndexFormat) as error:
                self._not_indexed(error)
        pending.changed.clear()
        pending.gone.clear()
        pending.since = changes.current(self.store)

    def _as_stored(self, pending: PendingIndex) -> list[Paper]:
        """The pending papers as the store holds them now (the index calls this under its
        write lock). Another process may have written some over since this import did, and
        indexed its copy: those are read again, and those it merged into another paper are
        left out. The rest carry this import's change numbers, so the copies held are the
        stored ones: reading a flush's 20,000 papers again took half a second, finding the
        others takes milliseconds."""
        others = changes.ids_since(self.store, pending.since, besides=self.changes)
        suspects = pending.changed.keys() & {*others, *self.store.aliases_of(others)}
        now = self.store.get_many(sorted(suspects))
        kept = (paper for pid, paper in pending.changed.items() if pid not in suspects)
        return [*kept, *now.values()]

    def _not_indexed(self, error: OSError | IndexBusy | IndexFormat) -> None:
        reason = getattr(error, "strerror", None) or str(error)
        self.library.index_message = (
            f"The papers are saved; the index will catch up at the next start ({reason})."
        )
        self._indexing = False

    def _stream(self, batches: Iterable[list[Record]]) -> None:
        """Store the batches while worker processes index their papers. If a paper sent to
        them is merged again later (the same id twice in the import, a title id that became
        an arXiv id), the index is rebuilt from the store at the end: fixing it up would
        leave the stale version's terms in the segments' vocabularies."""
        sent = SentIds()
        again = False
        copying: Future[None] | None = None

        def papers() -> Iterator[Paper]:
            nonlocal again, copying
            for batch in batches:
                pending = PendingIndex()
                self._store_batch(batch, pending)
                merged_again = chain(pending.gone, pending.again, pending.changed)
                again = again or sent.any_of(merged_again)
                if again:
                    continue  # the rebuild at the end indexes the rest
                sent.add(pending.changed)
                yield from pending.changed.values()
            # The store's log is copied into its file now, beside what is left to do: this
            # process sums the last vectors while the worker writes its last segment.
            copying = _checkpoint_soon(self.store)

        workers = self.workers or workers_for_import()
        self.library.rebuild_index(papers=papers(), workers=workers)
        if copying is not None:
            copying.result()
        if again:
            self.library.rebuild_index()
        else:
            self.library.took_in(self.changes)


def _checkpoint_soon(store: Store) -> Future[None]:
    """store.checkpoint(), the log emptied, in a thread of its own beside the import's last
    work (SQLite lets go of the GIL as it copies, numpy as it sums): the log is not left to
    the store's close to delete, as the command ends. result() waits for it and raises what
    it raised."""
    pool = ThreadPoolExecutor(1, thread_name_prefix="reader-wal-copy")
    copying = pool.submit(store.checkpoint, empty=True)
    pool.shutdown(wait=False)  # its thread ends with the copy
    return copying


class SentIds:
    """The ids of the papers an import has sent to the index, as a sorted array of their
    hashes: 8 bytes a paper where a set of the ids took about 90. Two ids with one hash only
    make `any_of` say yes when it should not, and the import rebuild the index at the end
    (the same index, more slowly). This module is loaded by an import only, so numpy costs
    a search nothing."""

    def __init__(self) -> None:
        self._hashes = np.zeros(0, dtype=np.int64)

    def add(self, ids: Iterable[str]) -> None:
        # Sorted and made distinct here: np.unique's first call loads numpy.ma, which the
        # import's first batch waited for on its way to the index worker.
        new = np.sort(np.fromiter(map(hash, ids), dtype=np.int64))
        first = np.ones(len(new), dtype=bool)  # each hash's first place
        first[1:] = new[1:] != new[:-1]
        new = new[first]
        self._hashes = np.insert(self._hashes, np.searchsorted(self._hashes, new), new)

    def any_of(self, ids: Iterable[str]) -> bool:
        wanted = np.fromiter(map(hash, ids), dtype=np.int64)
        if not len(wanted) or not len(self._hashes):
            return False
        at = np.searchsorted(self._hashes, wanted).clip(max=len(self._hashes) - 1)
        return bool((self._hashes[at] == wanted).any())
