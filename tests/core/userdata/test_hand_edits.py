"""A user file edited by hand and broken: reported by file, line and column (or key path), kept
byte for byte, never saved over until fixed; the rest of the user data loads as usual."""

from __future__ import annotations

from pathlib import Path

import pytest

from reader.core.paths import DataPaths
from reader.core.userdata import SaveError, UserData, UserFileError


def write(paths: DataPaths, name: str, text: str) -> Path:
    path = paths.user_dir / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(text.encode("utf-8"))
    return path


BROKEN = [
    # (file, text, line, column, key path, words in the message)
    ("tags.yaml", "version: 1\ntags:\n  '2401.00001': [rl, theory\n", 4, 1, "", "not valid YAML"),
    ("tags.yaml", "version: 1\ntags: [rl, theory]\n", 2, 7, "tags", "expected a mapping"),
    ("tags.yaml", "version: 1\ntags:\n  x: {a: b}\n", 3, 6, "tags.x", "expected a list of tags"),
    ("tags.yaml", "version: 1\ntags:\n  x: [ok, 'two words']\n", 3, 11, "tags.x[1]", "spaces"),
    ("bookmarks.yaml", "version: 1\nbookmarks:\n  a: 1\n  a: 2\n", 4, 3, "bookmarks", "duplicate"),
    ("bookmarks.yaml", "version: 1\nbookmarks:\n  a: [1]\n", 3, 6, "bookmarks.a", "single value"),
    ("read.yaml", "version: one\nread: {}\n", 1, 10, "version", "whole number"),
    ("read.yaml", "version: 1\nread: {}\nextra: 1\n", 3, 8, "extra", "unknown key"),
    ("searches.yaml", "version: 1\nsearches:\n  s: {sort: date}\n", 3, 6, "searches.s", "query"),
    ("searches.yaml", "version: 9\nsearches: {}\n", 1, 10, "version", "newer reader"),
    ("search-state.yaml", "{}\n", 1, 1, "", "no 'version:'"),
    ("tags.yaml", "<<<<<<< HEAD\ntags: {}\n=======\n", 2, 5, "", "not valid YAML"),
    ("read.yaml", "version: 1\nread:\n  a: \x07\n", 3, 6, "", "control characters"),
]


@pytest.mark.parametrize(
    ("name", "text", "line", "column", "key_path", "words"),
    BROKEN,
    ids=[f"{case[0]}:{case[5]}" for case in BROKEN],
)
def test_a_broken_file_is_reported_kept_and_never_saved_over(
    paths: DataPaths,
    name: str,
    text: str,
    line: int,
    column: int,
    key_path: str,
    words: str,
) -> None:
    path = write(paths, name, text)
    write(paths, "notes/2401.00001.md", "my note")
    other = "bookmarks.yaml" if name != "bookmarks.yaml" else "tags.yaml"

    user = UserData(paths)

    [error] = user.load_errors
    assert isinstance(error, UserFileError)
    assert (error.path, error.line, error.column, error.key_path) == (path, line, column, key_path)
    assert words in error.message
    assert str(error).startswith(f"could not read {path}:{line}:{column}: ")
    assert "\n" not in str(error)
    assert user.note("2401.00001") == "my note"  # the rest loads
    if other == "bookmarks.yaml":
        user.set_bookmark("2401.00001", True)  # and the rest saves
    else:
        user.add_tags("2401.00001", ["ok"])
    assert path.read_bytes() == text.encode("utf-8")


def test_saving_over_a_broken_file_is_refused_until_it_is_fixed(paths: DataPaths) -> None:
    path = write(paths, "tags.yaml", "version: 1\ntags:\n  '2401.00001': [rl\n")
    user = UserData(paths)

    with pytest.raises(SaveError) as refused:
        user.add_tags("2401.00002", ["survey"])

    message = str(refused.value)
    assert message.startswith(f"could not save {path}: not saving over a file with an error")
    assert "line 4, column 1" in message and "fix it by hand" in message
    assert path.read_bytes() == b"version: 1\ntags:\n  '2401.00001': [rl\n"
    assert user.tags("2401.00002") == ["survey"]  # the edit waits in memory

    path.write_text("version: 1\ntags:\n  '2401.00001': [rl]\n", encoding="utf-8")
    user.refresh()
    assert user.load_errors == []
    user.save_pending()

    assert UserData(paths).tagged() == {"2401.00001": ["rl"], "2401.00002": ["survey"]}


def test_a_file_broken_by_hand_while_running_is_not_saved_over(paths: DataPaths) -> None:
    user = UserData(paths)
    user.set_bookmark("2401.00001", True)
    path = paths.user_dir / "bookmarks.yaml"
    path.write_text("bookmarks: [oops\n", encoding="utf-8")

    with pytest.raises(SaveError, match="not saving over a file with an error"):
        user.set_bookmark("2401.00002", True)

    assert path.read_text(encoding="utf-8") == "bookmarks: [oops\n"
    assert [error.path for error in user.load_errors] == [path]


def test_an_unreadable_note_is_reported_and_not_saved_over(paths: DataPaths) -> None:
    path = write(paths, "notes/2401.00001.md", "")
    path.write_bytes(b"caf\xe9\nnot utf-8")
    user = UserData(paths)

    assert user.note("2401.00001") == ""
    [error] = user.load_errors
    assert (error.path, error.line, error.column) == (path, 1, 4)
    with pytest.raises(SaveError, match="not saving over a note that cannot be read"):
        user.set_note("2401.00001", "new")
    assert path.read_bytes() == b"caf\xe9\nnot utf-8"


def test_comments_a_save_would_drop_are_kept_in_a_copy(paths: DataPaths) -> None:
    user = UserData(paths)
    user.add_tags("2401.00001", ["rl"])
    path = paths.user_dir / "tags.yaml"
    commented = path.read_text(encoding="utf-8").replace(
        "tags:\n", "tags:\n  # papers for the reading group\n"
    )
    path.write_text(commented, encoding="utf-8")
    user.refresh()

    user.add_tags("2401.00002", ["x"])
    user.add_tags("2401.00003", ["y"])  # the second save has no user comment to keep

    [kept] = user.kept
    assert kept.parent == paths.user_dir / "kept"
    assert kept.read_text(encoding="utf-8") == commented
    assert path.read_text(encoding="utf-8").startswith("# reader tags")


def test_the_header_says_the_file_is_app_managed(paths: DataPaths) -> None:
    user = UserData(paths)
    user.set_bookmark("2401.00001", True)
    text = (paths.user_dir / "bookmarks.yaml").read_text(encoding="utf-8")
    assert "Written by reader on every change" in text
    assert "comments" in text and "kept/" in text
