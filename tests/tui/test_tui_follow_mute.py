"""`f` and `ctrl+x` on a real library: follow an author (◆ in the list, in the theme's colour,
counted under Followed), mute a key term (out of every feed and its count, never out of a
typed search; the status line counts them and ctrl+u shows them), and undo both."""

from __future__ import annotations

from daily_helpers import NEWEST_FIRST, daily_paths, daily_template, notices, severity_of
from textual.color import Color
from textual.pilot import Pilot
from textual.widgets import OptionList
from tui_helpers import make_app, quiet, screen_text, settle, until

from reader.core.library.facade import Library
from reader.core.model import Record
from reader.core.paths import DataPaths
from reader.tui.screens.main import MainScreen
from reader.tui.screens.prompt import PromptScreen
from reader.tui.screens.watch_chooser import WatchChooser
from reader.tui.widgets.paper_list import MARK_FOLLOWED, MARK_MUTED
from reader.tui.widgets.saved_searches import Counts

__all__ = ["daily_paths", "daily_template"]  # fixtures


async def go_to(pilot: Pilot[object], screen: MainScreen, paper_id: str) -> None:
    """Walk the list down to a paper, a key at a time."""
    for _ in range(len(NEWEST_FIRST)):
        if screen.paper_id == paper_id:
            break
        await pilot.press("j")
    await quiet(pilot, screen)
    assert screen.paper_id == paper_id


async def chooser(pilot: Pilot[object]) -> list[str]:
    """Wait for the chooser; its options as shown."""
    await until(pilot, lambda: isinstance(pilot.app.screen, WatchChooser), "the chooser")
    options = pilot.app.screen.query_one(OptionList)
    return [str(options.get_option_at_index(n).prompt) for n in range(options.option_count)]


def marks(screen: MainScreen) -> dict[str, str]:
    """The glyph in the follow column of each row on screen, by paper id."""
    shown = {}
    for row in range(screen.paper_list.count):
        pid = screen.paper_list.rows.paper_id(row)
        text = screen.paper_list.render_line(row).text
        shown[pid] = text[4]  # " " + unread, bookmark, note, then this column
    return shown


async def test_f_follows_an_author_marks_and_counts_the_papers_and_f_takes_it_back(
    daily_paths: DataPaths,
) -> None:
    app = make_app(daily_paths)
    async with app.run_test(size=(140, 40)) as pilot:
        screen = await settle(pilot)
        await go_to(pilot, screen, "2401.00003")
        await pilot.press("f")
        options = await chooser(pilot)
        assert options[:2] == ['  author:"Albert Gu"  author', '  author:"Tri Dao"  author']
        assert any(option.startswith("  abstract:") for option in options[2:])
        assert options[-1].startswith("Type a query…")

        await pilot.press("enter")
        said = 'Following author:"Albert Gu": 2 papers now, and those still to come.'
        await until(pilot, lambda: said in notices(app), "the follow")
        await until(pilot, lambda: screen.data.marks.is_followed("2401.00004"), "the marks")
        await until(pilot, lambda: screen.saved.counts.get("Followed") == Counts(2), "the count")
        await quiet(pilot, screen)
        shown = marks(screen)
        assert {pid for pid, glyph in shown.items() if glyph == MARK_FOLLOWED} == {
            "2401.00003",
            "2401.00004",
        }
        detail = screen.detail.query_one("#detail-daily").render()
        assert str(detail) == '◆ following author:"Albert Gu"'
        # The mark is in the theme's colour for followed papers (a row off the cursor).
        row = NEWEST_FIRST.index("2401.00004")
        glyph = next(s for s in screen.paper_list.render_line(row) if s.text == MARK_FOLLOWED)
        expected = Color.parse(app.theme_variables["reader-followed"]).rich_color
        assert glyph.style is not None and glyph.style.color == expected
        follows = (daily_paths.user_dir / "follows.yaml").read_text(encoding="utf-8")
        assert 'author:"Albert Gu"' in follows

        await pilot.press("f")  # again: the follow is offered to take back
        options = await chooser(pilot)
        assert options[0] == '✓ author:"Albert Gu"  following · Enter: unfollow'
        await pilot.press("enter")
        await until(pilot, lambda: 'Unfollowed author:"Albert Gu".' in notices(app), "unfollow")
        await until(pilot, lambda: not screen.data.marks.is_followed("2401.00004"), "no marks")
        await until(pilot, lambda: screen.saved.counts.get("Followed") == Counts(0), "the count")
        await quiet(pilot, screen)
        assert MARK_FOLLOWED not in marks(screen).values()


