"""The screen's frame clock: a frame as soon as something changed, never two within an
interval, and no grid to wait for after a pause (frame_clock.py)."""

from __future__ import annotations

import asyncio

import pytest
from textual.app import App
from textual.pilot import Pilot
from tui_helpers import make_app, quiet, settle, until

from reader.core.paths import DataPaths
from reader.tui import frame_clock
from reader.tui.frame_clock import FrameClock
from reader.tui.screens.similar import SimilarScreen

INTERVAL = 0.1


class MadeUpTime:
    """The clock's hooks on a time that moves only when the clock sleeps or a test says."""

    def __init__(self) -> None:
        self.now = 100.0  # long after any frame: the clock starts idle
        self.slept: list[float] = []

    def time(self) -> float:
        return self.now

    async def sleep(self, seconds: float) -> None:
        self.slept.append(round(seconds, 6))
        self.now += seconds
        await asyncio.sleep(0)


@pytest.fixture
def made_up_time(monkeypatch: pytest.MonkeyPatch) -> MadeUpTime:
    time = MadeUpTime()
    monkeypatch.setattr(frame_clock.hooks, "now", time.time)
    monkeypatch.setattr(frame_clock.hooks, "sleep", time.sleep)
    return time


class Frames:
    """A clock's frames, noted at the made-up time; each pauses the clock until the next
    change, as the screen's update does."""

    def __init__(self, app: App[None], time: MadeUpTime) -> None:
        self.at: list[float] = []
        self.time = time
        self.clock = frame_clock.start(app, INTERVAL, self.draw, pause=True)

    def draw(self) -> None:
        self.at.append(round(self.time.now, 6))
        self.clock.pause()


async def test_a_change_after_a_pause_is_drawn_at_once(made_up_time: MadeUpTime) -> None:
    async with App[None]().run_test() as pilot:
        frames = Frames(pilot.app, made_up_time)
        frames.clock.resume()  # a key's echo, after the app idled
        await until(pilot, lambda: len(frames.at) == 1, "the echo")
        frames.clock.resume()  # a change right after it waits out the interval
        await until(pilot, lambda: len(frames.at) == 2, "the next frame")
        made_up_time.now += 1.5 * INTERVAL  # a search runs meanwhile
        frames.clock.resume()  # its results
        await until(pilot, lambda: len(frames.at) == 3, "the results")
        await wait_a_turn(pilot)
    assert frames.at == [100.0, 100.1, 100.25]  # Textual's grid would draw them at 100.3
    assert made_up_time.slept == [INTERVAL]


async def test_changes_within_an_interval_make_one_frame(made_up_time: MadeUpTime) -> None:
    async with App[None]().run_test() as pilot:
        frames = Frames(pilot.app, made_up_time)
        frames.clock.resume()
        await until(pilot, lambda: len(frames.at) == 1, "the first frame")
        for _ in range(5):
            frames.clock.resume()
        await until(pilot, lambda: len(frames.at) == 2, "the second frame")
        await wait_a_turn(pilot)
    assert frames.at == [100.0, 100.1]


async def wait_a_turn(pilot: Pilot[None]) -> None:
    """Let anything else the clock would do happen (the time stands still meanwhile)."""
    for _ in range(10):
        await pilot.pause()


async def test_the_screens_of_papers_draw_by_the_frame_clock(sample_paths: DataPaths) -> None:
    """If Textual renamed its update timer, the screens would quietly keep Textual's."""
    app = make_app(sample_paths)
    async with app.run_test(size=(140, 40)) as pilot:
        screen = await settle(pilot)
        assert isinstance(screen.frame_clock, FrameClock)
        assert not [timer for timer in screen._timers if timer.name == frame_clock.SCREEN_UPDATE]
        await pilot.press("S")  # the papers like the one under the cursor
        await until(pilot, lambda: isinstance(app.screen, SimilarScreen), "the similar papers")
        similar = app.screen
        await quiet(pilot, similar)
        clock = similar.frame_clock
        assert isinstance(clock, FrameClock) and clock is not screen.frame_clock
        await pilot.press("escape")
        await until(pilot, lambda: app.screen is screen, "the main screen again")
        await until(pilot, lambda: clock._task is None, "the similar screen's clock stopped")
        assert screen.frame_clock._task is not None
