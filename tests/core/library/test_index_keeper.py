"""The index never disagrees with the user's files or the store for long: `reader index check`
names every kind of difference, the next open (or Library.catch_up) re-indexes just what
changed, and an edit saved while the index could not take it is caught up later."""

from __future__ import annotations

import json
import shutil
import sqlite3
import subprocess
import sys
import threading
import time
import types
from pathlib import Path

import pytest
from whoosh.filedb.filestore import FileStorage

from reader.cli import main
from reader.core.index.intake import FORMAT_FILE, FORMAT_VERSION
from reader.core.index.paper_index import PaperIndex
from reader.core.library.facade import Library
from reader.core.library.index_keeper import IndexKeeper
from reader.core.paths import DataPaths
from reader.core.userdata import UserData

HEADER = "# hand-written\nversion: 1\n"


@pytest.fixture
def paths(indexed_sample: Path, tmp_path: Path) -> DataPaths:
    shutil.copytree(indexed_sample, tmp_path / "data")
    return DataPaths.resolve(tmp_path / "data")


def some_ids(paths: DataPaths, n: int = 6) -> list[str]:
    with sqlite3.connect(paths.store) as conn:
        return [row[0] for row in conn.execute(f"SELECT id FROM papers LIMIT {n}")]


def plant_every_kind(paths: DataPaths) -> dict[str, str]:
    """What a sync or a hand edit does behind reader's back, one paper per kind."""
    ids = some_ids(paths)
    planted = dict(zip(("tags", "note", "bookmark", "read", "abstract"), ids, strict=False))
    paths.user_dir.mkdir(parents=True, exist_ok=True)
    (paths.user_dir / "tags.yaml").write_text(f"{HEADER}tags:\n  {planted['tags']}: [quagga]\n")
    (paths.user_dir / "bookmarks.yaml").write_text(
        f"{HEADER}bookmarks:\n  {planted['bookmark']}: '2024-01-01T00:00:00Z'\n"
    )
    (paths.user_dir / "read.yaml").write_text(
        f"{HEADER}read:\n  {planted['read']}: '2024-01-01T00:00:00Z'\n"
    )
    other = UserData(paths)  # another process's: it does not re-index anything
    other.set_note(planted["note"], "wombats are marsupials")
    with sqlite3.connect(paths.store) as conn:  # an updated abstract the index never took in
        conn.execute(
            "UPDATE papers SET abstract = abstract || ' numbats', changed = changed + 1000"
            " WHERE id = ?",
            (planted["abstract"],),
        )
        conn.execute("UPDATE counts SET n = n + 1000 WHERE name = 'changes'")
    return planted


def cli(capsys: pytest.CaptureFixture[str], paths: DataPaths, *argv: str) -> tuple[int, str]:
    code = main(["--data-dir", str(paths.data_dir), *argv])
    out, err = capsys.readouterr()
    return code, out + err


def test_index_check_names_each_kind_of_difference_and_fix_repairs_just_those(
    capsys: pytest.CaptureFixture[str], paths: DataPaths
) -> None:
    planted = plant_every_kind(paths)
    code, out = cli(capsys, paths, "index", "check", "--json")
    report = json.loads(out)
    assert code == 1 and report["ok"] is False
    assert {kind: found["ids"] for kind, found in report["differences"].items()} == {
        **{kind: [pid] for kind, pid in planted.items()},
        "vector": [planted["abstract"]],  # the vector is of the old abstract too
    }
    assert report["differ_count"] == 5 and report["missing_count"] == report["extra_count"] == 0
    code, out = cli(capsys, paths, "index", "check")
    assert code == 1
    assert f"  tags differ from the index: {planted['tags']}" in out.splitlines()
    assert f"  read states differ from the index: {planted['read']}" in out.splitlines()
    code, out = cli(capsys, paths, "index", "check", "--fix", "--json")
    fixed = json.loads(out)
    assert code == 0 and fixed["fixed"] == 5 and fixed["ok_after_fix"] is True
    assert cli(capsys, paths, "index", "check")[0] == 0
    for query, pid in (
        ("tag:quagga", planted["tags"]),
        ("note:wombats", planted["note"]),
        ("abstract:numbats", planted["abstract"]),
    ):
        code, out = cli(capsys, paths, "search", query, "--json")
        assert [hit["id"] for hit in json.loads(out)["results"]] == [pid], query


