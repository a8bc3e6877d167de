"""reader's TUI driven headless (Textual), timed to the frame a user would see.

    python bench/tui_probe.py DATA_DIR WORD    # prints one JSON document

Pilot's press() waits for the process to look idle (20 ms steps, up to 1 s), far coarser than
what is measured here, so keys go straight to the driver and the clock stops at the first frame
the app hands to its display once the expected state is on screen. Before each timed key the
app is left to finish its background work: these are steady-state times. In a terminal that frame is
encoded to escape sequences; here it is encoded too (then thrown away), so the cost counts.

- first paint: process start until the first frame showing the paper list's rows (and the
  CPU time of the process until then, tui_first_paint_cpu_ms), watched from the app's first
  frame on (Pilot's run_test returns only once the app has settled, which can be later);
- the whole library ("All papers", tui_list_rows rows): `down` 20 times (tui_list_cursor_*),
  `end` to the last paper (tui_list_end_*), then `pageup` 5 times (tui_list_page_*), timed
  like the cursor below;
- keystroke: WORD typed into the search bar but its last letter, results settled (the detail
  of the first paper too) and typing paused (for the bar's debounce at least), then the last
  letter: key until the first frame with its results; then a backspace, and the same again,
  KEYSTROKES times (median tui_keystroke_ms, and tui_keystroke_p95_ms). Includes the search
  bar's debounce (reported as tui_debounce_ms, the longest any of them waited: 0 while
  searches are fast, or for a key after a pause), because a user waits for it too; also the
  process's CPU time until that frame (tui_keystroke_cpu_ms, median: every thread's, which a
  busy machine does not inflate);
- burst: the bar emptied, then WORD typed in one burst, a key every BURST_GAP_S (a fast
  typist within a word): the last key until the first frame with WORD's results
  (tui_burst_ms, and its CPU time tui_burst_cpu_ms), and the pause that key waited
  (tui_burst_debounce_ms);
- cursor: `down` in the list of WORD's results until the frame with the cursor on the next row
  (median and p95 of 20 moves; also the median CPU time to that frame, which a busy machine
  does not inflate, and the CPU time until the detail pane shows the paper and the app is
  idle again: what a move costs in all);
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
from textual.css.query import NoMatches  # noqa: E402

from reader.core.paths import DataPaths  # noqa: E402
from reader.tui.app import ReaderApp  # noqa: E402
from reader.tui.screens.main import MainScreen  # noqa: E402

CURSOR_MOVES = 20
KEYSTROKES = 10
PAGES = 5
SIZE = (160, 48)
TIMEOUT_S = 300.0
POLL_S = 0.0005
SETTLE_S = 0.03
BURST_GAP_S = 0.08


class Frames:
    """Wraps the app's display hook: notes when a frame shows a state we wait for."""

    def __init__(self, app: App[None]) -> None:
        self.expect: Callable[[], bool] = lambda: False
        self.shown_at: float | None = None
        self.shown_cpu = 0.0  # the process's CPU time at that frame
        original = app._display

        def display(screen: object, renderable: object) -> None:
            original(screen, renderable)  # type: ignore[arg-type]
            if renderable is None:
                return
            if isinstance(renderable, CompositorUpdate):
                renderable.render_segments(app.console)  # what a real terminal would be sent
            if self.shown_at is None and self.expect():
                self.shown_at, self.shown_cpu = time.perf_counter(), time.process_time()

        app._display = display  # type: ignore[method-assign]

    def watch(self, expect: Callable[[], bool]) -> None:
        """From now on, note the first frame drawn while expect() holds."""
        self.expect, self.shown_at = expect, None

    async def wait(self, expect: Callable[[], bool], what: str) -> float:
        """The time of the first frame drawn while expect() holds (from now on)."""
        self.watch(expect)
        return await self.seen(what)

    async def seen(self, what: str) -> float:
        """The time of the first frame that showed what watch() asked for (maybe already)."""
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


