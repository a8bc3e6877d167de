"""A save that fails (disk full, I/O error, no permission): the old file stays as it was, the
error names the file and the reason, and the edit waits in memory until a retry saves it."""

from __future__ import annotations

import errno
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from reader.core import durable
from reader.core.durable import TEMP_MARK
from reader.core.paths import DataPaths
from reader.core.userdata import SaveError, UserData


class Fault:
    """Makes the nth call of one OS hook raise OSError(code) (-1: every call), until cleared."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch, hook: str, code: int, nth: int) -> None:
        self.real = getattr(durable.hooks, hook)
        self.code, self.nth, self.calls, self.active = code, nth, 0, True
        monkeypatch.setattr(durable.hooks, hook, self)

    def __call__(self, *args: Any) -> Any:
        self.calls += 1
        if self.active and (self.nth == -1 or self.calls == self.nth):
            raise OSError(self.code, os.strerror(self.code))
        return self.real(*args)


# (name, file it writes, edit, check that the edit is there)
Edit = tuple[str, str, Callable[[UserData], object], Callable[[UserData], bool]]
EDITS: list[Edit] = [
    (
        "bookmark",
        "bookmarks.yaml",
        lambda u: u.set_bookmark("2401.00002", True),
        lambda u: u.is_bookmarked("2401.00002"),
    ),
    (
        "read",
        "read.yaml",
        lambda u: u.set_read("2401.00002", True),
        lambda u: u.is_read("2401.00002"),
    ),
    (
        "tags",
        "tags.yaml",
        lambda u: u.add_tags("2401.00002", ["survey"]),
        lambda u: u.tags("2401.00002") == ["survey"],
    ),
    (
        "note",
        "notes/2401.00002.md",
        lambda u: u.set_note("2401.00002", "[bold]mine[/]"),
        lambda u: u.note("2401.00002") == "[bold]mine[/]",
    ),
    (
        "saved",
        "searches.yaml",
        lambda u: u.add_saved("weekly", "diffusion"),
        lambda u: "weekly" in [s.name for s in u.saved_searches()],
    ),
    (
        "queue",
        "queue.yaml",
        lambda u: u.queue.add(["2401.00002"]),
        lambda u: "2401.00002" in u.queue,
    ),
    (
        "follow",
        "follows.yaml",
        lambda u: u.follows.add('author:"Yann LeCun"'),
        lambda u: 'author:"Yann LeCun"' in u.follows,
    ),
    (
        "summary",
        "summaries/2401.00002.md",
        lambda u: u.set_summary("2401.00002", "\x1b[2J is text"),
        lambda u: u.summary("2401.00002") == "\x1b[2J is text",
    ),
]


def _seed(user: UserData) -> None:
    """An old version of every file, so there is something to keep unchanged."""
    user.set_bookmark("2401.00001", True)
    user.set_read("2401.00001", True)
    user.add_tags("2401.00001", ["rl"])
    user.set_note("2401.00002", "old note")
    user.add_saved("daily", "transformers")
    user.queue.add(["2401.00001"])
    user.follows.add("diffusion")
    user.set_summary("2401.00001", "old summary")


def _snapshot(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in folder.rglob("*") if p.is_file()}


@pytest.mark.parametrize("edit", EDITS, ids=[edit[0] for edit in EDITS])
@pytest.mark.parametrize(
    ("hook", "code"),
    [("write", errno.ENOSPC), ("fsync", errno.EIO), ("open", errno.EACCES), ("replace", errno.EIO)],
)
def test_a_failed_save_keeps_the_old_file_and_the_edit_for_a_retry(
    paths: DataPaths, monkeypatch: pytest.MonkeyPatch, edit: Edit, hook: str, code: int
) -> None:
    name, file_name, change, is_there = edit
    changes: list[str] = []
    user = UserData(paths, on_change=changes.append)
    _seed(user)
    before = _snapshot(paths.user_dir)
    changes.clear()
    fault = Fault(monkeypatch, hook, code, nth=1)

    with pytest.raises(SaveError) as raised:
        change(user)

    target = paths.user_dir / file_name
    assert str(raised.value) == f"could not save {target}: {os.strerror(code)}"
    assert _snapshot(paths.user_dir) == before  # old file unchanged, no temp left behind
    assert is_there(user)  # the edit is still in memory...
    assert user.pending
    assert not is_there(UserData(paths))  # ...and not on disk
    assert changes == []  # nothing to re-index yet

    fault.active = False
    user.save_pending()

    assert not user.pending
    assert is_there(UserData(paths))
    if name in ("bookmark", "tags", "note", "summary"):  # the indexed ones
        assert changes == ["2401.00002"]


@pytest.mark.parametrize("nth", [1, 2, 3])
def test_a_later_edit_saves_the_one_that_failed(
    paths: DataPaths, monkeypatch: pytest.MonkeyPatch, nth: int
) -> None:
    user = UserData(paths)
    fault = Fault(monkeypatch, "write", errno.ENOSPC, nth=-1)
    for i in range(nth):
        with pytest.raises(SaveError, match="No space left on device"):
            user.add_tags(f"2401.0000{i}", ["a"])
    fault.active = False

    user.add_tags("2401.09999", ["b"])

    assert UserData(paths).tagged() == {
        **{f"2401.0000{i}": ["a"] for i in range(nth)},
        "2401.09999": ["b"],
    }


def test_a_failed_folder_sync_after_the_rename_still_ends_consistent(
    paths: DataPaths, monkeypatch: pytest.MonkeyPatch
) -> None:
    user = UserData(paths)
    user.set_bookmark("2401.00001", True)
    fault = Fault(monkeypatch, "fsync", errno.EIO, nth=2)  # call 1: the file, call 2: its folder

    with pytest.raises(SaveError, match="Input/output error"):
        user.set_bookmark("2401.00002", True)

    # The rename happened, so the file is the new one; never a mix.
    assert UserData(paths).bookmarks() == {"2401.00001", "2401.00002"}
    fault.active = False
    user.save_pending()
    assert UserData(paths).bookmarks() == {"2401.00001", "2401.00002"}


def test_faults_at_every_step_of_many_saves_never_leave_a_broken_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A fault at call 1, 2, ... 7 of each hook in turn, during a run of edits of every file."""
    survived = 0
    for hook, code in (("write", errno.ENOSPC), ("fsync", errno.EIO), ("replace", errno.EACCES)):
        for nth in range(1, 8):
            data = tmp_path / f"{hook}-{nth}"
            paths = DataPaths(data, data / "config")
            user = UserData(paths)
            fault = Fault(monkeypatch, hook, code, nth)
            failures = 0
            for _name, _file, change, _is_there in EDITS:
                try:
                    change(user)
                except SaveError:
                    failures += 1
            assert failures == (1 if fault.calls >= nth else 0)  # each fault that hit: one error
            survived += failures
            fault.active = False
            user.save_pending()
            fresh = UserData(paths)
            assert fresh.load_errors == []
            assert all(is_there(fresh) for _n, _f, _c, is_there in EDITS)
            assert not [p for p in paths.user_dir.rglob("*") if TEMP_MARK in p.name]
            monkeypatch.undo()
    # write: 1 call per save, fsync: 2 (file, folder), replace: 1; eight saves: every nth hits.
    assert survived == 7 + 7 + 7
