"""kill -9 at random moments during saves: every file reads back as its old or new content."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from _workers import run_kills

from reader.core.durable import TEMP_MARK
from reader.core.paths import DataPaths
from reader.core.userdata import UserData

RUNS = 60


@pytest.mark.slow
def test_kill9_during_saves_leaves_every_file_old_or_new(tmp_path: Path) -> None:
    results = run_kills(tmp_path, RUNS, seed=20240917, env=dict(os.environ))

    problems = [run.problem for run in results if run.problem]
    intact = RUNS - len(problems)
    mid_save = sum(run.mid_save for run in results)
    temps = sum(run.temps_left > 0 for run in results)
    print(f"\nkill -9: {intact} of {RUNS} intact; {mid_save} kills mid-save; {temps} left a temp")
    assert problems == []
    # The test measures something only if the kills really land inside saves.
    assert mid_save >= RUNS // 3
    user = UserData(DataPaths(tmp_path, tmp_path / "config"))
    assert user.load_errors == []
    assert len(user.tagged()) > RUNS  # every run went on from where the killed one stopped
    assert not [p for p in (tmp_path / "user").rglob("*") if TEMP_MARK in p.name]
