"""Another process writes the user's files while this one has them open (the CLI beside the
app, a second app, Syncthing): this one notices, re-reads what changed, and never hands the
index its stale copy. And a save that worked is never reported as a failed one because the
index step after it failed."""

from __future__ import annotations

import errno
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parents[2] / "fixtures" / "disk"))

from small_disk import fill, small_disk

from reader.core.library.facade import Library
from reader.core.paths import DataPaths
from reader.core.userdata import NotIndexed, UserData


def cli(data_dir: Path, *argv: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "READER_DAILY_BACKUP": "0"}
    return subprocess.run(
        [sys.executable, "-m", "reader", "--data-dir", str(data_dir), *argv],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_a_bookmark_in_the_app_keeps_a_tag_the_cli_added_meanwhile(
    tmp_path: Path, seeds: list[Path]
) -> None:
    data = tmp_path / "data"
    app = Library.open(data)  # the app, open on a paper
    try:
        app.import_paths(seeds)
        pid = app.search_ids("")[0][0]
        assert app.user.tags(pid) == [] and app.search("tag:clitag").total == 0

        assert cli(data, "tag", pid, "clitag").returncode == 0  # from a shell meanwhile
        app.user.set_bookmark(pid, True)  # `b` in the app: re-indexes the paper

        assert [hit.id for hit in app.search("tag:clitag").results] == [pid]
        assert [hit.id for hit in app.search("is:bookmarked tag:clitag").results] == [pid]
        assert app.user.tags(pid) == ["clitag"]
    finally:
        app.close()


def test_signatures_change_with_every_save_elsewhere_and_only_then(paths: DataPaths) -> None:
    mine, other = UserData(paths), UserData(paths)
    mine.set_bookmark("2401.00001", True)
    before = mine.signatures()
    assert mine.signatures() == before
    assert before["bookmarks.yaml"] is not None and before["tags.yaml"] is None

    other.add_tags("2401.00001", ["rl"])
    other.set_note("2401.00001", "from elsewhere")

    after = mine.signatures()
    changed = {name for name in before.keys() | after.keys() if before.get(name) != after.get(name)}
    assert changed == {"tags.yaml", "notes/2401.00001.md"}
    size, _mtime_ns, inode = after["tags.yaml"]
    assert (size, inode) == (
        (paths.user_dir / "tags.yaml").stat().st_size,
        (paths.user_dir / "tags.yaml").stat().st_ino,
    )


def test_refresh_names_the_papers_another_process_changed(paths: DataPaths, tmp_path: Path) -> None:
    mine = UserData(paths)
    mine.set_bookmark("2401.00001", True)
    mine.set_note("2401.00005", "mine")
    assert mine.load_errors == []  # every file read, as the app does
    assert mine.refresh() == set()  # our own saves are not news

    for argv in (["bookmark", "2401.00001", "--off"], ["tag", "2401.00002", "rl"]):
        _edit_in_another_process(paths, argv)
    _edit_in_another_process(paths, ["read", "2401.00003"])
    _edit_in_another_process(paths, ["note", "2401.00004", "new"])
    note = paths.notes_dir / "2401.00005.md"
    with open(note, "r+b") as handle:  # an editor that writes in place, keeping the inode
        handle.write(b"edited in place")

    assert mine.refresh() == {"2401.00001", "2401.00002", "2401.00003", "2401.00004", "2401.00005"}
    assert mine.bookmarks() == set() and mine.tags("2401.00002") == ["rl"]
    assert mine.is_read("2401.00003") and mine.note("2401.00004") == "new"
    assert mine.note("2401.00005") == "edited in place"
    assert mine.refresh() == set()


def test_refresh_keeps_an_edit_that_waits_for_a_save(paths: DataPaths) -> None:
    mine = UserData(paths)
    broken = paths.user_dir / "tags.yaml"
    mine.add_tags("2401.00001", ["rl"])
    broken.write_text("version: 1\ntags: [\n", encoding="utf-8")  # broken by hand
    with pytest.raises(Exception, match="not saving over a file with an error"):
        mine.add_tags("2401.00002", ["mine"])
    broken.write_text("version: 1\ntags:\n  '2401.00003': [theirs]\n", encoding="utf-8")

    assert mine.refresh() == {"2401.00001", "2401.00003"}  # 2401.00002 was pending all along
    assert mine.tagged() == {"2401.00002": ["mine"], "2401.00003": ["theirs"]}
    mine.save_pending()
    assert UserData(paths).tagged() == {"2401.00002": ["mine"], "2401.00003": ["theirs"]}


def test_a_failed_index_step_after_a_save_is_not_a_failed_save(paths: DataPaths) -> None:
    def full_disk(pid: str) -> None:
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), "index/segment")

    user = UserData(paths, on_change=full_disk)

    with pytest.raises(NotIndexed) as raised:
        user.add_tags("2401.00001", ["rl"])

    assert str(raised.value) == (
        "saved, but the search index could not be updated for 2401.00001 "
        "(No space left on device); `reader index rebuild` puts it right"
    )
    assert not user.pending  # saved: nothing to retry
    assert UserData(paths).tags("2401.00001") == ["rl"]


# -- a second process for the tests above ---------------------------------------------------

_EDIT = """
import sys
from pathlib import Path
from reader.core.paths import DataPaths
from reader.core.userdata import UserData
data = Path(sys.argv[1])
user = UserData(DataPaths(data, data / "config"))
action, pid, *rest = sys.argv[2:]
if action == "bookmark":
    user.set_bookmark(pid, False)
elif action == "tag":
    user.add_tags(pid, rest)
elif action == "read":
    user.set_read(pid, True)
else:
    user.set_note(pid, rest[0])
"""


def _edit_in_another_process(paths: DataPaths, argv: list[str]) -> None:
    done = subprocess.run(
        [sys.executable, "-c", _EDIT, str(paths.data_dir), *argv],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr


def test_the_cli_says_saved_when_only_the_index_step_failed(tmp_path: Path) -> None:
    """A real process on a disk with room for the tag but not for the index segment."""
    with small_disk(tmp_path / "disk") as disk:
        data = disk / "data"
        assert cli(data, "sample").returncode == 0
        found = json.loads(cli(data, "search", "", "--json", "--limit", "1").stdout)
        pid = found["results"][0]["id"]
        assert cli(data, "search", "anything").returncode == 0  # the index exists from here on
        fill(disk, leave=4096)  # one page: tags.yaml fits, a new index segment does not

        done = cli(data, "tag", pid, "rl")

        assert done.returncode == 0 and done.stdout == f"{pid}: rl\n"
        assert done.stderr == (  # the next open catches the index up (index_keeper)
            f"reader: {pid}: saved; the index will catch up (No space left on device)\n"
        )
        assert (
            (data / "user" / "tags.yaml").read_text(encoding="utf-8").endswith(f"  {pid}: [rl]\n")
        )


def test_a_rewrite_the_stat_cannot_tell_apart_is_still_noticed(paths: DataPaths) -> None:
    """Same size, same inode, same time (a clock tick is coarser than two quick saves): for a
    file written just now, the bytes are compared too."""
    mine = UserData(paths)
    mine.add_tags("2401.00001", ["aa"])
    path = paths.user_dir / "tags.yaml"
    st = path.stat()
    with open(path, "r+b") as handle:
        handle.write(path.read_bytes().replace(b"[aa]", b"[bb]"))
    os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns))
    assert mine.signatures()["tags.yaml"] == (st.st_size, st.st_mtime_ns, st.st_ino)

    assert mine.refresh() == {"2401.00001"}
    assert mine.tags("2401.00001") == ["bb"]
