"""The import rows of a run: reader's and FTS5's imports in turn, each side's median kept.

One import's wall time on a shared two-core machine is a wide draw (RESULTS.md, twentieth
round), reader's two processes more than FTS5's one: a table of one draw each says as much
about the moment as about the code. So for an N whose imports take seconds (up to RUNS_UP_TO
papers), run.py imports K times in turn, reader's then FTS5's, each into a fresh folder, and
each side's rows are those of its median run (by wall time); the last libraries stay for the
queries. A bigger N is imported once.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable
from pathlib import Path

Rows = dict[str, object]

RUNS = 5  # imports of each side, in turn, for an N up to RUNS_UP_TO
RUNS_UP_TO = 100_000
# The rows of reader's import (what --reuse-import takes from an earlier run).
IMPORT_ROWS = ("import_", "store_s", "index_build", "index_mb", "disk_mb")


def runs_for(n: int, runs: int, limited: bool) -> int:
    """How many times N is imported: once when it is big, or when an import may be stopped
    (--import-limit: its rows are then a rate so far, not a time)."""
    return runs if n <= RUNS_UP_TO and not limited else 1


def in_turn(
    reader: Callable[[], Rows], fts5: Callable[[], Rows], clear: Callable[[], None], runs: int
) -> tuple[Rows, Rows, str]:
    """Each side's rows of its median import (the lower median for an even K), and a note of
    the spread: `clear` empties the folders before each pair."""
    ours: list[Rows] = []
    theirs: list[Rows] = []
    for _ in range(runs):
        clear()
        ours.append(reader())
        theirs.append(fts5())
    note = f"imports, {runs} of each in turn: reader {_spread(ours)}, FTS5 {_spread(theirs)}"
    return _median(ours), _median(theirs), note


def _walls(runs: list[Rows]) -> list[float]:
    return sorted(float(run["import_s"]) for run in runs)  # type: ignore[arg-type]


def _median(runs: list[Rows]) -> Rows:
    middle = _walls(runs)[(len(runs) - 1) // 2]
    return next(run for run in runs if run["import_s"] == middle)


def _spread(runs: list[Rows]) -> str:
    walls = _walls(runs)
    return f"{walls[0]:.2f} to {walls[-1]:.2f} s (median {walls[(len(walls) - 1) // 2]:.2f})"


def earlier_import(n: int, data_dir: Path, earlier: Path) -> tuple[Path, Rows]:
    """The library and the import rows of N from an earlier run: an import that has not changed
    since need not take its 25 minutes again at 1M papers."""
    document = json.loads(earlier.read_text(encoding="utf-8"))
    run = next(r for r in document["runs"] if r["n"] == n)
    rows = {k: v for k, v in run["reader"].items() if k.startswith(IMPORT_ROWS)}
    return data_dir.resolve(), rows


def stored_count(data_dir: Path) -> int:
    with sqlite3.connect(f"file:{data_dir / 'papers.sqlite3'}?mode=ro", uri=True) as conn:
        return conn.execute("SELECT count(*) FROM papers").fetchone()[0]
