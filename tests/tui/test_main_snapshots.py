"""Pictures of the main screen (two sizes, two themes), the help and the note editor over it.

Deterministic: a copy of the indexed sample library, nothing becomes read on a timer, the
cursor does not blink, and the search time in the status line is fixed before the picture.
Update with `pytest tests/tui/test_main_snapshots.py --snapshot-update` and look at the SVGs.
"""

from __future__ import annotations

from typing import Any

import pytest
from textual.pilot import Pilot
from textual.widgets import Input, TextArea
from tui_helpers import make_app, quiet, settle

from reader.core.paths import DataPaths
from reader.tui.screens.papers import PapersScreen


def steady(*keys: str) -> Any:
    """A run_before: wait for the library, press keys, then freeze what would vary."""

    async def run(pilot: Pilot[object]) -> None:
        screen = await settle(pilot)
        for key in keys:
            await pilot.press(key)
        await quiet(pilot, screen)
        shown = pilot.app.screen  # the list of similar papers, if a key opened one
        if isinstance(shown, PapersScreen) and shown is not screen:
            await quiet(pilot, shown)
            shown.status.took_ms = 4.0
        screen.status.took_ms = 4.0
        for widget in pilot.app.screen.query(Input):
            widget.cursor_blink = False
        for area in pilot.app.screen.query(TextArea):
            area.cursor_blink = False
        await pilot.pause()

    return run


@pytest.mark.parametrize("theme", ["reader-dark", "reader-light"])
@pytest.mark.parametrize("size", [(100, 30), (160, 48)])
def test_main_screen(
    snap_compare: Any, sample_paths: DataPaths, theme: str, size: tuple[int, int]
) -> None:
    app = make_app(sample_paths, theme=theme)
    assert snap_compare(app, terminal_size=size, run_before=steady(*"jj"))


def test_main_screen_searching(snap_compare: Any, sample_paths: DataPaths) -> None:
    # Only Enter searches: on a loaded machine the debounce could fire mid-word, and the cursor
    # would then stay on a paper the half-typed query found first.
    app = make_app(sample_paths, debounce_ms=2000)
    keys = ["slash", *"pruning lottery", "enter"]
    assert snap_compare(app, terminal_size=(160, 48), run_before=steady(*keys))


def test_help_over_the_main_screen(snap_compare: Any, sample_paths: DataPaths) -> None:
    app = make_app(sample_paths)
    assert snap_compare(app, terminal_size=(120, 40), run_before=steady("question_mark"))


def test_note_editor_over_the_main_screen(snap_compare: Any, sample_paths: DataPaths) -> None:
    app = make_app(sample_paths)
    keys = ["n", *"A *note* in Markdown"]
    assert snap_compare(app, terminal_size=(120, 40), run_before=steady(*keys))


def test_main_screen_similar_papers(snap_compare: Any, sample_paths: DataPaths) -> None:
    """S on the first paper: the papers like it, whose they are, and what they share."""
    app = make_app(sample_paths)
    assert snap_compare(app, terminal_size=(160, 48), run_before=steady("S", "j"))
