"""ctrl+q quits at once, whatever is open; a note's unsaved text becomes a draft (#21, point 6).

The next editor of that paper's note offers the draft: ctrl+r restores it, ctrl+d discards it.
"""

from __future__ import annotations

from tui_helpers import make_app, saved, settle, until

from reader.core.paths import DataPaths
from reader.core.userdata import UserData
from reader.tui.screens.confirm import ConfirmScreen
from reader.tui.screens.note_editor import NoteEditorScreen


def drafts(paths: DataPaths) -> list[str]:
    folder = paths.user_dir / "drafts"
    return sorted(p.read_text(encoding="utf-8") for p in folder.glob("*.md"))


async def write_and_quit(paths: DataPaths, text: str, *then: str) -> str:
    """Open the first paper's note, type, press `then`, then ctrl+q: the app must end."""
    app = make_app(paths)
    async with app.run_test(size=(140, 40)) as pilot:
        screen = await settle(pilot)
        paper = screen.paper_id
        assert paper is not None
        await pilot.press("n", *text, *then)
        if then:  # Esc over unsaved text: the one question the editor asks
            assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("ctrl+q")
        await until(pilot, lambda: not app.is_running, "the app to quit")
    assert app.kept_drafts and app.kept_drafts[0]
    return paper


async def test_ctrl_q_over_a_note_quits_at_once_and_keeps_the_text(
    sample_paths: DataPaths,
) -> None:
    paper = await write_and_quit(sample_paths, "half a thought")
    assert drafts(sample_paths) == ["half a thought"]
    assert UserData(sample_paths).note(paper) == ""  # a draft is not the note


async def test_ctrl_q_over_the_discard_question_quits_too(sample_paths: DataPaths) -> None:
    await write_and_quit(sample_paths, "kept anyway", "escape")  # "Discard the changes?" open
    assert drafts(sample_paths) == ["kept anyway"]


async def test_the_editor_offers_the_draft_and_ctrl_r_restores_it(
    sample_paths: DataPaths,
) -> None:
    paper = await write_and_quit(sample_paths, "back again")
    app = make_app(sample_paths)
    async with app.run_test(size=(140, 40)) as pilot:
        screen = await settle(pilot)
        assert screen.paper_id == paper
        await pilot.press("n")
        editor = app.screen
        assert isinstance(editor, NoteEditorScreen) and editor.offered is not None
        assert editor.text == ""  # nothing replaced until the user says so
        await pilot.press("ctrl+r")
        assert editor.text == "back again" and editor.offered is None
        await pilot.press(*" and more", "ctrl+s")
        await until(pilot, lambda: not isinstance(app.screen, NoteEditorScreen), "the editor")
        await saved(pilot)
    assert UserData(sample_paths).note(paper) == "back again and more"
    assert drafts(sample_paths) == []  # it is the note now


async def test_ctrl_d_discards_the_draft(sample_paths: DataPaths) -> None:
    await write_and_quit(sample_paths, "not wanted")
    app = make_app(sample_paths)
    async with app.run_test(size=(140, 40)) as pilot:
        await settle(pilot)
        await pilot.press("n")
        editor = app.screen
        assert isinstance(editor, NoteEditorScreen) and editor.offered is not None
        await pilot.press("ctrl+d")
        assert editor.offered is None and editor.text == ""
        assert drafts(sample_paths) == []
        await pilot.press("x", "ctrl+d")  # the offer is gone: ctrl+d is the editor's again
        assert editor.text == "x"


async def test_q_quits_at_once_with_nothing_open(sample_paths: DataPaths) -> None:
    app = make_app(sample_paths)
    async with app.run_test(size=(140, 40)) as pilot:
        await settle(pilot)
        await pilot.press("q")
        await until(pilot, lambda: not app.is_running, "the app to quit")
    assert app.kept_drafts == [] and drafts(sample_paths) == []
