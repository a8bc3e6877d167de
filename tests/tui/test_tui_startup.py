"""Starting the app: the sample on first start, the layout, the status line, the counts."""

from __future__ import annotations

import gc
import json
import subprocess
import sys

from tui_helpers import (
    list_lines,
    main_screen,
    make_app,
    reader_command,
    screen_text,
    settle,
    until,
)

from reader.core.library.facade import Library
from reader.core.paths import DataPaths
from reader.tui.data import APP_GC_THRESHOLDS
from reader.tui.screens.main import MainScreen
from reader.tui.widgets.saved_searches import BUILTINS, Counts


async def test_first_start_imports_the_sample_with_a_notice(empty_paths: DataPaths) -> None:
    """The empty list says the sample is coming; a notification would outlast it, shown over
    the papers once they are in (#21, point 8)."""
    app = make_app(empty_paths)
    async with app.run_test(size=(140, 40)) as pilot:

        def told(text: str) -> bool:
            return any(text in n.message for n in app._notifications)

        await until(pilot, lambda: isinstance(app.screen, MainScreen), "the main screen")
        shown: list[str] = []
        screen = main_screen(app)
        screen.watch(screen.paper_list, "placeholder", lambda text: shown.append(text))
        await until(pilot, lambda: told("Imported 406 sample papers"), "the import notice")
        assert "Your library is empty: importing the built-in sample…" in shown
        assert not told("importing")
        screen = await settle(pilot)
        assert screen.status.total == 406
    library = Library(empty_paths)
    try:
        assert library.count() == 406
    finally:
        library.close()


async def test_the_list_paints_from_the_store_newest_first(sample_paths: DataPaths) -> None:
    library = Library(sample_paths)
    newest = library.papers(library.search_ids("")[0][:3])
    order = library.search_ids("")[0][:3]
    library.close()
    app = make_app(sample_paths)
    async with app.run_test(size=(140, 40)) as pilot:
        screen = await settle(pilot)
        rows = list_lines(screen)
        for row, paper_id in zip(rows, order, strict=False):
            assert newest[paper_id].title[:30] in row
        assert screen.paper_id == order[0]
        text = screen_text(app)
        assert "406 papers · sorted by date added ·" in text
        assert " ms" in text


async def test_wide_terminal_puts_the_detail_right_narrow_puts_it_below(
    sample_paths: DataPaths,
) -> None:
    app = make_app(sample_paths)
    async with app.run_test(size=(160, 40)) as pilot:
        screen = await settle(pilot)
        assert not screen.has_class("-narrow")
        assert screen.detail.region.x > screen.paper_list.region.right - 1
        assert screen.detail.region.y == screen.paper_list.region.y
    app = make_app(sample_paths)
    async with app.run_test(size=(100, 40)) as pilot:
        screen = await settle(pilot)
        assert screen.has_class("-narrow")
        assert screen.detail.region.y >= screen.paper_list.region.bottom
        assert screen.detail.region.x == screen.paper_list.region.x


async def test_builtin_searches_show_their_counts(sample_paths: DataPaths) -> None:
    app = make_app(sample_paths)
    async with app.run_test(size=(140, 40)) as pilot:
        screen = await settle(pilot)
        saved = screen.saved
        counted = [entry for entry in BUILTINS if not entry.ranked]  # For you: once opened
        await until(pilot, lambda: len(saved.counts) == len(counted), "every count")
        assert "For you" not in saved.counts
        assert saved.counts["All papers"] == Counts(406)
        assert saved.counts["Unread"] == Counts(406)
        assert saved.counts["Bookmarked"] == Counts(0)
        assert saved.counts["With notes"] == Counts(0)
        assert saved.counts["Recently added"] == Counts(406)
        assert saved.counts["Queue"] == Counts(0)
        assert saved.counts["Followed"] == Counts(0)
        text = screen_text(app)
        assert "All papers" in text and "Recently added" in text