def p95(values: list[float]) -> float:
    return sorted(values)[int(0.95 * (len(values) - 1))]


class Moves:
    """Wall time to the frame, CPU time to it and CPU time until idle, per key press."""

    def __init__(self, rows: int) -> None:
        self.rows = rows
        self.wall: list[float] = []
        self.cpu: list[float] = []
        self.busy: list[float] = []

    def figures(self, prefix: str) -> dict[str, float]:
        if not self.wall:
            return {}
        return {
            f"{prefix}_ms": statistics.median(self.wall),
            f"{prefix}_p95_ms": p95(self.wall),
            f"{prefix}_cpu_ms": statistics.median(self.cpu),
            f"{prefix}_busy_ms": statistics.median(self.busy),
        }


async def until_detail(screen: MainScreen) -> None:
    """Until the detail pane shows the paper under the cursor (it follows once the cursor
    rests, DETAIL_DELAY_S later: a move is not done before that), laid out and painted, and
    the app is idle. (A resized Static asks for a second layout pass, which the screen runs
    on its next frame tick, up to a frame later: a quiet moment alone can come before it.)"""
    deadline = time.perf_counter() + TIMEOUT_S
    while time.perf_counter() < deadline:
        view = screen.detail.view
        shown = (view.paper.id if view else None) == screen.paper_id
        if shown and not (screen._layout_required or screen._dirty_widgets):
            await idle()
            if not (screen._layout_required or screen._dirty_widgets):
                return
        await asyncio.sleep(POLL_S)


async def paused(screen: MainScreen) -> None:
    """Until a key typed now would search at once: the last search was fast, or typing has
    paused for the bar's debounce since the last key. (A pause the user set in the config is
    always waited: the key's time includes it.)"""
    bar = screen.search_bar
    deadline = time.perf_counter() + TIMEOUT_S
    while bar.adaptive and bar.pause_s and time.perf_counter() < deadline:
        await asyncio.sleep(POLL_S)


async def word_but_its_last_letter(app: App[None], frames: Frames, word: str) -> MainScreen:
    """From the app's start: its first page, then WORD but its last letter typed into the
    search bar, its results and their first paper's detail on screen, the app idle (where
    typing_cpu.py and typing_after_edit.py start)."""
    await frames.seen("the first rows")
    screen = app.screen
    await idle()
    for name in ("slash", *word[:-1]):
        key(app, name)
        await asyncio.sleep(SETTLE_S)
    await frames.wait(showing(screen, word[:-1]), "the word minus a letter")
    await until_detail(screen)
    return screen


async def cursor_moves(
    app: App[None], frames: Frames, screen: MainScreen, name: str, times: int
) -> Moves:
    """Press a cursor key `times` times in the paper list (each once the last is done)."""
    paper_list = screen.paper_list
    moves = Moves(paper_list.count)
    page = max(1, paper_list.scrollable_content_region.height - 1)
    step = {"down": 1, "pageup": -page, "pagedown": page, "end": paper_list.count}
    for _ in range(times):
        target = max(0, min(paper_list.count - 1, paper_list.cursor + step[name]))
        if target == paper_list.cursor:
            break
        pressed, used = time.perf_counter(), time.process_time()
        key(app, name)
        shown = await frames.wait(lambda t=target: paper_list.cursor == t, f"{name} to {target}")
        moves.wall.append((shown - pressed) * 1000)
        moves.cpu.append((time.process_time() - used) * 1000)
        await until_detail(screen)  # the move's other work (detail pane, status) is done
        moves.busy.append((time.process_time() - used) * 1000)
    return moves


def showing(screen: MainScreen, query: str) -> Callable[[], bool]:
    """The results for query are in the list (the screen sets busy when it takes the query)
    and the list has painted rows since they came (it forgets its painted rows then): a frame
    that only drew the key's echo, late, after the results had come, is not theirs."""
    papers = screen.paper_list
    return lambda: (
        screen.query_text == query
        and not screen.status.busy
        and (not papers.count or bool(papers._lines))
    )


