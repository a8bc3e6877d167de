"""The daily backup at the app's start: made once a day in the background, a warning if not."""

from __future__ import annotations

import pytest
from textual.app import App
from tui_helpers import make_app, settle, until

from reader.core.backup.archive import daily_path, list_daily, verify_archive
from reader.core.paths import DataPaths


@pytest.fixture(autouse=True)
def automatic(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("READER_DAILY_BACKUP", "1")


def backup_done(app: App[object]) -> bool:
    """The app starts its backup worker as it mounts, and a finished worker leaves the list."""
    return not any(worker.group == "backup" for worker in app.workers)


async def test_a_backup_is_made_at_start_and_not_again_the_same_day(
    sample_paths: DataPaths,
) -> None:
    today = daily_path(sample_paths)
    app = make_app(sample_paths)
    async with app.run_test(size=(140, 40)) as pilot:
        screen = await settle(pilot)
        await until(pilot, lambda: backup_done(app), "the backup")
        assert today.exists() and screen.status.total == 406
        assert not [n for n in app._notifications if "backup" in n.message]
    assert list_daily(sample_paths) == [today]
    assert verify_archive(today).papers == 406
    made = today.stat().st_mtime_ns

    app = make_app(sample_paths)
    async with app.run_test(size=(140, 40)) as pilot:
        await settle(pilot)
        await until(pilot, lambda: backup_done(app), "the second start's check")
    assert list_daily(sample_paths) == [today] and today.stat().st_mtime_ns == made


async def test_a_failed_backup_is_a_warning_naming_the_file(sample_paths: DataPaths) -> None:
    folder = sample_paths.backups_dir / "daily"
    folder.parent.mkdir(parents=True, exist_ok=True)
    folder.write_text("a file where the backups' folder should be", encoding="utf-8")
    app = make_app(sample_paths)
    async with app.run_test(size=(140, 40)) as pilot:
        screen = await settle(pilot)
        await until(pilot, lambda: backup_done(app), "the backup attempt")
        (warning,) = [n for n in app._notifications if "backup" in n.message]
        assert warning.severity == "warning"
        assert warning.message.startswith(
            f"Today's backup failed: could not write {daily_path(sample_paths)}: "
        )
        await pilot.press("j")
        assert screen.paper_list.cursor == 1  # the app goes on
