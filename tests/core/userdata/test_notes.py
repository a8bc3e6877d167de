"""Notes are Markdown files holding exactly what was typed."""

from __future__ import annotations

import pytest

from reader.core.paths import DataPaths
from reader.core.userdata import UserData

TEXTS = [
    "[/]",
    "[bold]not bold[/bold] [link=x]y[/link]",
    "\x1b[31mred\x1b[0m",
    "crlf\r\nlines\r\n",
    "no final newline",
    "  leading and trailing spaces  \n\n",
    "\ufeffBOM first",
    "tabs\tand\x00nul",
    "---\nfront: matter\n---\n# Title\n",
    '<!-- reader-id: "fake" -->\nnot a marker for a short id',
    "emoji 🧪 and 日本語",
]


@pytest.mark.parametrize("text", TEXTS)
def test_a_note_is_stored_and_returned_byte_for_byte(paths: DataPaths, text: str) -> None:
    UserData(paths).set_note("2401.00001", text)

    assert (paths.notes_dir / "2401.00001.md").read_bytes() == text.encode("utf-8")
    assert UserData(paths).note("2401.00001") == text


def test_a_note_for_a_very_long_id_records_its_id_and_returns_only_the_text(
    paths: DataPaths,
) -> None:
    pid = "x" * 300
    UserData(paths).set_note(pid, "[bold]text[/]")
    [path] = paths.notes_dir.iterdir()

    assert path.read_text(encoding="utf-8").endswith("\n[bold]text[/]")
    fresh = UserData(paths)
    assert fresh.ids_with_notes() == {pid}
    assert fresh.note(pid) == "[bold]text[/]"


def test_an_empty_note_deletes_the_file(paths: DataPaths) -> None:
    changes: list[str] = []
    user = UserData(paths, on_change=changes.append)
    user.set_note("2401.00001", "x")
    user.set_note("2401.00001", "")

    assert list(paths.notes_dir.iterdir()) == []
    assert user.note("2401.00001") == "" and user.ids_with_notes() == set()
    assert changes == ["2401.00001", "2401.00001"]


def test_a_note_edited_by_hand_is_read_fresh(paths: DataPaths) -> None:
    user = UserData(paths)
    user.set_note("2401.00001", "first")
    (paths.notes_dir / "2401.00001.md").write_text("edited in vim", encoding="utf-8")

    assert user.note("2401.00001") == "edited in vim"
    user.set_note("2401.00001", "edited in vim, then here")  # read first: no copy needed
    assert not (paths.user_dir / "kept").exists()


def test_replacing_a_note_never_read_keeps_a_copy(paths: DataPaths) -> None:
    UserData(paths).set_note("2401.00001", "written elsewhere")
    user = UserData(paths)
    user.set_note("2401.00001", "replaced without reading")

    [kept] = user.kept
    assert kept.read_text(encoding="utf-8") == "written elsewhere"


def test_note_path_names_the_file(paths: DataPaths) -> None:
    user = UserData(paths)
    assert user.note_path("hep-th/9901001") == paths.notes_dir / "hep-th%2F9901001.md"


def test_text_with_undecodable_bytes_is_refused_before_anything_is_written(
    paths: DataPaths,
) -> None:
    user = UserData(paths)
    smuggled = b"caf\xe9".decode("utf-8", "surrogateescape")  # what argv holds for Latin-1
    with pytest.raises(ValueError, match="not UTF-8"):
        user.set_note("2401.00001", smuggled)
    with pytest.raises(ValueError, match="not a paper id"):
        user.set_bookmark(smuggled, True)
    with pytest.raises(ValueError, match="control characters"):
        user.add_tags("2401.00001", [smuggled])
    assert not user.pending and not paths.user_dir.exists()


def test_saving_the_same_note_again_writes_nothing(paths: DataPaths) -> None:
    user = UserData(paths)
    user.set_note("2401.00001", "same")
    path = paths.notes_dir / "2401.00001.md"
    before = (path.stat().st_ino, path.stat().st_mtime_ns)
    user.set_note("2401.00001", "same")
    UserData(paths).set_note("2401.00001", "same")
    assert (path.stat().st_ino, path.stat().st_mtime_ns) == before
    assert not (paths.user_dir / "kept").exists()
