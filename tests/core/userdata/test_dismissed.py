"""dismissed.yaml: "not for me", kept like the bookmarks (atomic, locked, hand-editable)."""

from __future__ import annotations

from reader.core.paths import DataPaths
from reader.core.userdata import UserData


def test_a_dismissal_is_saved_read_back_and_taken_back(paths: DataPaths) -> None:
    user = UserData(paths)
    user.set_dismissed("2401.00001", True)
    user.set_dismissed("2401.00002", True)
    text = (paths.user_dir / "dismissed.yaml").read_text(encoding="utf-8")
    assert text.startswith("# reader not for me") and "dismissed:\n  '2401.00001': " in text
    again = UserData(paths)
    assert again.dismissed() == {"2401.00001", "2401.00002"}
    again.set_dismissed("2401.00001", False)
    assert UserData(paths).dismissed() == {"2401.00002"}
    assert not UserData(paths).is_bookmarked("2401.00002")  # a file of its own


def test_a_hand_edit_counts_and_a_broken_file_is_reported_and_kept(paths: DataPaths) -> None:
    path = paths.user_dir / "dismissed.yaml"
    path.parent.mkdir(parents=True)
    path.write_text("version: 1\ndismissed:\n  '2401.00003':\n", encoding="utf-8")
    assert UserData(paths).is_dismissed("2401.00003")
    broken = "version: 1\ndismissed:\n  a: [1]\n"
    path.write_text(broken, encoding="utf-8")
    user = UserData(paths)
    (error,) = user.load_errors
    assert "dismissed.yaml:3:6" in str(error) and "single value" in str(error)
    assert path.read_text(encoding="utf-8") == broken


def test_a_dismissal_under_an_old_id_follows_the_paper(paths: DataPaths) -> None:
    path = paths.user_dir / "dismissed.yaml"
    path.parent.mkdir(parents=True)
    path.write_text("version: 1\ndismissed:\n  t:old: null\n", encoding="utf-8")
    user = UserData(paths, resolve=lambda pid: "2401.00004" if pid == "t:old" else pid)
    assert user.dismissed() == {"2401.00004"}
