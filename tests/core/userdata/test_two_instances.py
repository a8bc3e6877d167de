"""Two readers at once (TUI and CLI, two TUIs): every edit of both is kept."""

from __future__ import annotations

import os
import threading
from pathlib import Path

import pytest
from _workers import run_editors

from reader.core.paths import DataPaths
from reader.core.userdata import UserData

EDITS = 200


@pytest.mark.slow
def test_two_processes_editing_one_file_keep_every_edit(tmp_path: Path) -> None:
    assert run_editors(tmp_path, EDITS, dict(os.environ)) == [0, 0]

    user = UserData(DataPaths(tmp_path, tmp_path / "config"))
    tagged = user.tagged()
    print(f"\n2 processes x {EDITS} edits: {len(tagged)} of {2 * EDITS} kept")
    expected = {f"{name}-{i:04d}": [name] for name in ("a", "b") for i in range(EDITS)}
    assert tagged == expected
    queued = user.queue.ids()  # each process's papers all there, in the order it queued them
    for name in ("a", "b"):
        assert [pid for pid in queued if pid.startswith(name)] == [
            f"{name}-{i:04d}" for i in range(EDITS)
        ]
    assert len(queued) == 2 * EDITS


def test_a_stale_instance_saves_on_top_of_the_other_ones_edits(paths: DataPaths) -> None:
    tui, cli = UserData(paths), UserData(paths)
    tui.add_tags("2401.00001", ["rl"])
    cli.add_tags("2401.00001", ["theory"])  # cli never saw the tui's edit: it must not drop it
    cli.set_bookmark("2401.00002", True)
    tui.set_bookmark("2401.00003", True)

    fresh = UserData(paths)
    assert fresh.tags("2401.00001") == ["rl", "theory"]
    assert fresh.bookmarks() == {"2401.00002", "2401.00003"}
    assert tui.bookmarks() == {"2401.00002", "2401.00003"}  # a save refreshes that file
    tui.refresh()
    assert tui.tags("2401.00001") == ["rl", "theory"]


def test_refresh_picks_up_another_instances_changes(paths: DataPaths) -> None:
    tui, cli = UserData(paths), UserData(paths)
    assert tui.load_errors == []  # as the app does at its start: every file is read now
    cli.set_read("2401.00001", True)
    cli.set_note("2401.00001", "from the cli")
    cli.add_saved("mine", "diffusion")
    cli.add_tags("2401.00002", ["rl"])
    assert not tui.is_read("2401.00001")

    assert tui.refresh() == {"2401.00001", "2401.00002"}
    assert tui.refresh() == set()  # nothing new since

    assert tui.is_read("2401.00001")
    assert tui.note("2401.00001") == "from the cli"
    assert tui.ids_with_notes() == {"2401.00001"}
    assert [s.name for s in tui.saved_searches()] == ["mine"]


def test_a_saved_search_added_by_both_keeps_the_first(paths: DataPaths) -> None:
    one, two = UserData(paths), UserData(paths)
    assert two.saved_searches() == []  # two read the file before one saved
    one.add_saved("weekly", "diffusion")
    saved = two.add_saved("weekly", "transformers")  # two had not seen it: no silent overwrite

    assert saved.query == "diffusion"
    assert UserData(paths).saved_searches()[0].query == "diffusion"


def test_a_note_changed_elsewhere_is_kept_aside_before_an_overwrite(paths: DataPaths) -> None:
    tui, cli = UserData(paths), UserData(paths)
    tui.set_note("2401.00001", "first")
    assert tui.note("2401.00001") == "first"
    cli.set_note("2401.00001", "typed in the cli")  # replaces a note cli never read

    tui.set_note("2401.00001", "typed in the tui")  # tui last saw "first", not the cli's text

    assert UserData(paths).note("2401.00001") == "typed in the tui"
    kept = sorted((paths.user_dir / "kept" / "notes").iterdir())
    texts = sorted(path.read_text(encoding="utf-8") for path in kept)
    assert texts == ["first", "typed in the cli"]


def test_threads_of_one_instance_keep_every_edit_and_read_safely(paths: DataPaths) -> None:
    user = UserData(paths)
    errors: list[BaseException] = []

    def edit(worker: int) -> None:
        try:
            for i in range(40):
                user.add_tags(f"{worker}-{i:02d}", ["t"])
                user.set_bookmark(f"{worker}-{i:02d}", True)
        except BaseException as error:  # surfaced below: a thread cannot fail the test itself
            errors.append(error)

    def read() -> None:
        try:
            for _ in range(400):
                user.tagged(), user.bookmarks(), user.all_tags()
        except BaseException as error:
            errors.append(error)

    threads = [threading.Thread(target=edit, args=(n,)) for n in range(4)]
    threads.append(threading.Thread(target=read))
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    fresh = UserData(paths)
    assert len(fresh.tagged()) == len(fresh.bookmarks()) == 160
