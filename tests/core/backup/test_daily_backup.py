"""The automatic daily backup: due once a day, made by a process of its own, never twice."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from datetime import date, timedelta
from pathlib import Path

from reader.core.backup.archive import daily_path, ensure_daily_backup, list_daily, verify_archive
from reader.core.backup.daily import AUTO_ENV, automatic, daily_backup_due, start_daily_backup
from reader.core.library.facade import Library
from reader.core.paths import DataPaths

ON = {AUTO_ENV: "1"}

HOLDER = textwrap.dedent(
    """
    import sys
    from pathlib import Path
    from reader.core.locking import locked
    with locked(Path(sys.argv[1]), "daily-backup"):
        print("held", flush=True)
        sys.stdin.readline()
    """
)


def test_switched_off_by_the_environment() -> None:
    assert automatic({}) and automatic(ON)
    for off in ("0", "off", "No", " false "):
        assert not automatic({AUTO_ENV: off})


def test_due_once_there_is_something_and_until_today_has_its_backup(
    sample_library: Library, paths: DataPaths
) -> None:
    today = date(2024, 5, 2)
    assert daily_backup_due(paths, today, ON)
    assert not daily_backup_due(paths, today, {AUTO_ENV: "0"})
    assert ensure_daily_backup(paths, today) == daily_path(paths, today)
    assert not daily_backup_due(paths, today, ON)  # one stat: made already
    assert daily_backup_due(paths, today + timedelta(days=1), ON)


def test_nothing_to_back_up_is_never_due(tmp_path: Path) -> None:
    assert not daily_backup_due(DataPaths.resolve(tmp_path / "none"), env=ON)


def test_a_backup_in_progress_elsewhere_is_not_made_twice(
    sample_library: Library, paths: DataPaths
) -> None:
    holder = subprocess.Popen(
        [sys.executable, "-c", HOLDER, str(paths.data_dir / ".locks")],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline() == "held\n"
        assert ensure_daily_backup(paths) is None
        assert list_daily(paths) == []
    finally:
        holder.communicate("\n", timeout=30)
    assert ensure_daily_backup(paths) == daily_path(paths)


def test_the_backup_process_makes_todays_backup(sample_library: Library, paths: DataPaths) -> None:
    process = start_daily_backup(paths, report=True)
    _, err = process.communicate(timeout=120)
    assert process.returncode == 0, err
    (made,) = list_daily(paths)
    assert made == daily_path(paths)
    assert verify_archive(made).papers == sample_library.count()


def test_the_backup_process_reports_a_failure_in_one_line(tmp_path: Path) -> None:
    paths = DataPaths.resolve(tmp_path / "data")
    paths.ensure()
    paths.store.write_bytes(b"not a database at all")
    paths.backups_dir.mkdir(parents=True, exist_ok=True)
    process = start_daily_backup(paths, report=True)
    _, err = process.communicate(timeout=120)
    assert process.returncode == 1
    assert err.startswith("reader: no daily backup written: could not write ")
    assert str(daily_path(paths)) in err and len(err.strip().splitlines()) == 1
    assert list_daily(paths) == []
