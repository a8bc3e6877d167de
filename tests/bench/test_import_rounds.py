"""run.py's import rows at a small N: each side imported in turn, its median run kept."""

from __future__ import annotations

import importlib.util
from pathlib import Path
from types import ModuleType

import pytest

BENCH = Path(__file__).resolve().parents[2] / "bench" / "import_rounds.py"


@pytest.fixture(scope="module")
def rounds() -> ModuleType:
    spec = importlib.util.spec_from_file_location("bench_import_rounds", BENCH)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_each_side_keeps_its_median_run_and_the_folders_are_cleared_first(rounds) -> None:
    steps: list[str] = []
    walls = {"reader": iter([2.9, 1.8, 2.2, 2.6, 2.0]), "fts5": iter([0.9, 1.4, 0.86, 1.0, 0.95])}

    def side(name: str):
        def run() -> dict[str, object]:
            steps.append(name)
            return {"import_s": next(walls[name]), "run": len(steps)}

        return run

    ours, theirs, note = rounds.in_turn(
        side("reader"), side("fts5"), lambda: steps.append("clear"), 5
    )
    assert steps == ["clear", "reader", "fts5"] * 5
    assert ours == {"import_s": 2.2, "run": 8}  # the rows of that very run
    assert theirs == {"import_s": 0.95, "run": 15}
    assert note == (
        "imports, 5 of each in turn: reader 1.80 to 2.90 s (median 2.20), "
        "FTS5 0.86 to 1.40 s (median 0.95)"
    )


def test_an_even_count_keeps_the_lower_median(rounds) -> None:
    walls = iter([3.0, 1.0, 2.0, 4.0])
    ours, _, _ = rounds.in_turn(
        lambda: {"import_s": next(walls)}, lambda: {"import_s": 1.0}, lambda: None, 4
    )
    assert ours == {"import_s": 2.0}


def test_a_big_or_limited_import_runs_once(rounds) -> None:
    assert rounds.runs_for(10_000, 5, limited=False) == 5
    assert rounds.runs_for(rounds.RUNS_UP_TO + 1, 5, limited=False) == 1
    assert rounds.runs_for(10_000, 5, limited=True) == 1
