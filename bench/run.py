"""reader next to SQLite FTS5, on the same synthetic corpus and the same queries, at each N.

    python bench/run.py --n 10000 100000 1000000 [--json]

For each N: import (papers/s, peak RSS, size on disk), 350 warm queries (p50/p95 by kind), cold
start (a new process opening the index and answering one query) and, when reader's TUI is there,
the TUI driven headless. Each engine runs in its own processes so memory and start-up are its
own. Prints a Markdown table with the ratios reader / FTS5 and writes bench/RESULTS.md.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import NamedTuple

import corpus
import import_rounds
import queries
import report
from import_rounds import earlier_import, stored_count

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
QUERY_SEED, WARMUP_SEED = 11, 99
WARMUP_QUERIES = 30
# An installed reader has its bytecode cached; a checkout run with PYTHONDONTWRITEBYTECODE would
# compile every module at every start and overstate the cold start.
ENV = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
# The daily backup (after an import, at the app's start) would compete with what is measured.
ENV["READER_DAILY_BACKUP"] = "0"


class StepFailed(RuntimeError):
    """A measured subprocess failed; the message names the step and ends with its stderr."""


class Measured(NamedTuple):
    seconds: float  # wall
    cpu_s: float  # user + system of that very process
    peak_mb: float  # its peak RSS
    out: str  # its stdout
    stopped: bool = False  # it ran past its time limit and was interrupted


def process_tree(pid: int) -> list[int]:
    """A process and all its descendants (those that have not exited), from /proc."""
    found, todo = [], [pid]
    while todo:
        current = todo.pop()
        try:
            for task in Path(f"/proc/{current}/task").iterdir():
                todo += [int(c) for c in (task / "children").read_text().split()]
        except (OSError, ValueError):
            continue  # it just exited
        found.append(current)
    return found


def tree_rss_mb(pid: int) -> float:
    """Resident memory of a process and all its descendants (worker pools count), from /proc."""
    total = 0
    for current in process_tree(pid):
        try:
            for line in Path(f"/proc/{current}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    total += int(line.split()[1])
        except (OSError, ValueError):
            continue  # it just exited
    return total / 1024


def _default_sigint() -> None:
    signal.signal(signal.SIGINT, signal.SIG_DFL)


def measured(command: list[str], step: str, limit_s: float | None = None) -> Measured:
    """Run a command and measure it (its own rusage, not that of other children). Peak memory
    is the larger of its own peak and the sum over its process tree, sampled every 50 ms.
    Past limit_s seconds it gets SIGINT (reader then stops cleanly, as on ctrl+c)."""
    with tempfile.TemporaryFile("w+") as out, tempfile.TemporaryFile("w+") as err:
        started = time.perf_counter()
        process = subprocess.Popen(
            command,
            stdout=out,
            stderr=err,
            text=True,
            cwd=HERE,
            env=ENV,
            preexec_fn=_default_sigint,  # a background run ignores SIGINT; its children must not
        )
        done = threading.Event()
        peaks = [0.0]

        stopped = threading.Event()

        def sample() -> None:
            while not done.wait(0.05):
                peaks.append(max(peaks.pop(), tree_rss_mb(process.pid)))
                if limit_s and not stopped.is_set() and time.perf_counter() - started > limit_s:
                    stopped.set()
                    process.send_signal(signal.SIGINT)

        sampler = threading.Thread(target=sample, daemon=True)
        sampler.start()
        _, status, usage = os.wait4(process.pid, 0)
        seconds = time.perf_counter() - started
        done.set()
        sampler.join()
        tree_peak = peaks[0]
        process.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        if process.returncode != 0 and not stopped.is_set():
            tail = err.read()[-2000:].strip()
            raise StepFailed(f"{step} exited {process.returncode}: {tail}")
        cpu = usage.ru_utime + usage.ru_stime
        peak = max(usage.ru_maxrss / 1024, tree_peak)
        return Measured(seconds, cpu, peak, out.read(), stopped.is_set())


def folder_mb(path: Path) -> float:
    if path.is_file():
        return path.stat().st_size / 1e6
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file()) / 1e6


def percentile(values: list[float], share: float) -> float:
    """Nearest rank: the value at or below which `share` of the values lie."""
    ordered = sorted(values)
    return ordered[max(0, math.ceil(share * len(ordered)) - 1)]


def reader_cli(data_dir: Path, *args: str) -> list[str]:
    return [sys.executable, "-m", "reader", "--data-dir", str(data_dir), *args]


def has_index(data_dir: Path) -> bool:
    return any((data_dir / "index").glob("*.toc"))


def import_reader(
    corpus_file: Path, data_dir: Path, n: int, limit_s: float | None, log: list[str]
) -> dict[str, float]:
    """`reader import`; then, if the import left no index, `reader index rebuild` (counted).

    An import stopped at limit_s is reported at the rate it had (papers stored / seconds); the
    rest of the store is then filled untimed (fill_store.py) so that queries can be measured.
    """
    store = measured(reader_cli(data_dir, "import", str(corpus_file)), "reader import", limit_s)
    result: dict[str, float] = {}
    if store.stopped:
        done = stored_count(data_dir)
        result["import_stopped_at"] = done
        log.append(
            f"N={n:,}: reader import stopped after {store.seconds:.0f} s with {done:,} papers "
            f"stored ({done / store.seconds:.0f} papers/s); the rest was added untimed "
            "(bench/fill_store.py) and the index rebuilt, so import rows are the stopped "
            "import's rate"
        )
        measured([sys.executable, "fill_store.py", str(corpus_file), str(data_dir)], "fill store")
        rate, cpu_rate = done / store.seconds, done / store.cpu_s
        index = measured(reader_cli(data_dir, "index", "rebuild"), "reader index rebuild")
        steps = [store, index]
        result["index_build_s"] = index.seconds
        result["index_build_per_s"] = n / index.seconds
    else:
        steps = [store]
        if not has_index(data_dir):
            steps.append(measured(reader_cli(data_dir, "index", "rebuild"), "reader index rebuild"))
        total = sum(step.seconds for step in steps)
        rate, cpu_rate = n / total, n / sum(step.cpu_s for step in steps)
        result["import_s"] = total
        result["index_build_s"] = total - store.seconds
    return {
        **result,
        "store_s": store.seconds,
        "import_per_s": rate,
        "import_cpu_per_s": cpu_rate,
        "import_peak_rss_mb": max(step.peak_mb for step in steps),
        "index_mb": folder_mb(data_dir / "index"),
        "vectors_mb": sum(p.stat().st_size for p in (data_dir / "index").glob("*.vec")) / 1e6,
        "disk_mb": folder_mb(data_dir),
    }


def import_fts5(corpus_file: Path, db: Path, n: int) -> dict[str, float]:
    build = measured([sys.executable, "fts5.py", "build", str(corpus_file), str(db)], "fts5 build")
    size = json.loads(build.out)["index_mb"]
    return {
        "import_s": build.seconds,
        "import_per_s": n / build.seconds,
        "import_cpu_per_s": n / build.cpu_s,
        "import_peak_rss_mb": build.peak_mb,
        "index_mb": size,
        "disk_mb": size,
    }


def warm(side: str, location: Path, query_file: Path, warmup_file: Path) -> dict[str, object]:
    command = ["probe.py", "warm", side, str(location), str(query_file), str(warmup_file)]
    data = json.loads(measured([sys.executable, *command], f"{side} warm queries").out)
    ms: dict[str, list[float]] = data["ms"]
    cpu: dict[str, list[float]] = data["cpu_ms"]
    return {
        "query_p50_ms": percentile(ms["plain"], 0.50),
        "query_p95_ms": percentile(ms["plain"], 0.95),
        "fuzzy_p95_ms": percentile(ms["fuzzy"], 0.95),
        "phrase_p95_ms": percentile(ms["phrase"], 0.95),
        "field_p95_ms": percentile(ms["field"], 0.95),
        "long_p50_ms": percentile(ms["long"], 0.50),
        "long_p95_ms": percentile(ms["long"], 0.95),
        "long_cpu_p95_ms": percentile(cpu["long"], 0.95),
        "all_p95_ms": percentile([t for times in ms.values() for t in times], 0.95),
        "query_cpu_p95_ms": percentile(cpu["plain"], 0.95),
        "fuzzy_cpu_p95_ms": percentile(cpu["fuzzy"], 0.95),
        "rss_mb": data["rss_mb"],
        "rss_long_mb": data["rss_long_mb"],
        "totals": data["totals"],
    }


def cold(
    side: str, location: Path, cold_files: list[Path], prefix: str = "cold"
) -> dict[str, float]:
    """Median over a few fresh processes, each answering a different first query."""
    walls, firsts = [], []
    for query_file in cold_files:
        probe = measured(
            [sys.executable, "probe.py", "cold", side, str(location), str(query_file)],
            f"{side} cold start",
        )
        walls.append(probe.seconds * 1000)
        firsts.append(json.loads(probe.out)["first_ms"])
    return {
        f"{prefix}_ms": statistics.median(walls),
        f"{prefix}_first_query_ms": statistics.median(firsts),
    }


def model_cost() -> dict[str, float]:
    """reader's embedding model loaded in a fresh process (numpy imported before)."""
    return json.loads(measured([sys.executable, "probe.py", "model"], "model load").out)


