"""What a search costs the first time a process meets it, and after an edit, on a big library.

    python bench/first_search_probe.py DATA_DIR [--checkout NAME=PATH ...] [--runs K]

Typo alternatives, "did you mean" and fuzzy words (`word~1`) look at every word of the index,
and every commit (an edit's too) changes the index's segments. For each checkout (a folder
holding a `reader` package; default: this one), in turn, fresh processes (each opens the
library and its index untimed) time, in wall and CPU ms:

- the first search with a misspelled word (`reader search`; the app does the same work in the
  background after its first paint, `SearchEngine.warm`);
- then the first fuzzy word;
- then, after an edit's commit (one paper written again, as marking it read does), a word;
- and after another such commit, a misspelled word.

The first process of a checkout starts without the words files in the index folder (made by a
process before, reader.core.search.gathered_words), the next ones with what it left.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import time
from pathlib import Path

import checkouts
import run

TYPO, FUZZY, WORD = "transfromer", "netwrok~1", "gradient"
KEYS = ("typo", "fuzzy", "word_after_edit", "after_edit")


def child(data_dir: Path) -> None:
    """One process's timings, as JSON on stdout."""
    from reader.core.library.facade import Library

    library = Library.open(data_dir)
    library.index  # noqa: B018 -- opened untimed
    out: dict[str, float] = {}

    def timed(name: str, query: str) -> None:
        started, cpu = time.perf_counter(), time.process_time()
        library.search(query, limit=20)
        out[name] = (time.perf_counter() - started) * 1000
        out[name + "_cpu"] = (time.process_time() - cpu) * 1000

    timed("typo", TYPO)
    timed("fuzzy", FUZZY)
    some = library.search("", limit=1).results[0].id  # any paper
    library.reindex(some)
    timed("word_after_edit", WORD)
    library.reindex(some)
    timed("after_edit", TYPO)
    library.close()
    print(json.dumps(out))


def probe(data_dir: Path, checkout: str | None, runs: int) -> list[dict[str, float]]:
    env = dict(run.ENV)
    if checkout:
        env["PYTHONPATH"] = checkout
    for cache in (data_dir / "index").glob("words-*.cache"):
        cache.unlink()
    found = []
    for _ in range(runs):
        command = [sys.executable, str(Path(__file__).resolve()), "--child", str(data_dir)]
        done = subprocess.run(command, env=env, capture_output=True, text=True, check=True)
        found.append(json.loads(done.stdout))
    return found


def table(results: dict[str, list[dict[str, float]]]) -> str:
    head = (
        "| reader | process | words files | first misspelled word, ms (CPU) "
        "| first fuzzy word | a word after an edit | a misspelled word after an edit |"
    )
    lines = [head, "|" + "---|" * (head.count("|") - 1)]
    for name, runs in results.items():
        for number, r in enumerate(runs, 1):
            kept = "none" if number == 1 else "kept"
            cells = [f"{r[k]:,.0f} ({r[k + '_cpu']:,.0f})" for k in KEYS]
            lines.append(f"| {name} | {number} | {kept} | " + " | ".join(cells) + " |")
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("data_dir", type=Path, help="a library with papers and an index")
    checkouts.add_option(parser)
    parser.add_argument("--runs", type=int, default=3, help="processes per checkout")
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args.data_dir)
        return 0
    named = checkouts.named(args.checkout)
    results = {}
    for name, path in named:
        results[name] = probe(args.data_dir.resolve(), path or None, args.runs)
        print(f"{name}: done", file=sys.stderr)
    print(table(results))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
