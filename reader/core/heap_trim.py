"""Freed memory handed back to the system during bulk work (glibc's malloc_trim).

An import allocates and frees millions of blocks a few kilobytes long (parsed text, pickled
batches, postings): glibc keeps the freed pages inside its heap, and after a big temporary
array it stops giving any back at all (its thresholds rise to that array's size), so a long
import's resident memory grew with the holes its batches left. `give_back()` after a batch
returns every wholly free page. Where malloc_trim does not exist (macOS, musl), it does
nothing.
"""

from __future__ import annotations

import ctypes
import sys
from collections.abc import Callable


def _malloc_trim() -> Callable[[int], int] | None:
    if not sys.platform.startswith("linux"):
        return None
    try:
        return ctypes.CDLL(None).malloc_trim
    except (OSError, AttributeError):  # not glibc
        return None


_TRIM = _malloc_trim()


def give_back() -> None:
    """Return the heap's wholly free pages to the system."""
    if _TRIM is not None:
        _TRIM(0)
