"""Ids as note file names: safe on every OS, reversible or unique, never outside the folder."""

from __future__ import annotations

from pathlib import Path

import pytest

from reader.core.paths import DataPaths
from reader.core.userdata import UserData, safe_names

HOSTILE_IDS = [
    "../x",
    "../../../../etc/cron.d/x",
    "/etc/passwd",
    "a/b",
    "a\\b",
    "a\x00b",
    "x" * 300,
    "é" * 200,
    "CON",
    "con",
    "con.txt",
    "LPT1",
    "nul.md",
    ".",
    "..",
    ".hidden",
    "trailing.",
    "trailing ",
    "a:b",
    "t:0123456789ab",
    "hep-th/9901001",
    "math.GT/0309136",
    "Ab",
    "aB",
    "%41",
    "A",
    "~x",
    "a\nb",
    '*?<>|"',
    "日本語",
]


def _all_files(root: Path) -> set[Path]:
    return {path for path in root.rglob("*") if path.is_file()}


def test_hostile_ids_get_safe_files_inside_the_notes_folder(
    paths: DataPaths, tmp_path: Path
) -> None:
    outside_before = _all_files(tmp_path) - _all_files(paths.data_dir)
    user = UserData(paths)
    for i, pid in enumerate(HOSTILE_IDS):
        user.set_note(pid, f"note {i}")

    notes = sorted(paths.notes_dir.iterdir())
    assert len(notes) == len(HOSTILE_IDS)  # one file each: no two ids share a file
    for path in notes:
        assert path.parent == paths.notes_dir
        assert path.suffix == ".md" and len(path.name.encode()) <= 255
        assert path.name.isascii() and not path.name.startswith(".")
        assert path.name.split(".")[0].lower() not in {"con", "prn", "aux", "nul", "lpt1"}
    # Unique even on a case-insensitive disk (macOS, Windows).
    assert len({path.name.casefold() for path in notes}) == len(notes)
    assert _all_files(tmp_path) - _all_files(paths.data_dir) == outside_before
    fresh = UserData(paths)
    assert fresh.ids_with_notes() == set(HOSTILE_IDS)
    assert [fresh.note(pid) for pid in HOSTILE_IDS] == [
        f"note {i}" for i in range(len(HOSTILE_IDS))
    ]


@pytest.mark.parametrize("pid", HOSTILE_IDS)
def test_names_decode_back_to_their_id_or_are_marked_hashed(pid: str) -> None:
    stem = safe_names.encode(pid)
    assert "/" not in stem and "\\" not in stem and "\x00" not in stem
    if safe_names.is_hashed(stem):
        assert len(stem) <= safe_names.MAX_NAME + 30
        assert safe_names.decode(stem) is None
    else:
        assert safe_names.decode(stem) == pid


def test_plain_ids_keep_readable_names() -> None:
    assert safe_names.encode("2401.12345") == "2401.12345"
    assert safe_names.encode("hep-th/9901001") == "hep-th%2F9901001"
    assert safe_names.encode("t:0123456789ab") == "t%3A0123456789ab"


def test_files_we_did_not_write_are_left_alone(paths: DataPaths) -> None:
    paths.notes_dir.mkdir(parents=True)
    for name in ["My Thoughts.md", "2401.00001.txt", "%zz.md", "%4a.md", "x~.md", "A.md"]:
        (paths.notes_dir / name).write_text("mine", encoding="utf-8")
    user = UserData(paths)
    assert user.ids_with_notes() == set()
    user.set_note("2401.00001", "n")
    assert (paths.notes_dir / "My Thoughts.md").read_text(encoding="utf-8") == "mine"


def test_an_empty_id_is_refused(paths: DataPaths) -> None:
    with pytest.raises(ValueError, match="empty"):
        UserData(paths).set_note("", "x")
