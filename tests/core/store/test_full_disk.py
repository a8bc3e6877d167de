"""A completely full disk: every command that only reads still works (before, each one failed
with 'disk I/O error': SQLite could not make the shared-memory file WAL readers need), and a
command that writes names the full disk. On a real tmpfs of fixed size, in real processes."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parents[2] / "fixtures" / "disk"))

from small_disk import fill, small_disk


def reader(data: Path, *argv: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "READER_DATA_DIR": str(data), "READER_DAILY_BACKUP": "0"}
    return subprocess.run(
        [sys.executable, "-m", "reader", *argv],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.fixture
def full_library(tmp_path: Path):
    """A library with an index, a tag and a note, on a disk with not one byte free."""
    with small_disk(tmp_path / "disk") as disk:
        data = disk / "data"
        assert reader(data, "sample").returncode == 0
        found = json.loads(reader(data, "search", "", "--json", "--limit", "1").stdout)
        pid = found["results"][0]["id"]
        assert reader(data, "tag", pid, "mine").returncode == 0
        assert reader(data, "note", pid, "--set", "my note").returncode == 0
        assert reader(data, "search", "hypernetworks").returncode == 0  # builds the index
        fill(disk)
        yield data, pid


def test_reading_commands_work_on_a_full_disk(full_library: tuple[Path, str]) -> None:
    data, pid = full_library

    searched = reader(data, "search", "tag:mine", "--json")
    listed = reader(data, "search", "", "--json", "--limit", "3")
    shown = reader(data, "show", pid)
    noted = reader(data, "note", pid)
    exported = reader(data, "export", "--format", "csv")
    stats = reader(data, "stats", "--json")

    for done in (searched, listed, shown, noted, exported, stats):
        assert done.returncode == 0, done.stderr
        assert done.stderr == ""
    assert [hit["id"] for hit in json.loads(searched.stdout)["results"]] == [pid]
    assert json.loads(listed.stdout)["total"] == 406
    assert noted.stdout == "my note\n"
    assert exported.stdout.count("\n") == 407
    assert json.loads(stats.stdout)["papers"] == 406


def test_writing_commands_name_the_full_disk(full_library: tuple[Path, str]) -> None:
    data, pid = full_library

    tagged = reader(data, "tag", pid, "more")
    imported = reader(data, "sample")
    rebuilt = reader(data, "index", "rebuild")

    assert tagged.returncode == 1
    assert tagged.stderr == (
        f"reader: tags not changed: could not save {data / 'user' / 'tags.yaml'}: "
        "No space left on device\n"
    )
    assert imported.returncode == 1
    assert f"the disk holding {data} is full" in imported.stderr
    assert rebuilt.returncode == 1
    assert rebuilt.stderr.startswith("reader: No space left on device")
    assert "disk I/O error" not in tagged.stderr + imported.stderr + rebuilt.stderr


def test_a_log_left_by_a_crash_is_read_too(tmp_path: Path) -> None:
    """A writer killed with its changes only in the write-ahead log, whose shared-memory file
    is gone too: on a full disk the log is folded into the store before reading."""
    with small_disk(tmp_path / "disk") as disk:
        data = disk / "data"
        assert reader(data, "sample").returncode == 0
        assert reader(data, "search", "hypernetworks").returncode == 0  # builds the index
        store = data / "papers.sqlite3"
        writer = subprocess.Popen(
            [sys.executable, "-c", _RENAME_AND_HANG, str(store)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )
        assert writer.stdout is not None and writer.stdout.readline() == "renamed\n"
        writer.send_signal(signal.SIGKILL)
        writer.wait(timeout=30)
        assert store.with_name("papers.sqlite3-wal").stat().st_size > 0
        store.with_name("papers.sqlite3-shm").unlink()
        fill(disk)

        found = reader(data, "search", "", "--json", "--limit", "500")  # newest first

        assert found.returncode == 0, found.stderr
        assert json.loads(found.stdout)["results"][-1]["title"].startswith("zzcrashed ")


_RENAME_AND_HANG = """
import sqlite3, sys
conn = sqlite3.connect(sys.argv[1])
with conn:
    conn.execute("UPDATE papers SET title = 'zzcrashed ' || title WHERE rowid = 1")
print("renamed", flush=True)
sys.stdin.read()
"""
