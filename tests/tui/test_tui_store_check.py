"""After an unclean end the app paints at once and checks the store beside it: searches go
on, an edit waits for the check, and a damaged store is set aside with the way back told."""

from __future__ import annotations

import threading
from collections.abc import Callable
from contextlib import AbstractContextManager
from pathlib import Path

import pytest
from tui_helpers import make_app, settle, until

from reader.core.paths import DataPaths
from reader.core.store import background_check

Elsewhere = Callable[[Path], AbstractContextManager[object]]


def notices(app: object, words: str) -> list[str]:
    return [n.message for n in app._notifications if words in n.message]  # type: ignore[attr-defined]


async def test_the_app_paints_and_searches_while_an_edit_waits_for_the_check(
    sample_paths: DataPaths, reader_elsewhere: Elsewhere, held: threading.Event
) -> None:
    with reader_elsewhere(sample_paths.data_dir):
        pass  # a reader killed with the library open
    app = make_app(sample_paths)
    async with app.run_test(size=(140, 40)) as pilot:
        screen = await settle(pilot)  # the papers on screen, the check still held
        check = screen.data.library.store_check
        assert check is not None and check.running
        assert screen.status.checking and screen.paper_list.count == 406
        assert "Checking the store after an unclean end…" in str(screen.status.render())
        await pilot.press("slash", *"lottery ticket", "enter")
        await until(pilot, lambda: screen.query_text == "lottery ticket", "the search")
        await settle(pilot)
        assert 0 < screen.paper_list.count < 406 and check.running  # a read: it did not wait
        paper = screen.paper_id
        assert paper is not None
        await pilot.press("b")
        await until(pilot, lambda: notices(app, "Saving as soon as"), "the edit to wait")
        assert not screen.data.user.is_bookmarked(paper)
        held.set()
        await until(pilot, lambda: screen.data.user.is_bookmarked(paper), "the bookmark")
        await until(pilot, lambda: not screen.status.checking, "the status line to clear")
        assert "Checking" not in str(screen.status.render())
        assert not notices(app, "damaged")


async def test_a_damaged_store_found_by_the_check_is_set_aside_and_told(
    sample_paths: DataPaths,
    reader_elsewhere: Elsewhere,
    held: threading.Event,
    damage_an_index: Callable[[Path], None],
) -> None:
    with reader_elsewhere(sample_paths.data_dir):
        pass
    damage_an_index(sample_paths.store)
    app = make_app(sample_paths)
    async with app.run_test(size=(140, 40)) as pilot:
        screen = await settle(pilot)
        assert screen.paper_list.count == 406 and screen.status.checking
        held.set()
        await until(pilot, lambda: notices(app, "damaged"), "the notice")
        (notice,) = notices(app, "damaged")
        (aside,) = sample_paths.data_dir.glob("papers.sqlite3.damaged-*")
        assert "moved to" in notice and str(aside) in notice and "\n" not in notice
        await until(pilot, lambda: not screen.status.checking, "the status line to clear")
        await settle(pilot)  # listed again from the fresh store: the app works on
        assert screen.paper_list.count == 0
        await pilot.press("slash", *"lottery ticket", "enter")
        await settle(pilot)
        assert screen.query_text == "lottery ticket"
        assert screen.paper_list.count == 0  # the index follows the fresh store: no blank rows
        assert app.is_running


async def test_the_check_begins_once_the_papers_are_on_screen(
    sample_paths: DataPaths, reader_elsewhere: Elsewhere, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The check reads the whole store: begun before the first frame, on a cold start it held
    that frame back by seconds."""
    with reader_elsewhere(sample_paths.data_dir):
        pass
    app = make_app(sample_paths)
    listed_then: list[int] = []

    def started() -> None:  # in the check's thread, before it reads the store
        paper_list = getattr(app.screen, "paper_list", None)
        listed_then.append(paper_list.count if paper_list is not None else 0)

    monkeypatch.setattr(background_check.hooks, "started", started)
    async with app.run_test(size=(140, 40)) as pilot:
        screen = await settle(pilot)
        await until(pilot, lambda: not screen.status.checking, "the check to end")
        assert listed_then == [406]
