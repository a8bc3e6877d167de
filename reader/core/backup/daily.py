"""The automatic daily backup: when it is due, and a process of its own to make it.

A backup of a big library takes a while (about 7 s of CPU at 100k papers, most of it
compression), so neither the app nor a command waits for it: `reader backup --daily` runs in
a child process at low priority, and closing the app or ending the command does not stop it.
Asking whether one is due costs a stat, so every start and every changing command may ask.
"""

from __future__ import annotations

import contextlib
import os
import subprocess
import sys
from collections.abc import Mapping
from datetime import date
from pathlib import Path

from reader.core.paths import DataPaths

AUTO_ENV = "READER_DAILY_BACKUP"  # "0", "off", "no" or "false": no automatic daily backups
_OFF = {"0", "off", "no", "false"}
_NICE = 10


def daily_dir(paths: DataPaths) -> Path:
    return paths.backups_dir / "daily"


def daily_path(paths: DataPaths, today: date | None = None) -> Path:
    return daily_dir(paths) / f"reader-daily-{(today or date.today()).isoformat()}.zip"


def automatic(env: Mapping[str, str] | None = None) -> bool:
    return (os.environ if env is None else env).get(AUTO_ENV, "").strip().lower() not in _OFF


def daily_backup_due(
    paths: DataPaths, today: date | None = None, env: Mapping[str, str] | None = None
) -> bool:
    """Automatic backups are on, today's is not there yet, and there is something to keep."""
    if not automatic(env) or daily_path(paths, today).exists():
        return False
    return paths.store.exists() or paths.user_dir.is_dir()


def start_daily_backup(paths: DataPaths, *, report: bool = False) -> subprocess.Popen[str]:
    """`reader backup --daily` in a new session at low priority. With report=True its
    stderr (the one line that says why a backup failed) is a pipe for the caller to read;
    otherwise it is detached from this process's terminal altogether."""
    command = [sys.executable, "-m", "reader", "--data-dir", str(paths.data_dir)]
    process = subprocess.Popen(
        [*command, "backup", "--daily"],
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE if report else subprocess.DEVNULL,
        text=True,
        start_new_session=True,  # ctrl+c in the terminal, or the app's exit, leaves it be
    )
    if hasattr(os, "setpriority"):  # it may have finished, or the OS says no: no matter
        with contextlib.suppress(OSError):
            os.setpriority(os.PRIO_PROCESS, process.pid, _NICE)
    return process
