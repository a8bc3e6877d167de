"""`reader import` alone, as bench/run.py counts it, with its parts: for profiling the import.

    python bench/import_probe.py CORPUS [--checkout NAME=PATH ...] [--into LIBRARY]
                                 [--workdir DIR] [--json]

Each checkout (default: the reader this Python imports) imports CORPUS into a fresh data dir
(`reader import`, plus `reader index rebuild` when the import leaves no index: until
`reader search` works), in turn, in the same sitting, so old and new code can be compared on
a shared machine. A checkout is a folder holding the `reader` package (a git worktree, or
`git archive REV reader | tar -x -C DIR`). CPU time is the importing process and its worker
processes; other work on the machine inflates the wall time, not the CPU time. With --into,
the data dir starts as a copy of LIBRARY (a data dir with papers and an index): an import
into a library in use, as a daily fetch or a reference manager's export makes it, rather
than into an empty one.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sys
import tempfile
from pathlib import Path

import checkouts
import run

_SEGMENTS = (
    "import sys; from pathlib import Path; from reader.core.index.paper_index import PaperIndex; "
    "ix = PaperIndex(Path(sys.argv[1])); ix.open(); print(ix.segment_count(), ix.doc_count())"
)


def probe(
    corpus_file: Path, data_dir: Path, checkout: str | None, into: Path | None = None
) -> dict[str, float]:
    """Import into data_dir with the reader in `checkout` (None: this one); data_dir is
    empty, or a fresh copy of the library `into`."""
    if checkout:
        run.ENV["PYTHONPATH"] = checkout
    else:
        run.ENV.pop("PYTHONPATH", None)
    shutil.rmtree(data_dir, ignore_errors=True)
    if into:
        shutil.copytree(into, data_dir)
        # Untimed: a search opens the copy, whose user files have new inodes (the index's
        # record of them differs, and the opening checks the papers with user data again),
        # and the copy's pages go to disk, not into the import's checkpoint.
        run.measured(run.reader_cli(data_dir, "search", "--json", "opened"), "open the copy")
        os.sync()
    n = sum(1 for _ in corpus_file.open("rb"))
    store = run.measured(run.reader_cli(data_dir, "import", str(corpus_file)), "reader import")
    steps = [store]
    built_by_import = run.has_index(data_dir)
    if not built_by_import:
        steps.append(run.measured(run.reader_cli(data_dir, "index", "rebuild"), "index rebuild"))
    check = run.measured([sys.executable, "-c", _SEGMENTS, str(data_dir / "index")], "segments")
    segments, docs = map(int, check.out.split())
    wall = sum(step.seconds for step in steps)
    cpu = sum(step.cpu_s for step in steps)
    return {
        "n": n,
        "papers_per_s": n / wall,
        "cpu_papers_per_s": n / cpu,
        "wall_s": wall,
        "cpu_s": cpu,
        "import_s": store.seconds,
        "import_cpu_s": store.cpu_s,
        "rebuild_s": 0.0 if built_by_import else steps[1].seconds,
        "rebuild_cpu_s": 0.0 if built_by_import else steps[1].cpu_s,
        "index_by_import": float(built_by_import),
        "peak_rss_mb": max(step.peak_mb for step in steps),
        "segments": segments,
        "index_docs": docs,
        "index_mb": run.folder_mb(data_dir / "index"),
    }


def table(results: dict[str, dict[str, float]]) -> str:
    head = (
        "| reader | papers | papers/s | CPU papers/s | wall s | CPU s | import s (CPU) "
        "| rebuild s (CPU) | peak RSS MB | segments | index MB |"
    )
    lines = [head, "|" + "---|" * (head.count("|") - 1)]
    for name, r in results.items():
        rebuild = (
            "in the import"
            if r["index_by_import"]
            else f"{r['rebuild_s']:.1f} ({r['rebuild_cpu_s']:.1f})"
        )
        lines.append(
            f"| {name} | {r['n']:,} | {r['papers_per_s']:,.0f} | {r['cpu_papers_per_s']:,.0f} "
            f"| {r['wall_s']:.1f} | {r['cpu_s']:.1f} "
            f"| {r['import_s']:.1f} ({r['import_cpu_s']:.1f}) "
            f"| {rebuild} | {r['peak_rss_mb']:.0f} | {r['segments']} | {r['index_mb']:.0f} |"
        )
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("corpus", type=Path, help="arXiv JSON lines (bench/corpus.py makes them)")
    checkouts.add_option(parser)
    parser.add_argument(
        "--into", type=Path, metavar="LIBRARY",
        help="a data dir to import into (copied for each checkout; default: an empty one)",
    )  # fmt: skip
    parser.add_argument("--workdir", type=Path, help="where the data dirs go (default: a temp dir)")
    parser.add_argument("--json", action="store_true", help="print one JSON document")
    args = parser.parse_args()
    named = checkouts.named(args.checkout)
    workdir = args.workdir or Path(tempfile.mkdtemp(prefix="import-probe-"))
    results = {}
    for name, path in named:
        results[name] = probe(args.corpus.resolve(), workdir / name, path or None, args.into)
        print(f"{name}: {results[name]['wall_s']:.1f} s", file=sys.stderr)
    if not args.workdir:
        shutil.rmtree(workdir, ignore_errors=True)
    print(json.dumps(results, indent=2) if args.json else table(results))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
