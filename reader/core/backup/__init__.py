"""Backups: verified zips of the store and the user's files (archive.py; what they hold,
manifest.py; reading one back safely, verify.py), restoring one (restore.py), and the
automatic daily one made in a process of its own (daily.py)."""

from reader.core.backup.archive import (
    create_backup,
    daily_path,
    ensure_daily_backup,
    latest_backup,
)
from reader.core.backup.daily import daily_backup_due, start_daily_backup
from reader.core.backup.manifest import BackupError
from reader.core.backup.restore import restore_backup

__all__ = [
    "BackupError",
    "create_backup",
    "daily_backup_due",
    "daily_path",
    "ensure_daily_backup",
    "latest_backup",
    "restore_backup",
    "start_daily_backup",
]
