"""A user's taste as words: the key terms of the papers they signalled.

Key terms are weighed as tf-idf summed over the signalled papers (each times its signal's
weight), and a dismissed paper's terms are taken off (Rocchio's feedback): words that name
what the user keeps, not what they turned down. Only terms some other paper holds and no
more than a fiftieth of the library (or 20 papers in a small one) count: a word every paper
has names no topic. A paper then scores the weights of the key terms it holds
(reader.core.search.IndexView.term_scores).
"""

from __future__ import annotations

from collections import Counter
from math import log

from reader.core.recommend.reasons import Frequency, Words

MAX_TERMS = 40
_COMMON_SHARE = 50
_COMMON_FLOOR = 20


def key_terms(
    liked: list[tuple[Words, float]],
    disliked: list[Words],
    frequency: Frequency,
    papers: int,
) -> dict[str, float]:
    """Term -> weight, the MAX_TERMS strongest of the signalled papers' terms."""
    ceiling = max(papers // _COMMON_SHARE, _COMMON_FLOOR)
    rarity: dict[str, float] = {}

    def idf(term: str) -> float:
        if term not in rarity:
            found = frequency(term)
            rarity[term] = log((papers + 1) / (found + 1)) if 2 <= found <= ceiling else 0.0
        return rarity[term]

    weights: Counter[str] = Counter()
    for words, weight in liked:
        for term, count in words.counts.items():
            weights[term] += weight * count * idf(term)
    for words in disliked:
        for term, count in words.counts.items():
            weights[term] -= count * idf(term)
    return {term: weight for term, weight in weights.most_common(MAX_TERMS) if weight > 0}
