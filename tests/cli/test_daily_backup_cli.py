"""The CLI's share of the daily backup: after the first changing command of the day, in the
background; `reader backup --daily` makes it on demand."""

from __future__ import annotations

import json
import time
import zipfile
from pathlib import Path

import pytest

from reader.cli import main
from reader.core.backup.archive import daily_path, list_daily
from reader.core.paths import DataPaths

WAIT_S = 60.0


def reader(capsys: pytest.CaptureFixture[str], data_dir: Path, *argv: str) -> tuple[int, str]:
    code = main(["--data-dir", str(data_dir), *argv])
    return code, capsys.readouterr().out


def wait_for(path: Path) -> None:
    deadline = time.monotonic() + WAIT_S
    while not path.exists():
        assert time.monotonic() < deadline, f"gave up waiting for {path}"
        time.sleep(0.05)


@pytest.fixture
def automatic(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("READER_DAILY_BACKUP", "1")


def test_a_changing_command_is_followed_by_todays_backup(
    automatic: None, capsys, data_dir: Path
) -> None:
    assert reader(capsys, data_dir, "sample")[0] == 0
    paths = DataPaths.resolve(data_dir)
    today = daily_path(paths)
    wait_for(today)
    with zipfile.ZipFile(today) as archive:
        assert "papers.sqlite3" in archive.namelist()
    first = today.stat().st_mtime_ns
    code, out = reader(capsys, data_dir, "search", "lottery", "--json")
    assert code == 0 and json.loads(out)["total"] > 0
    assert reader(capsys, data_dir, "bookmark", "t:a361ae2e6220")[0] == 0
    time.sleep(1.0)  # a second backup the same day would have replaced the file by now
    assert list_daily(paths) == [today] and today.stat().st_mtime_ns == first


def test_reading_commands_make_no_backup(automatic: None, capsys, data_dir: Path) -> None:
    main(["--data-dir", str(data_dir), "sample"])
    paths = DataPaths.resolve(data_dir)
    wait_for(daily_path(paths))
    daily_path(paths).unlink()
    for argv in (
        ["search", "lottery"],
        ["stats"],
        ["saved", "list"],
        ["note", "t:a361ae2e6220"],  # prints the note
        ["similar", "t:a361ae2e6220"],
        ["bookmark", "no-such-paper"],  # fails before it changes anything
    ):
        main(["--data-dir", str(data_dir), *argv])
    capsys.readouterr()
    time.sleep(1.5)
    assert list_daily(paths) == []


def test_backup_daily_on_demand(capsys, data_dir: Path) -> None:
    """Also with automatic backups switched off (as in every other test)."""
    assert reader(capsys, data_dir, "sample")[0] == 0
    paths = DataPaths.resolve(data_dir)
    assert list_daily(paths) == []
    code, out = reader(capsys, data_dir, "backup", "--daily", "--json")
    assert code == 0
    assert json.loads(out) == {"archive": str(daily_path(paths)), "made": True}
    code, out = reader(capsys, data_dir, "backup", "--daily")
    assert code == 0 and out == f"today's backup exists: {daily_path(paths)}\n"


def test_backup_daily_takes_no_file(capsys, data_dir: Path) -> None:
    code = main(["--data-dir", str(data_dir), "backup", "x.zip", "--daily"])
    err = capsys.readouterr().err
    assert code == 2
    assert err == "reader: --daily names its own file; give FILE or --daily, not both\n"
