"""Pictures of the main screen (80x24, the usual sizes, two themes), the help, the prompts
and the import and export dialogs over it.

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


def steady(*keys: str, path: str | None = None) -> Any:
    """A run_before: wait for the library, press keys, then freeze what would vary (and put
    `path` in a dialog's path field: the default one names the folder the tests run in)."""

    async def run(pilot: Pilot[object]) -> None:
        screen = await settle(pilot)
        for key in keys:
            await pilot.press(key)
        await quiet(pilot, screen)
        if path is not None:
            field = pilot.app.screen.query_one("#path", Input)
            field.value = path
            field.cursor_position = len(path)
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
@pytest.mark.parametrize("size", [(80, 24), (100, 30), (160, 48)])
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


# -- 80x24 (#21): the list takes the height, the detail is a toggle ---------------------------


def test_small_terminal_reading_a_paper(snap_compare: Any, sample_paths: DataPaths) -> None:
    """Enter: the paper in the list's place (Esc goes back)."""
    app = make_app(sample_paths)
    assert snap_compare(app, terminal_size=(80, 24), run_before=steady("j", "enter"))


def test_small_terminal_did_you_mean(snap_compare: Any, sample_paths: DataPaths) -> None:
    """The suggestion inside the search bar's border."""
    app = make_app(sample_paths, debounce_ms=2000)
    keys = ["slash", *"prunigx", "enter"]
    assert snap_compare(app, terminal_size=(80, 24), run_before=steady(*keys))


def test_small_terminal_help(snap_compare: Any, sample_paths: DataPaths) -> None:
    app = make_app(sample_paths)
    assert snap_compare(app, terminal_size=(80, 24), run_before=steady("question_mark"))


def test_small_terminal_tags_prompt(snap_compare: Any, sample_paths: DataPaths) -> None:
    """The title and the hint wrap, never cut ("Esc ca")."""
    app = make_app(sample_paths)
    assert snap_compare(app, terminal_size=(80, 24), run_before=steady("t"))


def test_import_dialog(snap_compare: Any, sample_paths: DataPaths) -> None:
    app = make_app(sample_paths)
    keys = ["ctrl+p", *"Import a file", "enter"]
    assert snap_compare(app, terminal_size=(80, 24), run_before=steady(*keys, path="~/lib"))


def test_export_dialog(snap_compare: Any, sample_paths: DataPaths) -> None:
    app = make_app(sample_paths)
    keys = ["ctrl+p", *"Export this search", "enter", "j"]
    path = "/home/me/papers/all-papers.json"
    assert snap_compare(app, terminal_size=(100, 30), run_before=steady(*keys, path=path))
