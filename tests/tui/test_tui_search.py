"""The search bar: as-you-type in a worker, stale results dropped, hints, suggestion, sort."""

from __future__ import annotations

from pathlib import Path

from textual import events
from textual.app import App, ComposeResult
from textual.pilot import Pilot
from tui_helpers import make_app, settle, until

from reader.core.library.facade import Library
from reader.core.paths import DataPaths
from reader.core.search.snippets import match_spans
from reader.tui.screens.main import MainScreen
from reader.tui.widgets.found import Found
from reader.tui.widgets.key_footer import KeyFooter
from reader.tui.widgets.search_bar import SearchBar


def expected_ids(paths: DataPaths, query: str, sort: str = "relevance") -> list[str]:
    library = Library(paths)
    try:
        return library.search_ids(query, sort=sort)[0]
    finally:
        library.close()


async def typed(pilot: Pilot[object], query: str) -> MainScreen:
    """The main screen once `query` was typed in its bar and its results are in."""
    screen = await settle(pilot)
    await pilot.press("slash", *query)
    await until(pilot, lambda: screen.query_text == query, f"the results of {query!r}")
    return await settle(pilot)


async def test_typing_searches_and_highlights_matched_words(sample_paths: DataPaths) -> None:
    wanted = expected_ids(sample_paths, "pruning lottery")
    app = make_app(sample_paths)
    async with app.run_test(size=(140, 40)) as pilot:
        screen = await settle(pilot)
        await pilot.press("slash")
        assert isinstance(app.focused.parent, SearchBar)  # type: ignore[union-attr]
        await pilot.press(*"pruning lottery")
        await until(pilot, lambda: screen.query_text == "pruning lottery", "the debounced query")
        await settle(pilot)
        assert screen.paper_list.rows.paper_id(0) == wanted[0]
        assert screen.status.total == len(wanted)
        terms = screen.paper_list.terms
        assert {"lotteri", "prune"} <= terms
        marked_rows = 0
        for row in range(len(wanted)):
            paper = screen.paper_list.rows.get(row)
            assert paper is not None
            strip = screen.paper_list.render_line(row)
            marked = [s.text for s in strip if s.style and s.style.underline]  # the match style
            expected = [paper.title[a:b] for a, b in match_spans(paper.title, terms)]
            if not expected:  # matched in the abstract only
                assert marked == [], paper.title
                continue
            marked_rows += 1
            assert marked, paper.title  # a cut title may cut its last marked word
            assert marked[:-1] == expected[: len(marked) - 1]
            assert expected[len(marked) - 1].startswith(marked[-1])
        assert marked_rows >= 3


async def test_a_stale_result_never_replaces_a_newer_one(sample_paths: DataPaths) -> None:
    app = make_app(sample_paths)
    async with app.run_test(size=(140, 40)) as pilot:
        screen = await settle(pilot)
        newest = screen.panes.ticket
        screen.panes.search_landed(newest - 1, _found(["not-a-paper"]))
        assert screen.paper_list.rows.paper_id(0) != "not-a-paper"
        assert screen.status.total == 406


async def test_a_search_overtaken_while_it_waits_is_not_run(sample_paths: DataPaths) -> None:
    """Keys typed while the library is busy leave one search waiting, not one per key: a
    search a newer one overtook gives up when the library is free, and the newest lands."""
    wanted = expected_ids(sample_paths, "lottery")
    app = make_app(sample_paths)
    async with app.run_test(size=(140, 40)) as pilot:
        screen = await settle(pilot)
        data = screen.data
        assert data.search_ids("lottery", "relevance", feed=False, wanted=lambda: False) is None
        listed = data.search_ids("lottery", "relevance", feed=False, wanted=lambda: True)
        assert listed is not None and list(listed[0]) == wanted
        with data.lock:  # a slow search holds the library
            screen.search_typed("pruning")
            screen.search_typed("lottery")
            await pilot.pause()
        await until(pilot, lambda: not screen.status.busy, "the newest search")
        await settle(pilot)
        assert screen.query_text == "lottery" and screen.panes.shown_query == "lottery"
        assert list(screen.paper_list.rows.ids) == wanted


def _found(ids: list[str]) -> Found:  # a result as a search hands it in, as if it were stale
    from reader.core.search.engine import SearchResult

    result = SearchResult(
        query="x", total=1, took_ms=1.0, suggestion=None, results=[], note=None, sort="relevance"
    )
    return Found("x", "relevance", ids, result, [], 1.0)


async def test_enter_goes_to_the_list_and_escape_leaves_the_bar(sample_paths: DataPaths) -> None:
    app = make_app(sample_paths)
    async with app.run_test(size=(140, 40)) as pilot:
        screen = await settle(pilot)
        await pilot.press("slash", *"learning", "enter")
        assert app.focused is screen.paper_list
        await settle(pilot)
        assert screen.query_text == "learning"
        await pilot.press("slash")
        assert isinstance(app.focused.parent, SearchBar)  # type: ignore[union-attr]
        await pilot.press("escape")
        assert app.focused is screen.paper_list