def test_the_next_open_re_indexes_just_what_changed(paths: DataPaths) -> None:
    planted = plant_every_kind(paths)
    library = Library(paths)
    try:
        library.index  # noqa: B018 - opening catches up
        assert library.check_index().ok
        assert library.search("tag:quagga").total == 1
        assert library.search("read:yes").total == 1
        again = library.catch_up()
        assert len(again) == 0  # nothing changed since
    finally:
        library.close()
    assert set(planted.values()) <= set(some_ids(paths))


def test_a_rebuild_gives_each_paper_its_user_data_and_the_others_none(
    paths: DataPaths,
) -> None:
    """A rebuild looks the user's data up only for the papers that have some (listed once):
    each kind still reaches its paper, and the check finds every document as it should be."""
    planted = plant_every_kind(paths)
    UserData(paths).set_summary(some_ids(paths)[5], "a summary of numbats")
    library = Library(paths)
    try:
        assert library.rebuild_index() == library.count()
        assert library.check_index().ok
        assert [hit.id for hit in library.search("tag:quagga").results] == [planted["tags"]]
        assert [hit.id for hit in library.search("note:wombats").results] == [planted["note"]]
        assert library.search("is:bookmarked").total == 1
        assert library.search("read:yes").total == 1
        assert library.search("summary:numbats").total == 1
    finally:
        library.close()


def test_catch_up_names_what_it_re_indexed(paths: DataPaths) -> None:
    library = Library(paths)
    try:
        library.index  # noqa: B018
        pid = some_ids(paths)[2]
        UserData(paths).add_tags(pid, ["elsewhere"])  # another process tags a paper
        caught = library.catch_up()
        assert (caught.user, caught.store, caught.removed) == ([pid], [], [])
        assert [hit.id for hit in library.search("tag:elsewhere").results] == [pid]
    finally:
        library.close()


def test_an_open_with_nothing_changed_reads_no_user_file(paths: DataPaths) -> None:
    library = Library(paths)
    try:
        assert library.search("pruning").total > 0
        assert "user" not in library.__dict__  # a stat per file said nothing changed
    finally:
        library.close()


