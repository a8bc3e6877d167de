"""Freed memory during bulk work: handed back to the system, but not at every free (glibc's
malloc_trim and mallopt).

An import allocates and frees millions of blocks a few kilobytes long (parsed text, pickled
batches, postings): glibc keeps the freed pages inside its heap, and after a big temporary
array it stops giving any back at all (its thresholds rise to that array's size), so a long
import's resident memory grew with the holes its batches left. `give_back()` after a batch
returns every wholly free page.

Until that first big array, glibc does the opposite: it maps each block from 128 KB up on its
own and unmaps it when freed, and trims the heap whenever its top has 128 KB free, so the next
such block faults its pages in (zeroed) again. An import frees and allocates such blocks all the
time (a batch's pickle, numpy's temporaries). `hold_freed()` sets the thresholds glibc itself
ends at after a big array (its dynamic maximum) from the start. Where these calls do not exist
(macOS, musl), both do nothing.
"""

from __future__ import annotations

import ctypes
import sys
from collections.abc import Callable

# mallopt's parameters (malloc.h), and the values glibc's dynamic thresholds stop at on 64 bits
_M_TRIM_THRESHOLD, _M_MMAP_THRESHOLD = -1, -3
_MMAP_FROM = 32 << 20  # a block this big or bigger is mapped on its own
_TRIM_PAST = 2 * _MMAP_FROM  # the heap's top is trimmed once this much of it is free


def _glibc(name: str) -> Callable[..., int] | None:
    if not sys.platform.startswith("linux"):
        return None
    try:
        return getattr(ctypes.CDLL(None), name)
    except (OSError, AttributeError):  # not glibc
        return None


_TRIM = _glibc("malloc_trim")
_MALLOPT = _glibc("mallopt")


def give_back() -> None:
    """Return the heap's wholly free pages to the system."""
    if _TRIM is not None:
        _TRIM(0)


def hold_freed() -> None:
    """Keep freed blocks for reuse, up to glibc's own maximum thresholds, for the rest of this
    process: for a process that does bulk work (an import, an index worker)."""
    if _MALLOPT is not None:
        _MALLOPT(_M_MMAP_THRESHOLD, _MMAP_FROM)
        _MALLOPT(_M_TRIM_THRESHOLD, _TRIM_PAST)
