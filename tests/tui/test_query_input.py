"""The search bar's input: a key typed lays out nothing, and a long query still scrolls to
its cursor (query_input.py)."""

from __future__ import annotations

from tui_helpers import make_app, settle, until

from reader.core.paths import DataPaths


async def test_a_key_typed_in_the_bar_lays_out_nothing(sample_paths: DataPaths) -> None:
    app = make_app(sample_paths, debounce_ms=3_600_000)  # typing only: no search runs
    async with app.run_test(size=(140, 40)) as pilot:
        screen = await settle(pilot)
        await pilot.press("slash")  # the bar takes the focus (its border, the footer's keys)
        await pilot.pause()
        layouts: list[object] = []
        screen.screen_layout_refresh_signal.subscribe(screen.search_bar, layouts.append)
        await pilot.press(*"pruning")
        bar = screen.search_bar.input
        await until(pilot, lambda: bar.value == "pruning", "the letters in the bar")
        await pilot.pause()
        assert layouts == []


async def test_a_long_query_scrolls_to_its_cursor(sample_paths: DataPaths) -> None:
    app = make_app(sample_paths, debounce_ms=3_600_000)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await settle(pilot)
        query = "lottery tickets " * 10  # far wider than the bar
        await pilot.press("slash", *query)
        bar = screen.search_bar.input
        await until(pilot, lambda: bar.value == query, "the query in the bar")
        await pilot.pause()
        assert bar.scroll_offset.x == bar.max_scroll_x > 0  # scrolled to the end
        assert bar.region.x <= bar.cursor_screen_offset.x < bar.region.right
        await pilot.press("home")
        await pilot.pause()
        assert bar.scroll_offset.x == 0