# A `reader tag` whose index step waits for a lock the test holds: killed there, the tag is
# saved in tags.yaml and not in the index.
def _tag_and_wait(paths: DataPaths, pid: str) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [sys.executable, "-m", "reader", "--data-dir", str(paths.data_dir), "tag", pid, "kiwi"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


def test_a_tag_killed_before_its_index_step_is_searchable_at_the_next_open(
    paths: DataPaths,
) -> None:
    pid = some_ids(paths)[1]
    lock = FileStorage(str(paths.index_dir)).lock("MAIN_WRITELOCK")
    assert lock.acquire()
    tagging = _tag_and_wait(paths, pid)
    try:
        deadline = time.monotonic() + 30
        tags = paths.user_dir / "tags.yaml"
        while time.monotonic() < deadline and not (tags.exists() and "kiwi" in tags.read_text()):
            time.sleep(0.02)
        assert "kiwi" in tags.read_text()
        tagging.kill()
        tagging.wait(timeout=30)
    finally:
        lock.release()
    library = Library(paths)
    try:
        assert [hit.id for hit in library.search("tag:kiwi").results] == [pid]
    finally:
        library.close()


# `reader tag` with the disk full for the index only: the tag is saved, and says so.
DISK_FULL = """
import errno, os, sys
from whoosh.filedb.filestore import FileStorage
from reader.cli import main

def full(self, name, **kwargs):
    raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), name)

FileStorage.create_file = full
sys.exit(main(["--data-dir", sys.argv[1], "tag", sys.argv[2], "kea"]))
"""


def test_a_full_disk_after_the_tag_is_saved_says_saved_and_the_index_catches_up(
    paths: DataPaths,
) -> None:
    pid = some_ids(paths)[3]
    done = subprocess.run(
        [sys.executable, "-c", DISK_FULL, str(paths.data_dir), pid],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    assert done.stderr.strip().splitlines() == [
        f"reader: {pid}: saved; the index will catch up (No space left on device)"
    ]
    assert "kea" in (paths.user_dir / "tags.yaml").read_text()
    library = Library(paths)
    try:
        assert [hit.id for hit in library.search("tag:kea").results] == [pid]
    finally:
        library.close()


def test_an_index_of_an_older_format_is_rebuilt_with_one_line(
    capsys: pytest.CaptureFixture[str], paths: DataPaths
) -> None:
    (paths.index_dir / FORMAT_FILE).unlink()  # as reader wrote indexes before the record
    code, out = cli(capsys, paths, "search", "lottery ticket")
    assert code == 0
    notes = [line for line in out.splitlines() if line.startswith("reader:")]
    assert notes == [
        "reader: The search index was in an older format (1); it was rebuilt from the library "
        f"(format {FORMAT_VERSION})."
    ]
    assert json.loads((paths.index_dir / FORMAT_FILE).read_text())["format"] == FORMAT_VERSION
    code, out = cli(capsys, paths, "search", "lottery ticket")
    assert code == 0 and "reader:" not in out  # said once
    assert not list(paths.data_dir.glob("index.broken-*"))


def test_an_index_of_the_format_before_positions_in_tails_is_rebuilt(
    capsys: pytest.CaptureFixture[str], paths: DataPaths
) -> None:
    """Format 3 kept positions only in Whoosh's blocks: its index is rebuilt, and phrases are
    then checked over the tails' positions."""
    record = paths.index_dir / FORMAT_FILE
    intake = json.loads(record.read_text())
    record.write_text(json.dumps({**intake, "format": 3}))
    code, out = cli(capsys, paths, "search", '"lottery ticket"')
    assert code == 0 and "Lottery Ticket" in out
    assert [line for line in out.splitlines() if line.startswith("reader:")] == [
        "reader: The search index was in an older format (3); it was rebuilt from the library "
        f"(format {FORMAT_VERSION})."
    ]
    assert json.loads(record.read_text())["format"] == FORMAT_VERSION == 5


def test_an_index_of_a_newer_format_is_refused_until_rebuilt(
    capsys: pytest.CaptureFixture[str], paths: DataPaths
) -> None:
    record = paths.index_dir / FORMAT_FILE
    record.write_text(json.dumps({"format": FORMAT_VERSION + 1, "store_change": 0, "user": {}}))
    code, out = cli(capsys, paths, "search", "lottery ticket")
    assert code == 1
    assert "written by a newer reader" in out and len(out.strip().splitlines()) == 1
    assert json.loads(record.read_text())["format"] == FORMAT_VERSION + 1  # left as it was
    assert cli(capsys, paths, "index", "rebuild")[0] == 0
    code, out = cli(capsys, paths, "search", "lottery ticket", "--json")
    assert code == 0 and json.loads(out)["total"] > 0


def test_only_the_latest_damaged_index_is_kept(paths: DataPaths) -> None:
    for _ in range(2):
        (segment,) = [p for p in paths.index_dir.iterdir() if p.name.endswith(".pst")]
        segment.write_bytes(b"\x00" * segment.stat().st_size)
        library = Library(paths)
        try:
            assert library.index.doc_count() == 406
            (aside,) = paths.data_dir.glob("index.broken-*")
            assert library.index_message is not None and str(aside) in library.index_message
        finally:
            library.close()


def test_two_openings_that_both_found_the_index_damaged_set_it_aside_once(
    paths: DataPaths,
) -> None:
    """The app and a command open a damaged index at once, and both see the damage before
    either has set it aside: the second must find it mended, not move the fresh index aside
    (or fail to), nor delete the damaged one, the copy kept for a rescue."""
    (segment,) = [p for p in paths.index_dir.iterdir() if p.name.endswith(".pst")]
    segment.write_bytes(b"\x00" * segment.stat().st_size)
    (paths.index_dir / "the-damaged-one").touch()
    seen, go = threading.Semaphore(0), threading.Event()
    errors: list[BaseException] = []

    def hold(frame: types.FrameType, event: str, _arg: object) -> None:
        """Each opening waits here once it has caught the damage (it closes the index)."""
        caller = frame.f_back
        closing = event == "call" and frame.f_code is PaperIndex.close.__code__
        if closing and caller and caller.f_code is IndexKeeper.open.__code__:
            seen.release()
            go.wait(timeout=60)
            sys.settrace(None)

    def open_index(library: Library) -> None:
        sys.settrace(hold)
        try:  # not library.index: Python 3.11's cached_property locks out other instances
            opened.append(library.keeper.open()[0])
        except Exception as error:
            errors.append(error)
        finally:
            sys.settrace(None)

    libraries = [Library(paths) for _ in range(2)]
    opened: list[PaperIndex] = []
    threads = [threading.Thread(target=open_index, args=(library,)) for library in libraries]
    try:
        for thread in threads:
            thread.start()
        assert seen.acquire(timeout=60) and seen.acquire(timeout=60)
        go.set()
        for thread in threads:
            thread.join(timeout=60)
        assert errors == []
        (aside,) = paths.data_dir.glob("index.broken-*")
        assert (aside / "the-damaged-one").exists()
        assert [index.doc_count() for index in opened] == [406, 406]
    finally:
        go.set()
        for thread in threads:
            thread.join(timeout=60)
        for index in opened:
            index.close()
        for library in libraries:
            library.close()
    again = Library(paths)
    try:
        assert again.index.doc_count() == 406 and again.index_message is None
    finally:
        again.close()


def test_catch_up_takes_in_the_papers_another_process_wrote(paths: DataPaths) -> None:
    from dataclasses import replace

    library = Library(paths)
    try:
        library.index  # noqa: B018
        pid = some_ids(paths)[4]
        other = Library(paths)  # another process's library, writing without an index
        paper = other.get(pid)
        assert paper is not None
        with other.store.transaction():
            other.store.replace(paper, replace(paper, abstract=paper.abstract + " axolotls"))
        other.close()
        caught = library.catch_up()
        assert (caught.store, caught.user) == ([pid], [])
        assert [hit.id for hit in library.search("abstract:axolotls").results] == [pid]
        assert len(library.catch_up()) == 0
    finally:
        library.close()


# One of several processes tagging the same paper at once, each edit re-indexing it.
TAGGER = """
import sys
from reader.core.library.facade import Library
library = Library.open(sys.argv[1])
for i in range(12):
    library.user.add_tags(sys.argv[2], [f"{sys.argv[3]}-{i}"])
library.close()
"""


def test_tags_from_processes_tagging_at_once_are_all_searchable(paths: DataPaths) -> None:
    """Each process re-indexed the paper with the tags it had seen: the last to write the
    index could leave out a tag another process saved just before."""
    pid = some_ids(paths)[5]
    workers = [
        subprocess.Popen([sys.executable, "-c", TAGGER, str(paths.data_dir), pid, f"p{k}"])
        for k in range(4)
    ]
    assert [worker.wait(timeout=120) for worker in workers] == [0, 0, 0, 0]
    library = Library(paths)
    try:
        saved = UserData(paths).tags(pid)
        assert len(saved) == 48
        assert library.search(f"tag:{saved[-1]}").total == 1
        assert all(library.search(f"tag:{tag}").total == 1 for tag in saved)
        assert library.check_index().ok
    finally:
        library.close()
