"""A library of thousands of papers: the list reads only the rows it shows, in blocks, and
the end, the pages and the Unread view show the right papers."""

from __future__ import annotations

from tui_helpers import BIG, list_lines, make_app, quiet, screen_text, settle, until

from reader.core.library.browse import StoreView
from reader.core.library.facade import Library
from reader.core.paths import DataPaths
from reader.tui.widgets.saved_searches import BUILTINS, Counts

UNREAD = next(entry for entry in BUILTINS if entry.name == "Unread")


def title(row: int, read: frozenset[int] = frozenset()) -> str:
    """The title on a row of All papers (newest first), or of Unread when `read` are read."""
    numbers = [i for i in range(BIG - 1, -1, -1) if i not in read]
    return f"Big paper {numbers[row]:05d}"


async def test_end_and_pages_show_the_right_rows_of_a_big_list(big_paths: DataPaths) -> None:
    app = make_app(big_paths)
    async with app.run_test(size=(140, 40)) as pilot:
        screen = await settle(pilot)
        papers = screen.paper_list
        assert isinstance(papers.rows.ids, StoreView)  # no list of every id
        assert papers.count == BIG and screen.status.total == BIG
        assert title(0) in list_lines(screen)[0]
        height = papers.scrollable_content_region.height

        await pilot.press("G")
        await quiet(pilot, screen)
        assert papers.cursor == BIG - 1
        lines = list_lines(screen)
        assert title(BIG - 1) in lines[-1] and title(BIG - height) in lines[0]
        assert f"[{BIG:,}/{BIG:,}]" in screen_text(app)
        assert screen.detail.view is not None
        assert screen.detail.view.paper.id == "2401.00000"  # the oldest paper
        assert papers.rows.fetches <= 3  # the first block and the last one (or two)

        page = height - 1
        await pilot.press("pageup")
        assert papers.cursor == BIG - 1 - page
        await pilot.press("pageup")
        await quiet(pilot, screen)
        row = BIG - 1 - 2 * page
        assert papers.cursor == row
        assert screen.paper_id == f"2401.{BIG - 1 - row:05d}"
        assert title(row) in list_lines(screen)[0]  # the cursor row is the top row now

        await pilot.press("g")
        await quiet(pilot, screen)
        assert papers.cursor == 0 and title(0) in list_lines(screen)[0]
        for _ in range(3):
            await pilot.press("pagedown")
        await quiet(pilot, screen)
        assert papers.cursor == 3 * page
        lines = list_lines(screen)
        assert title(3 * page) in lines[-1] and title(3 * page - height + 1) in lines[0]


async def test_unread_lists_everything_but_what_was_read(big_paths: DataPaths) -> None:
    read = frozenset({BIG - 1, BIG - 3, 2500, 0})
    library = Library(big_paths)
    for number in read:
        library.user.set_read(f"2401.{number:05d}", True)
    library.close()
    app = make_app(big_paths)
    async with app.run_test(size=(140, 40)) as pilot:
        screen = await settle(pilot)
        await until(pilot, lambda: "Unread" in screen.saved.counts, "the counts")
        assert screen.saved.counts["Unread"] == Counts(BIG - len(read))
        assert screen.saved.counts["All papers"] == Counts(BIG)
        assert screen.saved.counts["Recently added"] == Counts(BIG)
        papers = screen.paper_list
        papers.cursor = 3000  # a paper that is not read: 2401.01999
        await quiet(pilot, screen)
        kept = screen.paper_id
        assert kept == "2401.01999"

        screen.open_search(UNREAD)
        await quiet(pilot, screen)
        assert isinstance(papers.rows.ids, StoreView)
        assert papers.count == screen.status.total == BIG - len(read)
        assert screen.paper_id == kept  # the cursor stayed on its paper
        assert papers.cursor == 3000 - 3  # three read papers were above it
        await pilot.press("g")
        await quiet(pilot, screen)
        lines = list_lines(screen)
        assert title(0, read) in lines[0] and title(1, read) in lines[1]
        assert f"Big paper {BIG - 1:05d}" not in "\n".join(lines)
        await pilot.press("G")
        await quiet(pilot, screen)
        assert screen.paper_id == "2401.00001"  # 2401.00000 is read