def tui(data_dir: Path, query: str) -> dict[str, float]:
    probe = measured([sys.executable, "tui_probe.py", str(data_dir), query], "TUI probe")
    return json.loads(probe.out)


def agreement(ours: list[int], theirs: list[int]) -> float:
    """Share of queries where both engines find something or both find nothing: a check that
    the two sides answer the same questions, not a score."""
    return sum((a > 0) == (b > 0) for a, b in zip(ours, theirs, strict=True)) / len(ours)


def make_corpus(n: int, out: Path, args: argparse.Namespace) -> None:
    """A corpus is a prefix of any larger one with the same seed: cut one if there is one."""
    for bigger in sorted(args.workdir.glob(f"corpus-*-s{args.seed}.jsonl")):
        if int(bigger.name.split("-")[1]) > n:
            partial = out.with_name(out.name + ".partial")
            with bigger.open("rb") as source, partial.open("wb") as target:
                target.writelines(line for _, line in zip(range(n), source, strict=False))
            partial.replace(out)
            return
    corpus.write_corpus(n, out, args.seed)


def run_one(n: int, args: argparse.Namespace, log: list[str]) -> dict[str, object]:
    work = args.workdir / f"n{n}"
    corpus_file = args.workdir / f"corpus-{n}-s{args.seed}.jsonl"
    if not corpus_file.exists():
        say(f"N={n:,}: generating the corpus")
        make_corpus(n, corpus_file, args)
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir(parents=True)
    drawn = queries.draw(corpus_file, QUERY_SEED)
    query_file, warmup_file = work / "queries.json", work / "warmup.json"
    queries.save(drawn, query_file)
    queries.save(queries.draw(corpus_file, WARMUP_SEED)[:WARMUP_QUERIES], warmup_file)
    cold_files, cold_long = [], []
    described = [query for query in drawn if query.kind == "long"]
    for i in range(args.cold_runs):
        cold_files.append(work / f"cold-{i}.json")
        queries.save([drawn[i * 7]], cold_files[-1])
        cold_long.append(work / f"cold-long-{i}.json")
        queries.save([described[i * 7 % len(described)]], cold_long[-1])
    data_dir, db = work / "reader", work / "fts5.sqlite3"

    reused = args.reuse.get(n)
    if reused is None:
        runs = import_rounds.runs_for(n, args.import_runs, args.import_limit is not None)
        say(f"N={n:,}: reader and FTS5 imports" + (f", {runs} of each" if runs > 1 else ""))
        ours, theirs, spread = import_rounds.in_turn(
            lambda: import_reader(corpus_file, data_dir, n, args.import_limit, log),
            lambda: import_fts5(corpus_file, db, n),
            lambda: _clear(data_dir, db),
            runs,
        )
        if runs > 1:
            log.append(f"N={n:,}: {spread}; the table holds each side's median")
    else:
        data_dir, ours = reused
        log.append(
            f"N={n:,}: reader's import was not run again: its rows are those of an earlier run "
            f"(--reuse-import), and queries, cold start and the TUI were measured on {data_dir}"
        )
        say(f"N={n:,}: FTS5 import")
        theirs = import_fts5(corpus_file, db, n)
    for side, location, into in (("reader", data_dir, ours), ("fts5", db, theirs)):
        say(f"N={n:,}: {side} warm and cold queries")
        into.update(warm(side, location, query_file, warmup_file))
        into.update(cold(side, location, cold_files))
        into.update(cold(side, location, cold_long, "cold_long"))
    ours.update(model_cost())
    agree = agreement(ours.pop("totals"), theirs.pop("totals"))  # type: ignore[arg-type]
    log.append(f"N={n:,}: the engines agree on match/no match for {agree:.0%} of the queries")
    if args.tui:
        try:
            say(f"N={n:,}: TUI probe")
            ours.update(tui(data_dir, queries.tui_word(corpus_file)))
        except StepFailed as error:
            log.append(f"N={n:,}: TUI not measured: {error}")
    if not args.keep:
        shutil.rmtree(work, ignore_errors=True)
    return {"n": n, "reader": ours, "fts5": theirs}


