"""Backups: verified zips of the store and the user's files (archive.py; what they hold,
manifest.py; reading one back safely, verify.py), restoring one (restore.py), and the
automatic daily one made in a process of its own (daily.py).

Every changing command ends by asking whether today's backup is due: that question loads
daily.py alone, not the zip side (reader.core.lazy)."""

from reader.core.lazy import later

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

__getattr__ = later(
    __name__,
    {
        "BackupError": ("reader.core.backup.manifest", "BackupError"),
        "create_backup": ("reader.core.backup.archive", "create_backup"),
        "daily_backup_due": ("reader.core.backup.daily", "daily_backup_due"),
        "daily_path": ("reader.core.backup.daily", "daily_path"),
        "ensure_daily_backup": ("reader.core.backup.archive", "ensure_daily_backup"),
        "latest_backup": ("reader.core.backup.archive", "latest_backup"),
        "restore_backup": ("reader.core.backup.restore", "restore_backup"),
        "start_daily_backup": ("reader.core.backup.daily", "start_daily_backup"),
    },
)
