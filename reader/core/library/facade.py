"""The narrow API that both faces of reader (CLI and TUI) use; they touch nothing else in core.

A Library ties together the SQLite store (truth), the Whoosh index (derived, rebuildable), the
user's files (bookmarks, tags, notes, read state, saved searches) and the importers.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Sequence
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING

from reader.core.gc_pause import fewer_collections
from reader.core.ids import arxiv_id
from reader.core.index import IndexBusy, IndexDamaged, IndexFormat, UserFields
from reader.core.library import browse
from reader.core.library.browse import Selection
from reader.core.library.filters import Filters, split_filters
from reader.core.library.index_keeper import CaughtUp, IndexCheck, IndexKeeper
from reader.core.library.rows import PaperRows
from reader.core.library.sample import sample_files
from reader.core.library.store_opening import StoreOpening
from reader.core.model import ImportReport, Paper, Progress, Record, Rejection, Warning_
from reader.core.paths import DataPaths
from reader.core.search import Allow, Hit, SearchResult
from reader.core.store import upvotes

if TYPE_CHECKING:
    from reader.core.index import PaperIndex, StartedWorkers
    from reader.core.library.reading import Reading
    from reader.core.library.watching import Watching
    from reader.core.recommend import ForYouResult
    from reader.core.search import SearchEngine, SimilarResult
    from reader.core.userdata import UserData

NOTHING: frozenset[str] = frozenset()


class Library:
    def __init__(self, paths: DataPaths, *, check_in_background: bool = False) -> None:
        """`check_in_background`: after an unclean end, check the store beside it (the app:
        reads go on, writes wait) rather than before it opens (store_opening.py). That check
        begins with `store_check.begin()`, or at the first write."""
        self.paths = paths
        paths.ensure()
        self._opening = StoreOpening(paths, check_in_background=check_in_background)
        self.store = self._opening.store
        self.store_message = self._opening.message  # a damaged store set aside at start
        self.store_check = self._opening.check  # the check running beside the store, if any
        # One line to show once: the index was set aside or rebuilt, or an edit is saved but
        # the index could not take it in yet.
        self.index_message: str | None = None
        self.keeper = IndexKeeper(paths, self.store, lambda: self.user)

    @classmethod
    def open(cls, data_dir: str | Path | None = None) -> Library:
        return cls(DataPaths.resolve(data_dir))

    def close(self) -> None:
        if "index" in self.__dict__:
            self.index.close()
        self._opening.close()

    # -- papers ----------------------------------------------------------------------------

    def count(self) -> int:
        return self.store.count()

    def is_empty(self) -> bool:
        return browse.is_empty(self.store)

    def resolve(self, paper_id: str) -> str | None:
        """The current id for an id or alias (or a versioned arXiv id); None if unknown."""
        return self.store.resolve(paper_id) or self.store.resolve(arxiv_id(paper_id) or "")

    def resolve_all(self, ids: list[str]) -> dict[str, str]:
        """resolve() of many ids at once (a user file's): id -> current id, unknown ids left out."""
        found = self.store.resolve_many(ids)
        versioned = {
            pid: base
            for pid in ids
            if pid not in found and (base := arxiv_id(pid)) not in (None, pid)
        }
        bases = self.store.resolve_many(sorted(set(versioned.values())))
        found.update({pid: bases[base] for pid, base in versioned.items() if base in bases})
        return found

    def get(self, paper_id: str) -> Paper | None:
        current = self.resolve(paper_id)
        return self.store.get(current) if current else None

    def papers(self, ids: list[str]) -> dict[str, Paper]:
        return self.store.get_many(ids)

    def open_rows(self) -> PaperRows:
        """Papers read on a connection of their own (for a UI thread; close it when done)."""
        return PaperRows(self._opening.reader())

    def upvote_trend(self, paper_id: str) -> upvotes.Trend | None:
        """Latest upvotes and the change since the day before, for the detail pane."""
        current = self.resolve(paper_id)
        if current is None:
            return None
        with self.store.lock:
            return upvotes.trend(self.store.conn, current)

    # -- user data -------------------------------------------------------------------------

    @cached_property
    def user(self) -> UserData:
        from reader.core.userdata import UserData  # YAML and file locks: not for a search

        return UserData(
            self.paths,
            resolve=lambda pid: self.resolve(pid) or pid,
            resolve_all=self.resolve_all,
            on_change=self.reindex,
            aliases=self.store.aliases_of,  # a merged paper is not new to a saved search
        )

    def user_fields(self, pid: str) -> UserFields:
        return self.keeper.user_fields(pid)

    @cached_property
    def watching(self) -> Watching:
        """Follows and mutes: which papers they pick, and feeds without the muted ones."""
        from reader.core.library.watching import Watching

        return Watching(self)

    @cached_property
    def reading(self) -> Reading:
        """The reading queue, PDFs and summaries."""
        from reader.core.library.reading import Reading

        return Reading(self)

    # -- index -----------------------------------------------------------------------------

    @cached_property
    def index(self) -> PaperIndex:
        """The index, opened and caught up with the store and the user's files (built from
        the store if missing, outdated or damaged)."""
        index, self.index_message = self.keeper.open()
        return index

    def catch_up(self) -> CaughtUp:
        """Re-index what changed in the store or the user's files since the index last took
        it in (another process, a hand edit, a sync): what the app calls when files change."""
        caught = self.keeper.catch_up(self.index)
        if caught:
            self.__dict__.pop("engine", None)
        return caught

    @cached_property
    def engine(self) -> SearchEngine:
        from reader.core.search import SearchEngine  # Whoosh: after the app's first paint

        return SearchEngine(self.index, self.store.abstracts, self.store.upvotes)

    def similar(self, paper_id: str, *, limit: int = 10) -> SimilarResult | None:
        """Papers like one paper, with the key terms they share (None if the id is unknown)."""
        from reader.core.search import similar_papers

        paper = self.get(paper_id)
        if paper is None:
            return None
        return similar_papers(self.index, paper, limit=limit, abstracts=self.store.abstracts)

    def has_index(self) -> bool:
        """Is there an index to keep up to date? (If not, its first use builds it whole.)"""
        return "index" in self.__dict__ or self.paths.index_dir.exists()

    def reindex(self, paper_id: str) -> None:
        """Re-index one paper after its tags, note, read state or bookmark changed. The edit
        is saved already: if the index cannot take it now, the next open will."""
        current = self.resolve(paper_id)
        if current is None or not self.has_index():
            return
        try:
            # what other processes saved meanwhile goes in with it
            stored = self.keeper.stored([current])
            self.index.upsert(stored, self.user_fields, catch_up=self.user.catch_up)
        except (OSError, IndexBusy, IndexDamaged, IndexFormat) as error:
            reason = getattr(error, "strerror", None) or str(error)
            self.index_message = f"{paper_id}: saved; the index will catch up ({reason})"

    def rebuild_index(
        self,
        progress: Progress | None = None,
        *,
        papers: Iterable[Paper] | None = None,
        workers: int | StartedWorkers | None = None,
    ) -> int:
        """Index every paper afresh (or `papers`, when they are the whole store: an import
        into an empty library streams its papers here as it stores them)."""
        index = self.__dict__.get("index") or self.keeper.new_index()
        with fewer_collections():
            count = self.keeper.rebuild(index, progress, papers=papers, workers=workers)
        self.__dict__["index"] = index
        self.__dict__.pop("engine", None)
        return count

    def took_in(self, changes: set[int]) -> None:
        """An import's changes (its transactions' numbers) are in the index now."""
        if self.has_index():
            self.keeper.advance(self.index, changes)

    def check_index(self, *, fix: bool = False) -> IndexCheck:
        """Every paper's document against the store and the user's files (as they are: no
        catch-up first), kind by kind; `fix` re-indexes just what differs."""
        index = self.__dict__.get("index")
        if index is None:
            index, self.index_message = self.keeper.open(catch_up=False)
            self.__dict__["index"] = index
        check = self.keeper.check(index)
        if fix and not check.ok:
            check.fixed = self.keeper.fix(index, check)
            check.fixed_ok = self.keeper.check(index).ok
        return check

    # -- import ----------------------------------------------------------------------------

    def import_paths(self, paths: Iterable[Path], progress: Progress | None = None) -> ImportReport:
        """Import files; an unreadable file is one rejection and the others still go in."""
        from reader.core.library.import_workers import early_workers

        paths = [Path(path) for path in paths]
        workers = early_workers(paths, self.store, self.paths.index_dir)  # before the parsers
        try:
            from reader.core.library.importing import import_files

            return import_files(self, paths, progress, workers)
        finally:
            if workers:  # however the import ended: a worker waiting for work never would
                workers.stop()

    def import_sample(self, progress: Progress | None = None) -> ImportReport:
        return self.import_paths(sample_files(), progress)

    def import_items(
        self,
        items: Iterable[Record | Rejection | Warning_],
        *,
        report: ImportReport | None = None,
        progress: Progress | None = None,
    ) -> ImportReport:
        """Merge parsed items into the store, a batch per transaction, then into the index."""
        from reader.core.library.importing import Importer

        return Importer(self, report or ImportReport(), progress).run(items)

    def reresolve_user(self) -> None:
        """After papers changed id: the user's files follow them (if they are loaded)."""
        if "user" in self.__dict__:
            self.user.reresolve()

    # -- search ----------------------------------------------------------------------------

    def _selection(self, filters: Filters, hide: frozenset[str] = NOTHING) -> Selection:
        if not filters.uses_user_data:  # no user files to load
            return Selection(without=hide, added_since=filters.added_since)
        return browse.selection(filters, self.user, self.watching, hide)

    def _allow(self, filters: Filters, hide: frozenset[str] = NOTHING) -> Allow:
        return browse.allow(self.store, self._selection(filters), hide)

    def search(
        self, query: str, *, limit: int | None = 20, offset: int = 0, sort: str = "relevance"
    ) -> SearchResult:
        filters = split_filters(query)
        if not filters.query:
            return self._browse(query, self._selection(filters), limit, offset, sort)[1]
        allow = self._allow(filters)
        return self.engine.search(filters.query, limit=limit, offset=offset, sort=sort, allow=allow)

    def search_ids(
        self, query: str, *, sort: str = "relevance", hide: frozenset[str] = NOTHING
    ) -> tuple[Sequence[str], SearchResult]:
        """Every matching id in order, but those in `hide`: what the TUI's virtual list holds.
        A filter-only query may give a StoreView (ids read from the store when needed)."""
        filters = split_filters(query)
        if not filters.query:
            return self._browse(query, self._selection(filters, hide), 0, 0, sort)
        return self.engine.search_ids(filters.query, sort=sort, allow=self._allow(filters, hide))

    def count_matching(self, query: str, *, hide: frozenset[str] = NOTHING) -> int:
        """How many papers a query finds (a filter-only one without listing them)."""
        filters = split_filters(query)
        if not filters.query:
            return browse.count(self.store, self._selection(filters, hide))
        return self.search_ids(query, hide=hide)[1].total

    def search_ids_now(
        self, query: str, *, sort: str = "relevance", hide: frozenset[str] = NOTHING
    ) -> tuple[Sequence[str], SearchResult] | None:
        """search_ids(query) when it costs the same at any size (a StoreView of the store),
        else None: what a window about to paint its first frame can afford to wait for."""
        filters = split_filters(query)
        if filters.query:
            return None
        started = time.perf_counter()
        ids = browse.lazy_view(self.store, self._selection(filters, hide), sort)
        return None if ids is None else self._page(query, ids, 0, 0, sort, started)

    def _browse(
        self, query: str, selection: Selection, limit: int | None, offset: int, sort: str
    ) -> tuple[Sequence[str], SearchResult]:
        """A query of filters only (or nothing): list papers from the store, no index needed."""
        started = time.perf_counter()
        ids = browse.view(self.store, selection, sort)
        return self._page(query, ids, limit, offset, sort, started)

    def _page(
        self,
        query: str,
        ids: Sequence[str],
        limit: int | None,
        offset: int,
        sort: str,
        started: float,
    ) -> tuple[Sequence[str], SearchResult]:
        """A listing with the hits of one page of it (none for limit 0)."""
        page = ids[offset : None if limit is None else offset + limit]
        papers = self.store.get_many(list(page))
        hits = [
            Hit(
                id=p.id,
                title=p.title,
                authors=p.authors,
                date=p.date,
                score=0.0,
                snippet=p.abstract[:240],
            )
            for p in (papers[pid] for pid in page if pid in papers)
        ]
        took = (time.perf_counter() - started) * 1000
        result = SearchResult(
            query=query,
            total=len(ids),
            took_ms=took,
            suggestion=None,
            results=hits,
            note=None,
            sort=sort,
        )
        return ids, result

    # -- for you ---------------------------------------------------------------------------

    def for_you(
        self, limit: int = 20, *, hidden: Callable[[str], bool] | None = None
    ) -> ForYouResult:
        """Papers the user has no signal about, ranked by how much they are like the papers
        the user kept, each with its reason (reader.core.recommend); `hidden` leaves papers
        out (a paper id -> True to hide it; by default the muted ones). The newest papers
        while there is no signal."""
        from reader.core.recommend import for_you  # numpy and the vectors: not for a search

        if hidden is None:  # muted papers never, unless a follow keeps them
            hidden = self.watching.hidden_by_mutes().__contains__
        return for_you(self.index, self.store, self.user, limit=limit, hidden=hidden)

    def dismiss(self, paper_id: str, *, undo: bool = False) -> str | None:
        """Say a paper is not for the user (For you hides it and learns from it), or take
        that back; the paper's current id, or None if it is unknown."""
        current = self.resolve(paper_id)
        if current is not None:
            self.user.set_dismissed(current, not undo)
        return current

    # -- stats -----------------------------------------------------------------------------

    def stats(self) -> dict[str, object]:
        papers = self.store.count()
        return {
            "papers": papers,
            # opened (or built, as a search would): "0 documents" must never mean "not yet"
            "index_documents": self.index.doc_count() if papers else 0,
            "last_import": self.store.last_import(),
            "paths": {
                "data_dir": str(self.paths.data_dir),
                "store": str(self.paths.store),
                "index": str(self.paths.index_dir),
                "user": str(self.paths.user_dir),
                "config": str(self.paths.config_file),
            },
        }
