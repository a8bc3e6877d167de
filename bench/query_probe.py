"""Warm query timings of one engine, by kind, with the slowest queries: for profiling work.

    python bench/query_probe.py reader|fts5 LOCATION QUERIES.json [WARMUP.json]
        [--kind plain|fuzzy|phrase|field] [--slowest K] [--repeat R]

LOCATION is reader's data dir or the FTS5 database; the query files are the ones bench/run.py
writes (queries.save). Prints p50 and p95 of wall and CPU time per kind (the numbers run.py
reports, without its cold start, import and TUI steps) and the K slowest queries by CPU time.
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

from probe import OPENERS, memory_mb
from queries import Query, load
from run import percentile


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("side", choices=sorted(OPENERS))
    parser.add_argument("location", type=Path)
    parser.add_argument("queries", type=Path)
    parser.add_argument("warmup", type=Path, nargs="?")
    parser.add_argument("--kind", action="append", help="only these kinds (repeatable)")
    parser.add_argument("--slowest", type=int, default=5, help="list the K slowest queries")
    parser.add_argument("--repeat", type=int, default=1, help="run the query set R times")
    args = parser.parse_args()

    started = time.perf_counter()
    ask = OPENERS[args.side](args.location)
    print(f"opened in {(time.perf_counter() - started) * 1000:.0f} ms")
    for query in load(args.warmup) if args.warmup else []:
        ask(query)
    queries = [q for q in load(args.queries) if not args.kind or q.kind in args.kind]
    wall: dict[str, list[float]] = {}
    cpu: dict[str, list[float]] = {}
    slow: list[tuple[float, float, Query]] = []
    for _ in range(args.repeat):
        for query in queries:
            started, started_cpu = time.perf_counter(), time.process_time()
            ask(query)
            took, took_cpu = time.perf_counter() - started, time.process_time() - started_cpu
            wall.setdefault(query.kind, []).append(took * 1000)
            cpu.setdefault(query.kind, []).append(took_cpu * 1000)
            slow.append((took_cpu * 1000, took * 1000, query))
    print(f"{'kind':8} {'n':>4} {'p50':>8} {'p95':>8} {'cpu p50':>8} {'cpu p95':>8}")
    for kind, times in wall.items():
        print(
            f"{kind:8} {len(times):4d} {percentile(times, 0.5):8.1f} {percentile(times, 0.95):8.1f}"
            f" {percentile(cpu[kind], 0.5):8.1f} {percentile(cpu[kind], 0.95):8.1f}"
        )
    print(f"RSS {memory_mb()[0]:.1f} MB")
    for took_cpu, took, query in sorted(slow, key=lambda s: s[0], reverse=True)[: args.slowest]:
        print(f"{took_cpu:8.1f} cpu {took:8.1f} wall  {query.kind:7} {query.reader_text()}")


if __name__ == "__main__":
    main()
