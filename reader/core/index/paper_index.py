"""The Whoosh index of papers: open, rebuild, upsert, delete, and the one shared searcher.

Writes never go through Whoosh's IndexWriter: documents become new segments through
reader.core.index.segment_build (several times faster), and a commit is a new TOC generation that
lists them, written atomically by Whoosh (temp file, then rename). Readers, in this process or
another, see either the old generation or the new one, never a half-built index.

`rebuild` writes the fresh index as new segment files beside the old ones rather than in a
temp folder: files no TOC lists are invisible to Whoosh, so one TOC write swaps the whole
index in (a folder swap would take two renames, with a moment of no index between them), the
generation number keeps growing (so other processes notice), and the old files go right after.
"""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Callable, Iterable, Iterator
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING

from whoosh.codec.whoosh3 import W3Codec, W3Segment
from whoosh.fields import Schema
from whoosh.filedb.filestore import FileStorage
from whoosh.index import TOC, FileIndex
from whoosh.util.filelock import try_for

from reader.core.index.commits import clean, delete_ids, leftovers, write_toc
from reader.core.index.contents import ids_with_user_data, live_digests, live_ids
from reader.core.index.errors import IndexBusy, IndexDamaged, IndexFormat
from reader.core.index.fields import (
    INDEXNAME,
    NO_USER,
    UserFields,
    build_schema,
    same_schema,
    to_document,
)
from reader.core.index.intake import FORMAT_VERSION, Intake, read_intake, write_intake
from reader.core.index.probe import probe
from reader.core.index.vector_files import VECTORS_EXT, check_vector_files
from reader.core.index.whoosh_seam import latest_generation
from reader.core.model import Paper

if TYPE_CHECKING:
    from whoosh.searching import Searcher  # a write (an import) never loads it

    from reader.core.index.worker_start import StartedWorkers

__all__ = ["IndexBusy", "IndexDamaged", "IndexFormat", "PaperIndex", "UserFields"]

_LOCK_NAME = f"{INDEXNAME}_WRITELOCK"


UserLookup = Callable[[str], UserFields]
# Papers to index, or a function that reads them (called under the write lock: see upsert).
Papers = Iterable[Paper] | Callable[[], Iterable[Paper]]


