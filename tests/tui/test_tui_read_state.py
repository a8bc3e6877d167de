"""A paper becomes read only when the user chose it and left it in view (#21, point 2).

Chosen: moved to with a key or a click, Enter, or the detail pane focused. Never the first
paper at start-up, the top hit of a query being typed, or a paper scrolled past.
A paper that must stay unread is checked after several times the delay has passed (a bound,
not a speed assertion: nothing else could make it read).
"""

from __future__ import annotations

from textual.pilot import Pilot
from tui_helpers import make_app, saved, settle, until

from reader.core.paths import DataPaths
from reader.core.userdata import UserData
from reader.tui.widgets.paper_list import MARK_UNREAD

DELAY_S = 0.2
LONG_ENOUGH_S = 5 * DELAY_S


def read_on_disk(paths: DataPaths) -> set[str]:
    return UserData(paths).read_ids()


async def long_enough(pilot: Pilot[object]) -> None:
    """Several times the delay: a paper whose timer ran would be read (and saved) by now."""
    await pilot.pause(LONG_ENOUGH_S)
    await saved(pilot)


async def test_nothing_becomes_read_at_start_up(sample_paths: DataPaths) -> None:
    app = make_app(sample_paths, mark_read_delay_s=DELAY_S)
    async with app.run_test(size=(140, 40)) as pilot:
        screen = await settle(pilot)
        assert screen.paper_id is not None
        await long_enough(pilot)
        assert read_on_disk(sample_paths) == set()
        assert MARK_UNREAD in screen.paper_list.render_line(0).text


async def test_the_top_hit_of_a_query_being_typed_stays_unread(sample_paths: DataPaths) -> None:
    app = make_app(sample_paths, mark_read_delay_s=DELAY_S, debounce_ms=10)
    async with app.run_test(size=(140, 40)) as pilot:
        screen = await settle(pilot)
        await pilot.press("slash", *"pruning")
        await until(pilot, lambda: screen.panes.shown_query == "pruning", "the results")
        top = screen.paper_id
        assert top is not None
        await long_enough(pilot)
        await pilot.press("enter")  # to the list: the cursor is where it was, not chosen
        await long_enough(pilot)
        assert top not in read_on_disk(sample_paths)


async def test_a_paper_moved_to_becomes_read_once_it_rests(sample_paths: DataPaths) -> None:
    # A longer delay here: on a loaded machine two key presses may be further apart than
    # DELAY_S, and a paper the cursor rested on that long is rightly read.
    app = make_app(sample_paths, mark_read_delay_s=1.0)
    async with app.run_test(size=(140, 40)) as pilot:
        screen = await settle(pilot)
        ids = list(screen.paper_list.rows.ids[:6])
        await pilot.press(*"jjjjj")  # scrolled past four papers, resting on the sixth
        assert screen.paper_list.current_id == ids[5]
        await until(pilot, lambda: ids[5] in read_on_disk(sample_paths), "the sixth read")
        await saved(pilot)  # a timer started before the sixth's would have fired before it
        assert read_on_disk(sample_paths) == {ids[5]}
        assert MARK_UNREAD not in screen.paper_list.render_line(5).text


async def test_enter_on_the_first_paper_reads_it(sample_paths: DataPaths) -> None:
    app = make_app(sample_paths, mark_read_delay_s=DELAY_S)
    async with app.run_test(size=(140, 40)) as pilot:
        screen = await settle(pilot)
        first = screen.paper_id
        await pilot.press("enter")
        assert screen.focused is screen.detail
        await until(pilot, lambda: first in read_on_disk(sample_paths), "the first read")


async def test_the_detail_focused_reads_the_paper_in_it(sample_paths: DataPaths) -> None:
    app = make_app(sample_paths, mark_read_delay_s=DELAY_S)
    async with app.run_test(size=(140, 40)) as pilot:
        screen = await settle(pilot)
        first = screen.paper_id
        screen.set_focus(screen.detail)  # as Tab or a click on the pane would
        await until(pilot, lambda: first in read_on_disk(sample_paths), "the first read")


async def test_m_decides_and_the_timer_does_not_undo_it(sample_paths: DataPaths) -> None:
    app = make_app(sample_paths, mark_read_delay_s=DELAY_S)
    async with app.run_test(size=(140, 40)) as pilot:
        screen = await settle(pilot)
        await pilot.press("j")
        second = screen.paper_id
        await until(pilot, lambda: second in read_on_disk(sample_paths), "the second read")
        await pilot.press("m")  # back to unread: the user's choice stands
        await long_enough(pilot)
        assert second not in read_on_disk(sample_paths)
        await pilot.press("k", "j")  # moving away and back chooses it again
        await until(pilot, lambda: second in read_on_disk(sample_paths), "read again")
