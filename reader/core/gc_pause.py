"""Fewer cyclic garbage collections during bulk work.

A bulk import allocates millions of objects that either die at once (refcounting frees them:
parsed rows, papers) or live until the end (an index worker's postings). Python's collector
runs every 700 allocations regardless and, in an index worker, walks every live posting list
again and again: a quarter of the import's parsing and merging time went to it. Raising the
first threshold keeps collections, just far fewer of them.
"""

from __future__ import annotations

import gc
import threading
from collections.abc import Iterator
from contextlib import contextmanager

BULK_THRESHOLDS = (100_000, 20, 20)

_lock = threading.Lock()
_depth = 0  # blocks inside fewer_collections() now, in any thread
_before: tuple[int, int, int] = gc.get_threshold()


@contextmanager
def fewer_collections() -> Iterator[None]:
    """Bulk thresholds inside the block; the previous ones when the last such block in the
    process ends (the app can run an import while another one finishes)."""
    global _depth, _before
    with _lock:
        if _depth == 0:
            _before = gc.get_threshold()
            gc.set_threshold(*BULK_THRESHOLDS)
        _depth += 1
    try:
        yield
    finally:
        with _lock:
            _depth -= 1
            if _depth == 0:
                gc.set_threshold(*_before)
