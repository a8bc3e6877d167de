"""`S`: the papers like the current one on a screen of their own, their shared terms in the
detail; S again goes further, Esc back a step; a search leaves them all."""

from __future__ import annotations

from textual.app import App
from textual.pilot import Pilot
from tui_helpers import make_app, quiet, run_command, screen_text, settle, until

from reader.core.library import SimilarResult
from reader.core.library.facade import Library
from reader.core.model import Record
from reader.core.paths import DataPaths
from reader.tui.screens.help import HelpScreen
from reader.tui.screens.main import MainScreen
from reader.tui.screens.papers import PapersScreen
from reader.tui.screens.similar import SimilarScreen
from reader.tui.widgets.found import Found
from reader.tui.widgets.paper_panes import SIMILAR_LIMIT
from reader.tui.widgets.search_bar import SearchBar

LOTTERY = "Proving the Lottery Ticket Hypothesis: Pruning is All You Need"


def similar_to(paths: DataPaths, query: str) -> tuple[str, SimilarResult]:
    """The first paper a query finds, and what the core says is like it."""
    library = Library(paths)
    try:
        paper_id = library.search_ids(query)[0][0]
        result = library.similar(paper_id, limit=SIMILAR_LIMIT)
        assert result is not None and result.results
        return paper_id, result
    finally:
        library.close()


def shown_ids(screen: PapersScreen[object]) -> list[str]:
    rows = screen.paper_list.rows
    return [rows.paper_id(row) for row in range(len(rows))]  # type: ignore[misc]


async def similar_on_screen(
    pilot: Pilot[object], below: PapersScreen[object] | None = None
) -> SimilarScreen:
    """Wait for a list of similar papers pushed over `below` (or over anything) to settle."""
    app: App[object] = pilot.app

    def pushed() -> bool:
        screen = app.screen
        return isinstance(screen, SimilarScreen) and screen is not below and screen.is_mounted

    await until(pilot, pushed, "the similar papers")
    similar = app.screen
    assert isinstance(similar, SimilarScreen)
    await quiet(pilot, similar)
    return similar


async def test_s_lists_the_papers_like_this_one_with_the_terms_they_share(
    sample_paths: DataPaths,
) -> None:
    paper_id, expected = similar_to(sample_paths, f'title:"{LOTTERY}"')
    app = make_app(sample_paths)
    async with app.run_test(size=(160, 45)) as pilot:
        screen = await settle(pilot)
        await pilot.press("slash", *f'title:"{LOTTERY}"', "enter")
        await settle(pilot)
        assert screen.paper_id == paper_id
        await pilot.press("S")
        similar = await similar_on_screen(pilot, screen)
        assert shown_ids(similar) == [hit.id for hit in expected.results]
        assert similar.paper_id == expected.results[0].id and app.focused is similar.paper_list
        assert similar.status.total == len(expected.results)
        assert similar.status.context == "like “Proving the Lottery Ticket…”"
        assert set(expected.stems) <= similar.paper_list.terms  # highlighted in the titles
        hint = similar.search_bar.hint
        assert hint.startswith(f"Papers like “{LOTTERY}” · key terms: ")
        shown = hint.split(" · key terms: ")[1].split(", ")
        assert 3 <= len(shown) <= 5 and shown == expected.terms[: len(shown)]  # the strongest
        assert len(hint) <= similar.search_bar.size.width - 4  # one line
        assert similar.search_bar.value == f'title:"{LOTTERY}"'  # the search it came from
        like = similar.detail.view.like  # type: ignore[union-attr]
        assert like is not None and like.title == LOTTERY
        assert list(like.terms) == expected.results[0].terms
        shares = ", ".join(expected.results[0].terms)
        painted = str(similar.detail.query_one("#detail-like").render())
        assert painted == f"Like “{LOTTERY}”: shares {shares}"
        text = screen_text(app)
        assert "Like “Proving the Lottery" in text
        assert "esc Back" in text and "S Similar" in text

        await pilot.press("j")
        await quiet(pilot, similar)
        second = expected.results[1]
        assert similar.detail.view.like.terms == tuple(second.terms)  # type: ignore[union-attr]


