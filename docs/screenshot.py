"""Regenerate docs/screenshot.svg, the README's picture of the app, from the built-in sample.

    python docs/screenshot.py [--out docs/screenshot.svg] [--size 160x45]

A fresh sample library in a temporary data dir, a little of a reader's own state (a
bookmark, tags, a note, a saved search), a typed search and the cursor on its second
result: then Textual's own SVG screenshot. Run it again when the look of the app changes.
"""

from __future__ import annotations

import argparse
import asyncio
import tempfile
from pathlib import Path

from textual.pilot import Pilot

from reader.core.library.facade import Library
from reader.core.paths import DataPaths
from reader.core.settings.config import Config
from reader.tui.app import ReaderApp
from reader.tui.screens.main import MainScreen

QUERY = "pruning lottery"
SAVED = ("Lottery tickets", "lottery ticket")
NOTE = "Key idea: prune at initialization, no dense training."
WAIT_S = 120.0


def prepare(paths: DataPaths) -> None:
    """The sample library with a reader's marks on the paper the picture shows."""
    library = Library(paths)
    try:
        library.import_sample()
        library.index  # noqa: B018 - built here, so the app opens it at once
        found = library.search_ids(QUERY)[0]
        paper_id = found[1]
        user = library.user
        user.set_bookmark(paper_id, True)
        user.add_tags(paper_id, ["pruning", "to-read"])
        user.set_note(paper_id, NOTE)
        user.add_saved(*SAVED)
        user.set_read(found[0], True)
    finally:
        library.close()


async def settled(pilot: Pilot[object], screen: MainScreen) -> None:
    """Until the search is shown, every count is in and the detail shows the cursor's paper."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + WAIT_S
    while loop.time() < deadline:
        view = screen.detail.view
        busy = any(w.is_running for w in screen.app.workers if w.group != "writer")
        counted = all(e.name in screen.saved.counts for e in screen.saved.entries if not e.ranked)
        if not busy and counted and view is not None and view.paper.id == screen.paper_id:
            await pilot.pause(0.5)  # the note's Markdown, then a last layout pass
            return
        await pilot.pause(0.05)
    raise TimeoutError("the app did not settle")


async def shoot(paths: DataPaths, size: tuple[int, int]) -> str:
    app = ReaderApp(paths, Config(mark_read_delay_s=3600.0))
    async with app.run_test(size=size) as pilot:
        while not isinstance(app.screen, MainScreen):
            await pilot.pause(0.05)
        screen = app.screen
        await settled(pilot, screen)
        await pilot.press("slash", *QUERY, "enter", "down")
        await settled(pilot, screen)
        return app.export_screenshot(title="reader")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=Path(__file__).with_name("screenshot.svg"))
    parser.add_argument("--size", default="160x45", help="COLUMNSxROWS (default 160x45)")
    args = parser.parse_args()
    columns, rows = (int(part) for part in args.size.lower().split("x"))
    with tempfile.TemporaryDirectory() as folder:
        data = Path(folder) / "data"
        paths = DataPaths(data, data / "config")  # the default theme, whatever is installed
        prepare(paths)
        svg = asyncio.run(shoot(paths, (columns, rows)))
    args.out.write_text(svg, encoding="utf-8")
    print(f"wrote {args.out} ({columns}x{rows})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
