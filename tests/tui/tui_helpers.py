"""Driving the real app in tests: build it on a data dir, wait for its workers, read the screen."""

from __future__ import annotations

import html
import re
import sys
from collections.abc import Callable
from pathlib import Path
from time import monotonic

from textual.app import App
from textual.command import CommandPalette
from textual.pilot import Pilot
from textual.widgets import OptionList

from reader.core.paths import DataPaths
from reader.core.settings.config import Config
from reader.tui.app import ReaderApp
from reader.tui.screens.main import MainScreen
from reader.tui.screens.papers import PapersScreen

BIG = 5000  # papers in the big_paths library: many blocks of rows, still quick to index
WAIT_S = 60.0  # generous: a wait for the app to get somewhere, never a speed assertion


def make_app(paths: DataPaths, **settings: object) -> ReaderApp:
    """The app with test settings: nothing becomes read by itself unless a test asks."""
    config = Config(mark_read_delay_s=3600.0)
    for name, value in settings.items():
        setattr(config, name, value)
    return ReaderApp(paths, config)


async def until(pilot: Pilot[object], check: Callable[[], object], what: str) -> None:
    deadline = monotonic() + WAIT_S
    while not check():
        if monotonic() > deadline:
            raise AssertionError(f"gave up waiting for: {what}")
        await pilot.pause(0.02)


def main_screen(app: App[object]) -> MainScreen:
    screen = app.screen
    assert isinstance(screen, MainScreen), f"expected the main screen, not {screen!r}"
    return screen


def papers_screen(app: App[object]) -> PapersScreen[object]:
    """The screen of papers on top (the main one, or a list of similar papers)."""
    screen = app.screen
    assert isinstance(screen, PapersScreen), f"expected a screen of papers, not {screen!r}"
    return screen


def _idle(screen: PapersScreen[object]) -> bool:
    busy = {"startup", "search", "counts"}
    return not any(w.group in busy and w.is_running for w in screen.app.workers) and not (
        screen.status.busy or screen.status.indexing
    )


async def settle(pilot: Pilot[object]) -> MainScreen:
    """Wait until the main screen shows results and no search, count or index work runs."""
    await until(pilot, lambda: isinstance(pilot.app.screen, MainScreen), "the main screen")
    screen = main_screen(pilot.app)
    await quiet(pilot, screen)
    return screen


async def quiet(pilot: Pilot[object], screen: PapersScreen[object]) -> None:
    """Wait for a screen's workers and edits even while a modal is on top of it."""
    await until(
        pilot,
        lambda: (
            screen.status.total is not None
            and _idle(screen)
            and screen.data.idle()
            and _detail_caught_up(screen)
        ),
        "results on screen and nothing left to do",
    )
    await pilot.pause()


def _detail_caught_up(screen: PapersScreen[object]) -> bool:
    """The detail pane shows the paper under the cursor (it follows once the cursor rests)."""
    view = screen.detail.view
    return (view.paper.id if view else None) == screen.paper_id


async def saved(pilot: Pilot[object]) -> None:
    """Wait until every queued edit of the user's data has been written and repainted."""
    data = main_screen(pilot.app).data
    await until(pilot, lambda: data.idle(), "the edits to be saved")
    await pilot.pause()


def screen_text(app: App[object]) -> str:
    """What the terminal shows, one line per row (from the SVG screenshot, a public API)."""
    svg = app.export_screenshot()
    rows: dict[float, list[tuple[float, str]]] = {}
    for match in re.finditer(
        r'<text class="[^"]*" x="([\d.]+)" y="([\d.]+)"[^>]*>(.*?)</text>', svg
    ):
        text = html.unescape(re.sub(r"<[^>]+>", "", match[3])).replace("\xa0", " ")
        rows.setdefault(float(match[2]), []).append((float(match[1]), text))
    return "\n".join("".join(text for _, text in sorted(rows[y])) for y in sorted(rows))


def list_lines(screen: PapersScreen[object]) -> list[str]:
    """The paper list's visible rows as painted (Line API), without the marker column."""
    widget = screen.paper_list
    height = widget.scrollable_content_region.height
    return [widget.render_line(y).text for y in range(height)]


async def run_command(pilot: Pilot[object], typed: str, hit: str | None = None) -> None:
    """Open the palette, type, wait for the wanted hit to be the highlighted one, run it."""
    app = pilot.app
    await pilot.press("ctrl+p")
    await until(pilot, lambda: CommandPalette.is_open(app) and app.focused, "the palette")
    await pilot.press(*typed)
    await until(pilot, lambda: _first_hit(app).startswith(hit or typed), f"the hit {hit or typed}")
    await pilot.press("enter")
    await until(pilot, lambda: not CommandPalette.is_open(app), "the palette to close")
    await pilot.pause()


def _first_hit(app: App[object]) -> str:
    """The highlighted hit of the open palette, once the search for all typed text is done."""
    if not CommandPalette.is_open(app):
        return ""
    options = app.screen.query_one("CommandList", OptionList)
    if not options.option_count or options.highlighted is None:
        return ""
    return str(options.get_option_at_index(options.highlighted).prompt)


def reader_command() -> list[str]:
    """The installed `reader` script of this Python (else `python -m reader`)."""
    script = Path(sys.executable).with_name("reader")
    return [str(script)] if script.exists() else [sys.executable, "-m", "reader"]


# -- processes, as Linux's /proc shows them (for tests of how the app ends) -------------------


def proc_stat(pid: int) -> list[str] | None:
    """/proc/PID/stat after the command's name: state, parent, ... (None: gone)."""
    try:
        text = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    return text[text.rindex(")") + 2 :].split()


def running(pid: int) -> bool:
    """Alive: not gone, and not a zombie (ended, its parent not told yet)."""
    fields = proc_stat(pid)
    return fields is not None and fields[0] not in ("Z", "X")


def children(pid: int) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        fields = proc_stat(int(entry.name)) if entry.name.isdigit() else None
        if fields is not None and int(fields[1]) == pid:
            found.append(int(entry.name))
    return found
