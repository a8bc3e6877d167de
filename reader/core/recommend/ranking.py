"""Score the library against a profile: how much each paper is like what the user signalled.

A paper's score is the mean of its TOP_SIGNALS best weighted cosines with the signal papers
(a bookmark counts fully, a read mark a little), minus DISMISSED_WEIGHT times its cosine with
the nearest paper the user dismissed: papers like one kept paper rank high, papers like a
dismissed one sink. Scoring a million papers against every signal would read every vector
for each; instead each topic of the profile finds its POOL nearest papers (sign-bit codes,
then int8 rows: reader.core.vectors.scan), and only that pool is scored in full.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from reader.core.recommend.profile import Profile
from reader.core.vectors import Part, nearest, vectors_of

POOL = 3000  # candidates each topic brings
TOP_SIGNALS = 3
DISMISSED_WEIGHT = 0.5


@dataclass(slots=True)
class Ranked:
    docnums: np.ndarray  # best first
    scores: np.ndarray
    like: list[list[int]]  # for each, the signals (indices into the profile) it is most like


def rank(parts: list[Part], profile: Profile, allowed: np.ndarray, count: int) -> Ranked:
    """The `count` best papers among the `allowed` docnums (a bool per global docnum)."""
    pool = _pool(parts, profile, allowed)
    if not len(pool):
        return Ranked(np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.float32), [])
    vectors = vectors_of(parts, pool)
    weighted = (vectors @ profile.vectors.T) * profile.weights[None, :]
    top = min(TOP_SIGNALS, weighted.shape[1])
    best = np.argpartition(-weighted, top - 1, axis=1)[:, :top]
    scores = np.take_along_axis(weighted, best, axis=1).mean(axis=1)
    if len(profile.dismissed):
        scores -= DISMISSED_WEIGHT * (vectors @ profile.dismissed.T).max(axis=1)
    order = np.argsort(-scores, kind="stable")[:count]
    like = [
        sorted(best[i], key=lambda signal, row=i: -weighted[row, signal]) for i in order.tolist()
    ]
    return Ranked(pool[order], scores[order], [[int(s) for s in signals] for signals in like])


def _pool(parts: list[Part], profile: Profile, allowed: np.ndarray) -> np.ndarray:
    """The union of each topic's nearest allowed papers, ascending."""
    found = [nearest(parts, topic, POOL, allowed=allowed)[0] for topic in profile.topics]
    return np.unique(np.concatenate(found)) if found else np.zeros(0, dtype=np.int64)