async def test_a_search_saved_from_the_command_line_has_nothing_new(
    sample_paths: DataPaths,
) -> None:
    """Never opened, nothing is new to it: no "+10" beside it (#21, point 8)."""
    command = [*reader_command(), "--data-dir", str(sample_paths.data_dir)]
    saved = subprocess.run(
        [*command, "saved", "add", "pruning", "pruning"], capture_output=True, timeout=60
    )
    assert saved.returncode == 0, saved.stderr
    app = make_app(sample_paths)
    async with app.run_test(size=(140, 40)) as pilot:
        screen = await settle(pilot)
        pane = screen.saved
        await until(pilot, lambda: "pruning" in pane.counts, "its count")
        assert pane.counts["pruning"].total > 10 and pane.counts["pruning"].new == 0
        assert "+" not in screen_text(app).split("pruning")[1].splitlines()[0]


async def test_a_broken_user_file_is_reported_not_fatal(sample_paths: DataPaths) -> None:
    sample_paths.user_dir.mkdir(parents=True, exist_ok=True)
    (sample_paths.user_dir / "bookmarks.yaml").write_text("a: [unclosed\n", encoding="utf-8")
    app = make_app(sample_paths)
    async with app.run_test(size=(140, 40)) as pilot:
        screen = await settle(pilot)
        assert screen.status.total == 406
        messages = [n.message for n in app._notifications]
        assert any("bookmarks.yaml" in m and "could not read" in m for m in messages)


async def test_the_first_frame_already_shows_papers(sample_paths: DataPaths) -> None:
    """The start-up list is read before the first frame: no "Loading…" frame, no second
    full render once a worker brings the rows."""
    app = make_app(sample_paths)
    frames: list[tuple[int, int | None]] = []
    display = app._display

    def recording(screen: object, renderable: object) -> None:
        if renderable is not None and isinstance(screen, MainScreen):
            frames.append((screen.paper_list.count, screen.status.total))
        display(screen, renderable)  # type: ignore[arg-type]

    app._display = recording  # type: ignore[method-assign]
    async with app.run_test(size=(140, 40)) as pilot:
        await settle(pilot)
    assert frames and frames[0] == (406, 406)


# The app in a process of its own (this one has Whoosh loaded): at its first frame, the list's
# rows and the Whoosh modules loaded; then the count of a typed search, once it is in.
FIRST_FRAME = """
import asyncio, json, sys
from time import monotonic
from reader.core.paths import DataPaths
from reader.tui.app import ReaderApp
from reader.tui.screens.main import MainScreen

async def main() -> None:
    app = ReaderApp(DataPaths.resolve(sys.argv[1]))
    first = {}
    display = app._display

    def recording(screen, renderable) -> None:
        if renderable is not None and isinstance(screen, MainScreen) and not first:
            first["rows"] = screen.paper_list.count
            first["whoosh"] = sorted(m for m in sys.modules if m.startswith("whoosh"))
        display(screen, renderable)

    app._display = recording
    async with app.run_test(size=(140, 40)) as pilot:
        deadline = monotonic() + 60
        while not first and monotonic() < deadline:
            await pilot.pause(0.02)
        await pilot.press("slash", *"pruning")
        screen = app.screen
        while screen.query_text != "pruning" or screen.status.busy:
            assert monotonic() < deadline, "no results for the typed search"
            await pilot.pause(0.02)
        first["found"] = screen.status.total
    print(json.dumps(first))

asyncio.run(main())
"""


def test_the_first_frame_comes_before_whoosh_loads(sample_paths: DataPaths) -> None:
    """The first page is read from the store: the index (and the tenth of a second Whoosh
    takes to import) is opened after the first frame, and searches work once it is."""
    done = subprocess.run(
        [sys.executable, "-c", FIRST_FRAME, str(sample_paths.data_dir)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    state = json.loads(done.stdout.splitlines()[-1])
    assert state["rows"] == 406
    assert state["whoosh"] == []
    assert state["found"] > 0


async def test_the_app_freezes_what_start_up_made_and_thaws_it_at_the_end(
    sample_paths: DataPaths,
) -> None:
    """Start-up's objects are left out of collections while the app runs (rarer ones, too),
    and given back when it closes: the thresholds as they were, nothing frozen."""
    before = gc.get_threshold()
    app = make_app(sample_paths)
    async with app.run_test(size=(140, 40)) as pilot:
        await settle(pilot)
        await until(pilot, lambda: gc.get_threshold() == APP_GC_THRESHOLDS, "rarer collections")
        assert gc.get_freeze_count() > 0
    assert gc.get_freeze_count() == 0
    assert gc.get_threshold() == before
