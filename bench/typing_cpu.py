"""The CPU the app spends on each key typed into its search bar, for comparing checkouts.

    python bench/typing_cpu.py DATA_DIR WORD [--keys N] [--rounds R] [--checkout NAME=PATH ...]

The app runs headless, as tui_probe.py runs it, on DATA_DIR with WORD but its last letter in
the search bar. Then the last letter and a backspace are typed in turn, N times each, each key
followed by a pause long enough for all its work (the search, the results, the detail pane of
the first paper, the footer) to end. Reported per checkout: the process's CPU time (every
thread) per key, less that of the same app idle over as many pauses; and the median time from
the last letter to the first frame with its results. tui_probe.py's figures stop at that
frame; this counts what a key costs in all. The pauses are fixed, not polled for: polling
would cost CPU in the measured process. Each checkout (a folder holding a `reader` package, as
for import_probe.py) runs in a process of its own, in turn, for R rounds.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import statistics
import subprocess
import sys
import time
from pathlib import Path

import checkouts

PAUSE_S = 0.6  # after a key: its search, results, detail pane and footer are done well within


async def measure(data_dir: Path, word: str, keys: int) -> dict[str, float]:
    import tui_probe as tp

    from reader.core.paths import DataPaths
    from reader.tui.app import ReaderApp

    app = ReaderApp(DataPaths.resolve(data_dir))
    frames = tp.Frames(app)
    frames.watch(lambda: tp.first_rows(app))
    async with app.run_test(headless=True, size=tp.SIZE):
        screen = await tp.word_but_its_last_letter(app, frames, word)
        used = time.process_time()
        await asyncio.sleep(2 * keys * PAUSE_S)
        idle_cpu = time.process_time() - used
        shown: list[float] = []
        used = time.process_time()
        for _ in range(keys):
            pressed = time.perf_counter()
            frames.watch(tp.showing(screen, word))
            tp.key(app, word[-1])
            await asyncio.sleep(PAUSE_S)
            if frames.shown_at is None:
                raise SystemExit(f"no results for {word!r} within {PAUSE_S} s: pause longer")
            shown.append((frames.shown_at - pressed) * 1000)
            tp.key(app, "backspace")
            await asyncio.sleep(PAUSE_S)
        busy_cpu = time.process_time() - used
        if screen.query_text != word[:-1]:
            raise SystemExit("the last backspace's search had not landed: pause longer")
    return {
        "cpu_per_key_ms": (busy_cpu - idle_cpu) / (2 * keys) * 1000,
        "idle_cpu_per_pause_ms": idle_cpu / (2 * keys) * 1000,
        "key_to_results_ms": statistics.median(shown),
    }


def run_checkout(
    path: str, data_dir: Path, word: str, keys: int, script: str = __file__
) -> dict[str, float]:
    """One measurement (`script --one`, this one's by default) in a new process importing the
    reader in `path` ("" for this one)."""
    import run  # its children's environment; not loaded in the measured process

    env = {k: v for k, v in run.ENV.items() if k != "PYTHONPATH"}  # as run.py's children
    if path:
        env["PYTHONPATH"] = path
    command = [sys.executable, script, "--one", str(data_dir), word, "--keys", str(keys)]
    done = subprocess.run(
        command, env=env, cwd=Path(__file__).parent, capture_output=True, text=True, timeout=600
    )
    if done.returncode != 0:
        raise SystemExit(f"{path or 'this reader'}: {done.stderr.strip()[-2000:]}")
    return json.loads(done.stdout)


def typing_parser(doc: str, keys: int, keys_help: str) -> argparse.ArgumentParser:
    """The arguments of this script and typing_after_edit.py: DATA_DIR WORD [--keys N]
    [--checkout NAME=PATH ...], and the hidden --one of a checkout's own process."""
    parser = argparse.ArgumentParser(description=doc.split("\n\n")[0])
    parser.add_argument("data_dir", type=Path)
    parser.add_argument("word")
    parser.add_argument("--keys", type=int, default=keys, help=keys_help)
    checkouts.add_option(parser)
    parser.add_argument("--one", action="store_true", help=argparse.SUPPRESS)
    return parser


def main() -> int:
    parser = typing_parser(__doc__, 12, "each of the two keys, N times")
    parser.add_argument("--rounds", type=int, default=2)
    args = parser.parse_args()
    if len(args.word) < 2:
        parser.error("WORD needs two letters at least")
    if args.one:
        print(json.dumps(asyncio.run(measure(args.data_dir.resolve(), args.word, args.keys))))
        return 0
    named = checkouts.named(args.checkout)
    print("| reader | round | CPU per key (ms) | idle CPU per pause (ms) | key to results (ms) |")
    print("|---|---:|---:|---:|---:|")
    for round_ in range(1, args.rounds + 1):
        for name, path in named:
            r = run_checkout(path, args.data_dir.resolve(), args.word, args.keys)
            print(
                f"| {name} | {round_} | {r['cpu_per_key_ms']:.1f} "
                f"| {r['idle_cpu_per_pause_ms']:.1f} | {r['key_to_results_ms']:.1f} |",
                flush=True,
            )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
