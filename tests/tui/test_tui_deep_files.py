"""The app beside a user file or config nested absurdly deep: it starts, says which file and
where, and works on its defaults (it showed a traceback and exited 0 at 1,000 levels, and
crashed at 50,000)."""

from __future__ import annotations

import pytest
from tui_helpers import make_app, settle, until

from reader.core.paths import DataPaths
from reader.core.yaml_limits import MAX_DEPTH
from reader.tui.app import ReaderApp


def told(app: ReaderApp, text: str) -> bool:
    return any(text in notification.message for notification in app._notifications)


@pytest.mark.parametrize("depth", [1_000, 50_000])
async def test_the_app_runs_beside_a_deeply_nested_user_file(
    sample_paths: DataPaths, depth: int
) -> None:
    path = sample_paths.user_dir / "bookmarks.yaml"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(f"version: 1\nbookmarks: {'[' * depth}{']' * depth}\n", encoding="utf-8")
    where = f"{path}:2:{len('bookmarks: ') + MAX_DEPTH}"

    app = make_app(sample_paths)
    async with app.run_test(size=(140, 40)) as pilot:
        await until(pilot, lambda: told(app, f"could not read {where}: nested more"), "notice")
        screen = await settle(pilot)
        assert screen.status.total == 406


async def test_the_app_runs_beside_a_deeply_nested_config(sample_paths: DataPaths) -> None:
    path = sample_paths.config_file
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(f"keymap: {'{a: ' * 50_000}b{'}' * 50_000}\n", encoding="utf-8")

    app = ReaderApp(sample_paths)
    async with app.run_test(size=(140, 40)) as pilot:
        await until(pilot, lambda: told(app, f"{path}:1:"), "the notice naming the config")
        screen = await settle(pilot)
        assert screen.status.total == 406
        assert told(app, "using the default settings")
