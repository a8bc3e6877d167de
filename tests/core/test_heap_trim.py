"""give_back() hands the heap's free pages back: a long import's resident memory no longer
keeps the holes its batches left."""

from __future__ import annotations

import subprocess
import sys

import pytest

from reader.core import heap_trim

HOLES = """
import os
from reader.core.heap_trim import give_back

def resident_mb():
    with open(f"/proc/{os.getpid()}/status") as status:
        return int(status.read().split("VmRSS:")[1].split()[0]) / 1024

blocks = [bytearray(2000) for _ in range(50_000)]  # 100 MB of the heap, a few KB at a time
del blocks[:-1]  # freed, but for the last block, which keeps the heap from shrinking
before = resident_mb()
give_back()
print(round(before - resident_mb()))
"""


@pytest.mark.skipif(heap_trim._TRIM is None, reason="malloc_trim is glibc's")
def test_freed_pages_inside_the_heap_go_back_to_the_system() -> None:
    done = subprocess.run(
        [sys.executable, "-c", HOLES], capture_output=True, text=True, timeout=60, check=True
    )
    assert int(done.stdout) > 80  # MB given back of the 100 freed


def test_it_is_harmless_anywhere() -> None:
    heap_trim.give_back()
