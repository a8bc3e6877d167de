"""Fewer cyclic garbage collections during bulk work.

A bulk import allocates millions of objects that either die at once (refcounting frees them:
parsed rows, papers) or live until the end (an index worker's postings). Python's collector
runs every 700 allocations regardless and, in an index worker, walks every live posting list
again and again: a quarter of the import's parsing and merging time went to it. Raising the
first threshold keeps collections, just far fewer of them.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager

BULK_THRESHOLDS = (100_000, 20, 20)


@contextmanager
def fewer_collections() -> Iterator[None]:
    """Bulk thresholds inside the block, the previous ones after it."""
    before = gc.get_threshold()
    gc.set_threshold(*BULK_THRESHOLDS)
    try:
        yield
    finally:
        gc.set_threshold(*before)
