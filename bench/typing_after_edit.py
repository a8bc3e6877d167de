"""A key typed into the app's search bar after an edit, against one typed with none before it.

    python bench/typing_after_edit.py DATA_DIR WORD [--keys N] [--checkout NAME=PATH ...]

The app runs headless, as tui_probe.py runs it, on DATA_DIR with WORD but its last letter in
the search bar. Then, N times each, in turn: the last letter, alone; and an edit's commit (a
paper written to the index again, from a thread, as the app's writer does when a paper is
marked read or bookmarked), a pause, then the last letter. Each last letter is followed by a
backspace (WORD but its last letter again: often a misspelled word, which looks up every word
of the index). Reported: the median time from the last letter to the first frame with its
results, each way. Each checkout (a folder holding a `reader` package, as for
import_probe.py) runs in a process of its own, in turn.
"""

from __future__ import annotations

import asyncio
import json
import statistics
import threading
import time
from pathlib import Path

import checkouts

PAUSE_S = 0.6  # after a key or an edit: its work done, unless it is slow (then waited for)


async def measure(data_dir: Path, word: str, keys: int) -> dict[str, float]:
    import tui_probe as tp

    from reader.core.paths import DataPaths
    from reader.tui.app import ReaderApp

    app = ReaderApp(DataPaths.resolve(data_dir))
    frames = tp.Frames(app)
    frames.watch(lambda: tp.first_rows(app))
    shown: dict[bool, list[float]] = {False: [], True: []}
    async with app.run_test(headless=True, size=tp.SIZE):
        screen = await tp.word_but_its_last_letter(app, frames, word)
        some = app.data.locked(lambda library: library.search("", limit=1).results[0].id)
        for turn in range(2 * keys):
            edited = turn % 2 == 1
            if edited:
                writer = threading.Thread(
                    target=app.data.locked, args=(lambda library: library.reindex(some),)
                )
                writer.start()
                writer.join()
                await asyncio.sleep(PAUSE_S)
            pressed = time.perf_counter()
            frames.watch(tp.showing(screen, word))
            tp.key(app, word[-1])
            await frames.seen(f"the results of {word!r}")  # however long they take
            shown[edited].append((frames.shown_at - pressed) * 1000)
            await asyncio.sleep(PAUSE_S)
            tp.key(app, "backspace")
            await asyncio.sleep(PAUSE_S)
    return {
        "no_edit_ms": statistics.median(shown[False]),
        "after_edit_ms": statistics.median(shown[True]),
        "after_edit_worst_ms": max(shown[True]),
    }


def main() -> int:
    from typing_cpu import run_checkout, typing_parser  # the same arguments and runner

    args = typing_parser(__doc__, 8, "keys each way").parse_args()
    if args.one:
        print(json.dumps(asyncio.run(measure(args.data_dir.resolve(), args.word, args.keys))))
        return 0
    print("| reader | key to results, no edit before (ms) | after an edit | after an edit, worst |")
    print("|---|---:|---:|---:|")
    for name, path in checkouts.named(args.checkout):
        r = run_checkout(path, args.data_dir.resolve(), args.word, args.keys, script=__file__)
        print(
            f"| {name} | {r['no_edit_ms']:.1f} | {r['after_edit_ms']:.1f} "
            f"| {r['after_edit_worst_ms']:.1f} |",
            flush=True,
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
