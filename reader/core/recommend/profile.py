"""A user's taste as vectors: the papers they signalled, and the topics those papers form.

Every positive signal paper keeps its own vector (so a paper is scored against the signals it
is really like), and the signals are grouped into at most MAX_TOPICS topics by spherical
k-means: each topic's centroid finds its own candidates, so a user who reads about two things
gets papers about both, not about the average of the two.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

MAX_TOPICS = 8
_ROUNDS = 12


@dataclass(slots=True)
class Profile:
    ids: list[str]  # the positive signal papers found in the index
    vectors: np.ndarray  # their unit vectors, (n, DIM)
    weights: np.ndarray  # their signals' weights, (n,)
    topics: np.ndarray  # unit centroids, (k, DIM)
    dismissed: np.ndarray  # the vectors of the papers the user said are not for them


def build_profile(
    ids: list[str], vectors: np.ndarray, weights: np.ndarray, dismissed: np.ndarray
) -> Profile:
    return Profile(ids, vectors, weights, topics(vectors, weights), dismissed)


def topics(vectors: np.ndarray, weights: np.ndarray, count: int = MAX_TOPICS) -> np.ndarray:
    """Up to `count` unit centroids of weighted unit vectors (spherical k-means, seeded with
    the heaviest vector and then each time the one least like the seeds: no randomness)."""
    if len(vectors) <= count:
        return vectors.copy()
    seeds = [int(np.argmax(weights))]
    closest = vectors @ vectors[seeds[0]]
    while len(seeds) < count:
        seeds.append(int(np.argmin(closest)))
        closest = np.maximum(closest, vectors @ vectors[seeds[-1]])
    centres = vectors[seeds].copy()
    for _ in range(_ROUNDS):
        nearest = np.argmax(vectors @ centres.T, axis=1)
        moved = centres.copy()
        for k in range(len(centres)):
            members = nearest == k
            if members.any():
                moved[k] = (vectors[members] * weights[members, None]).sum(axis=0)
        norms = np.linalg.norm(moved, axis=1, keepdims=True)
        norms[norms == 0] = 1.0
        moved /= norms
        if np.allclose(moved, centres):
            break
        centres = moved
    return centres
