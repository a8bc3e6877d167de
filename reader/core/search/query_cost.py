"""Which way of evaluating a query pays: probing a long posting list for a few candidate
documents or scoring it whole, and scoring with dicts or with numpy vectors.

The evaluator (evaluate.py) and the plain words' path (plain_words.py) both choose by these
counts of postings; a wrong choice costs time, never a different answer.
"""

from __future__ import annotations

import sys

# A term's postings are probed for candidate documents (rather than all scored) when they
# are this many times more numerous than the candidates.
PROBE_RATIO = 16
# Postings from which a query is scored as numpy vectors (reader.core.search.array_scores).
# The dict path's cost per posting (scoring, combining, ranking) is far above the vectors', but
# the vectors need numpy imported once: a query must be big enough to pay for the import.
DENSE_MIN = 20_000
DENSE_MIN_UNLOADED = 150_000


def dense_pays(postings: float) -> bool:
    """Whether numpy vectors answer a query of this many postings faster than dicts."""
    return postings >= (DENSE_MIN if "numpy" in sys.modules else DENSE_MIN_UNLOADED)
