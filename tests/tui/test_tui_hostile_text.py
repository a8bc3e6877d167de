"""Paper text is data in every widget: markup-like titles render literally; clicks run nothing."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.command import CommandPalette
from textual.geometry import Region
from textual.widget import Widget
from tui_helpers import list_lines, make_app, quiet, saved, screen_text, settle, until

from reader.core.library.facade import Library
from reader.core.model import Record
from reader.core.paths import DataPaths
from reader.core.userdata import UserData
from reader.tui.widgets.paper_detail import PaperDetail
from reader.tui.widgets.paper_list import PaperList

HOSTILE = ["[/", "[bold]x", "[@click=app.quit]q[/]", '[link="https://e"]x[/link]']


@pytest.fixture
def hostile_paths(tmp_path: Path) -> DataPaths:
    paths = DataPaths.resolve(tmp_path / "hostile")
    library = Library(paths)
    records = [
        Record(
            title=f"{text} paper",
            abstract=f"An abstract with {text} inside, twice: {text}.",
            authors=["[red]Mallory[/red]", "[@click=app.quit]Eve[/]"],
            arxiv_id=f"2401.0000{number}",
            published="2024-01-0" + str(number + 1),
            links=["https://github.com/x/[bold]y"],
            source="hostile.txt:1",
        )
        for number, text in enumerate(HOSTILE)
    ]
    report = library.import_items(records)
    assert report.added == len(HOSTILE)
    library.index  # noqa: B018 - build the index now, as a real library would have one
    library.close()
    user = UserData(paths)
    user.set_note("2401.00002", "[@click=app.quit]click me[/] and [bold]not bold[/bold]")
    user.add_tags("2401.00002", ["[b]x", "[@click=app.quit]t[/]"])
    return paths


async def test_titles_render_literally_in_list_detail_and_palette(hostile_paths: DataPaths) -> None:
    app = make_app(hostile_paths)
    async with app.run_test(size=(160, 40)) as pilot:
        screen = await settle(pilot)
        assert screen.status.total == len(HOSTILE)
        rows = "\n".join(list_lines(screen))
        for text in HOSTILE:
            assert f"{text} paper" in rows
        for row in range(len(HOSTILE)):
            screen.paper_list.cursor = row
            await quiet(pilot, screen)  # the detail follows once the cursor rests
            title = screen.data.get(screen.paper_id).title  # type: ignore[arg-type]
            shown = screen_text(app)
            assert title in shown
            assert "[red]Mallory[/red], [@click=app.quit]Eve[/]" in shown
            assert "https://github.com/x/[bold]y" in shown
        screen.paper_list.cursor = screen.paper_list.rows.index_of("2401.00002")  # type: ignore[assignment]
        await quiet(pilot, screen)
        note = "[@click=app.quit]click me[/] and [bold]not"

        def note_at_the_end() -> bool:
            # The note's Markdown lays out after the rest of the pane: scroll again until it
            # is there (on a busy machine one scroll can come before the note has a height).
            screen.detail.scroll_end(animate=False, immediate=True)
            return note in screen_text(app)

        await until(pilot, note_at_the_end, "the note, as text, at the end of the detail")
        shown = screen_text(app)
        assert "[b]x" in shown and "[@click=app.quit]t[/]" in shown  # the tags
        await pilot.press("ctrl+p", *"paper")
        await until(pilot, lambda: CommandPalette.is_open(app), "the palette")
        await pilot.pause(0.5)
        palette = screen_text(app)
        assert any(f"Paper: {text} paper" in palette for text in HOSTILE)
        await pilot.press("escape")
        assert app.is_running


def actions_in(widget: Widget) -> set[str]:
    """The actions a click on the widget as painted would run: "@click" and the like, in the
    meta of the styles of the lines it renders (markup in paper text would put them there)."""
    found: set[str] = set()
    for part in [widget, *widget.query("*")]:
        if not part.display or not part.size.area:
            continue
        for strip in part.render_lines(Region(0, 0, part.size.width, part.size.height)):
            for segment in strip:
                meta = segment.style.meta if segment.style else {}
                found |= {f"{key}={value}" for key, value in meta.items() if key.startswith("@")}
    return found


async def test_clicks_on_hostile_text_run_nothing(hostile_paths: DataPaths) -> None:
    app = make_app(hostile_paths)
    async with app.run_test(size=(160, 40)) as pilot:
        screen = await settle(pilot)
        for row in range(len(HOSTILE)):
            screen.paper_list.cursor = row
            await quiet(pilot, screen)  # the detail follows once the cursor rests
            assert actions_in(screen.paper_list) == set()
            assert actions_in(screen.detail) == set()
            # and real clicks, over the row and the top of the detail, where the text is (a
            # few: what a click could run is checked in every painted segment above)
            for x in (6, 10, 18, 30):
                await pilot.click(PaperList, offset=(x, row + 1))
                assert app.is_running
            for y in (1, 3, 5, 9):
                for x in (2, 8, 20, 38):
                    await pilot.click(PaperDetail, offset=(x, y))
                    assert app.is_running
        assert app.is_running and app.return_value is None
        await pilot.press("b")
        await saved(pilot)
        assert UserData(hostile_paths).is_bookmarked(screen.paper_id)  # type: ignore[arg-type]
