"""Papers like a given one, and the words that make them alike.

Whoosh's `more_like` looks at one field and needs the text stored or vectored in the index; the
abstract lives in SQLite only, so the text comes from the Paper. Key terms are drawn from the
title (counted twice) and the abstract with Whoosh's Bo1 model: frequent in this paper, rare in
the library. Papers are then scored by the key terms they hold, weighted by the term's weight
and rarity, a title match counting double as it does in search. That ranking is fused with the
papers nearest in meaning (their vectors', neighbours.py), so a paper that says the same in
other words comes up too; the key terms a paper shares stay the reason shown for it.

Speed at 100k+ papers: a Whoosh OR query scores every posting through Python matchers, about
ten times the cost of reading the posting lists, so the score is summed here straight from
the lists. At most MAX_TERMS terms are used, none held by more than a fiftieth of the library
(such a term says little about a topic and costs the most to read).
"""

from __future__ import annotations

import heapq
import math
import time
from collections.abc import Callable

from whoosh.reading import IndexReader
from whoosh.searching import Searcher

from reader.core.index import (
    AUTHOR_SEPARATOR,
    TITLE_BOOST,
    PaperIndex,
    live_holders,
    term_of,
    word_spans,
)
from reader.core.model import Paper
from reader.core.search.neighbours import close_in_meaning
from reader.core.search.results import SimilarHit, SimilarResult

Abstracts = Callable[[list[str]], dict[str, str]]
MAX_TERMS = 12
SHOWN_TERMS = 5  # key terms listed for each similar paper
# The key terms' ranking and the papers nearest in meaning, fused by rank (k = 60): each list's
# first FUSED_DEPTH papers, meaning weighing MEANING_WEIGHT against the terms' 1.
RRF_K = 60
FUSED_DEPTH = 100
MEANING_WEIGHT = 1.0
_CANDIDATES = 3 * MAX_TERMS  # Bo1 terms looked at to find MAX_TERMS usable ones
_COMMON_SHARE = 50  # a term in more than 1/50 of the papers is too common to use...
_COMMON_FLOOR = 100  # ...unless the library is so small that 1/50 is under this many papers
# Words of research prose and everyday English that say nothing about a paper's topic; a
# small library cannot tell them from topic words by their frequency alone.
_GENERIC_WORDS = """
    a about above across after again against all almost along already also although always
    among an and another any apply applied applications approach approaches are around as at
    available based be because been before being below best better between beyond both broad
    broader but by can case cases certain challenge challenges change clear common complex
    consider could create creating current currently data decent decently demonstrate
    demonstrates design designed despite detail different difficult do does done due during
    each easily easy effect effective effectively efficient either enable enables end enough
    especially even every existing experiment experiments extensive far few find findings
    first five follow following for four from full fully further furthermore future general
    generally get give given go goes good great had has have having help here high highly how
    however idea ideas important improve improved improves improving in include including
    increase increasingly instead into introduce introduces is issue issues it its itself just
    key kind known large largely last lead leads less level levels like limited little long
    low made main mainly major make makes making many may means method methods might more most
    much multiple must need needs new next no not notably novel now number of often on once one
    only open or order other others our out over overall overview paper part particular
    particularly per perform performance possible potential present presents previous prior
    problem problems process promising propose proposed provide provides quite range rather
    real recent recently related remain remains report require requires research result
    results review routine same scenario scenarios second see seen several should show shows
    significant significantly similar simple simply since single so solve solving some specific
    state still strong studies study substantial success successful such suggest support
    take task tasks ten than that the their them then there these they third this those three
    through thus time times to together toward towards two type types under understand up upon
    us use used uses using various very via way ways we well were what when where whether
    which while who whose why wide widely will with within without work works would yet
    additionally essentially fortunately moreover nowadays typically unfortunately usually
"""
_GENERIC = frozenset(term for word in _GENERIC_WORDS.split() if (term := term_of(word)))