async def test_a_malformed_query_shows_a_hint_not_an_exception(sample_paths: DataPaths) -> None:
    app = make_app(sample_paths)
    async with app.run_test(size=(140, 40)) as pilot:
        screen = await settle(pilot)
        await pilot.press("slash", *'title:( "unclosed', "enter")
        await settle(pilot)
        assert "⚠" in screen.search_bar.hint
        assert app.is_running


async def test_a_typo_offers_the_suggestion_taken_with_one_key(sample_paths: DataPaths) -> None:
    app = make_app(sample_paths)
    async with app.run_test(size=(140, 40)) as pilot:
        screen = await settle(pilot)
        await pilot.press("slash", *"lotery", "enter")
        await settle(pilot)
        hint = screen.search_bar.hint
        assert "Did you mean lottery?" in hint and "^y uses it" in hint
        assert screen.suggestion == "lottery"
        await pilot.press("ctrl+y")
        await settle(pilot)
        assert screen.search_bar.value == "lottery"
        assert screen.status.total == len(expected_ids(sample_paths, "lottery")) > 0
        assert screen.suggestion is None


async def test_the_footer_keeps_its_keys_while_a_suggestion_comes_and_goes(
    sample_paths: DataPaths,
) -> None:
    """The hint names the suggestion's key; the footer is not rebuilt on such a keystroke."""
    app = make_app(sample_paths)
    async with app.run_test(size=(140, 40)) as pilot:
        screen = await typed(pilot, "lottery")
        keys = list(screen.query_one(KeyFooter).children)
        await pilot.press("left", "left", "left", "backspace")  # "lotery"
        await until(pilot, lambda: screen.suggestion == "lottery", "the suggestion")
        await settle(pilot)
        assert "^y uses it" in screen.search_bar.hint
        await pilot.press("t")  # "lottery" again: no suggestion
        await until(pilot, lambda: screen.suggestion is None, "no suggestion")
        await settle(pilot)
        assert not screen.search_bar.hint
        assert keys and list(screen.query_one(KeyFooter).children) == keys
        assert "Use suggestion" not in [getattr(key, "description", "") for key in keys]


async def test_zero_results_say_so(sample_paths: DataPaths) -> None:
    app = make_app(sample_paths)
    async with app.run_test(size=(140, 40)) as pilot:
        screen = await settle(pilot)
        await pilot.press("slash", *"qzxv", "enter")
        await settle(pilot)
        assert screen.status.total == 0
        assert "No results." in screen.search_bar.hint
        assert screen.paper_id is None
        assert "No papers match." in screen.paper_list.render_line(0).text


async def test_the_sort_key_cycles_relevance_date_title_upvotes(sample_paths: DataPaths) -> None:
    app = make_app(sample_paths)
    async with app.run_test(size=(140, 40)) as pilot:
        screen = await settle(pilot)
        await pilot.press("slash", *"learning", "enter")
        await settle(pilot)
        assert screen.status.sort == "relevance"
        for sort in ("date", "title", "upvotes", "relevance"):
            await pilot.press("ctrl+o")
            await settle(pilot)
            assert screen.sort == sort and screen.status.sort == sort
            wanted = expected_ids(sample_paths, "learning", sort)
            assert [screen.paper_list.rows.paper_id(i) for i in range(5)] == wanted[:5]


async def test_every_order_ctrl_o_shows_on_all_papers_is_in_the_readme(
    sample_paths: DataPaths,
) -> None:
    """All papers has no words to rank by: its "relevance" is date added (#21, point 8)."""
    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8")
    row = next(line for line in readme.splitlines() if line.startswith("| `ctrl+o` |"))
    app = make_app(sample_paths)
    async with app.run_test(size=(140, 40)) as pilot:
        screen = await settle(pilot)
        shown = {screen.status.sort}
        for _ in range(4):
            await pilot.press("ctrl+o")
            await settle(pilot)
            shown.add(screen.status.sort)
    assert "date added" in shown
    for order in shown:
        assert order in row, order


async def test_filters_of_the_query_language_work_in_the_bar(sample_paths: DataPaths) -> None:
    app = make_app(sample_paths)
    async with app.run_test(size=(140, 40)) as pilot:
        screen = await settle(pilot)
        await pilot.press("b")  # bookmark the first paper
        await until(pilot, lambda: screen.data.idle(), "the bookmark")
        first = screen.paper_id
        await pilot.press("slash", *"is:bookmarked", "enter")
        await settle(pilot)
        assert screen.status.total == 1
        assert screen.paper_list.rows.paper_id(0) == first


