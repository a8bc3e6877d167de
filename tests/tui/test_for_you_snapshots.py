"""A picture of For you: a user who bookmarked three diffusion papers, the ranking, its line
over the list, and the second paper's reason in the detail.

Deterministic: a copy of the indexed sample library, the ranking has no randomness, nothing
becomes read on a timer, the cursor does not blink, and the time in the status line is fixed.
Update with `pytest tests/tui/test_for_you_snapshots.py --snapshot-update` and look at the SVG.
"""

from __future__ import annotations

from typing import Any

from textual.pilot import Pilot
from textual.widgets import Input
from tui_helpers import make_app, quiet, settle, until

from reader.core.library.facade import Library
from reader.core.paths import DataPaths


async def for_you(pilot: Pilot[object]) -> None:
    screen = await settle(pilot)
    await pilot.press("escape", "g", "enter")
    await until(pilot, lambda: screen.active_search == "For you", "For you")
    await quiet(pilot, screen)
    await pilot.press("j")
    await quiet(pilot, screen)
    screen.status.took_ms = 4.0
    for widget in screen.query(Input):
        widget.cursor_blink = False
    await pilot.pause()


def test_for_you(snap_compare: Any, sample_paths: DataPaths) -> None:
    library = Library(sample_paths)
    for paper_id in library.search_ids("diffusion")[0][:3]:
        library.user.set_bookmark(paper_id, True)
    library.close()
    app = make_app(sample_paths)
    assert snap_compare(app, terminal_size=(160, 48), run_before=for_you)
