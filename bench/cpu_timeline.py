"""The CPU use of a command and of every process it starts, second by second.

    python bench/cpu_timeline.py [--step S] -- reader --data-dir DIR import CORPUS

Prints one line per step: the seconds since the start, then for each live process of the
command's tree its pid, its CPU use over the step (100% is one core) and its peak resident
memory so far. An import runs in two processes (the importing one and its index worker):
this shows which of them waits for the other, and when (a worker writing a segment, the
last papers' vectors). Linux only: it reads /proc.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import time
from pathlib import Path

from run import process_tree

_TICKS = os.sysconf("SC_CLK_TCK")


def cpu_seconds(pid: int) -> float | None:
    """User and system CPU time of a process so far (None once it is gone)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return None
    return (int(fields[11]) + int(fields[12])) / _TICKS


def peak_mb(pid: int) -> int | None:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) // 1024
    except OSError:
        pass
    return None


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--step", type=float, default=1.0, help="seconds between lines")
    parser.add_argument("command", nargs=argparse.REMAINDER, help="the command, after --")
    args = parser.parse_args()
    command = args.command[1:] if args.command[:1] == ["--"] else args.command
    if not command:
        parser.error("no command given")
    started = time.monotonic()
    process = subprocess.Popen(command)
    used: dict[int, float] = {}
    while process.poll() is None:
        time.sleep(args.step)
        cells = []
        for pid in process_tree(process.pid):
            now = cpu_seconds(pid)
            if now is None:
                continue
            share = (now - used.get(pid, 0.0)) / args.step * 100
            used[pid] = now
            cells.append(f"{pid}: {share:4.0f}% {peak_mb(pid) or 0:4d} MB")
        print(f"{time.monotonic() - started:7.1f} s  " + "  ".join(cells), flush=True)
    return process.returncode


if __name__ == "__main__":
    raise SystemExit(main())
