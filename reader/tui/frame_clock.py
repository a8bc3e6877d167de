"""When a screen draws: as soon as something changed, at most 60 frames a second.

Textual draws a screen from a repeating timer ("screen_update") that it pauses while
nothing changes and resumes at a change. Its Timer keeps a fixed grid: resumed after a
pause, it draws at once and then, skipping the grid points it missed, skips one too many,
so the next frame comes one to two intervals later instead of within one. A key's echo is
such a first frame, and its search's results, landing 15 to 25 ms later, waited for that
grid point. FrameClock keeps Textual's cap and drops the grid: a frame waits only for an
interval to pass since the last one.

This module is the one seam to Textual's Timer internals (tests/tui/test_private_names.py
names each use); PapersScreen.set_interval hands it the screen's update timer, and stops it
when the screen is unmounted (Textual stops the timers it made itself). The time and
the sleep go through `hooks`, so a test can run the clock on a made-up time.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass

from textual.message_pump import MessagePump
from textual.timer import EventTargetGone, Timer, TimerCallback

SCREEN_UPDATE = "screen_update"  # the name Textual's Screen gives its update timer


@dataclass(slots=True)
class ClockHooks:
    """The clock's time and its sleep; a test swaps them for made-up ones."""

    now: Callable[[], float] = time.monotonic
    sleep: Callable[[float], Awaitable[None]] = asyncio.sleep


hooks = ClockHooks()


class FrameClock(Timer):
    """A repeating timer for a screen's frames, paused and resumed as Textual's is."""

    def run(self) -> None:
        """Start ticking, as set_interval starts Textual's timers."""
        self._start()

    async def _run(self) -> None:
        last_frame = float("-inf")
        count = 0
        while True:
            await self._active.wait()  # paused until something changes
            delay = last_frame + self._interval - hooks.now()
            if delay > 0:
                await hooks.sleep(delay)
                await self._active.wait()  # paused meanwhile (a layout drew): the next change
            last_frame = hooks.now()
            count += 1
            try:
                await self._tick(next_timer=last_frame, count=count)
            except EventTargetGone:
                break


def start(
    screen: MessagePump, interval: float, callback: TimerCallback | None, pause: bool
) -> FrameClock:
    """The screen's update timer, started; the screen stops it as it goes (`stop`)."""
    clock = FrameClock(screen, interval, name=SCREEN_UPDATE, callback=callback, pause=pause)
    clock.run()
    return clock
