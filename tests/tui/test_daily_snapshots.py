"""Pictures of the daily loop: followed papers marked ◆ in the theme's colour, the muted ones
counted in the status line, the Queue and Followed built-ins with their counts, and the Queue
open in its order with a kept summary (markup-looking text, shown as written).

Update with `pytest tests/tui/test_daily_snapshots.py --snapshot-update` and look at the SVGs.
"""

from __future__ import annotations

from typing import Any

import pytest
from daily_helpers import daily_paths, daily_template
from textual.pilot import Pilot
from textual.widgets import Input
from tui_helpers import make_app, quiet, settle, until

from reader.core.library.facade import Library
from reader.core.paths import DataPaths

__all__ = ["daily_paths", "daily_template"]  # fixtures


@pytest.fixture
def watched(daily_paths: DataPaths) -> DataPaths:
    """Albert Gu followed, surveys muted, two papers queued, one with a kept summary."""
    library = Library(daily_paths)
    library.watching.follow('author:"Albert Gu"')
    library.watching.mute("abstract:survey")
    library.reading.enqueue(["2401.00003", "2401.00006"])
    library.user.set_summary("2401.00003", "Selective scans, [bold]not bold[/bold] and [/.\n")
    library.close()
    return daily_paths


def steady(*keys: str) -> Any:
    async def run(pilot: Pilot[object]) -> None:
        screen = await settle(pilot)
        await until(pilot, lambda: screen.data.marks.watched.followed, "the followed papers")
        for key in keys:
            await pilot.press(key)
        await quiet(pilot, screen)
        await until(pilot, lambda: len(screen.saved.counts) == 7, "every count")
        screen.status.took_ms = 4.0
        for widget in screen.query(Input):
            widget.cursor_blink = False
        await pilot.pause()

    return run


def test_followed_marked_and_muted_counted(snap_compare: Any, watched: DataPaths) -> None:
    app = make_app(watched)
    assert snap_compare(app, terminal_size=(140, 32), run_before=steady("j", "j"))


def test_the_queue_in_its_order(snap_compare: Any, watched: DataPaths) -> None:
    app = make_app(watched)
    keys = ["escape", "G", "k", "enter", "g"]  # the Queue, from the searches pane; its first
    assert snap_compare(app, terminal_size=(140, 32), run_before=steady(*keys))
