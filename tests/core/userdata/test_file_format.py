"""The files on disk: human-readable, stable, sorted, one line per entry, exact round trips."""

from __future__ import annotations

import os

import pytest

from reader.core.paths import DataPaths
from reader.core.userdata import UserData

HOSTILE_TEXT = [
    "2401.10000",  # would read back as the float 2401.1
    "yes",  # would read back as True
    "null",
    "0x1F",
    "[bold]red[/]",
    "a: b",
    "#not-a-comment",
    "x\x00y",
    "\x1b[31mred",
    "line\nbreak",
    "日本語",
    "'quoted'",
    '"dq"',
    "-",
    "? key",
    "&anchor",
    "*alias",
    "!tag",
    "%percent",
    "@at",
    "`tick`",
    " lead",
    "trail ",
    "\u2028sep",
]


def test_the_files_read_as_plain_sorted_yaml(paths: DataPaths) -> None:
    user = UserData(paths)
    user.add_tags("2401.00002", ["theory", "RL"])
    user.add_tags("2401.00001", ["survey"])
    user.set_bookmark("hep-th/9901001", True)

    text = (paths.user_dir / "tags.yaml").read_text(encoding="utf-8")
    body = [line for line in text.splitlines() if not line.startswith("#")]
    assert body == [
        "version: 1",
        "tags:",
        "  '2401.00001': [survey]",
        "  '2401.00002': [RL, theory]",
    ]
    bookmarks = (paths.user_dir / "bookmarks.yaml").read_text(encoding="utf-8")
    assert "\n  hep-th/9901001: '20" in bookmarks


def test_a_save_that_changes_nothing_writes_nothing(paths: DataPaths) -> None:
    user = UserData(paths)
    user.set_bookmark("2401.00001", True)
    user.add_tags("2401.00001", ["rl"])
    files = [paths.user_dir / "bookmarks.yaml", paths.user_dir / "tags.yaml"]
    before = [(os.stat(f).st_ino, os.stat(f).st_mtime_ns, f.read_bytes()) for f in files]

    user.set_bookmark("2401.00001", True)  # already bookmarked: keeps its date
    user.add_tags("2401.00001", ["rl"])
    user.remove_tags("2401.00002", ["nothing"])
    UserData(paths).set_bookmark("2401.00001", True)

    assert [(os.stat(f).st_ino, os.stat(f).st_mtime_ns, f.read_bytes()) for f in files] == before


def test_nothing_is_written_until_there_is_something_to_save(paths: DataPaths) -> None:
    user = UserData(paths)
    user.set_bookmark("2401.00001", False)
    user.remove_tags("2401.00001", ["x"])
    assert not (paths.user_dir / "bookmarks.yaml").exists()
    assert not (paths.user_dir / "tags.yaml").exists()


def test_hostile_text_round_trips_exactly(paths: DataPaths) -> None:
    user = UserData(paths)
    for i, text in enumerate(HOSTILE_TEXT):
        user.set_bookmark(text, True)
        user.set_read(text, True)
        user.set_note(f"id-{i}", text)
        if text.strip() and not any(c.isspace() or ord(c) < 32 for c in text) and "," not in text:
            user.add_tags("2401.00001", [text])
    user.add_saved("[b]weird[/b] name: yes", "'quoted' #hash \"dq\" yes")

    fresh = UserData(paths)
    assert fresh.load_errors == []
    assert fresh.bookmarks() == set(HOSTILE_TEXT)
    assert fresh.read_ids() == set(HOSTILE_TEXT)
    assert [fresh.note(f"id-{i}") for i in range(len(HOSTILE_TEXT))] == HOSTILE_TEXT
    assert set(fresh.tags("2401.00001")) >= {"2401.10000", "yes", "[bold]red[/]", "#not-a-comment"}
    [saved] = fresh.saved_searches()
    assert (saved.name, saved.query) == ("[b]weird[/b] name: yes", "'quoted' #hash \"dq\" yes")
    raw = (paths.user_dir / "bookmarks.yaml").read_bytes()
    assert b"\x1b" not in raw and b"\x00" not in raw  # escaped in the file, not raw


def test_hand_written_scalars_stay_text(paths: DataPaths) -> None:
    path = paths.user_dir / "tags.yaml"
    path.parent.mkdir(parents=True)
    path.write_text("version: 1\ntags:\n  2401.10000: [yes, 1.0, null-ish, on]\n")

    assert UserData(paths).tagged() == {"2401.10000": ["1.0", "null-ish", "on", "yes"]}


@pytest.mark.parametrize(
    ("name", "text", "expected"),
    [
        ("bookmarks.yaml", "- 2401.00001\n- hep-th/9901001\n", {"2401.00001", "hep-th/9901001"}),
        ("tags.yaml", "2401.00001: rl, theory\n2401.00002: [x]\n", None),
        ("searches.yaml", "weekly: diffusion is:unread\n", None),
    ],
)
def test_version_0_files_are_read_and_upgraded_with_a_copy_kept(
    paths: DataPaths, name: str, text: str, expected: set[str] | None
) -> None:
    path = paths.user_dir / name
    path.parent.mkdir(parents=True)
    path.write_text(text, encoding="utf-8")
    user = UserData(paths)
    assert user.load_errors == []

    if name == "bookmarks.yaml":
        assert user.bookmarks() == expected
        user.set_bookmark("2401.00003", True)
    elif name == "tags.yaml":
        assert user.tagged() == {"2401.00001": ["rl", "theory"], "2401.00002": ["x"]}
        user.add_tags("2401.00003", ["new"])
    else:
        [saved] = user.saved_searches()
        assert (saved.name, saved.query, saved.sort) == (
            "weekly",
            "diffusion is:unread",
            "relevance",
        )
        user.add_saved("daily", "rl")

    upgraded = path.read_text(encoding="utf-8")
    assert "\nversion: 1\n" in upgraded
    [kept] = user.kept
    assert kept.read_text(encoding="utf-8") == text
    assert UserData(paths).load_errors == []


def test_a_file_from_a_newer_reader_is_kept_and_not_saved_over(paths: DataPaths) -> None:
    path = paths.user_dir / "bookmarks.yaml"
    path.parent.mkdir(parents=True)
    path.write_text("version: 2\nbookmarks: {a: b}\nnew_field: x\n", encoding="utf-8")
    user = UserData(paths)

    [error] = user.load_errors
    assert "newer reader" in str(error) and "format version 2" in str(error)
    with pytest.raises(Exception, match="not saving over"):
        user.set_bookmark("x", True)
    assert path.read_text(encoding="utf-8") == "version: 2\nbookmarks: {a: b}\nnew_field: x\n"