async def test_ctrl_x_mutes_a_key_term_out_of_the_feeds_never_out_of_a_search(
    daily_paths: DataPaths,
) -> None:
    app = make_app(daily_paths)
    async with app.run_test(size=(140, 40)) as pilot:
        screen = await settle(pilot)
        await go_to(pilot, screen, "2401.00002")
        await pilot.press("ctrl+x")
        options = await chooser(pilot)
        assert options[0] == "  abstract:survey  key term"
        assert '  author:"Yann LeCun"  author' in options  # authors come after, to mute
        await pilot.press("enter")
        said = "Muted abstract:survey: 2 papers leave your feeds (a search still finds them)."
        await until(pilot, lambda: said in notices(app), "the mute")
        await until(pilot, lambda: screen.status.hidden == 2, "the hidden count")
        await quiet(pilot, screen)
        assert list(screen.paper_list.rows.ids) == [
            pid for pid in NEWEST_FIRST if pid not in ("2401.00002", "2401.00005")
        ]
        assert screen.paper_id == "2401.00001"  # the muted paper's neighbour took its row
        assert str(screen.status.render()).startswith(
            "4 papers · 2 muted hidden (ctrl+u shows) · sorted by date added"
        )
        for name in ("All papers", "Unread", "Recently added"):
            await until(pilot, lambda n=name: screen.saved.counts[n] == Counts(4), name)

        await pilot.press("slash", *"survey", "enter")  # a typed search hides nothing
        await until(pilot, lambda: screen.query_text == "survey", "the search")
        await quiet(pilot, screen)
        assert screen.status.total == 2 and screen.status.hidden == 0
        assert "muted" not in str(screen.status.render())

        await pilot.press("escape", "g", "j", "enter")  # All papers again (under For you)
        await until(pilot, lambda: screen.query_text == "" and screen.status.total == 4, "feed")
        await quiet(pilot, screen)
        await pilot.press("ctrl+u")  # one key shows them, marked ⊘
        await until(pilot, lambda: screen.status.total == 6, "the muted papers")
        await quiet(pilot, screen)
        assert "6 papers · muted shown (ctrl+u hides)" in str(screen.status.render())
        assert {pid for pid, g in marks(screen).items() if g == MARK_MUTED} == {
            "2401.00002",
            "2401.00005",
        }
        await go_to(pilot, screen, "2401.00002")
        assert "⊘ muted by abstract:survey" in str(
            screen.detail.query_one("#detail-daily").render()
        )
        await pilot.press("ctrl+x")  # the mute is offered to take back
        options = await chooser(pilot)
        assert options[0] == "✓ abstract:survey  muted · Enter: unmute"
        await pilot.press("enter")
        await until(pilot, lambda: "Unmuted abstract:survey." in notices(app), "the unmute")
        await until(pilot, lambda: screen.saved.counts["All papers"] == Counts(6), "the counts")


async def test_the_first_page_never_shows_a_muted_paper(daily_paths: DataPaths) -> None:
    library = Library(daily_paths)
    library.watching.mute("abstract:survey")
    library.close()
    app = make_app(daily_paths)
    async with app.run_test(size=(140, 40)) as pilot:
        seen: list[str] = []
        await until(pilot, lambda: isinstance(app.screen, MainScreen), "the main screen")
        screen = app.screen
        assert isinstance(screen, MainScreen)
        while screen.status.total is None or screen.status.busy:  # every list painted on the way
            seen += list(screen.paper_list.rows.ids)
            await pilot.pause(0.01)
        await settle(pilot)
        seen += list(screen.paper_list.rows.ids)
        assert seen and not {"2401.00002", "2401.00005"} & set(seen)
        assert screen.status.hidden == 2


async def test_a_typed_query_is_followed_and_a_bad_one_is_refused_in_one_line(
    daily_paths: DataPaths,
) -> None:
    app = make_app(daily_paths)
    async with app.run_test(size=(140, 40)) as pilot:
        screen = await settle(pilot)
        await pilot.press("f")
        await chooser(pilot)
        await pilot.press("end", "enter")  # "Type a query…"
        await until(pilot, lambda: isinstance(app.screen, PromptScreen), "the prompt")
        await pilot.press(*'title:"state spaces', "enter")
        refused = "Not followed: malformed query (unclosed quote)"
        await until(pilot, lambda: any(n.startswith(refused) for n in notices(app)), "refusal")
        assert severity_of(app, refused) == "error"
        assert not (daily_paths.user_dir / "follows.yaml").exists()

        await pilot.press("f")
        await chooser(pilot)
        await pilot.press("end", "enter")
        await until(pilot, lambda: isinstance(app.screen, PromptScreen), "the prompt")
        await pilot.press(*'title:"state spaces"', "enter")
        said = 'Following title:"state spaces": 2 papers now, and those still to come.'
        await until(pilot, lambda: said in notices(app), "the follow")
        await until(pilot, lambda: screen.saved.counts.get("Followed") == Counts(2), "the count")


async def test_f_in_the_search_bar_is_a_letter(daily_paths: DataPaths) -> None:
    app = make_app(daily_paths)
    async with app.run_test(size=(140, 40)) as pilot:
        screen = await settle(pilot)
        await pilot.press("slash", *"fazp")
        await until(pilot, lambda: screen.search_bar.value == "fazp", "the letters typed")
        assert not isinstance(app.screen, WatchChooser)
        assert not (daily_paths.user_dir / "queue.yaml").exists()


async def test_names_and_titles_in_the_chooser_are_text(daily_paths: DataPaths) -> None:
    library = Library(daily_paths)
    library.import_items(
        [
            Record(
                title="[bold]Loud[/bold] title [/",
                abstract="A paper whose words look like markup.",
                authors=["[red]Evil[/red] Author", "$text-accent"],
                arxiv_id="2402.00001",
            )
        ]
    )
    library.close()
    app = make_app(daily_paths)
    async with app.run_test(size=(140, 40)) as pilot:
        screen = await settle(pilot)
        assert screen.paper_id == "2402.00001"
        await pilot.press("f")
        options = await chooser(pilot)
        assert options[:2] == [
            '  author:"[red]Evil[/red] Author"  author',
            '  author:"$text-accent"  author',
        ]
        assert "“[bold]Loud[/bold] title [/”" in screen_text(app)
        await pilot.press("enter")
        said = 'Following author:"[red]Evil[/red] Author": 1 paper now, and those still to come.'
        await until(pilot, lambda: said in notices(app), "the follow")
        await until(pilot, lambda: screen.data.marks.is_followed("2402.00001"), "the mark")