def _clear(data_dir: Path, db: Path) -> None:
    shutil.rmtree(data_dir, ignore_errors=True)
    for path in db.parent.glob(db.name + "*"):  # with its -wal and -shm
        path.unlink()


def say(text: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {text}", file=sys.stderr, flush=True)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--n", type=int, nargs="+", default=[10_000, 100_000], metavar="N")
    parser.add_argument("--json", action="store_true", help="print one JSON document")
    parser.add_argument("--seed", type=int, default=7, help="corpus seed")
    parser.add_argument("--workdir", type=Path, default=HERE / "out", help="corpora and indexes")
    parser.add_argument("--results", type=Path, default=HERE / "RESULTS.md")
    parser.add_argument("--cold-runs", type=int, default=5, metavar="K")
    parser.add_argument(
        "--import-runs",
        type=int,
        default=import_rounds.RUNS,
        metavar="K",
        help=f"imports of each side in turn, the median kept, for N up to "
        f"{import_rounds.RUNS_UP_TO:,}",
    )
    parser.add_argument("--no-tui", dest="tui", action="store_false", help="skip the TUI probe")
    parser.add_argument(
        "--import-limit",
        type=float,
        metavar="S",
        help="stop reader's import after S seconds, report its rate so far, finish untimed",
    )
    parser.add_argument(
        "--include",
        type=Path,
        nargs="+",
        default=[],
        metavar="JSON",
        help="earlier --json outputs whose runs join this table (a long N run on its own)",
    )
    parser.add_argument(
        "--render-only",
        action="store_true",
        help="measure nothing: write the table of the --include runs",
    )
    parser.add_argument(
        "--note", action="append", default=[], metavar="TEXT", help="a line for the notes"
    )
    parser.add_argument("--keep", action="store_true", help="keep indexes after each N")
    parser.add_argument(
        "--reuse-import",
        nargs=3,
        action="append",
        default=[],
        metavar=("N", "DATA_DIR", "JSON"),
        help="for N, measure on a library imported before (DATA_DIR, from the same corpus)"
        " and take the import rows from the earlier --json output JSON",
    )
    args = parser.parse_args(argv)
    args.reuse = {int(n): earlier_import(int(n), Path(d), Path(j)) for n, d, j in args.reuse_import}
    if any(n < 1 for n in args.n) or args.import_runs < 1:
        parser.error("every N, and --import-runs, must be at least 1")
    args.workdir = args.workdir.resolve()
    for n, (data_dir, _) in args.reuse.items():
        if data_dir.is_relative_to(args.workdir / f"n{n}"):  # emptied before N is measured
            parser.error(
                f"--reuse-import {data_dir} is inside {args.workdir / f'n{n}'}, which "
                "the run empties first: move the library out of it"
            )
    log: list[str] = list(args.note)
    runs: list[dict[str, object]] = []
    info = report.machine()
    for earlier in args.include:
        document = json.loads(earlier.read_text(encoding="utf-8"))
        runs += [r for r in document["runs"] if args.render_only or r["n"] not in args.n]
        log += [note for note in document["notes"] if "not measured" not in note]
        if args.render_only:
            info = document["machine"]  # the machine and time of the measurement
    failed = False
    for n in [] if args.render_only else args.n:
        try:
            runs.append(run_one(n, args, log))
            runs.sort(key=lambda run: int(run["n"]))  # type: ignore[call-overload]
        except StepFailed as error:
            print(f"bench: {error}", file=sys.stderr)
            log.append(f"N={n:,}: not measured: {error}")
            failed = True
        info = report.machine()  # written after each N: a long run keeps what it has measured
        report.write_results(args.results, runs, info, log)
        if failed:
            break
    if args.render_only:
        report.write_results(args.results, runs, info, log)
    if args.json:
        print(json.dumps({"machine": info, "runs": runs, "notes": log}, indent=2))
    else:
        print(report.table(runs))
        print("\n".join(log))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
