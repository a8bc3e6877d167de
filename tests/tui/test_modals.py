"""The modal screens, each driven with keys in a small host app (Textual's pilot)."""

from __future__ import annotations

import asyncio
import functools
from collections.abc import Callable, Coroutine
from pathlib import Path
from typing import Any, ClassVar

from textual.app import App, ComposeResult
from textual.binding import Binding, BindingType
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Input, Label, TextArea

from reader.core.paths import DataPaths
from reader.core.userdata import UserData
from reader.tui.keymap import apply_keymap
from reader.tui.screens.confirm import ConfirmScreen
from reader.tui.screens.help import HelpScreen
from reader.tui.screens.note_editor import UNSAVED, NoteEditorScreen
from reader.tui.screens.prompt import PromptScreen
from reader.tui.tag_suggester import TagSuggester

MARKUP = "[bold red]not markup[/] [link=x]"


def run(test: Callable[..., Coroutine[Any, Any, None]]) -> Callable[..., None]:
    """Run an async test body in a fresh event loop (no asyncio plugin needed)."""

    @functools.wraps(test)
    def wrapper(*args: Any, **kwargs: Any) -> None:
        asyncio.run(test(*args, **kwargs))

    return wrapper


class Host(App[None]):
    """Pushes one modal on start and keeps what it dismissed with."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("question_mark", "help", "Help", id="host.help"),
        Binding("ctrl+n", "nothing", "Do nothing", id="host.nothing"),
        Binding("j,down", "nothing", "Next paper", id="host.next"),
    ]

    def __init__(self, modal: Screen[Any] | None = None) -> None:
        super().__init__()
        self.modal = modal
        self.results: list[object] = []
        self.keymap: dict[str, str] = {}  # as ReaderApp keeps it: what apply_keymap applied

    def compose(self) -> ComposeResult:
        yield Label("host")
        yield Footer()

    def on_mount(self) -> None:
        if self.modal is not None:
            self.push_screen(self.modal, self.results.append)

    def action_help(self) -> None:
        self.push_screen(HelpScreen(keymap=self.keymap))

    def action_nothing(self) -> None:
        """Only here so the host has bindings for the help screen to list."""


def label_text(screen: Screen[Any], selector: str) -> str:
    return str(screen.query_one(selector, Label).render())


# -- confirm --------------------------------------------------------------------------------


@run
async def test_confirm_answers() -> None:
    for keys, expected in (["y"], True), (["n"], False), (["escape"], False), (["enter"], False):
        app = Host(ConfirmScreen("Delete?"))
        async with app.run_test() as pilot:
            await pilot.pause()
            await pilot.press(*keys)
            await pilot.pause()
            assert app.results == [expected], keys
            assert not isinstance(app.screen, ConfirmScreen)


@run
async def test_confirm_tab_to_yes_then_enter() -> None:
    app = Host(ConfirmScreen("Delete?", yes="Delete", no="Keep"))
    async with app.run_test() as pilot:
        await pilot.pause()
        await pilot.press("tab", "enter")
        await pilot.pause()
        assert app.results == [True]


@run
async def test_confirm_shows_the_question_as_text() -> None:
    app = Host(ConfirmScreen(MARKUP))
    async with app.run_test() as pilot:
        await pilot.pause()
        assert label_text(app.screen, "#question") == MARKUP


# -- prompt ---------------------------------------------------------------------------------


@run
async def test_prompt_returns_the_text_or_none() -> None:
    app = Host(PromptScreen("Name this search"))
    async with app.run_test() as pilot:
        await pilot.pause()
        await pilot.press(*"  diffusion  ", "enter")
        await pilot.pause()
    assert app.results == ["diffusion"]

    app = Host(PromptScreen("Name this search", "draft"))
    async with app.run_test() as pilot:
        await pilot.pause()
        await pilot.press("x", "escape")
        await pilot.pause()
    assert app.results == [None]


@run
async def test_prompt_refuses_empty_and_checked_text_and_stays_open() -> None:
    taken = {"weekly"}

    def check(name: str) -> str | None:
        return f"a saved search named {name!r} exists" if name in taken else None

    app = Host(PromptScreen("Name", check=check))
    async with app.run_test() as pilot:
        await pilot.pause()
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, PromptScreen)
        assert app.screen.query_one("#error", Label).display
        await pilot.press(*"weekly", "enter")
        await pilot.pause()
        assert label_text(app.screen, "#error") == "a saved search named 'weekly' exists"
        await pilot.press("backspace")  # typing hides the error
        await pilot.pause()
        assert not app.screen.query_one("#error", Label).display
        await pilot.press("2", "enter")
        await pilot.pause()
    assert app.results == ["weekl2"]


@run
async def test_prompt_shows_untrusted_text_literally() -> None:
    app = Host(PromptScreen(MARKUP, hint=MARKUP, check=lambda _text: MARKUP))
    async with app.run_test() as pilot:
        await pilot.pause()
        await pilot.press("a", "enter")
        await pilot.pause()
        for selector in ("#title", "#hint", "#error"):
            assert label_text(app.screen, selector) == MARKUP


@run
async def test_tags_prompt_completes_the_word_being_typed() -> None:
    suggester = TagSuggester(["reading-list", "retrieval", "rl", "ml"])
    app = Host(PromptScreen("Tags", "ml ", suggester=suggester))
    async with app.run_test() as pilot:
        await pilot.pause()
        field = app.screen.query_one(Input)
        await pilot.press("end", "r", "e")
        await pilot.pause()
        assert field._suggestion == "ml reading-list"
        await pilot.press("t")  # "ret" -> retrieval
        await pilot.pause()
        assert field._suggestion == "ml retrieval"
        await pilot.press("right")  # accept the suggestion
        await pilot.press(*", ", "enter")
        await pilot.pause()
    assert app.results == ["ml retrieval,"]


# -- note editor ----------------------------------------------------------------------------


def user_data(tmp_path: Path) -> UserData:
    return UserData(DataPaths(tmp_path / "data", tmp_path / "config"))


@run
async def test_note_editor_saves_with_ctrl_s(tmp_path: Path) -> None:
    user = user_data(tmp_path)
    user.set_note("2401.00001", "# Old\n")
    editor = NoteEditorScreen(
        "A paper", user.note("2401.00001"), lambda text: user.set_note("2401.00001", text)
    )
    app = Host(editor)
    async with app.run_test() as pilot:
        await pilot.pause()
        assert label_text(editor, "#title") == "Note: A paper"
        await pilot.press(*"more", "ctrl+s")
        await pilot.pause()
    assert app.results == ["# Old\nmore"]
    assert user_data(tmp_path).note("2401.00001") == "# Old\nmore"


@run
async def test_note_editor_marks_unsaved_changes(tmp_path: Path) -> None:
    editor = NoteEditorScreen("A paper", "abc", lambda _text: None)
    app = Host(editor)
    async with app.run_test() as pilot:
        await pilot.pause()
        await pilot.press("d")
        await pilot.pause()
        assert editor.dirty
        assert label_text(editor, "#title") == f"Note: A paper{UNSAVED}"
        await pilot.press("backspace")  # back to the saved text: not dirty
        await pilot.pause()
        assert not editor.dirty
        assert label_text(editor, "#title") == "Note: A paper"


@run
async def test_failed_save_keeps_the_editor_and_the_text(tmp_path: Path) -> None:
    paths = DataPaths(tmp_path / "data", tmp_path / "config")
    paths.user_dir.mkdir(parents=True)
    paths.notes_dir.write_text("a file where the notes folder should be", encoding="utf-8")
    user = UserData(paths)
    editor = NoteEditorScreen("A paper", "", lambda text: user.set_note("2401.00001", text))
    app = Host(editor)
    async with app.run_test() as pilot:
        await pilot.pause()
        await pilot.press(*"precious", "ctrl+s")
        await pilot.pause()
        assert app.screen is editor and app.results == []
        error = label_text(editor, "#error")
        assert error.startswith(f"could not save {paths.notes_dir}")
        assert "your text is kept here" in error
        assert editor.query_one(TextArea).text == "precious"
        assert editor.dirty
        paths.notes_dir.unlink()  # the user fixes the problem, then saves again
        await pilot.press("ctrl+s")
        await pilot.pause()
    assert app.results == ["precious"]
    assert user_data(tmp_path).note("2401.00001") == "precious"


@run
async def test_esc_asks_before_dropping_changes() -> None:
    editor = NoteEditorScreen("A paper", "", lambda _text: None)
    app = Host(editor)
    async with app.run_test() as pilot:
        await pilot.pause()
        await pilot.press("x", "escape")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("n")  # keep editing
        await pilot.pause()
        assert app.screen is editor and editor.query_one(TextArea).text == "x"
        await pilot.press("escape")
        await pilot.pause()
        await pilot.press("y")  # discard
        await pilot.pause()
    assert app.results == [None]


@run
async def test_esc_without_changes_closes_at_once() -> None:
    app = Host(NoteEditorScreen("A paper", "kept", lambda _text: None))
    async with app.run_test() as pilot:
        await pilot.pause()
        await pilot.press("escape")
        await pilot.pause()
        assert not isinstance(app.screen, NoteEditorScreen | ConfirmScreen)
    assert app.results == [None]


@run
async def test_note_editor_highlights_markdown_and_shows_the_title_as_text() -> None:
    editor = NoteEditorScreen(MARKUP, "# Heading\n\n*text*", lambda _text: None)
    app = Host(editor)
    async with app.run_test() as pilot:
        await pilot.pause()
        area = editor.query_one(TextArea)
        assert area.language == "markdown"
        assert area.is_syntax_aware  # tree-sitter-markdown is installed: real highlighting
        assert label_text(editor, "#title") == f"Note: {MARKUP}"


# -- help -----------------------------------------------------------------------------------


def help_table(app: App[Any]) -> list[list[str]]:
    table = app.screen.query_one(DataTable)
    return [[str(cell) for cell in table.get_row_at(index)] for index in range(table.row_count)]


@run
async def test_help_lists_the_bindings_of_the_screen_below() -> None:
    app = Host()
    async with app.run_test() as pilot:
        await pilot.press("question_mark")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        rows = help_table(app)
        assert ["?", "Help", "host.help"] in rows
        assert ["^n", "Do nothing", "host.nothing"] in rows
        assert ["j / ↓", "Next paper", "host.next"] in rows
        assert ["Host", "", ""] in rows  # the group heading
        await pilot.press("escape")
        await pilot.pause()
        assert not isinstance(app.screen, HelpScreen)


@run
async def test_help_follows_the_keymap() -> None:
    app = Host()
    async with app.run_test() as pilot:
        app.keymap, _notices = apply_keymap(app, {"host.nothing": "ctrl+b", "host.help": "f2"})
        await pilot.press("f2")
        await pilot.pause()
        rows = help_table(app)
        assert ["^b", "Do nothing", "host.nothing"] in rows
        assert ["f2", "Help", "host.help"] in rows
        assert not any(row[0] == "^n" for row in rows)