def first_rows(app: App[None]) -> bool:
    """The main screen is up and its list shows the start-up papers."""
    screen = app.screen
    if not isinstance(screen, MainScreen):
        return False
    try:
        return showing(screen, "")() and screen.paper_list.count > 0
    except NoMatches:  # still composing
        return False


async def probe(data_dir: Path, word: str) -> dict[str, float]:
    app = ReaderApp(DataPaths.resolve(data_dir))
    frames = Frames(app)
    frames.watch(lambda: first_rows(app))  # from the very first frame, before Pilot is ready
    async with app.run_test(headless=True, size=SIZE):
        first_paint = await frames.seen("the first rows") - STARTED
        screen = app.screen
        assert isinstance(screen, MainScreen)
        first_paint_cpu = frames.shown_cpu

        await idle()  # startup work (opening the index, counting saved searches) is done
        await until_detail(screen)
        browse = await cursor_moves(app, frames, screen, "down", CURSOR_MOVES)
        end = await cursor_moves(app, frames, screen, "end", 1)
        page = await cursor_moves(app, frames, screen, "pageup", PAGES)
        key(app, "home")
        await idle()
        for name in ("slash", *word[:-1]):
            key(app, name)
            await asyncio.sleep(SETTLE_S)
        keystrokes, keystroke_cpu, debounces = [], [], []
        for _ in range(KEYSTROKES):
            if len(word) > 1:
                await frames.wait(showing(screen, word[:-1]), "results for the word minus a letter")
            await until_detail(screen)  # the detail of its first paper too
            await paused(screen)
            debounces.append(screen.search_bar.pause_s)
            pressed, used = time.perf_counter(), time.process_time()
            key(app, word[-1])
            shown = await frames.wait(showing(screen, word), "results for the word")
            keystrokes.append(shown - pressed)
            keystroke_cpu.append(frames.shown_cpu - used)
            await until_detail(screen)
            key(app, "backspace")  # the word minus a letter again, for the next key

        await frames.wait(showing(screen, word[:-1]), "results for the word minus a letter")
        for _ in word[:-1]:
            key(app, "backspace")
        await frames.wait(showing(screen, ""), "the bar emptied")
        await idle()
        await asyncio.sleep(screen.search_bar.debounce_s)
        for letter in word[:-1]:
            key(app, letter)
            await asyncio.sleep(BURST_GAP_S)
        burst_debounce = screen.search_bar.pause_s
        pressed, used = time.perf_counter(), time.process_time()
        key(app, word[-1])
        burst = await frames.wait(showing(screen, word), "results for the burst") - pressed
        burst_cpu = frames.shown_cpu - used
        await idle()

        key(app, "escape")  # back to the list
        await idle()
        moves = await cursor_moves(app, frames, screen, "down", CURSOR_MOVES)
        memory = rss_mb()
    return {
        "tui_first_paint_ms": first_paint * 1000,
        "tui_first_paint_cpu_ms": first_paint_cpu * 1000,
        "tui_keystroke_ms": statistics.median(keystrokes) * 1000,
        "tui_keystroke_p95_ms": p95(keystrokes) * 1000,
        "tui_keystroke_cpu_ms": statistics.median(keystroke_cpu) * 1000,
        "tui_debounce_ms": max(debounces) * 1000,
        "tui_burst_ms": burst * 1000,
        "tui_burst_cpu_ms": burst_cpu * 1000,
        "tui_burst_debounce_ms": burst_debounce * 1000,
        **moves.figures("tui_cursor"),
        **browse.figures("tui_list_cursor"),
        **end.figures("tui_list_end"),
        **page.figures("tui_list_page"),
        "tui_list_rows": float(browse.rows),
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