def key_terms(searcher: Searcher, paper: Paper) -> dict[str, float]:
    """Index term -> weight (the strongest is 1.0): what this paper is about.

    One Bo1 model over the abstract field's statistics (the larger sample of the library's
    language) scores the title, counted twice, plus the abstract. A term no other paper has
    cannot make another paper similar, so it does not take one of the MAX_TERMS places.
    """
    text = "\n".join((paper.title, paper.title, paper.abstract))
    if not text.strip():
        return {}
    reader = searcher.reader()
    common = max(_COMMON_FLOOR, reader.doc_count() // _COMMON_SHARE)
    kept: list[tuple[str, float]] = []
    for term, weight in searcher.key_terms_from_text("abstract", text, numterms=_CANDIDATES):
        if not term.isalpha() or len(term) < 3 or term in _GENERIC:
            continue
        if not 2 <= _frequency(reader, term) <= common:
            continue
        kept.append((term, weight))
        if len(kept) == MAX_TERMS:
            break
    top = kept[0][1] if kept else 1.0
    return {term: weight / top for term, weight in kept}


def _frequency(reader: IndexReader, term: str) -> int:
    return max(reader.doc_frequency("abstract", term), reader.doc_frequency("title", term))


def surface_words(paper: Paper) -> dict[str, str]:
    """Index term -> the word as it appears in the paper ("lotteri" -> "lottery"), for display."""
    words: dict[str, str] = {}
    for text in (paper.title, paper.abstract):
        for start, end, term in word_spans(text):
            if term is not None and term not in words:
                words[term] = text[start:end].lower()
    return words


def similar_papers(
    index: PaperIndex, paper: Paper, *, limit: int = 10, abstracts: Abstracts | None = None
) -> SimilarResult:
    """The `limit` papers most like `paper`, best first, never `paper` itself. `abstracts`
    (ids -> abstract, from the store) names the words a paper close in meaning shares when it
    holds none of the key terms."""
    started = time.perf_counter()
    shown = surface_words(paper)
    with index.reading() as searcher:
        weights = key_terms(searcher, paper)
        result = SimilarResult(
            paper.id, paper.title, [shown.get(t, t) for t in weights], stems=list(weights)
        )
        hits: list[SimilarHit] = []
        if weights:  # a paper sharing no distinctive word with another has none like it
            own = next(iter(live_holders(searcher.reader(), "id", paper.id.encode())), None)
            scores, holders = _term_scores(searcher, weights)
            scores.pop(own, None)
            by_terms = heapq.nlargest(FUSED_DEPTH, scores, key=lambda d: (scores[d], -d))
            near = close_in_meaning(searcher, paper, own, FUSED_DEPTH)
            best = fuse([(by_terms, 1.0), (near, MEANING_WEIGHT)], limit)
            hits = [_hit(searcher, d, score, weights, holders, shown) for d, score in best]
            _words_in_common(hits, paper, abstracts, searcher.reader())
    result.results = hits
    result.took_ms = (time.perf_counter() - started) * 1000
    return result


def _term_scores(
    searcher: Searcher, weights: dict[str, float]
) -> tuple[dict[int, float], dict[str, set[int]]]:
    """Every paper holding a key term, scored by the key terms it holds (weight times
    rarity, a title hit counting double), and the papers holding each term."""
    reader = searcher.reader()
    total = max(reader.doc_count(), 1)
    scores: dict[int, float] = {}
    holders: dict[str, set[int]] = {}
    for term, weight in weights.items():
        value = weight * math.log(1 + total / max(_frequency(reader, term), 1))
        docs: set[int] = set()
        for fieldname, factor in (("abstract", 1.0), ("title", TITLE_BOOST)):
            for docnum in live_holders(reader, fieldname, term.encode("utf-8")):
                scores[docnum] = scores.get(docnum, 0.0) + value * factor
                docs.add(docnum)
        holders[term] = docs
    return scores, holders


def fuse(lists: list[tuple[list[int], float]], limit: int) -> list[tuple[int, float]]:
    """Reciprocal rank fusion of ranked docnum lists with their weights, the best `limit`
    (a score of 1.0: first in a list of weight 1 alone)."""
    fused: dict[int, float] = {}
    for ranked, weight in lists:
        for rank, docnum in enumerate(ranked, 1):
            fused[docnum] = fused.get(docnum, 0.0) + weight * (RRF_K + 1) / (RRF_K + rank)
    return heapq.nlargest(limit, fused.items(), key=lambda item: (item[1], -item[0]))


def _hit(
    searcher: Searcher,
    docnum: int,
    score: float,
    weights: dict[str, float],
    holders: dict[str, set[int]],
    shown: dict[str, str],
) -> SimilarHit:
    shared = [t for t in weights if docnum in holders[t]]  # weights are strongest first
    stored = searcher.stored_fields(docnum)
    return SimilarHit(
        id=stored["id"],
        title=stored.get("title", ""),
        authors=[a for a in stored.get("author", "").split(AUTHOR_SEPARATOR) if a],
        date=stored.get("date", ""),
        score=score,
        terms=[shown.get(t, t) for t in shared[:SHOWN_TERMS]],
    )


def _words_in_common(
    hits: list[SimilarHit], paper: Paper, abstracts: Abstracts | None, reader: IndexReader
) -> None:
    """A paper close in meaning that holds none of the key terms shows the words it does
    share with `paper`, the rarest in the library first (none that a tenth of the library
    holds: such a word says nothing of why the two are alike)."""
    bare = [hit for hit in hits if not hit.terms]
    if not bare:
        return
    texts = abstracts([hit.id for hit in bare]) if abstracts else {}
    own = surface_words(paper)
    generic = max(_COMMON_FLOOR // 5, reader.doc_count() // 10)  # in a tenth of the papers
    for hit in bare:
        theirs = surface_words(Paper(id=hit.id, title=hit.title, abstract=texts.get(hit.id, "")))
        common = [t for t in own.keys() & theirs.keys() if t.isalpha() and t not in _GENERIC]
        rarity = {term: _frequency(reader, term) for term in common}
        common = sorted((t for t in common if rarity[t] <= generic), key=lambda t: (rarity[t], t))
        hit.terms = [own[term] for term in common[:SHOWN_TERMS]]
