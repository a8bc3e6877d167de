"""Upvotes in the app: the trend in the detail pane, and upvotes in the sort cycle."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from tui_helpers import make_app, settle, until

from reader.core.library.facade import Library
from reader.core.model import Record
from reader.core.paths import DataPaths
from reader.core.store import upvotes
from reader.core.store.upvotes import Trend
from reader.tui.widgets.paper_detail import upvote_text

VOTED = {"2403.00001": 42, "2403.00002": 5, "2403.00003": 7}


@pytest.fixture
def voted_paths(sample_paths: DataPaths) -> DataPaths:
    """The sample plus three upvoted papers; the first has a count from yesterday too."""
    library = Library(sample_paths)
    records = [
        Record(
            title=f"Upvoted paper {n} on sparse lottery tickets",
            abstract="Tickets.",
            arxiv_id=pid,
            upvotes=votes,
            source=f"test:{n}",
        )
        for n, (pid, votes) in enumerate(VOTED.items())
    ]
    assert library.import_items(records).added == 3
    library.close()
    now = datetime.now(UTC)
    upvotes.record(
        sample_paths.store,
        [("2403.00001", 25, now - timedelta(days=1)), ("2403.00001", 42, now)],
    )
    upvotes.record(sample_paths.store, [("2403.00003", 7, now)])
    return sample_paths


def state_line(screen) -> str:  # type: ignore[no-untyped-def]
    return str(screen.detail.query_one("#detail-state").render())


async def show(pilot, screen, paper_id: str) -> None:  # type: ignore[no-untyped-def]
    screen.show_paper(paper_id)
    await until(pilot, lambda: screen.paper_id == paper_id, f"the cursor on {paper_id}")
    await settle(pilot)


async def test_the_detail_shows_upvotes_and_their_trend(voted_paths: DataPaths) -> None:
    app = make_app(voted_paths)
    async with app.run_test(size=(160, 45)) as pilot:
        screen = await settle(pilot)
        await show(pilot, screen, "2403.00001")
        assert state_line(screen).endswith("▲ 42, +17 since yesterday")
        await show(pilot, screen, "2403.00003")  # one fetch only: no trend yet
        assert state_line(screen).endswith("● unread   ▲ 7")
        await show(pilot, screen, "2403.00002")  # upvotes from a saved page, no history
        assert state_line(screen).endswith("● unread   ▲ 5")
        await pilot.press("G")
        await settle(pilot)
        assert "▲" not in state_line(screen)  # the sample's pages carry no upvotes


def test_the_trend_names_its_day_when_it_is_not_today() -> None:
    today = date(2024, 3, 11)
    assert upvote_text(Trend(42, 17, "2024-03-11T09:30:00+00:00"), today) == (
        "▲ 42, +17 since yesterday"
    )
    assert upvote_text(Trend(42, 17, "2024-03-01T09:30:00+00:00"), today) == (
        "▲ 42, +17 since 2024-02-29"
    )
    assert upvote_text(Trend(1200, 0, "2024-03-11T00:00:00+00:00"), today) == (
        "▲ 1,200, unchanged since yesterday"
    )
    assert upvote_text(Trend(3, -2, "2024-03-11T00:00:00+00:00"), today) == (
        "▲ 3, -2 since yesterday"
    )
    assert upvote_text(Trend(9, None), today) == "▲ 9"


async def test_the_sort_cycle_includes_upvotes(voted_paths: DataPaths) -> None:
    app = make_app(voted_paths)
    async with app.run_test(size=(160, 45)) as pilot:
        screen = await settle(pilot)
        await pilot.press("slash", *"lottery tickets", "enter")
        await settle(pilot)
        assert screen.sort == "relevance"
        seen = []
        for _ in range(4):
            await pilot.press("ctrl+o")
            await settle(pilot)
            seen.append(screen.sort)
            if screen.sort == "upvotes":
                rows = [screen.paper_list.rows.paper_id(row) for row in range(3)]
                assert rows == ["2403.00001", "2403.00003", "2403.00002"]
                assert "sorted by upvotes" in str(screen.status.render())
        assert seen == ["date", "title", "upvotes", "relevance"]


async def test_default_sort_upvotes_sorts_browsing_too(voted_paths: DataPaths) -> None:
    app = make_app(voted_paths, default_sort="upvotes")
    async with app.run_test(size=(160, 45)) as pilot:
        screen = await settle(pilot)
        rows = [screen.paper_list.rows.paper_id(row) for row in range(4)]
        assert rows[:3] == ["2403.00001", "2403.00003", "2403.00002"]
        assert screen.status.sort == "upvotes" and screen.status.total == 409
