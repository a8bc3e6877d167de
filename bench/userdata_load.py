"""How long the user's files take to load, and what that costs every command that reads them.

    python bench/userdata_load.py [--n 10000 100000] [--runs 3] [--checkout NAME=PATH ...]

For each N: a library holding the built-in sample, and user files with N bookmarks, N tagged
papers and N papers read (written by reader's own emitter, so in the shape reader saves; the
sample's ids first, then arXiv-shaped ids the store does not know). Then, each in a new
process, the median of `--runs` runs of:

- `load`: Library.open(...).user and a look at every file (bookmarks, tags, read state,
  saved searches), timed inside the process: the cost of the files alone, ids resolved
  through the store as the app and the CLI do;
- `reader tag ID x`, `reader note ID` and `reader bookmark ID`: whole commands, wall and CPU.

A checkout is a folder holding the `reader` package (a worktree, or
`git archive REV reader | tar -x -C DIR`): `--checkout old=/tmp/old --checkout new=$PWD`
measures the code before and after a change in the same sitting. CPU time is the process's
own; a busy machine inflates the wall time, not the CPU time.
"""

from __future__ import annotations

import argparse
import json
import shutil
import statistics
import sys
import tempfile
from pathlib import Path

import checkouts
import run

_LOAD = """
import json, sys, time
from reader.core.library.facade import Library
wall, cpu = time.perf_counter(), time.process_time()
library = Library.open(sys.argv[1])
user = library.user
sizes = [len(user.bookmarks()), len(user.tagged()), len(user.read_ids()),
         len(user.saved_searches())]
print(json.dumps({"wall": time.perf_counter() - wall, "cpu": time.process_time() - cpu,
                  "entries": sizes[:3]}))
library.close()
"""


def write_user_files(data_dir: Path, n: int) -> str:
    """N bookmarks, tagged and read papers in reader's own file shape; returns a known id."""
    from reader.core.library.facade import Library
    from reader.core.userdata.emit import dump
    from reader.core.userdata.formats import BOOKMARKS, READ, TAGS

    library = Library.open(data_dir)
    library.import_sample()
    known = library.store.ids()
    library.close()
    ids = (known + [f"29{i // 100_000 % 100:02d}.{i % 100_000:05d}" for i in range(n)])[:n]
    stamp = "2026-01-02T03:04:05Z"
    user_dir = data_dir / "user"
    user_dir.mkdir(parents=True, exist_ok=True)
    files = {
        BOOKMARKS: {pid: stamp for pid in ids},
        READ: {pid: stamp for pid in ids},
        TAGS: {pid: ["reading", f"topic-{i % 40}"] for i, pid in enumerate(ids)},
    }
    for fmt, section in files.items():
        text = dump({"version": 1, fmt.section: section}, fmt.header, flow_lists=fmt.flow_lists)
        (user_dir / fmt.file_name).write_text(text, encoding="utf-8")
    return known[0]


def median_of(runs: list[dict[str, float]]) -> dict[str, float]:
    return {key: statistics.median(run[key] for run in runs) for key in runs[0]}


def measure(data_dir: Path, pid: str, checkout: str | None, runs: int) -> dict[str, float]:
    """The load alone, then three commands, each `runs` times in new processes."""
    if checkout:
        run.ENV["PYTHONPATH"] = checkout
    else:
        run.ENV.pop("PYTHONPATH", None)
    loads = []
    for _ in range(runs):
        step = run.measured([sys.executable, "-c", _LOAD, str(data_dir)], "load")
        loads.append(json.loads(step.out))
    result = {"load_s": statistics.median(r["wall"] for r in loads)}
    result["load_cpu_s"] = statistics.median(r["cpu"] for r in loads)
    commands = {
        "tag": ("tag", pid, "bench"),
        "note": ("note", pid),
        "bookmark": ("bookmark", pid),
    }
    for name, words in commands.items():
        steps = [run.measured(run.reader_cli(data_dir, *words), name) for _ in range(runs)]
        result[f"{name}_s"] = statistics.median(s.seconds for s in steps)
        result[f"{name}_cpu_s"] = statistics.median(s.cpu_s for s in steps)
        result["peak_mb"] = max(result.get("peak_mb", 0.0), *(s.peak_mb for s in steps))
    return result


_COLUMNS = (
    ("load_s", "load s"),
    ("load_cpu_s", "load cpu"),
    ("tag_s", "tag s"),
    ("tag_cpu_s", "tag cpu"),
    ("note_s", "note s"),
    ("note_cpu_s", "note cpu"),
    ("bookmark_s", "bookmark s"),
    ("bookmark_cpu_s", "bookmark cpu"),
    ("peak_mb", "peak MB"),
)


def table(rows: list[tuple[int, str, dict[str, float]]]) -> str:
    head = ["N", "checkout", *(title for _key, title in _COLUMNS)]
    lines = [head] + [
        [f"{n:,}", name, *(f"{values[key]:.2f}" for key, _title in _COLUMNS)]
        for n, name, values in rows
    ]
    widths = [max(len(line[i]) for line in lines) for i in range(len(head))]
    out = [
        " | ".join(cell.rjust(width) for cell, width in zip(line, widths, strict=True))
        for line in lines
    ]
    out.insert(1, "-+-".join("-" * width for width in widths))
    return "\n".join(out)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--n", type=int, nargs="+", default=[10_000, 100_000])
    parser.add_argument("--runs", type=int, default=3)
    checkouts.add_option(parser)
    parser.add_argument("--json", action="store_true", help="one JSON document, not a table")
    args = parser.parse_args(argv)
    named = checkouts.named(args.checkout)
    rows: list[tuple[int, str, dict[str, float]]] = []
    work = Path(tempfile.mkdtemp(prefix="reader-userdata-bench-"))
    try:
        for n in args.n:
            data_dir = work / f"n{n}"
            pid = write_user_files(data_dir, n)
            for name, path in named:
                print(f"N={n:,} {name} ...", file=sys.stderr, flush=True)
                rows.append((n, name, measure(data_dir, pid, path or None, args.runs)))
    finally:
        shutil.rmtree(work, ignore_errors=True)
    if args.json:
        print(json.dumps([{"n": n, "checkout": name, **values} for n, name, values in rows]))
    else:
        print(table(rows))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
