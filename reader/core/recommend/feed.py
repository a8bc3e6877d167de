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
from itertools import compress
from typing import TYPE_CHECKING

import numpy as np
from whoosh.searching import Searcher

from reader.core.index import PaperIndex, VectorFileError, segment_data, vector_parts
from reader.core.recommend.newest import newest
from reader.core.recommend.profile import build_profile
from reader.core.recommend.ranking import rank
from reader.core.recommend.reasons import Words, reason, shared_terms
from reader.core.recommend.results import ForYouHit, ForYouResult
from reader.core.recommend.signals import Signals, gather
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
    ids = _id_column(searcher)
    live = _live(parts, len(ids))
    docnum_of = _docnums(ids, live, signals.seen())
    liked = sorted((docnum_of[pid], pid) for pid in signals.positive if pid in docnum_of)
    if not liked:
        return None
    liked_docnums = np.array([docnum for docnum, _ in liked], dtype=np.int64)
    disliked = np.array(sorted(docnum_of[pid] for pid in signals.dismissed if pid in docnum_of))
    profile = build_profile(
        [pid for _, pid in liked],
        vectors_of(parts, liked_docnums),
        np.array([signals.positive[pid] for _, pid in liked], dtype=np.float32),
        vectors_of(parts, disliked.astype(np.int64)),
    )
    allowed = live.copy()
    allowed[list(docnum_of.values())] = False
    ranked = rank(parts, profile, allowed, limit * _SPARE + 20)
    chosen = []
    for docnum, score, like in zip(ranked.docnums, ranked.scores, ranked.like, strict=True):
        paper_id = ids[docnum].decode("utf-8")
        if hidden is None or not hidden(paper_id):
            chosen.append((int(docnum), paper_id, float(score), like))
            if len(chosen) == limit:
                break
    return _with_reasons(searcher, store, signals, profile.ids, chosen)


def _with_reasons(
    searcher: Searcher,
    store: Store,
    signals: Signals,
    liked: list[str],
    chosen: list[tuple[int, str, float, list[int]]],
) -> list[ForYouHit]:
    wanted = {pid for _, pid, _, _ in chosen} | {liked[i] for *_, like in chosen for i in like}
    papers = store.get_many(sorted(wanted))
    reader = searcher.reader()

    def frequency(term: str) -> int:
        return reader.doc_frequency("abstract", term) + reader.doc_frequency("title", term)

    texts: dict[str, Words] = {}

    def words(paper_id: str, title: str) -> Words:
        if paper_id not in texts:
            paper = papers.get(paper_id)
            texts[paper_id] = Words(f"{title}\n{paper.abstract if paper else ''}")
        return texts[paper_id]

    hits = []
    total = searcher.doc_count()
    for docnum, paper_id, score, like in chosen:
        paper = papers.get(paper_id)
        title = paper.title if paper else searcher.stored_fields(docnum).get("title", "")
        signals_liked = [liked[i] for i in like if liked[i] in papers]
        others = [words(pid, papers[pid].title) for pid in signals_liked]
        shared = shared_terms(words(paper_id, title), others, frequency, total)
        titles = [papers[pid].title for pid in signals_liked]
        kinds = [signals.kind[pid] for pid in signals_liked]
        hits.append(ForYouHit(paper_id, title, score, reason(kinds, titles, shared)))
    return hits


def _id_column(searcher: Searcher) -> list[bytes]:
    """Every document's id by global docnum (the segments' cached id columns)."""
    ids: list[bytes] = []
    for leaf, _ in searcher.reader().leaf_readers():
        if leaf.segment() is not None and leaf.doc_count_all():
            ids += segment_data(leaf).column(leaf, "id")
    return ids


def _live(parts: list[Part], size: int) -> np.ndarray:
    live = np.zeros(size, dtype=bool)
    for part in parts:
        section = live[part.base : part.base + part.file.count]
        section[:] = True if part.live is None else part.live
    return live


def _docnums(ids: list[bytes], live: np.ndarray, wanted: set[str]) -> dict[str, int]:
    """The live document of each wanted paper id that is indexed."""
    keys = {paper_id.encode("utf-8") for paper_id in wanted}
    found = {}
    for docnum in compress(range(len(ids)), map(keys.__contains__, ids)):
        if live[docnum]:
            found[ids[docnum].decode("utf-8")] = docnum
    return found
