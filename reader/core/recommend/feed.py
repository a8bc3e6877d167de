"""For you: the papers this user has not seen yet, ranked by how much they are like what the
user kept, and never what they dismissed.

The signals (signals.py) become a profile of vectors (profile.py); the library is scored
against it (ranking.py) from the vectors the index keeps beside its segments, and each paper
offered says why (reasons.py). Papers the user has any signal about are not offered (they are
known already), nor papers `hidden` hides (a caller's rule, such as muted authors). With no
signal yet, or no usable vectors, the newest papers stand in, and the result says so.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from functools import cache
from itertools import compress
from typing import TYPE_CHECKING

import numpy as np
from whoosh.reading import IndexReader
from whoosh.searching import Searcher

from reader.core.index import PaperIndex, VectorFileError, segment_data, vector_parts
from reader.core.recommend.newest import newest
from reader.core.recommend.profile import build_profile
from reader.core.recommend.ranking import rank
from reader.core.recommend.reasons import Words, reason, shared_terms
from reader.core.recommend.results import ForYouHit, ForYouResult
from reader.core.recommend.signals import Signals, gather
from reader.core.recommend.terms import key_terms, term_scores
from reader.core.store import Store
from reader.core.vectors import Part, vectors_of

if TYPE_CHECKING:
    from reader.core.userdata import UserData

NO_SIGNALS = (
    "Nothing to learn from yet: bookmark, tag or take notes on papers you like (reading counts "
    "a little, `reader dismiss ID` says not for me). Until then, the newest papers."
)
NO_VECTORS = "For you needs the search index's vectors ({}): the newest papers instead."
_SPARE = 3  # ranked per paper asked for, so that `hidden` papers leave enough
_TERM_SIGNALS = 300  # signalled papers (the strongest) whose words make the key terms
_LOOKUPS = 2000  # ids looked up one by one; more are found by scanning the id columns


def for_you(
    index: PaperIndex,
    store: Store,
    user: UserData,
    *,
    limit: int = 20,
    hidden: Callable[[str], bool] | None = None,
) -> ForYouResult:
    started = time.perf_counter()
    signals = gather(user)
    result = ForYouResult(note=NO_SIGNALS)
    if signals:
        try:
            with index.reading() as searcher:
                hits = _ranked(searcher, store, signals, limit, hidden)
            if hits is not None:
                result = ForYouResult(hits, None, learned=True)
        except VectorFileError as error:
            result = ForYouResult(note=NO_VECTORS.format(error))
    if not result.learned:
        result.results = newest(store, signals.seen(), limit, hidden)
    result.took_ms = (time.perf_counter() - started) * 1000
    return result


def _ranked(
    searcher: Searcher,
    store: Store,
    signals: Signals,
    limit: int,
    hidden: Callable[[str], bool] | None,
) -> list[ForYouHit] | None:
    """The ranked papers, or None if no signalled paper is in the index."""
    reader = searcher.reader()
    parts = vector_parts(reader)
    size = searcher.doc_count_all()
    live = _live(parts, size)
    docnum_of = _docnums(reader, live, signals.seen())
    liked = sorted((docnum_of[pid], pid) for pid in signals.positive if pid in docnum_of)
    if not liked:
        return None
    disliked = sorted(docnum_of[pid] for pid in signals.dismissed if pid in docnum_of)
    profile = build_profile(
        [pid for _, pid in liked],
        vectors_of(parts, np.array([docnum for docnum, _ in liked], dtype=np.int64)),
        np.array([signals.positive[pid] for _, pid in liked], dtype=np.float32),
        vectors_of(parts, np.array(disliked, dtype=np.int64)),
    )
    texts = _Texts(store)
    papers = searcher.doc_count()

    @cache
    def frequency(term: str) -> int:
        """Papers holding a term in the abstract (titles add little, at twice the cost)."""
        return reader.doc_frequency("abstract", term)

    strongest = sorted(signals.positive, key=lambda pid: -signals.positive[pid])
    terms = key_terms(
        [(texts[pid], signals.positive[pid]) for pid in strongest[:_TERM_SIGNALS]],
        [texts[pid] for pid in sorted(signals.dismissed)[:_TERM_SIGNALS]],
        frequency,
        papers,
    )
    allowed = live.copy()
    allowed[list(docnum_of.values())] = False
    ranked = rank(parts, profile, term_scores(reader, terms, size), allowed, limit * _SPARE)
    hits = []
    for docnum, score, like in zip(ranked.docnums, ranked.scores, ranked.like, strict=True):
        paper_id = searcher.stored_fields(int(docnum))["id"]
        if hidden is not None and hidden(paper_id):
            continue
        liked_ids = [profile.ids[i] for i in like]
        shared = shared_terms(texts[paper_id], [texts[pid] for pid in liked_ids], frequency, papers)
        titles = [texts.title(pid) for pid in liked_ids]
        kinds = [signals.kind[pid] for pid in liked_ids]
        hits.append(
            ForYouHit(paper_id, texts.title(paper_id), float(score), reason(kinds, titles, shared))
        )
        if len(hits) == limit:
            break
    return hits


class _Texts:
    """Papers' words and titles, read from the store when first asked for."""

    def __init__(self, store: Store) -> None:
        self._store = store
        self._words: dict[str, Words] = {}
        self._titles: dict[str, str] = {}

    def __getitem__(self, paper_id: str) -> Words:
        self._load(paper_id)
        return self._words[paper_id]

    def title(self, paper_id: str) -> str:
        self._load(paper_id)
        return self._titles[paper_id]

    def _load(self, paper_id: str) -> None:
        if paper_id not in self._words:
            paper = self._store.get(paper_id)
            title, abstract = (paper.title, paper.abstract) if paper else ("", "")
            self._titles[paper_id] = title
            self._words[paper_id] = Words(f"{title}\n{abstract}")


def _live(parts: list[Part], size: int) -> np.ndarray:
    live = np.zeros(size, dtype=bool)
    for part in parts:
        section = live[part.base : part.base + part.file.count]
        section[:] = True if part.live is None else part.live
    return live


def _docnums(reader: IndexReader, live: np.ndarray, wanted: set[str]) -> dict[str, int]:
    """The live document of each wanted paper id that is indexed: through the id posting
    lists, or for many ids (a reader of thousands of papers) a scan of the id columns."""
    found = {}
    keys = {paper_id.encode("utf-8") for paper_id in wanted}
    for leaf, base in reader.leaf_readers():
        if leaf.segment() is None or not leaf.doc_count_all():
            continue
        data = segment_data(leaf)
        held: list[tuple[int, bytes]] = []
        if len(keys) > _LOOKUPS:
            column = data.column(leaf, "id")
            chosen = compress(range(len(column)), map(keys.__contains__, column))
            held = [(docnum, column[docnum]) for docnum in chosen]
        else:
            for key in keys:
                postings = data.postings(leaf, "id", key)
                held += [(docnum, key) for docnum in postings[0]] if postings else []
        for docnum, key in held:
            if live[base + docnum]:
                found[key.decode("utf-8")] = base + docnum
    return found
