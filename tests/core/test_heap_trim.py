"""give_back() hands the heap's free pages back: a long import's resident memory no longer
keeps the holes its batches left. hold_freed() keeps a freed block for the next: an import's
processes no longer fault the same pages in again and again."""

from __future__ import annotations

import resource
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


REUSE = """
import resource, sys
from reader.core.heap_trim import hold_freed

if sys.argv[1] == "held":
    hold_freed()

def faults_of_a_block():
    before = resource.getrusage(resource.RUSAGE_SELF).ru_minflt
    block = bytearray(16 << 20)  # zeroed: every page touched
    faults = resource.getrusage(resource.RUSAGE_SELF).ru_minflt - before
    del block
    return faults

faults_of_a_block()
print(faults_of_a_block())  # the second block: fresh pages again, or the first one's
"""


def second_block_faults(mode: str) -> int:
    done = subprocess.run(
        [sys.executable, "-c", REUSE, mode], capture_output=True, text=True, timeout=60, check=True
    )
    return int(done.stdout)


@pytest.mark.skipif(heap_trim._MALLOPT is None, reason="mallopt is glibc's")
def test_a_freed_block_is_reused_without_faulting_its_pages_in_again() -> None:
    pages = (16 << 20) // resource.getpagesize()
    assert second_block_faults("default") > pages // 2  # glibc unmapped the first one
    assert second_block_faults("held") < pages // 10


def test_holding_is_harmless_anywhere() -> None:
    heap_trim.hold_freed()
