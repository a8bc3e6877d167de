"""Moving around: list keys, panes, Enter and Esc, the mouse; the detail follows the cursor."""

from __future__ import annotations

from textual import events
from tui_helpers import make_app, quiet, settle, until

from reader.core.paths import DataPaths
from reader.tui.widgets.paper_detail import PaperDetail
from reader.tui.widgets.paper_list import PaperList
from reader.tui.widgets.query_input import QueryInput
from reader.tui.widgets.saved_searches import SavedSearches


async def test_list_keys_move_the_cursor_and_the_detail_follows(sample_paths: DataPaths) -> None:
    app = make_app(sample_paths)
    async with app.run_test(size=(140, 40)) as pilot:
        screen = await settle(pilot)
        papers = screen.paper_list
        page = papers.scrollable_content_region.height - 1
        moves = [
            ("j", 1), ("down", 2), ("k", 1), ("up", 0), ("up", 0),
            ("G", 405), ("g", 0), ("end", 405), ("home", 0),
            ("pagedown", page), ("pagedown", 2 * page), ("pageup", page),
        ]  # fmt: skip
        for key, row in moves:
            await pilot.press(key)
            assert papers.cursor == row, key
            assert screen.paper_id == papers.rows.paper_id(row)
            await quiet(pilot, screen)  # the detail follows once the cursor rests
            title = str(screen.detail.query_one("#detail-title").render())
            assert title.strip() == " ".join(papers.rows.get(row).title.split())  # type: ignore[union-attr]
        await pilot.press("G")
        assert papers.scroll_offset.y > 0  # the cursor row is scrolled into view
        assert papers.scroll_offset.y + papers.scrollable_content_region.height > 405
        assert screen.status.position == 406


async def test_tab_cycles_the_panes_and_focus_is_visible(sample_paths: DataPaths) -> None:
    app = make_app(sample_paths)
    async with app.run_test(size=(140, 40)) as pilot:
        screen = await settle(pilot)
        assert isinstance(app.focused, PaperList)
        border_blurred = screen.saved.styles.border_top
        seen = []
        for _ in range(4):
            await pilot.press("tab")
            seen.append(type(app.focused))
        assert {PaperDetail, SavedSearches, QueryInput} <= set(seen)
        await pilot.press("shift+tab")
        assert type(app.focused) is seen[-2]
        screen.saved.focus()
        await pilot.pause()
        assert screen.saved.styles.border_top != border_blurred


async def test_enter_opens_the_detail_and_escape_goes_back(sample_paths: DataPaths) -> None:
    app = make_app(sample_paths)
    async with app.run_test(size=(140, 40)) as pilot:
        screen = await settle(pilot)
        await pilot.press("enter")
        assert app.focused is screen.detail
        await pilot.press("j", "j")
        assert screen.detail.scroll_offset.y >= 0
        await pilot.press("escape")
        assert app.focused is screen.paper_list
        await pilot.press("escape")
        assert app.focused is screen.saved


async def test_mouse_click_selects_and_wheel_scrolls(sample_paths: DataPaths) -> None:
    app = make_app(sample_paths)
    async with app.run_test(size=(140, 40)) as pilot:
        screen = await settle(pilot)
        papers = screen.paper_list
        await pilot.click(PaperList, offset=(10, 4))  # the row under the top border is row 0
        assert papers.cursor == 3
        assert screen.paper_id == papers.rows.paper_id(3)
        await pilot.click(PaperList, offset=(10, 4), times=2)
        assert app.focused is screen.detail
        cursor = papers.cursor
        for _ in range(3):  # the terminal's wheel event, as the driver would post it
            papers.post_message(events.MouseScrollDown(papers, 10, 5, 0, 1, 0, False, False, False))
        await until(pilot, lambda: papers.scroll_offset.y > 0, "the wheel to scroll")
        assert papers.cursor == cursor  # the wheel scrolls the view, not the cursor


async def test_clicking_a_saved_search_opens_it(sample_paths: DataPaths) -> None:
    app = make_app(sample_paths)
    async with app.run_test(size=(140, 40)) as pilot:
        screen = await settle(pilot)
        await pilot.click(SavedSearches, offset=(4, 3))  # Unread: the third row
        await settle(pilot)
        assert screen.search_bar.value == "is:unread"
        assert screen.query_text == "is:unread"
        assert screen.saved.active == "Unread"
