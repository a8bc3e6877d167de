"""reader's TUI driven headless (Textual), timed to the frame a user would see.

    python bench/tui_probe.py DATA_DIR WORD    # prints one JSON document

Pilot's press() waits for the process to look idle (20 ms steps, up to 1 s), far coarser than
what is measured here, so keys go straight to the driver and the clock stops at the first frame
the app hands to its display once the expected state is on screen. Before each timed key the
app is left to finish its background work: these are steady-state times. In a terminal that frame is
encoded to escape sequences; here it is encoded too (then thrown away), so the cost counts.

- first paint: process start until the first frame showing the paper list's rows;
- keystroke: WORD typed into the search bar but its last letter, results settled, then the last
  letter: key until the first frame with its results. Includes the search bar's debounce
  (reported as tui_debounce_ms), because a user waits for it too;
- cursor: `down` in the paper list until the frame with the cursor on the next row (median and
  p95 of 20 moves; also the median CPU time to that frame, which a busy machine does not
  inflate, and the CPU time until the app is idle again: what limits a held-down key);
- RSS: resident memory of the whole app at the end.
"""

from __future__ import annotations

import time

STARTED = time.perf_counter()

import asyncio  # noqa: E402 -- the clock starts before anything else is imported
import json  # noqa: E402
import statistics  # noqa: E402
import sys  # noqa: E402
from collections.abc import Callable  # noqa: E402
from pathlib import Path  # noqa: E402

from textual import events  # noqa: E402
from textual._compositor import CompositorUpdate  # noqa: E402
from textual.app import App  # noqa: E402

from reader.core.paths import DataPaths  # noqa: E402
from reader.tui.app import ReaderApp  # noqa: E402
from reader.tui.screens.main import MainScreen  # noqa: E402

CURSOR_MOVES = 20
SIZE = (160, 48)
TIMEOUT_S = 300.0
POLL_S = 0.0005
SETTLE_S = 0.03


class Frames:
    """Wraps the app's display hook: notes when a frame shows a state we wait for."""

    def __init__(self, app: App[None]) -> None:
        self.expect: Callable[[], bool] = lambda: False
        self.shown_at: float | None = None
        original = app._display

        def display(screen: object, renderable: object) -> None:
            original(screen, renderable)  # type: ignore[arg-type]
            if renderable is None:
                return
            if isinstance(renderable, CompositorUpdate):
                renderable.render_segments(app.console)  # what a real terminal would be sent
            if self.shown_at is None and self.expect():
                self.shown_at = time.perf_counter()

        app._display = display  # type: ignore[method-assign]

    async def wait(self, expect: Callable[[], bool], what: str) -> float:
        """The time of the first frame drawn while expect() holds (from now on)."""
        self.expect, self.shown_at = expect, None
        deadline = time.perf_counter() + TIMEOUT_S
        while self.shown_at is None:
            if time.perf_counter() > deadline:
                raise TimeoutError(f"the TUI never showed: {what}")
            await asyncio.sleep(POLL_S)
        self.expect = lambda: False
        return self.shown_at


async def idle() -> None:
    """Until the whole process (its threads too) has used under 10% of a core for 20 ms."""
    deadline = time.perf_counter() + TIMEOUT_S
    while time.perf_counter() < deadline:
        used = time.process_time()
        await asyncio.sleep(0.02)
        if time.process_time() - used < 0.002:
            return


def key(app: App[None], name: str) -> None:
    """Send one key the way the terminal driver would."""
    char = name if len(name) == 1 else None
    assert app._driver is not None
    app._driver.send_message(events.Key(name, char))


def rss_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def showing(screen: MainScreen, query: str) -> Callable[[], bool]:
    """The results for query are in the list (the screen sets busy when it takes the query)."""
    return lambda: screen.query_text == query and not screen.status.busy


async def probe(data_dir: Path, word: str) -> dict[str, float]:
    app = ReaderApp(DataPaths.resolve(data_dir))
    frames = Frames(app)
    async with app.run_test(headless=True, size=SIZE):
        while not isinstance(app.screen, MainScreen):
            await asyncio.sleep(POLL_S)
        screen = app.screen
        first_rows = showing(screen, "")
        painted = await frames.wait(
            lambda: first_rows() and screen.paper_list.count > 0, "the first rows"
        )
        first_paint = painted - STARTED

        await idle()  # startup work (opening the index, counting saved searches) is done
        for name in ("slash", *word[:-1]):
            key(app, name)
            await asyncio.sleep(SETTLE_S)
        if len(word) > 1:
            await frames.wait(showing(screen, word[:-1]), "results for the word minus a letter")
        await idle()
        pressed = time.perf_counter()
        key(app, word[-1])
        keystroke = await frames.wait(showing(screen, word), "results for the word") - pressed

        key(app, "escape")  # back to the list
        moves, cpu, busy = [], [], []
        await idle()
        for _ in range(min(CURSOR_MOVES, screen.paper_list.count - 1)):
            target = screen.paper_list.cursor + 1
            pressed, used = time.perf_counter(), time.process_time()
            key(app, "down")
            shown = await frames.wait(lambda t=target: screen.paper_list.cursor == t, "a move")
            moves.append((shown - pressed) * 1000)
            cpu.append((time.process_time() - used) * 1000)
            await idle()  # the move's other work (detail pane, status, footer) is done
            busy.append((time.process_time() - used) * 1000)
        memory = rss_mb()
    return {
        "tui_first_paint_ms": first_paint * 1000,
        "tui_keystroke_ms": keystroke * 1000,
        "tui_debounce_ms": float(app.config.debounce_ms),
        "tui_cursor_ms": statistics.median(moves) if moves else 0.0,
        "tui_cursor_p95_ms": sorted(moves)[int(0.95 * (len(moves) - 1))] if moves else 0.0,
        "tui_cursor_cpu_ms": statistics.median(cpu) if cpu else 0.0,
        "tui_cursor_busy_ms": statistics.median(busy) if busy else 0.0,
        "tui_rss_mb": memory,
    }


def main(argv: list[str]) -> int:
    if len(argv) != 2 or not argv[1].strip():
        print("usage: tui_probe.py DATA_DIR WORD", file=sys.stderr)
        return 2
    print(json.dumps(asyncio.run(probe(Path(argv[0]), argv[1]))))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
