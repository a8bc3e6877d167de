"""Edits from the keyboard reach the user's files: bookmark, read, note, $EDITOR, tags, searches."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from textual.pilot import Pilot
from tui_helpers import make_app, saved, screen_text, settle, until

from reader.core.paths import DataPaths
from reader.core.userdata import UserData
from reader.tui.screens.confirm import ConfirmScreen
from reader.tui.screens.main import MainScreen
from reader.tui.screens.note_editor import NoteEditorScreen
from reader.tui.screens.prompt import PromptScreen
from reader.tui.widgets.paper_list import MARK_BOOKMARK, MARK_NOTE
from reader.tui.widgets.saved_searches import BUILTINS, Counts


def on_disk(paths: DataPaths) -> UserData:
    """A fresh reader of the user's files: what a restart would see."""
    return UserData(paths)


async def first_bookmarked(pilot: Pilot[object]) -> tuple[MainScreen, str]:
    """The main screen once settled, and its first paper, bookmarked with b and saved."""
    screen = await settle(pilot)
    paper = screen.paper_id
    assert paper is not None
    await pilot.press("b")
    await saved(pilot)
    return screen, paper


async def test_b_bookmarks_and_unbookmarks_in_order(sample_paths: DataPaths) -> None:
    app = make_app(sample_paths)
    async with app.run_test(size=(140, 40)) as pilot:
        screen, paper = await first_bookmarked(pilot)
        assert on_disk(sample_paths).is_bookmarked(paper)
        assert MARK_BOOKMARK in screen.paper_list.render_line(0).text
        assert "★ bookmarked" in str(screen.detail.query_one("#detail-state").render())
        await until(pilot, lambda: screen.saved.counts["Bookmarked"].total == 1, "its count")
        await pilot.press("b", "b", "b")  # three toggles land in order: bookmarked off
        await saved(pilot)
        assert not on_disk(sample_paths).is_bookmarked(paper)
        assert MARK_BOOKMARK not in screen.paper_list.render_line(0).text


async def test_keys_faster_than_the_saves_still_toggle_in_order(sample_paths: DataPaths) -> None:
    """Each b or m toggles the state the edit before it left, however far behind the writer
    is: b b after a saved bookmark leaves it bookmarked, and m marks the paper read."""
    app = make_app(sample_paths)
    async with app.run_test(size=(140, 40)) as pilot:
        screen, paper = await first_bookmarked(pilot)
        with screen.data.user_lock:  # the writer waits: every key lands before its edit
            await pilot.press("b", "b", "m")
        await saved(pilot)
        user = on_disk(sample_paths)
        assert user.is_bookmarked(paper) and user.is_read(paper)
        assert MARK_BOOKMARK in screen.paper_list.render_line(0).text


async def test_a_paper_left_before_the_delay_stays_unread(sample_paths: DataPaths) -> None:
    app = make_app(sample_paths)  # the first paper's timer: an hour
    async with app.run_test(size=(140, 40)) as pilot:
        screen = await settle(pilot)
        first = screen.paper_id
        screen.config.mark_read_delay_s = 0.3
        await pilot.press("j")
        second = screen.paper_id
        await until(pilot, lambda: on_disk(sample_paths).is_read(second), "the second read")
        assert not on_disk(sample_paths).is_read(first)  # type: ignore[arg-type]


async def test_n_writes_a_note_in_the_editor(sample_paths: DataPaths) -> None:
    app = make_app(sample_paths)
    async with app.run_test(size=(140, 40)) as pilot:
        screen = await settle(pilot)
        paper = screen.paper_id
        assert paper is not None
        await pilot.press("n")
        assert isinstance(app.screen, NoteEditorScreen)
        await pilot.press(*"Read *this* again", "ctrl+s")
        await until(pilot, lambda: not isinstance(app.screen, NoteEditorScreen), "the editor")
        await saved(pilot)
        assert on_disk(sample_paths).note(paper) == "Read *this* again"
        assert MARK_NOTE in screen.paper_list.render_line(0).text
        screen.detail.scroll_end(animate=False, immediate=True)
        await pilot.pause()
        assert "Read this again" in screen_text(app)  # rendered as Markdown, not as source


