"""Score the library against a profile: how much each paper is like what the user signalled.

Two rankings of the same papers are fused by rank (k = 60), as search by meaning fuses words
and vectors:

- by vectors: the mean of a paper's TOP_SIGNALS best weighted cosines with the signalled
  papers (a bookmark counts fully, a read mark a little), minus DISMISSED_WEIGHT times its
  cosine with the nearest paper the user dismissed, so papers like a kept paper rise and
  papers like a dismissed one sink;
- by key terms: the weights of the profile's key terms a paper holds (terms.py).

Scoring a million papers against every signal would read every vector for each; instead each
topic of the profile finds its POOL nearest papers (sign-bit codes, then int8 rows:
reader.core.vectors.scan), the key terms bring their POOL best, and only that pool is scored
in full.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from reader.core.recommend.profile import Profile
from reader.core.vectors import Part, nearest, vectors_of

POOL = 1500  # candidates each topic, and the key terms, bring
TOP_SIGNALS = 3
DISMISSED_WEIGHT = 0.5
RRF_K = 60


@dataclass(slots=True)
class Ranked:
    docnums: np.ndarray  # best first
    scores: np.ndarray  # 1.0: first by vectors and by key terms
    like: list[list[int]]  # for each, the signals (indices into the profile) it is most like


def rank(
    parts: list[Part], profile: Profile, terms: np.ndarray, allowed: np.ndarray, count: int
) -> Ranked:
    """The `count` best papers among the `allowed` docnums (a bool per global docnum);
    `terms` is every docnum's key-term score."""
    pool = _pool(parts, profile, terms, allowed)
    if not len(pool):
        return Ranked(np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.float64), [])
    vectors = vectors_of(parts, pool)
    weighted = (vectors @ profile.vectors.T) * profile.weights[None, :]
    top = min(TOP_SIGNALS, weighted.shape[1])
    best = np.argpartition(-weighted, top - 1, axis=1)[:, :top]
    by_vectors = np.take_along_axis(weighted, best, axis=1).mean(axis=1)
    if len(profile.dismissed):
        by_vectors -= DISMISSED_WEIGHT * (vectors @ profile.dismissed.T).max(axis=1)
    by_terms = terms[pool]
    fused = _reciprocal(by_vectors) + np.where(by_terms > 0, _reciprocal(by_terms), 0.0)
    fused *= (RRF_K + 1) / 2
    order = np.argsort(-fused, kind="stable")[:count]
    like = [
        sorted(best[i].tolist(), key=lambda signal, row=i: -weighted[row, signal])
        for i in order.tolist()
    ]
    return Ranked(pool[order], fused[order], like)


def _reciprocal(scores: np.ndarray) -> np.ndarray:
    """1 / (k + rank) of each score among them (rank 1: the highest)."""
    ranks = np.empty(len(scores), dtype=np.float64)
    ranks[np.argsort(-scores, kind="stable")] = np.arange(1, len(scores) + 1)
    return 1.0 / (RRF_K + ranks)


def _pool(
    parts: list[Part], profile: Profile, terms: np.ndarray, allowed: np.ndarray
) -> np.ndarray:
    """The union of each topic's nearest allowed papers and the key terms' best, ascending."""
    found = [nearest(parts, topic, POOL, allowed=allowed)[0] for topic in profile.topics]
    held = np.flatnonzero((terms > 0) & allowed[: len(terms)])
    if len(held) > POOL:
        held = held[np.argpartition(-terms[held], POOL - 1)[:POOL]]
    return np.unique(np.concatenate([*found, held]).astype(np.int64))
