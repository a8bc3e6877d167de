"""The index workers of an import into an empty library, started before anything else.

Such an import indexes its papers as it stores them (importing.py), in worker processes. A
worker spends its first moments loading numpy, Whoosh and the tokenizer, and the importing
process as long loading them and its parsers: started first, the worker loads while this
process does, and is ready when the first batch is. This module loads nothing of its own.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING

from reader.core import index
from reader.core.heap_trim import hold_freed

if TYPE_CHECKING:
    from reader.core.index import StartedWorkers
    from reader.core.store import Store

# A file this big holds more than a batch of papers (2,000 arXiv records take about 2.6 MB):
# into an empty library, its index worker is started before the first batch is parsed.
MANY_BYTES = 4 << 20


def workers_for_import() -> int:
    """Workers for an import's index: this process parses and stores throughout, so it keeps
    a core of its own, and a worker takes each other core (up to two). More busy processes
    than cores only take turns, and each worker holds a segment in memory (and with two, a
    model each)."""
    return max(0, min(2, (os.cpu_count() or 1) - 1))


def big_file(path: Path) -> bool:
    """Is `path` MANY_BYTES or more (many papers are coming)?"""
    return path.stat().st_size >= MANY_BYTES


def early_workers(paths: list[Path], store: Store, index_dir: Path) -> StartedWorkers | None:
    """The index workers for importing the first of `paths` into the library of `store` and
    `index_dir`, started now if it is a big file and the store is empty (the import decides
    for itself, and they are stopped if it does not stream); None if not, or if they cannot
    start (the import then starts its own, or goes alone)."""
    try:
        big = bool(paths) and big_file(paths[0])
    except OSError:
        return None  # the import says why it cannot read it
    count = workers_for_import()
    if not big or not count or store.count():
        return None
    hold_freed()  # this process stores the import, its worker indexes it: bulk work, both
    try:
        return index.start_workers(index_dir, count)
    except (OSError, ValueError):
        return None