async def test_a_note_that_cannot_be_saved_stays_in_the_editor(sample_paths: DataPaths) -> None:
    app = make_app(sample_paths)
    async with app.run_test(size=(140, 40)) as pilot:
        screen = await settle(pilot)
        paper = screen.paper_id
        assert paper is not None
        sample_paths.notes_dir.parent.mkdir(parents=True, exist_ok=True)
        sample_paths.notes_dir.write_text("a file where the notes folder should be")
        await pilot.press("n", *"precious words", "ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, NoteEditorScreen)
        assert app.screen.text == "precious words"
        assert any("could not save" in n.message for n in app._notifications)


async def test_e_edits_the_note_in_the_users_editor(
    sample_paths: DataPaths, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    editor = tmp_path / "editor.py"
    editor.write_text(
        "import sys\nopen(sys.argv[1], 'a', encoding='utf-8').write('from the editor\\n')\n"
    )
    monkeypatch.setenv("VISUAL", f"{sys.executable} {editor}")
    app = make_app(sample_paths)
    async with app.run_test(size=(140, 40)) as pilot:
        screen = await settle(pilot)
        paper = screen.paper_id
        assert paper is not None
        await pilot.press("e")
        await saved(pilot)
        assert on_disk(sample_paths).note(paper) == "from the editor\n"
        assert not list((sample_paths.data_dir / "editing").glob("*.md"))  # draft cleaned up


async def test_t_edits_tags_with_completion(sample_paths: DataPaths) -> None:
    app = make_app(sample_paths)
    async with app.run_test(size=(140, 40)) as pilot:
        screen = await settle(pilot)
        first = screen.paper_id
        assert first is not None
        await pilot.press("t")
        assert isinstance(app.screen, PromptScreen)
        await pilot.press(*"survey diffusion", "enter")
        await saved(pilot)
        assert on_disk(sample_paths).tags(first) == ["diffusion", "survey"]
        await pilot.press("j", "t", *"sur", "right", "enter")  # → takes the completion
        await saved(pilot)
        assert on_disk(sample_paths).tags(screen.paper_id) == ["survey"]  # type: ignore[arg-type]
        await pilot.press("k", "t")
        prompt = app.screen
        assert isinstance(prompt, PromptScreen)
        await pilot.press(*["backspace"] * len("survey "), "enter")  # drop the last tag
        await saved(pilot)
        assert on_disk(sample_paths).tags(first) == ["diffusion"]
        assert "diffusion" in str(screen.detail.query_one("#detail-tags").render())


async def test_s_saves_the_search_and_d_deletes_it(sample_paths: DataPaths) -> None:
    app = make_app(sample_paths)
    async with app.run_test(size=(140, 40)) as pilot:
        screen = await settle(pilot)
        await pilot.press("slash", *"learning", "enter")
        await settle(pilot)
        total = screen.status.total
        await pilot.press("ctrl+o", "s")
        assert isinstance(app.screen, PromptScreen)
        await pilot.press(*"My [b]learning[/b]", "enter")
        await saved(pilot)
        (search,) = on_disk(sample_paths).saved_searches()
        assert (search.name, search.query, search.sort) == (
            "My [b]learning[/b]",
            "learning",
            "date",
        )
        saved_pane = screen.saved
        assert saved_pane.entries[-1].name == "My [b]learning[/b]"
        await until(pilot, lambda: "My [b]learning[/b]" in saved_pane.counts, "its count")
        assert saved_pane.counts["My [b]learning[/b]"] == Counts(total, 0)  # seen when saved
        assert "My [b]learning[/b]" in screen_text(app)  # shown literally
        saved_pane.focus()
        await pilot.press("home", "end", "enter")  # open it: query in the bar, its sort applied
        await settle(pilot)
        assert screen.search_bar.value == "learning" and screen.sort == "date"
        assert saved_pane.active == "My [b]learning[/b]"
        await saved(pilot)
        assert on_disk(sample_paths).saved_searches()[0].last_opened is not None
        saved_pane.focus()
        await pilot.press("d")
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("y")
        await saved(pilot)
        assert on_disk(sample_paths).saved_searches() == []
        assert [e.name for e in saved_pane.entries if not e.builtin] == []


async def test_built_in_searches_cannot_be_deleted(sample_paths: DataPaths) -> None:
    app = make_app(sample_paths)
    async with app.run_test(size=(140, 40)) as pilot:
        screen = await settle(pilot)
        screen.saved.focus()
        await pilot.press("d")
        assert not isinstance(app.screen, ConfirmScreen)
        assert len(screen.saved.entries) == len(BUILTINS)
