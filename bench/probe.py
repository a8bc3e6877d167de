"""One engine in its own process, so its memory and its cold start are its own.

    python bench/probe.py warm reader|fts5 LOCATION QUERIES.json WARMUP.json
    python bench/probe.py cold reader|fts5 LOCATION QUERY.json
    python bench/probe.py model

LOCATION is reader's data dir or the FTS5 database. Prints one JSON document. Warm queries are
timed in wall and CPU time: on a busy machine the CPU time still compares the engines.
"""

from __future__ import annotations

import atexit
import json
import sys
import time
from collections.abc import Callable
from pathlib import Path

from queries import Query, load

STARTED = time.perf_counter()
Ask = Callable[[Query], int]  # answers one query (top 20), returns the total match count


def open_reader(data_dir: Path) -> Ask:
    from reader.core.library.facade import Library

    library = Library.open(data_dir)
    library.index  # noqa: B018 -- open the index now, not inside the first timed query
    # Closed at exit as `reader search` closes it: a library left open counts as a crash, and
    # the next process (the next cold start measured) would check the whole store first.
    atexit.register(library.close)

    def ask(query: Query) -> int:
        return library.search(query.reader_text(), limit=20).total

    return ask


def open_fts5(db: Path) -> Ask:
    from fts5 import Searcher

    searcher = Searcher(db)

    def ask(query: Query) -> int:
        return searcher.search(query, limit=20)[0]

    return ask


OPENERS: dict[str, Callable[[Path], Ask]] = {"reader": open_reader, "fts5": open_fts5}


def memory_mb() -> tuple[float, float]:
    """(resident now, peak resident) of this process, from /proc (Linux)."""
    fields = {}
    for line in Path("/proc/self/status").read_text().splitlines():
        key, _, value = line.partition(":")
        fields[key] = value
    return int(fields["VmRSS"].split()[0]) / 1024, int(fields["VmHWM"].split()[0]) / 1024


def warm(side: str, location: Path, queries: list[Query], warmup: list[Query]) -> dict:
    ask = OPENERS[side](location)
    for query in warmup:
        ask(query)
    times: dict[str, list[float]] = {}
    cpu: dict[str, list[float]] = {}
    totals: list[int] = []
    before_long: float | None = None
    for query in queries:
        if query.kind == "long" and before_long is None:
            before_long = memory_mb()[0]  # the searcher before it searched by meaning
        started, started_cpu = time.perf_counter(), time.process_time()
        totals.append(ask(query))
        times.setdefault(query.kind, []).append((time.perf_counter() - started) * 1000)
        cpu.setdefault(query.kind, []).append((time.process_time() - started_cpu) * 1000)
    rss, peak = memory_mb()
    return {
        "ms": times,
        "cpu_ms": cpu,
        "totals": totals,
        "rss_mb": rss if before_long is None else before_long,
        "rss_long_mb": rss,
        "peak_rss_mb": peak,
    }


def cold(side: str, location: Path, query: Query) -> dict:
    ask = OPENERS[side](location)
    opened = time.perf_counter()
    total = ask(query)
    done = time.perf_counter()
    return {
        "open_ms": (opened - STARTED) * 1000,
        "first_ms": (done - opened) * 1000,
        "total": total,
        "rss_mb": memory_mb()[0],
    }


def model() -> dict:
    """What loading reader's embedding model costs a process that has numpy already (as a
    search by meaning has): the load and one query embedded, and the memory it adds."""
    import numpy  # noqa: F401 -- loaded before: its import is not the model's cost

    before = memory_mb()[0]
    started = time.perf_counter()
    from reader.core.vectors import shared_model

    shared_model().embed(["a small proxy network that picks useful web text while training"])
    return {
        "model_load_ms": (time.perf_counter() - started) * 1000,
        "model_rss_mb": memory_mb()[0] - before,
    }


def main(argv: list[str]) -> int:
    if argv == ["model"]:
        result = model()
    elif len(argv) == 5 and argv[0] == "warm":
        result = warm(argv[1], Path(argv[2]), load(Path(argv[3])), load(Path(argv[4])))
    elif len(argv) == 4 and argv[0] == "cold":
        result = cold(argv[1], Path(argv[2]), load(Path(argv[3]))[0])
    else:
        print(__doc__, file=sys.stderr)
        return 2
    print(json.dumps(result))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
