"""UserData.add_many: thousands of papers bookmarked, tagged and annotated with one save of
each YAML file; what is there already stays; a second run adds nothing."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from reader.core import durable
from reader.core.paths import DataPaths
from reader.core.userdata import SaveError, UserData

IDS = [f"2401.{n:05d}" for n in range(3000)]


class CountedReplaces:
    """Counts the atomic renames each file gets (one per save)."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.real = durable.hooks.replace
        self.names: list[str] = []
        monkeypatch.setattr(durable.hooks, "replace", self)

    def __call__(self, source: Any, target: Any) -> None:
        self.names.append(Path(target).name)
        self.real(source, target)


def test_each_yaml_file_is_saved_once_for_thousands_of_papers(
    paths: DataPaths, monkeypatch: pytest.MonkeyPatch
) -> None:
    user = UserData(paths)
    saves = CountedReplaces(monkeypatch)
    changed = user.add_many(
        bookmarks=IDS,
        tags={pid: ["imported", f"batch{n % 7}"] for n, pid in enumerate(IDS)},
        notes={IDS[0]: "First.", IDS[1]: "Second."},
    )
    assert changed == set(IDS)
    assert sorted(saves.names) == ["2401.00000.md", "2401.00001.md", "bookmarks.yaml", "tags.yaml"]
    again = UserData(paths)  # what is on disk
    assert again.bookmarks() == set(IDS)
    assert again.tags(IDS[8]) == ["batch1", "imported"]
    assert again.note(IDS[1]) == "Second."


def test_a_second_run_changes_and_writes_nothing(
    paths: DataPaths, monkeypatch: pytest.MonkeyPatch
) -> None:
    user = UserData(paths)
    user.add_many(bookmarks=IDS[:10], tags={IDS[0]: ["a"]}, notes={IDS[0]: "Note."})
    saves = CountedReplaces(monkeypatch)
    assert user.add_many(bookmarks=IDS[:10], tags={IDS[0]: ["a"]}, notes={IDS[0]: "Note."}) == set()
    assert saves.names == []


def test_what_the_user_has_stays_and_a_note_goes_after_theirs(paths: DataPaths) -> None:
    user = UserData(paths)
    user.set_bookmark(IDS[0], True)
    bookmarks = paths.user_dir / "bookmarks.yaml"
    (stamped,) = [line for line in bookmarks.read_text().splitlines() if IDS[0] in line]
    user.add_tags(IDS[0], ["mine"])
    user.set_note(IDS[0], "My note.\n")
    user.set_note(IDS[1], "Imported before. Then my words.")
    changed = user.add_many(
        bookmarks=[IDS[0], IDS[1]],
        tags={IDS[0]: ["mine", "theirs"]},
        notes={IDS[0]: "Imported.", IDS[1]: "Imported before."},
    )
    assert changed == {IDS[0], IDS[1]}  # IDS[1]: bookmarked; its note already holds the text
    again = UserData(paths)
    assert stamped in bookmarks.read_text().splitlines()  # bookmarked when it was
    assert again.tags(IDS[0]) == ["mine", "theirs"]
    assert again.note(IDS[0]) == "My note.\n\nImported."
    assert again.note(IDS[1]) == "Imported before. Then my words."


def test_a_bad_tag_saves_nothing(paths: DataPaths) -> None:
    user = UserData(paths)
    with pytest.raises(ValueError, match="spaces"):
        user.add_many(bookmarks=IDS[:2], tags={IDS[0]: ["fine", "not fine"]})
    assert UserData(paths).bookmarks() == set()


def test_a_file_that_cannot_be_saved_does_not_stop_the_others(paths: DataPaths) -> None:
    user = UserData(paths)
    user.add_many(bookmarks=[IDS[0]])
    tags = paths.user_dir / "tags.yaml"
    tags.write_text("version: 1\ntags: {2401.00001: [unclosed\n", encoding="utf-8")
    user.refresh()
    with pytest.raises(SaveError) as raised:
        user.add_many(bookmarks=IDS[:3], tags={IDS[1]: ["x"]}, notes={IDS[2]: "Kept."})
    assert raised.value.path == tags
    again = UserData(paths)
    assert again.bookmarks() == set(IDS[:3]) and again.note(IDS[2]) == "Kept."
    assert user.pending  # the tag waits in memory for the file to be fixed


def test_an_unreadable_note_is_left_as_it_is_and_the_others_are_saved(paths: DataPaths) -> None:
    user = UserData(paths)
    user.set_note(IDS[0], "Mine.")
    note = user.note_path(IDS[0])
    note.write_bytes(b"\xff\xfe not UTF-8")
    user.refresh()
    assert user.add_many(notes={IDS[0]: "Imported.", IDS[1]: "Other."}) == {IDS[1]}
    assert note.read_bytes() == b"\xff\xfe not UTF-8"
    assert any(error.path == note for error in user.load_errors)
    assert UserData(paths).note(IDS[1]) == "Other."
