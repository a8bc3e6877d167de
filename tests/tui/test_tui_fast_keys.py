"""Keys typed faster than the app repaints act on the paper under the cursor when each is read.

`j b` in one go (a fast typist, tmux's send-keys) must bookmark the second paper, not the
first: the key after a move must never act on the paper the cursor just left. Pilot.press
waits for the app to go idle after each key, which hides the race; `burst` sends the keys the
way a terminal's input does when they come in one read: all queued before the first is
handled.
"""

from __future__ import annotations

from textual import events
from textual.pilot import Pilot
from tui_helpers import make_app, papers_screen, saved, settle, until

from reader.core.paths import DataPaths
from reader.core.userdata import UserData
from reader.tui.screens.similar import SimilarScreen


async def burst(pilot: Pilot[object], *keys: str) -> None:
    """Keys queued back to back (letters only: a letter is its own character), then a pause
    for the app to handle them all."""
    for key in keys:
        pilot.app.post_message(events.Key(key, key))
    await pilot.pause()


def on_disk(paths: DataPaths) -> UserData:
    """A fresh reader of the user's files: what a restart would see."""
    return UserData(paths)


async def test_j_then_b_bookmarks_the_paper_moved_to(sample_paths: DataPaths) -> None:
    app = make_app(sample_paths)
    async with app.run_test(size=(140, 40)) as pilot:
        screen = await settle(pilot)
        first, second = screen.paper_list.rows.ids[:2]
        await burst(pilot, "j", "b")
        await saved(pilot)
        user = on_disk(sample_paths)
        assert user.is_bookmarked(second)
        assert not user.is_bookmarked(first)
        await burst(pilot, "k", "b", "j", "b")  # back and forth: each key on its own row
        await saved(pilot)
        user = on_disk(sample_paths)
        assert user.is_bookmarked(first)
        assert not user.is_bookmarked(second)


async def test_j_then_a_queues_the_paper_moved_to(sample_paths: DataPaths) -> None:
    app = make_app(sample_paths)
    async with app.run_test(size=(140, 40)) as pilot:
        screen = await settle(pilot)
        ids = screen.paper_list.rows.ids[:3]
        await burst(pilot, "j", "j", "a")
        await saved(pilot)
        await until(pilot, lambda: ids[2] in on_disk(sample_paths).queue, "the third queued")
        assert on_disk(sample_paths).queue.ids() == [ids[2]]


async def test_j_then_m_m_leaves_the_paper_unread(sample_paths: DataPaths) -> None:
    """m decides the read state: the read-on-purpose timer the move started must not undo
    it, and the paper left behind is untouched."""
    app = make_app(sample_paths, mark_read_delay_s=0.2)
    async with app.run_test(size=(140, 40)) as pilot:
        screen = await settle(pilot)
        second = screen.paper_list.rows.ids[1]
        await burst(pilot, "j", "m")
        await saved(pilot)
        assert on_disk(sample_paths).read_ids() == {second}
        await pilot.press("m")  # unread again, on purpose
        await pilot.pause(5 * 0.2)  # a bound: the move's timer would have made it read by now
        await saved(pilot)
        assert on_disk(sample_paths).read_ids() == set()
        assert screen.paper_list.current_id == second


async def test_j_then_shift_s_shows_the_papers_like_the_paper_moved_to(
    sample_paths: DataPaths,
) -> None:
    app = make_app(sample_paths)
    async with app.run_test(size=(140, 40)) as pilot:
        screen = await settle(pilot)
        second = screen.paper_list.rows.ids[1]
        await burst(pilot, "j", "S")
        await until(pilot, lambda: isinstance(app.screen, SimilarScreen), "the similar papers")
        similar = app.screen
        assert isinstance(similar, SimilarScreen)
        assert similar.similar.result.id == second
        assert papers_screen(app).paper_list.current_id != second  # its papers, not itself