class PaperIndex:
    """One index directory. Writes take Whoosh's lock file, so processes take turns."""

    def __init__(self, index_dir: Path, *, lock_timeout: float = 10.0) -> None:
        self.index_dir = Path(index_dir)
        self.lock_timeout = lock_timeout
        self._schema = build_schema()
        self._ix: FileIndex | None = None
        self._searcher: Searcher | None = None
        self._lock = threading.RLock()

    # -- opening -------------------------------------------------------------------------

    def exists(self) -> bool:
        return self.generation() >= 0

    def generation(self) -> int:
        """The latest commit's number (-1: no index), from the folder's file names."""
        if not self.index_dir.is_dir():
            return -1
        return latest_generation(self._storage(), INDEXNAME)

    def open(self) -> None:
        """Open the index, creating an empty one if there is none; IndexDamaged if unreadable,
        IndexFormat if in another format."""
        with self._lock:
            if self._ix is not None:
                return
            if not self.exists():
                self.index_dir.mkdir(parents=True, exist_ok=True)
                with self._write_lock():
                    if not self.exists():
                        write_toc(self._storage(), self._schema, [], 0)
                        write_intake(self.index_dir, Intake())
            intake = self.intake()
            found = intake.format if intake else 1
            if found != FORMAT_VERSION:
                raise IndexFormat(self.index_dir, found)
            self._ix = self._open_checked()

    def intake(self) -> Intake | None:
        """The index's record of its format and of what it has taken in (see intake.py)."""
        return read_intake(self.index_dir)

    def record(self, intake: Intake) -> None:
        """Record what the index has taken in (after the commits that took it in)."""
        with self._write_lock():
            write_intake(self.index_dir, intake)

    def close(self) -> None:
        with self._lock:
            if self._searcher is not None:
                self._searcher.close()
                self._searcher = None
            self._ix = None

    def __enter__(self) -> PaperIndex:
        self.open()
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _storage(self) -> FileStorage:
        return FileStorage(str(self.index_dir))

    @property
    def schema(self) -> Schema:
        return self._schema

    def damaged(self, why: object) -> IndexDamaged:
        return IndexDamaged(
            f"search index {self.index_dir} is damaged ({why}); "
            "run `reader index rebuild` to make a fresh one from the library",
            str(why),
        )

    def _open_checked(self) -> FileIndex:
        """Read the TOC, check it is our schema and every segment's files are there."""
        storage = self._storage()
        if not self.index_dir.is_dir():
            raise self.damaged("the directory is missing")
        try:
            toc = TOC.read(storage, INDEXNAME)
        except Exception as exc:  # whoosh raises anything from EOFError to UnpicklingError
            raise self.damaged(f"unreadable table of contents: {exc!r}") from exc
        if not same_schema(toc.schema, self._schema):
            raise self.damaged("its schema is not the one its format version says")
        names = set(storage.list())
        for segment in toc.segments:
            compound = getattr(segment, "compound", False)  # one .seg file (Whoosh's writer)
            exts = (W3Codec.TERMS_EXT, W3Codec.POSTS_EXT, VECTORS_EXT)
            for ext in (".seg",) if compound else exts:
                if segment.make_filename(ext) not in names:
                    raise self.damaged(f"segment file {segment.make_filename(ext)} is missing")
        self._tidy(toc, names)
        return FileIndex(storage, self._schema, INDEXNAME)

    def _tidy(self, toc: TOC, names: set[str]) -> None:
        """Remove what a killed writer left (segments no TOC lists, Whoosh's scratch folder),
        if no writer is at work now: else it is that writer's, and its commit cleans up."""
        if not leftovers(self.index_dir, toc.segments, names):
            return
        storage = self._storage()
        lock = storage.lock(_LOCK_NAME)
        if lock.acquire(blocking=False):
            try:  # the TOC as it is now: a commit may have come since it was read
                current = TOC.read(storage, INDEXNAME)
                clean(storage, current.segments, current.generation)
            finally:
                lock.release()

    def _index(self) -> FileIndex:
        if self._ix is None:
            self.open()
        assert self._ix is not None
        return self._ix

    # -- reading -------------------------------------------------------------------------

    def searcher(self) -> Searcher:
        """The one shared searcher, refreshed if the index changed (here or in another process);
        callers in several threads share it: hold `reading()` while using it."""
        with self._lock:
            ix = self._index()
            try:
                if self._searcher is None:
                    self._searcher = ix.searcher()
                elif ix.latest_generation() != self._searcher.reader().generation():
                    self._searcher = self._next_searcher(ix, self._searcher)
            except Exception as exc:
                self._searcher = None
                if not self.index_dir.is_dir():
                    raise self.damaged("the directory is missing") from exc
                raise self.damaged(repr(exc)) from exc
            return self._searcher

    def _next_searcher(self, ix: FileIndex, old: Searcher) -> Searcher:
        """The searcher of the latest commit, keeping the readers of the segments it shares
        with `old` (next_searcher.py); else Whoosh's own, whole. (Not Searcher.refresh():
        reusing readers, Whoosh 2.7.5 puts the old segments back in the new list.)"""
        from reader.core.index.next_searcher import next_searcher  # a search: not for a write

        with contextlib.suppress(OSError):  # a file a commit removed meanwhile: Whoosh retries
            toc = TOC.read(ix.storage, INDEXNAME, schema=self._schema)
            if len(toc.segments) >= 2:
                return next_searcher(ix, toc, old)
        new = ix.searcher()
        old.close()
        return new

    @contextlib.contextmanager
    def reading(self) -> Iterator[Searcher]:
        """The shared searcher, held exclusively: Whoosh readers are not thread-safe."""
        with self._lock:
            yield self.searcher()

    def doc_count(self) -> int:
        with self.reading() as searcher:
            return searcher.doc_count()

    def ids(self) -> set[str]:
        """The ids of the live documents (deleted ones left out: see contents.live_ids)."""
        with self.reading() as searcher:
            return live_ids(searcher.reader())

    def digests(self, wanted: set[str] | None = None) -> dict[str, bytes]:
        """Paper id -> digest of its live document (see fields.Document.digest), for every
        paper or the `wanted` ones."""
        with self.reading() as searcher:
            return live_digests(searcher.reader(), wanted)

    def vectors_differ(self, sample: dict[str, str]) -> list[str]:
        """Papers whose vectors are not their text's: every paper of a vector file another
        model wrote, and those of `sample` (paper id -> text) whose vector differs from the
        text embedded now."""
        from reader.core.index.segment_vectors import vectors_differ  # numpy and the model

        with self.reading() as searcher:
            return vectors_differ(searcher.reader(), sample)

    def ids_with_user_data(self) -> set[str]:
        with self.reading() as searcher:
            return ids_with_user_data(searcher.reader())

    def probe(self) -> None:
        """Read a little of every segment not read since it last passed (see
        reader.core.index.probe); IndexDamaged if a file behind the table of contents is
        unreadable, though the index opened."""
        with self.reading() as searcher:
            try:
                probe(searcher.reader(), self.index_dir)
                check_vector_files(searcher.reader(), self.index_dir)
            except Exception as exc:  # whoosh raises anything from struct.error to Exception
                raise self.damaged(exc) from exc

    def segment_count(self) -> int:
        with self.reading() as searcher:
            return len(searcher.reader().leaf_readers())

    # -- writing -------------------------------------------------------------------------

    @contextlib.contextmanager
    def _write_lock(self) -> Iterator[None]:
        self.index_dir.mkdir(parents=True, exist_ok=True)
        lock = self._storage().lock(_LOCK_NAME)
        if not try_for(lock.acquire, timeout=self.lock_timeout, delay=0.05):
            raise IndexBusy(
                f"search index {self.index_dir} is being written by another reader process; "
                f"gave up after {self.lock_timeout:g} s (try again when it has finished)"
            )
        try:
            yield
        finally:
            lock.release()

    def rebuild(
        self,
        papers: Iterable[Paper],
        total: int,
        user: UserLookup | None = None,
        progress: Callable[[int, int], None] | None = None,
        *,
        workers: int | StartedWorkers | None = None,
        intake: Intake | None = None,
    ) -> int:
        """Index `papers` afresh and swap the result in with one TOC write; returns doc count.

        Works on a damaged, missing or outdated index too. Until the swap, readers see the old
        index. `workers` processes build segments (or those started for it), 0 this one (see
        reader.core.index.segment_write).
        `intake` (what `papers` are of) is recorded with the swap.
        """
        from reader.core.index.segment_write import write_segments  # a write: not for a search

        docs = (to_document(p, user(p.id) if user else NO_USER) for p in papers)
        with self._write_lock():
            storage = self._storage()
            try:
                generation = TOC.read(storage, INDEXNAME).generation
            except Exception:
                generation = latest_generation(storage, INDEXNAME)
            segments, count = write_segments(storage, self._schema, docs, total, progress, workers)
            with self._lock:  # searches wait only for the switch, not the build
                write_toc(storage, self._schema, segments, generation + 1)
                write_intake(self.index_dir, intake or Intake())
                self._ix = FileIndex(storage, self._schema, INDEXNAME)
            if progress:
                progress(count, total)
            return count

    def upsert(
        self,
        papers: Papers,
        user: UserLookup | None = None,
        *,
        catch_up: Callable[[], object] | None = None,
        embed: bool = False,
    ) -> int:
        """Add or replace papers (matched by id); returns how many were written. `papers` may
        be a function that reads them from the store: it runs under the write lock, after
        `catch_up` (the user's files re-read where another process changed them), and the
        documents are made there. So of two processes re-indexing a paper, the last one writes
        what is stored and on disk now, never a copy older than the other's. A paper whose
        title and abstract are as indexed keeps its vector, unless `embed`."""
        if not callable(papers):
            papers = list(papers)
            if not papers:
                return 0
        from reader.core.index.segment_vectors import keep_vectors  # a write: not for a search
        from reader.core.index.segment_write import workers_for, write_segments

        ix = self._index()
        with self._write_lock():
            if catch_up is not None:
                catch_up()
            docs = {
                paper.id: to_document(paper, user(paper.id) if user else NO_USER)
                for paper in (papers() if callable(papers) else papers)
            }
            if not docs:
                return 0
            toc = self._read_toc()
            segments = list(toc.segments)
            kept = None if embed else partial(keep_vectors, docs=docs)
            delete_ids(ix.storage, self._schema, segments, docs.keys(), kept)
            # This process only waits for the write: with one worker it embeds meanwhile,
            # about as fast as two workers, with one copy of the model fewer.
            workers = workers_for(len(docs), most=1)
            built, _ = write_segments(
                ix.storage, self._schema, docs.values(), len(docs), None, workers
            )
            self._commit(toc, segments + built)
        return len(docs)

    def delete(self, ids: Iterable[str]) -> None:
        wanted = set(ids)
        if not wanted:
            return
        self._index()
        with self._write_lock():
            toc = self._read_toc()
            segments = list(toc.segments)
            if delete_ids(self._storage(), self._schema, segments, wanted):
                self._commit(toc, segments)

    def optimize(self) -> None:
        """Merge every segment into one (queries get a little faster; deleted docs go)."""
        from reader.core.index.segment_merge import merge_segments  # a write: not for a search

        ix = self._index()
        with self._write_lock():
            toc = self._read_toc()
            live = [s for s in toc.segments if s.doc_count() > 0]
            if len(live) > 1 or any(s.has_deletions() for s in live):
                merged = merge_segments(ix, live)
                with self._lock:
                    write_toc(ix.storage, self._schema, [merged], toc.generation + 1)

    def _read_toc(self) -> TOC:
        try:
            return TOC.read(self._storage(), INDEXNAME, schema=self._schema)
        except Exception as exc:
            raise self.damaged(f"unreadable table of contents: {exc!r}") from exc

    def _commit(self, toc: TOC, segments: list[W3Segment]) -> None:
        """Write the next generation: drop emptied segments, merge small ones (see merging)."""
        from reader.core.index.segment_merge import (  # a write: not for a search
            merge_segments,
            plan_merges,
        )

        ix = self._index()
        live = [s for s in segments if s.doc_count() > 0]
        for group in plan_merges(live):
            merged = merge_segments(ix, group)
            live = [s for s in live if s not in group] + [merged]
        with self._lock:  # searches in other threads wait only for the switch
            write_toc(ix.storage, self._schema, live, toc.generation + 1)
