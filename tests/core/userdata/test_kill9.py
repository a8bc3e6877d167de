"""kill -9 at random moments during saves: every file reads back as its old or new content."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from _workers import NOTE_ID, KillChecker, note_text, run_kills, tag_id

from reader.core.durable import TEMP_MARK
from reader.core.paths import DataPaths
from reader.core.userdata import UserData

RUNS = 60
KINDS = ("tags", "note", "bookmarks", "queue")


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


def test_the_checker_catches_a_torn_or_foreign_file(tmp_path: Path) -> None:
    """The kill test can fail: a half-written file, or content no save wrote, is reported."""
    paths = DataPaths(tmp_path, tmp_path / "config")
    user = UserData(paths)
    for n in range(3):
        user.add_tags(tag_id(n), ["t"])
        user.set_note(NOTE_ID, note_text(n))
        user.set_bookmark(tag_id(n), True)
        user.queue.add([tag_id(n)])
    finished = [f"{m} {kind} {n}" for n in range(3) for kind in KINDS for m in "BE"]
    assert KillChecker(tmp_path).check(finished) == (None, False)

    tags = paths.user_dir / "tags.yaml"
    whole = tags.read_bytes()
    tags.write_bytes(whole[: len(whole) - 9])  # a torn write
    problem, _ = KillChecker(tmp_path).check(finished)
    assert problem is not None and "unreadable" in problem

    tags.write_bytes(whole)
    note = paths.notes_dir / f"{NOTE_ID}.md"
    note.write_text(note_text(2)[:1000], encoding="utf-8")  # a note cut short
    problem, _ = KillChecker(tmp_path).check(finished)
    assert problem is not None and "note" in problem

    note.write_text(note_text(2), encoding="utf-8")
    queue = paths.user_dir / "queue.yaml"
    queue.write_text(queue.read_text().replace("p00001", "p00009"), encoding="utf-8")
    problem, _ = KillChecker(tmp_path).check(finished)
    assert problem is not None and "queue" in problem
