"""Search by meaning: a query of many plain words is answered by words and by vectors, fused.

A person who describes a paper in their own words ("small helper network picks useful web
text as the main network learns") rarely types the words its title holds, and no paper holds
all of theirs. Such a query is ranked two ways and the rankings are fused:

- by the words, with BM25 over the whole paper (whole_paper.py), papers holding the words as
  a phrase favoured as for any plain query;
- by meaning: the cosine between the query's vector and each paper's (reader.core.vectors),
  nearest found over sign-bit codes and scored from int8 rows.

Reciprocal rank fusion (k = 60) adds 1 / (k + rank) from the words' list and SEMANTIC_WEIGHT /
(k + rank) from the vectors' top SEMANTIC_DEPTH: the words lead, and meaning lifts the papers
both agree on and brings in some that share no word. Papers holding every word of the query
stay first, as in any plain search (a pasted abstract phrase still finds its paper). Queries
of fewer words than plain_words.LONG_QUERY are names typed from memory (title words) and never
come here. The measurements that chose these numbers are in bench/SEMANTIC.md.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from reader.core.index import VectorFileError, vector_parts
from reader.core.search.array_scores import DenseScores
from reader.core.search.evaluate import Evaluator
from reader.core.search.whole_paper import Word, whole_paper_scores
from reader.core.vectors import ModelMissing, nearest, shared_model

RRF_K = 60
SEMANTIC_WEIGHT = 0.25
SEMANTIC_DEPTH = 100  # the vectors' best papers that take part in the fusion
_RANKED = 1000  # the words' best papers fused by rank; those after them keep their order
_AHEAD = 1000.0  # added to the score of a paper holding every word: above any fused score
UNAVAILABLE = "searched by words only: search by meaning is unavailable ({})"


def meaning_scores(
    evaluator: Evaluator,
    words: list[Word],
    text: str,
    favour: Callable[[DenseScores], None],
) -> tuple[DenseScores, str | None]:
    """Fused scores of every paper holding a word or near the query in meaning, and a note
    when the vectors could not be used (the words' ranking alone then)."""
    held = whole_paper_scores(evaluator, words)
    lexical = DenseScores(held.docnums, held.scores)
    if len(held.docnums) > 1:
        favour(lexical)
    every = held.docnums[held.words == len(words)]
    try:
        docnums, _ = _nearest(evaluator, text)
    except (ModelMissing, VectorFileError, OSError) as error:
        return _first(lexical, every), UNAVAILABLE.format(error)
    return _first(fuse(lexical, docnums), every), None


def _first(scores: DenseScores, every: np.ndarray) -> DenseScores:
    """The papers holding every word ahead of the others, in their order."""
    if len(every):
        at = np.searchsorted(scores.docnums, every)
        scores.values[at] += _AHEAD
    return scores


def _nearest(evaluator: Evaluator, text: str) -> tuple[np.ndarray, np.ndarray]:
    model = shared_model()
    parts = vector_parts(evaluator.searcher.reader())
    stale = {part.file.path.name for part in parts if part.file.fingerprint != model.fingerprint}
    if stale:
        raise VectorFileError(
            f"{len(stale)} vector file(s) come from another model: run `reader index rebuild`"
        )
    query = model.embed([text])[0]
    if not query.any():
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.float32)
    return nearest(parts, query, SEMANTIC_DEPTH)


def fuse(lexical: DenseScores, semantic: np.ndarray) -> DenseScores:
    """Reciprocal rank fusion of the words' ranking (every paper it holds) with the vectors'
    best papers (`semantic`, best first); a fused score of 1.0 is the words' first paper.

    The words' first _RANKED papers count by rank; the papers after them keep the words'
    order below, scaled under the last ranked one."""
    docnums, values = lexical.docnums, lexical.values
    fused = np.zeros(len(docnums), dtype=np.float64)
    if len(docnums):
        ranked = min(_RANKED, len(docnums))
        top = np.argpartition(-values, ranked - 1)[:ranked]
        top = top[np.argsort(-values[top], kind="stable")]
        edge = values[top[-1]]
        if edge > 0:
            fused[:] = values / edge / (RRF_K + ranked + 1)
        fused[top] = 1.0 / (RRF_K + np.arange(1, ranked + 1))
    semantic = np.asarray(semantic, dtype=np.int64)
    bonus = SEMANTIC_WEIGHT / (RRF_K + np.arange(1, len(semantic) + 1))
    at = np.searchsorted(docnums, semantic)
    inside = np.zeros(len(semantic), dtype=bool)
    if len(docnums):
        inside = (at < len(docnums)) & (docnums[np.minimum(at, len(docnums) - 1)] == semantic)
        fused[at[inside]] += bonus[inside]
    outside = semantic[~inside]
    all_docnums = np.concatenate([docnums, outside])
    all_values = np.concatenate([fused, bonus[~inside]]) * (RRF_K + 1)
    order = np.argsort(all_docnums, kind="stable")
    return DenseScores(all_docnums[order], all_values[order])