async def test_escape_goes_back_a_step_to_where_s_was_pressed(sample_paths: DataPaths) -> None:
    app = make_app(sample_paths)
    async with app.run_test(size=(160, 45)) as pilot:
        screen = await settle(pilot)
        await pilot.press("slash", *"lottery ticket", "enter")
        await settle(pilot)
        searched = shown_ids(screen)
        await pilot.press("j")
        await settle(pilot)
        origin = screen.paper_id
        await pilot.press("S")
        first = await similar_on_screen(pilot, screen)
        first_level = shown_ids(first)
        await pilot.press("j")
        await quiet(pilot, first)
        middle = first.paper_id
        await pilot.press("S")  # one paper further
        second = await similar_on_screen(pilot, first)
        assert shown_ids(second) != first_level and middle not in shown_ids(second)

        await pilot.press("escape")
        await until(pilot, lambda: app.screen is first, "the first list again")
        assert shown_ids(first) == first_level and first.paper_id == middle
        assert first.status.context is not None

        await pilot.press("escape")
        await until(pilot, lambda: app.screen is screen, "the search again")
        await settle(pilot)
        assert shown_ids(screen) == searched and screen.paper_id == origin
        assert screen.query_text == "lottery ticket"
        assert "sorted by relevance" in screen_text(app)
        assert "Papers like" not in screen.search_bar.hint

        await pilot.press("escape")  # no similar list left: Esc is the list's own again
        assert app.focused is screen.saved


async def test_a_saved_search_comes_back_marked(sample_paths: DataPaths) -> None:
    app = make_app(sample_paths)
    async with app.run_test(size=(160, 45)) as pilot:
        screen = await settle(pilot)
        assert screen.saved.active == "All papers"
        await pilot.press("S")
        similar = await similar_on_screen(pilot, screen)
        assert similar.saved.active is None
        assert similar.saved.counts == screen.saved.counts  # the same pane, to the eye
        await pilot.press("escape")
        await until(pilot, lambda: app.screen is screen, "All papers again")
        await settle(pilot)
        assert screen.saved.active == "All papers" and screen.status.total == 406


async def test_a_new_search_leaves_the_similar_papers(sample_paths: DataPaths) -> None:
    app = make_app(sample_paths)
    async with app.run_test(size=(160, 45)) as pilot:
        screen = await settle(pilot)
        await pilot.press("S")
        first = await similar_on_screen(pilot, screen)
        await pilot.press("S")  # two lists deep: a search leaves both
        await similar_on_screen(pilot, first)
        await pilot.press("slash", *"diffusion", "enter")
        await until(pilot, lambda: screen.query_text == "diffusion", "the new search")
        await settle(pilot)
        assert app.screen is screen and screen.search_bar.value == "diffusion"
        assert app.focused is screen.paper_list  # Enter went to the list
        assert "Papers like" not in screen.search_bar.hint
        await pilot.press("escape")  # nothing to go back to
        assert screen.query_text == "diffusion" and app.screen is screen


async def test_a_saved_search_or_a_paper_elsewhere_leaves_them_too(
    sample_paths: DataPaths,
) -> None:
    app = make_app(sample_paths)
    async with app.run_test(size=(160, 45)) as pilot:
        screen = await settle(pilot)
        await pilot.press("S")
        await similar_on_screen(pilot, screen)
        await run_command(pilot, "Search: Unread")
        await until(pilot, lambda: app.screen is screen, "the main screen")
        await settle(pilot)
        assert screen.query_text == "is:unread" and screen.saved.active == "Unread"

        await pilot.press("S")
        similar = await similar_on_screen(pilot, screen)
        elsewhere = next(i for i in shown_ids(screen) if i not in shown_ids(similar))
        similar.show_paper(elsewhere)  # what the palette's "Paper: …" does
        await until(pilot, lambda: app.screen is screen, "the main screen")
        await settle(pilot)
        assert screen.saved.active == "All papers" and screen.paper_id == elsewhere


