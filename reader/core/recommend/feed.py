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
from typing import TYPE_CHECKING

import numpy as np

from reader.core.index import PaperIndex, VectorFileError
from reader.core.recommend.newest import newest
from reader.core.recommend.profile import build_profile
from reader.core.recommend.ranking import rank
from reader.core.recommend.reasons import Words, reason, shared_terms
from reader.core.recommend.results import ForYouHit, ForYouResult
from reader.core.recommend.signals import Signals, gather
from reader.core.recommend.terms import key_terms
from reader.core.search import IndexView
from reader.core.store import Store
from reader.core.vectors import vectors_of

if TYPE_CHECKING:
    from reader.core.userdata import UserData

NO_SIGNALS = (
    "Nothing to learn from yet: bookmark, tag or take notes on papers you like (reading counts "
    "a little, `reader dismiss ID` says not for me). Until then, the newest papers."
)
NO_VECTORS = "For you needs the search index's vectors ({}): the newest papers instead."
_SPARE = 3  # ranked per paper asked for, so that `hidden` papers leave enough
_TERM_SIGNALS = 300  # signalled papers (the strongest) whose words make the key terms


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
                hits = _ranked(IndexView(searcher), store, signals, limit, hidden)
            if hits is not None:
                result = ForYouResult(hits, None, learned=True)
        except VectorFileError as error:
            result = ForYouResult(note=NO_VECTORS.format(error))
    if not result.learned:
        result.results = newest(store, signals.seen(), limit, hidden)
    result.took_ms = (time.perf_counter() - started) * 1000
    return result


def _ranked(
    view: IndexView,
    store: Store,
    signals: Signals,
    limit: int,
    hidden: Callable[[str], bool] | None,
) -> list[ForYouHit] | None:
    """The ranked papers, or None if no signalled paper is in the index."""
    docnum_of = view.docnums(signals.seen())
    liked = sorted((docnum_of[pid], pid) for pid in signals.positive if pid in docnum_of)
    if not liked:
        return None
    disliked = sorted(docnum_of[pid] for pid in signals.dismissed if pid in docnum_of)
    profile = build_profile(
        [pid for _, pid in liked],
        vectors_of(view.parts, np.array([docnum for docnum, _ in liked], dtype=np.int64)),
        np.array([signals.positive[pid] for _, pid in liked], dtype=np.float32),
        vectors_of(view.parts, np.array(disliked, dtype=np.int64)),
    )
    texts = _Texts(store)
    frequency = cache(view.frequency)
    strongest = sorted(signals.positive, key=lambda pid: -signals.positive[pid])
    terms = key_terms(
        [(texts[pid], signals.positive[pid]) for pid in strongest[:_TERM_SIGNALS]],
        [texts[pid] for pid in sorted(signals.dismissed)[:_TERM_SIGNALS]],
        frequency,
        view.papers,
    )
    allowed = view.live.copy()
    allowed[list(docnum_of.values())] = False
    ranked = rank(view.parts, profile, view.term_scores(terms), allowed, limit * _SPARE)
    hits = []
    for docnum, score, like in zip(ranked.docnums, ranked.scores, ranked.like, strict=True):
        paper_id = view.paper_id(docnum)
        if hidden is not None and hidden(paper_id):
            continue
        liked_ids = [profile.ids[i] for i in like]
        others = [texts[pid] for pid in liked_ids]
        shared = shared_terms(texts[paper_id], others, frequency, view.papers)
        titles = [texts.title(pid) for pid in liked_ids]
        kinds = [signals.kind[pid] for pid in liked_ids]
        why = reason(kinds, titles, shared)
        hits.append(ForYouHit(paper_id, texts.title(paper_id), float(score), why))
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
