"""80x24 (#21, point 3): the list gets the height, the footer keeps help and quit first, the
detail is a toggle (Enter opens it in the list's place, Esc goes back), and the cursor stays
in view when the terminal shrinks."""

from __future__ import annotations

from textual.widgets import Header
from tui_helpers import make_app, screen_text, settle, until

from reader.core.paths import DataPaths
from reader.tui.screens.prompt import PromptScreen
from reader.tui.widgets.key_footer import KeyFooter


async def test_the_list_gets_the_height_of_a_small_terminal(sample_paths: DataPaths) -> None:
    app = make_app(sample_paths)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await settle(pilot)
        assert screen.paper_list.scrollable_content_region.height >= 16
        assert not screen.detail.display or not screen.query_one("#reading").display
        assert not screen.query_one(Header).display  # a title bar is a row of papers


async def test_help_and_quit_come_first_in_the_footer(sample_paths: DataPaths) -> None:
    app = make_app(sample_paths)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await settle(pilot)
        footer = screen.query_one(KeyFooter)
        await until(pilot, lambda: len(footer.children) > 2, "the footer's keys")
        first = [getattr(key, "action", None) for key in footer.children[:2]]
        assert first == ["help", "quit"]
        for key in footer.children[:2]:  # and both fit on the screen
            assert key.region.right <= 80 and key.region.width > 0


async def test_enter_shows_the_detail_in_the_lists_place_and_esc_goes_back(
    sample_paths: DataPaths,
) -> None:
    app = make_app(sample_paths)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await settle(pilot)
        reading, results = screen.query_one("#reading"), screen.query_one("#results")
        assert results.region.height > 0 and reading.region.height == 0
        await pilot.press("j", "enter")
        await pilot.pause()
        assert screen.focused is screen.detail
        assert reading.region.height >= 18 and results.region.height == 0
        assert screen.detail.view is not None
        assert screen.detail.view.paper.id == screen.paper_list.current_id
        await pilot.press("escape")
        await pilot.pause()
        assert screen.focused is screen.paper_list
        assert results.region.height > 0 and reading.region.height == 0


async def test_a_terminal_of_the_usual_size_shows_list_and_detail(sample_paths: DataPaths) -> None:
    app = make_app(sample_paths)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await settle(pilot)
        assert screen.query_one("#reading").region.height > 0
        assert screen.query_one("#results").region.height > 0
        assert screen.query_one(Header).display


async def test_the_cursor_stays_in_view_when_the_terminal_shrinks(sample_paths: DataPaths) -> None:
    app = make_app(sample_paths)
    async with app.run_test(size=(140, 48)) as pilot:
        screen = await settle(pilot)
        listed = screen.paper_list
        await pilot.press(*"j" * 30)
        assert listed.cursor == 30
        await pilot.resize_terminal(80, 24)

        def cursor_in_view() -> bool:
            top = int(listed.scroll_offset.y)
            return top <= listed.cursor < top + listed.scrollable_content_region.height

        await until(pilot, lambda: listed.scrollable_content_region.height < 25, "the resize")
        await pilot.pause()
        await until(pilot, cursor_in_view, "the cursor in view")
        assert listed.cursor == 30


async def test_the_tag_prompt_wraps_its_hint_instead_of_cutting_it(
    sample_paths: DataPaths,
) -> None:
    app = make_app(sample_paths)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("t")
        await until(pilot, lambda: isinstance(app.screen, PromptScreen), "the tag prompt")
        await until(pilot, lambda: "Tags of" in screen_text(app), "the prompt painted")
        assert "cancels" in screen_text(app)  # was cut at "Esc ca"


async def test_the_did_you_mean_hint_is_in_the_search_bars_border_and_moves_nothing(
    sample_paths: DataPaths,
) -> None:
    app = make_app(sample_paths)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await settle(pilot)
        bar, papers = screen.search_bar, screen.paper_list
        before = (bar.region, papers.region)
        await pilot.press("slash", *"prunigx", "enter")
        await settle(pilot)
        assert "Did you mean" in bar.hint
        assert bar.styles.border_left[0] == bar.styles.border_right[0] == "tall"
        rows = screen_text(app).splitlines()
        assert "prunigx" in rows[bar.region.bottom - 2]  # the input's row
        assert "Did you mean pruning?" in rows[bar.region.bottom - 1]  # the bar's lower border
        assert (bar.region, papers.region) == before  # the list did not move down for it
        await pilot.press("slash", *["backspace"] * 7, *"pruning", "enter")  # no hint now
        await settle(pilot)
        assert bar.hint == "" and (bar.region, papers.region) == before


def footer_actions(footer: KeyFooter) -> list[str | None]:
    return [getattr(key, "action", None) for key in footer.children]


async def test_the_footer_names_esc_while_the_detail_is_in_the_lists_place(
    sample_paths: DataPaths,
) -> None:
    app = make_app(sample_paths)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await settle(pilot)
        footer = screen.query_one(KeyFooter)
        await until(pilot, lambda: len(footer.children) > 2, "the footer's keys")
        assert "leave_detail" not in footer_actions(footer)  # the list: Esc is the searches'
        await pilot.press("enter")
        await until(pilot, lambda: "leave_detail" in footer_actions(footer), "esc Back")
        assert "esc Back" in screen_text(app).splitlines()[-1]
        await pilot.press("escape")
        assert screen.focused is screen.paper_list
        await until(pilot, lambda: "leave_detail" not in footer_actions(footer), "no esc Back")
        await pilot.resize_terminal(140, 40)  # list and detail side by side: the list is there
        await pilot.press("enter")
        await pilot.pause()
        assert screen.focused is screen.detail
        assert "leave_detail" not in footer_actions(footer)
        await pilot.press("escape")
        assert screen.focused is screen.paper_list