async def test_keys_typed_in_a_burst_after_slash_reach_the_bar(sample_paths: DataPaths) -> None:
    """As a terminal delivers a fast typist's (or a paste's) keys: all queued at once."""
    app = make_app(sample_paths)
    async with app.run_test(size=(140, 40)) as pilot:
        screen = await settle(pilot)
        for char in "/lottery\r":
            name = {"/": "slash", "\r": "enter"}.get(char, char)
            app.post_message(events.Key(name, None if char == "\r" else char))
        await until(pilot, lambda: screen.query_text == "lottery", "the query")
        await settle(pilot)
        assert screen.search_bar.value == "lottery"
        assert app.focused is screen.paper_list
        app.post_message(events.Key("b", "b"))  # right after Enter: a command, not text
        await until(pilot, lambda: screen.data.user.is_bookmarked(screen.paper_id), "bookmark")
        assert screen.search_bar.value == "lottery"


async def test_a_new_query_starts_at_its_best_match_and_a_new_sort_keeps_the_paper(
    sample_paths: DataPaths,
) -> None:
    wanted = expected_ids(sample_paths, "lottery ticket")
    app = make_app(sample_paths)
    async with app.run_test(size=(140, 40)) as pilot:
        screen = await typed(pilot, "lottery")
        await pilot.press("enter", "j", "j")  # to the list, down to a paper that matches both
        kept = screen.paper_id
        assert kept is not None and kept != wanted[0]
        await pilot.press("ctrl+o")  # the same words by date: still on that paper
        await until(pilot, lambda: screen.status.sort == "date", "the date sort")
        await settle(pilot)
        assert screen.paper_id == kept
        await pilot.press("ctrl+o", "ctrl+o", "ctrl+o")  # back to relevance
        await until(pilot, lambda: screen.status.sort == "relevance", "relevance again")
        await pilot.press("slash", *" ticket")
        await until(pilot, lambda: screen.query_text == "lottery ticket", "the new query")
        await settle(pilot)
        assert screen.paper_list.cursor == 0
        assert screen.paper_id == wanted[0]


async def test_while_searches_are_fast_typing_searches_at_once(sample_paths: DataPaths) -> None:
    """No debounce set: the bar learns each search's time from the screen, and after a fast
    one a keystroke announces its query right away (no timer to wait for)."""
    app = make_app(sample_paths)
    async with app.run_test(size=(140, 40)) as pilot:
        screen = await settle(pilot)
        bar = screen.search_bar
        assert bar.last_search_ms == screen.status.took_ms  # the start-up list's search
        bar.searched_in(1.0)
        await pilot.press("slash", "p")
        assert bar.pause_s == 0.0
        await pilot.pause()
        assert screen.query_text == "p"
        await settle(pilot)
        assert bar.last_search_ms == screen.status.took_ms  # the search of "p"


class BarApp(App[None]):
    """The search bar alone, noting each query it announces (nothing searches here, so the
    last search's time is whatever the test says)."""

    def __init__(self, bar: SearchBar) -> None:
        super().__init__()
        self.bar = bar
        self.announced: list[str] = []

    def compose(self) -> ComposeResult:
        yield self.bar

    def on_search_bar_query_changed(self, event: SearchBar.QueryChanged) -> None:
        self.announced.append(event.query)


async def test_after_a_slow_search_the_first_key_searches_at_once_and_a_burst_waits() -> None:
    """No debounce set and the last search slow: a key that ends a pause in typing is
    announced at once; the keys right after it wait for typing to pause (Enter, here)."""
    bar = SearchBar()
    bar.debounce_s = 3600.0  # the pause: a burst's keys never outlast it in this test
    app = BarApp(bar)
    async with app.run_test() as pilot:
        bar.searched_in(500.0)
        bar.input.focus()
        await pilot.press("l")
        await until(pilot, lambda: app.announced == ["l"], "the first key's query, at once")
        await pilot.press("o", "t")
        assert bar.pause_s == 3600.0  # typing goes on: the next key would wait too
        await pilot.pause()
        assert app.announced == ["l"]
        bar.announce()  # what Enter does
        assert bar.input.value == "lot"
        await until(pilot, lambda: app.announced == ["l", "lot"], "the burst's query")
        bar.searched_in(1.0)  # searches are fast again: no key waits
        await pilot.press("t")
        await until(pilot, lambda: app.announced[-1] == "lott", "the key's query, at once")


def test_a_pause_the_user_set_is_kept_however_fast_searches_are() -> None:
    bar = SearchBar(80)
    assert bar.pause_s == 0.08
    bar.searched_in(1.0)
    assert bar.pause_s == 0.08
    adaptive = SearchBar()
    assert adaptive.pause_s == 0.0  # nothing typed yet: the first key is no burst
    adaptive.searched_in(19.9)
    assert adaptive.pause_s == 0.0
