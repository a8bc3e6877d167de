"""What the main screen is searching, and the rules that read it (screens/searching.py); the
screen's flows over it are in test_tui_search.py, test_tui_queue.py and test_tui_for_you.py."""

from __future__ import annotations

from reader.tui.screens.daily_commands import Relisted
from reader.tui.screens.searching import Searching
from reader.tui.widgets.saved_searches import ALL_PAPERS, BUILTINS, FOR_YOU, SearchEntry

QUEUE = next(entry for entry in BUILTINS if entry.name == "Queue")


def test_a_saved_search_opens_in_its_saved_sort_and_once_marks_its_papers_seen() -> None:
    searching = Searching(sort="date")
    mine = SearchEntry("mine", "pruning")
    searching.open(mine, {"mine": "title"})
    assert (searching.active_search, searching.sort) == ("mine", "title")
    assert searching.take_opened() == "mine" and searching.take_opened() is None
    searching.open(SearchEntry("odd", "x"), {"odd": "no such sort"})  # the sort in use stays
    assert searching.sort == "title"
    searching.open(QUEUE, {"Queue": "date"})  # a built-in: its own order, never a saved one
    assert searching.sort == "relevance" and searching.take_opened() is None


def test_a_feed_hides_its_muted_papers_until_asked_and_a_typed_query_hides_none() -> None:
    searching = Searching()
    assert searching.active_search == ALL_PAPERS.name and searching.feed
    assert not searching.muted_to_show(0) and searching.muted_to_show(2)
    searching.showing_muted = True
    assert not searching.feed and searching.muted_shown and searching.muted_to_show(0)
    searching.typed()
    assert searching.active_search is None and not searching.feed
    assert not searching.muted_shown and not searching.muted_to_show(2)


def test_for_you_and_the_queue_are_told_by_what_is_searched() -> None:
    searching = Searching()
    searching.open(FOR_YOU, {})
    assert searching.for_you and not searching.in_queue
    searching.open(QUEUE, {})
    searching.query = QUEUE.query
    assert searching.in_queue and not searching.for_you
    searching.next_sort()  # the Queue in another order: J and K would move nothing
    assert searching.sort == "date" and not searching.in_queue


def test_a_change_relists_only_a_list_that_depends_on_it() -> None:
    searching = Searching()
    searching.typed()
    searching.query = "pruning"
    assert not searching.relists(Relisted("p1", queue=True, watch=True))
    searching.query = "is:queued pruning"
    assert searching.relists(Relisted("p1", queue=True))
    assert not searching.relists(Relisted("p1", watch=True))
    searching.open(ALL_PAPERS, {})  # a feed: follows and mutes move papers in and out
    assert searching.relists(Relisted("p1", watch=True))
