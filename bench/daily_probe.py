"""What the daily loop costs on a big library: follows and mutes (first answer, then kept),
feeds with muted papers left out next to the same lists unfiltered, and a digest.

    python bench/daily_probe.py --n 100000            # imports the corpus once into bench/out/
    python bench/daily_probe.py --n 100000 --json

The library is bench/out/daily-<N> (made from corpus.py's corpus on the first run, reused
after); the user files are reset each run. Prints one table of median milliseconds.
"""

from __future__ import annotations

import argparse
import json
import shutil
import statistics
import sys
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))

from corpus import write_corpus  # noqa: E402

from reader.core.library import Library, Watching, make_digest  # noqa: E402

RUNS = 5


def timed(action: Callable[[], object], runs: int = RUNS) -> float:
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        action()
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times)


def library_of(n: int, workdir: Path) -> Library:
    data = workdir / f"daily-{n}"
    if not (data / "papers.sqlite3").exists():
        corpus = write_corpus(n, workdir / f"corpus-{n}.jsonl")
        library = Library.open(data)
        library.import_paths([corpus])
        library.close()
    shutil.rmtree(data / "user", ignore_errors=True)
    return Library.open(data)


def probe(n: int, workdir: Path) -> dict[str, float]:
    library = library_of(n, workdir)
    try:
        library.search("warm up", limit=1)
        author = library.papers(library.store.ids()[:1])
        name = next(iter(author.values())).authors[0]
        watching = library.watching
        rows: dict[str, float] = {}
        watching.follow(f'author:"{name}"')
        watching.mute("abstract:survey")
        watching.mute("abstract:benchmark")
        rows["mutes' ids, first answer (2 queries)"] = timed(
            lambda: Watching(library).muted_ids(), runs=3
        )
        rows["mutes' ids, kept answer"] = timed(watching.muted_ids)
        rows["follows' ids, kept answer"] = timed(watching.followed_ids)
        rows["muted papers"] = float(len(watching.muted_ids()))
        rows["All papers, unfiltered"] = timed(lambda: library.search_ids(""))
        rows["All papers, a feed (muted left out, counted)"] = timed(lambda: watching.feed_ids(""))
        rows["Unread, a feed"] = timed(lambda: watching.feed_ids("is:unread"))
        rows["saved search 'learning', unfiltered"] = timed(lambda: library.search_ids("learning"))
        rows["saved search 'learning', a feed"] = timed(lambda: watching.feed_ids("learning"))
        library.user.add_saved("learning", "learning")
        since = datetime.now(UTC) - timedelta(days=1)
        rows["digest of the whole library (new since a day)"] = timed(
            lambda: make_digest(library, since=since), runs=1
        )
        return rows
    finally:
        library.close()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=100_000)
    parser.add_argument("--workdir", type=Path, default=ROOT / "bench" / "out")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)
    args.workdir.mkdir(parents=True, exist_ok=True)
    rows = probe(args.n, args.workdir)
    if args.json:
        print(json.dumps({"n": args.n, "ms": rows}, indent=2))
        return 0
    width = max(map(len, rows))
    print(f"{'daily loop at ' + format(args.n, ',') + ' papers':<{width}}  median ms")
    for name, value in rows.items():
        print(f"{name:<{width}}  {value:>9,.1f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