async def test_sort_and_save_wait_while_similar_papers_are_shown(sample_paths: DataPaths) -> None:
    app = make_app(sample_paths)
    async with app.run_test(size=(160, 45)) as pilot:
        screen = await settle(pilot)
        await pilot.press("S")
        similar = await similar_on_screen(pilot, screen)
        shown = shown_ids(similar)
        states = {a.binding.id: a.enabled for a in similar.active_bindings.values()}
        assert states["sort"] is False and states["save_search"] is False  # dimmed
        await pilot.press("ctrl+o", "s")
        await quiet(pilot, similar)
        assert shown_ids(similar) == shown and app.screen is similar  # no prompt either


async def test_s_in_the_search_bar_is_a_letter(sample_paths: DataPaths) -> None:
    app = make_app(sample_paths)
    async with app.run_test(size=(160, 45)) as pilot:
        screen = await settle(pilot)
        await pilot.press("slash", *"Sparse")
        assert isinstance(app.focused.parent, SearchBar)  # type: ignore[union-attr]
        assert screen.search_bar.value == "Sparse"
        await settle(pilot)
        assert isinstance(app.screen, MainScreen)


async def test_a_paper_like_no_other_says_so_and_keeps_the_list(sample_paths: DataPaths) -> None:
    library = Library(sample_paths)
    odd = Record(title="Qzxv Wkjh", abstract="Xqzv plmk.", arxiv_id="2402.99999", source="t:1")
    library.import_items([odd])
    library.close()
    app = make_app(sample_paths)
    async with app.run_test(size=(160, 45)) as pilot:
        screen = await settle(pilot)
        assert screen.paper_id == "2402.99999"  # the newest addition comes first
        shown = shown_ids(screen)
        await pilot.press("S")
        message = "No papers like “Qzxv Wkjh”: it shares no distinctive words with any other paper."
        await until(
            pilot, lambda: any(n.message == message for n in app._notifications), "the notice"
        )
        await settle(pilot)
        assert shown_ids(screen) == shown and app.screen is screen


async def test_similar_is_in_the_palette_and_the_help(sample_paths: DataPaths) -> None:
    app = make_app(sample_paths)
    async with app.run_test(size=(160, 45)) as pilot:
        screen = await settle(pilot)
        await run_command(pilot, "similar", "Similar papers: the ones like this paper")
        await similar_on_screen(pilot, screen)
        await pilot.press("question_mark")
        assert isinstance(app.screen, HelpScreen)
        table = app.screen.query_one("#keys")
        rows = [[str(cell) for cell in table.get_row_at(row)] for row in range(table.row_count)]
        assert ["S", "Similar", "similar"] in rows
        assert ["esc", "Back", "similar.back"] in rows


async def test_similar_papers_and_searches_never_replace_a_newer_list(
    sample_paths: DataPaths,
) -> None:
    from reader.core.search.engine import SearchResult

    app = make_app(sample_paths)
    async with app.run_test(size=(160, 45)) as pilot:
        screen = await settle(pilot)
        before = screen.panes.ticket  # a search begun before S has this ticket
        paper_id = screen.paper_id
        listed = shown_ids(screen)
        await pilot.press("S")
        similar = await similar_on_screen(pilot, screen)
        shown = shown_ids(similar)
        late = Found(
            "x", "relevance", ["not-a-paper"], SearchResult("x", 1, 1.0, None, []), [], 1.0
        )
        screen.panes.search_landed(before, late)  # that search lands now
        await pilot.pause()
        assert app.screen is similar and shown_ids(similar) == shown
        assert shown_ids(screen) == listed  # dropped: the list under it is as it was too

        await pilot.press("escape")
        await until(pilot, lambda: app.screen is screen, "the main screen")
        asked = screen.panes.ticket  # S pressed now asks with this ticket...
        await pilot.press("slash", *"diffusion", "enter")  # ...and a search begins before it lands
        await until(pilot, lambda: screen.query_text == "diffusion", "the search")
        await settle(pilot)
        searched = shown_ids(screen)
        library = Library(sample_paths)
        result = library.similar(paper_id)  # type: ignore[arg-type]
        library.close()
        screen.panes.similar_landed(asked, paper_id, result)  # asked for before the search
        await pilot.pause()
        assert app.screen is screen and shown_ids(screen) == searched
