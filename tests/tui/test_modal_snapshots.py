"""Pictures of the modal screens in the reader-dark theme (update: --snapshot-update)."""

from __future__ import annotations

import os
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, ClassVar

import pytest
from textual.app import App, ComposeResult
from textual.binding import Binding, BindingType
from textual.screen import Screen
from textual.widgets import Footer, Label, TextArea

from reader.core.paths import DataPaths
from reader.tui.drafts import DraftSlot
from reader.tui.screens.help import HelpScreen
from reader.tui.screens.note_editor import NoteEditorScreen
from reader.tui.screens.prompt import PromptScreen
from reader.tui.tag_suggester import TagSuggester
from reader.tui.theming import apply_theme, register_themes

NOTE = """\
# Notes on *Scaling Laws*

- Loss falls as a **power law** in compute.
- Compare with [Chinchilla](https://arxiv.org/abs/2203.15556).

```python
loss = a * compute ** -0.05
```
"""


class Host(App[None]):
    """A stand-in for the main screen, with bindings like reader's, in the reader-dark theme."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("slash", "nothing", "Search", id="search"),
        Binding("j,down", "nothing", "Next paper", id="next"),
        Binding("k,up", "nothing", "Previous paper", id="previous"),
        Binding("b", "nothing", "Bookmark", id="bookmark"),
        Binding("t", "nothing", "Tags", id="tags"),
        Binding("question_mark", "help", "Help", id="help"),
        Binding("q", "quit", "Quit", id="quit"),
    ]

    def __init__(self, modal: Callable[[], Screen[Any]] | None = None) -> None:
        super().__init__()
        self.modal = modal

    def compose(self) -> ComposeResult:
        yield Label("[main screen]", markup=False)
        yield Footer()

    def on_mount(self) -> None:
        register_themes(self, None)
        apply_theme(self, "reader-dark")
        if self.modal is not None:
            self.push_screen(self.modal())

    def action_nothing(self) -> None:
        """Bindings only for the help screen to list."""

    def action_help(self) -> None:
        self.push_screen(HelpScreen())


def still_cursor(pilot: Any) -> None:
    for area in pilot.app.screen.query(TextArea):
        area.cursor_blink = False


def test_note_editor_snapshot(snap_compare: Any) -> None:
    app = Host(lambda: NoteEditorScreen("Scaling Laws for Neural Language Models", NOTE, print))
    assert snap_compare(app, press=["x"], terminal_size=(100, 30), run_before=still_cursor)


def test_help_snapshot(snap_compare: Any) -> None:
    assert snap_compare(Host(), press=["question_mark"], terminal_size=(100, 30))


def test_discard_question_snapshot(snap_compare: Any) -> None:
    app = Host(lambda: NoteEditorScreen("A paper", "draft", print))
    assert snap_compare(
        app, press=["x", "escape"], terminal_size=(100, 30), run_before=still_cursor
    )


def test_note_editor_offering_a_draft_snapshot(
    snap_compare: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The text kept when reader quit over this note, offered: ctrl+r restores, ctrl+d drops."""
    monkeypatch.setenv("TZ", "UTC")
    time.tzset()
    slot = DraftSlot(DataPaths.resolve(tmp_path / "data"), "2203.15556")
    slot.keep("Chinchilla: tokens and parameters\nscale together.\n")
    kept = datetime(2025, 3, 14, 18, 2, tzinfo=UTC).timestamp()
    os.utime(slot.path, (kept, kept))
    app = Host(lambda: NoteEditorScreen("Training Compute-Optimal LLMs", NOTE, print, slot))
    try:
        assert snap_compare(app, terminal_size=(100, 30), run_before=still_cursor)
    finally:
        monkeypatch.delenv("TZ")
        time.tzset()


def test_tags_prompt_snapshot(snap_compare: Any) -> None:
    def tags_prompt() -> Screen[Any]:
        return PromptScreen(
            "Tags for: Scaling Laws for Neural Language Models",
            "scaling ",
            hint="Separate tags with spaces or commas; → accepts a suggestion.",
            suggester=TagSuggester(["reading-list", "retrieval", "scaling"]),
        )

    assert snap_compare(Host(tags_prompt), press=["end", "r", "e"], terminal_size=(100, 24))
