"""For you in the app: the first of the searches, ranked by the recommender in a worker, each
paper's reason in the detail; `x` says a paper is not for the user (it leaves For you at once
and for good, `X` takes it back); with no signals a one-line notice and the newest first; new
papers fetched with `R` are ranked into it while it shows."""

from __future__ import annotations

import sys
import threading
from pathlib import Path

import yaml
from textual.pilot import Pilot
from tui_helpers import make_app, quiet, run_command, screen_text, settle, until

sys.path.insert(0, str(Path(__file__).parents[1] / "fixtures" / "fetch"))

from fake_server import FakeServer, Reply, daily_papers_page

from reader.core.library.facade import Library
from reader.core.paths import DataPaths
from reader.tui.screens.help import HelpScreen, help_rows
from reader.tui.screens.main import MainScreen
from reader.tui.textspans import one_line
from reader.tui.widgets.paper_detail import PaperDetail
from reader.tui.widgets.saved_searches import FOR_YOU

LIMIT = 100  # the app lists For you's best hundred


def keep_a_topic(paths: DataPaths, query: str = "diffusion", count: int = 3) -> list[str]:
    """Bookmark the first papers a search finds, as a user who reads about one thing."""
    library = Library(paths)
    kept = list(library.search_ids(query)[0][:count])
    for paper_id in kept:
        library.user.set_bookmark(paper_id, True)
    library.close()
    return kept


def ranked(paths: DataPaths) -> list[tuple[str, str]]:
    """(id, reason) of For you as `reader foryou` ranks it now."""
    library = Library(paths)
    try:
        return [(hit.id, hit.reason) for hit in library.for_you(LIMIT).results]
    finally:
        library.close()


def listed(screen: MainScreen) -> list[str]:
    return list(screen.paper_list.rows.ids)


def dismissed_file(paths: DataPaths) -> set[str]:
    path = paths.user_dir / "dismissed.yaml"
    if not path.exists():
        return set()
    return set(yaml.safe_load(path.read_text(encoding="utf-8"))["dismissed"] or ())


def notices(app) -> list[str]:  # type: ignore[no-untyped-def]
    return [notification.message for notification in app._notifications]


def reason_shown(screen: MainScreen) -> str:
    return str(screen.detail.query_one("#detail-reason").render())


async def open_for_you(pilot: Pilot[object], screen: MainScreen) -> None:
    """From the list: Esc to the searches, the first one, Enter."""
    await pilot.press("escape", "g", "enter")
    await until(pilot, lambda: screen.active_search == FOR_YOU.name, "For you")
    await quiet(pilot, screen)


async def test_for_you_is_the_first_search_and_lists_the_ranking_with_reasons(
    sample_paths: DataPaths,
) -> None:
    kept = keep_a_topic(sample_paths)
    expected = ranked(sample_paths)
    app = make_app(sample_paths)
    async with app.run_test(size=(140, 40)) as pilot:
        screen = await settle(pilot)
        assert screen.saved.entries[0] == FOR_YOU
        side = screen_text(app).splitlines()
        assert "For you" in side[2] and "All papers" in side[3]  # under the pane's border
        assert screen.active_search == "All papers"  # the app still opens on All papers

        await open_for_you(pilot, screen)
        assert listed(screen) == [paper_id for paper_id, _ in expected]
        assert not set(kept) & set(listed(screen))  # what the user kept is known already
        assert screen.saved.counts["For you"].total == len(expected)
        assert "sorted by what you keep" in str(screen.status.render())
        assert screen.search_bar.hint == "Ranked by what you keep · x: not for me"

        first_id, first_reason = expected[0]
        assert first_reason.startswith("like 3 papers you bookmarked: ")
        assert screen.paper_id == first_id
        assert reason_shown(screen) == f"For you {one_line(first_reason)}"
        await pilot.press("j")
        await quiet(pilot, screen)
        assert reason_shown(screen) == f"For you {one_line(expected[1][1])}"

        await pilot.press("escape", "j", "enter")  # All papers: no reason there
        await until(pilot, lambda: screen.active_search == "All papers", "All papers")
        await quiet(pilot, screen)
        assert not screen.detail.query_one("#detail-reason").display


async def test_x_takes_a_paper_out_of_for_you_for_good_and_x_takes_it_back(
    sample_paths: DataPaths,
) -> None:
    keep_a_topic(sample_paths)
    app = make_app(sample_paths)
    async with app.run_test(size=(140, 40)) as pilot:
        screen = await settle(pilot)
        await open_for_you(pilot, screen)
        before = listed(screen)
        await pilot.press("j")
        await quiet(pilot, screen)
        gone = screen.paper_id
        assert gone == before[1]
        await pilot.press("x")
        # At once, before the save: the row left, its neighbour took its place.
        assert gone not in listed(screen) and len(listed(screen)) == len(before) - 1
        assert screen.paper_list.cursor == 1
        await quiet(pilot, screen)
        assert screen.paper_id == before[2]
        assert dismissed_file(sample_paths) == {gone}
        title = one_line(Library(sample_paths).get(gone).title)  # type: ignore[union-attr]
        said = f"Not for me: “{title}”. For you leaves it out and learns; X takes it back."
        assert said in notices(app)
        assert screen.saved.counts["For you"].total == len(before) - 1

        await pilot.press("X")  # taken back: ranked in again, the cursor on it
        await until(pilot, lambda: not dismissed_file(sample_paths), "the file")
        await until(pilot, lambda: gone in listed(screen), "the paper back in For you")
        await quiet(pilot, screen)
        assert screen.paper_id == gone
        assert f"Taken back: “{title}” is for you again." in notices(app)

        await pilot.press("x")
        await until(pilot, lambda: dismissed_file(sample_paths) == {gone}, "the file")
        await quiet(pilot, screen)

    app = make_app(sample_paths)  # the next day: it never comes back
    async with app.run_test(size=(140, 40)) as pilot:
        screen = await settle(pilot)
        await open_for_you(pilot, screen)
        assert gone not in listed(screen)
        assert listed(screen) == [paper_id for paper_id, _ in ranked(sample_paths)]
        await pilot.press("X")  # nothing dismissed in this session: nothing to take back
        assert dismissed_file(sample_paths) == {gone}


async def test_the_keys_follow_the_keymap_in_the_help_the_palette_and_what_is_said(
    sample_paths: DataPaths,
) -> None:
    keep_a_topic(sample_paths)
    app = make_app(sample_paths, keymap={"not_for_me": "-", "not_for_me.undo": "u"})
    async with app.run_test(size=(140, 40)) as pilot:
        screen = await settle(pilot)
        await open_for_you(pilot, screen)
        assert screen.search_bar.hint == "Ranked by what you keep · -: not for me"
        gone = screen.paper_id
        await pilot.press("x")  # not the key any more
        assert gone in listed(screen)
        await pilot.press("minus")
        assert gone not in listed(screen)
        await until(pilot, lambda: dismissed_file(sample_paths) == {gone}, "the file")
        assert any(n.endswith("; u takes it back.") for n in notices(app))

        await pilot.press("question_mark")
        await until(pilot, lambda: isinstance(app.screen, HelpScreen), "the help")
        shown = app.screen
        assert isinstance(shown, HelpScreen)
        rows = {row.binding_id: row for row in help_rows(app, shown.places(), shown.keymap)}
        assert (rows["not_for_me"].keys, rows["not_for_me"].description) == (["-"], "Not for me")
        assert rows["not_for_me.undo"].keys == ["u"]
        await pilot.press("escape")

        await run_command(pilot, "Take back the last")  # the palette: the tooltip, its key
        await until(pilot, lambda: gone in listed(screen), "the paper back")
        await until(pilot, lambda: not dismissed_file(sample_paths), "the file")
        await quiet(pilot, screen)
        assert not screen.session.not_for_me.undoable


async def test_x_on_any_list_marks_the_paper_and_x_again_takes_it_back(
    sample_paths: DataPaths,
) -> None:
    """Outside For you the paper stays listed, marked, as `reader dismiss ID` leaves it; x on
    it again is `reader dismiss ID --undo`."""
    app = make_app(sample_paths)
    async with app.run_test(size=(140, 40)) as pilot:
        screen = await settle(pilot)
        paper_id, total = screen.paper_id, screen.status.total
        state = screen.detail.query_one("#detail-state")
        await pilot.press("x")
        await until(pilot, lambda: "✗ not for me" in str(state.render()), "the mark")
        assert dismissed_file(sample_paths) == {paper_id}
        assert screen.paper_id == paper_id and screen.status.total == total
        await pilot.press("x")
        await until(pilot, lambda: "✗ not for me" not in str(state.render()), "no mark")
        assert dismissed_file(sample_paths) == set()

        await pilot.press("slash", "x")  # in the search bar x is a letter
        assert screen.search_bar.value == "x"
        assert dismissed_file(sample_paths) == set()


async def test_with_no_signals_a_one_line_notice_and_the_newest_first(
    sample_paths: DataPaths,
) -> None:
    expected = ranked(sample_paths)
    app = make_app(sample_paths)
    async with app.run_test(size=(140, 40)) as pilot:
        screen = await settle(pilot)
        await open_for_you(pilot, screen)
        said = "No signals yet: newest first. Bookmark (b) what you like."
        assert screen.search_bar.hint == said
        assert said in screen_text(app)  # whole, on the bar's one line of hint
        assert listed(screen) == [paper_id for paper_id, _ in expected]
        assert "sorted by date (nothing to learn from yet)" in str(screen.status.render())
        assert reason_shown(screen) == f"For you {expected[0][1]}"

        await pilot.press("b")  # a first signal: For you learns once it is opened again
        await quiet(pilot, screen)
        await pilot.press("escape", "g", "enter")
        await until(pilot, lambda: "Ranked by" in screen.search_bar.hint, "the ranking")


async def test_ranking_waits_in_a_worker_while_the_keys_go_on(sample_paths: DataPaths) -> None:
    """For you ranked while the library is busy (a million papers, a big import): the keys
    are answered meanwhile, and the list comes when the ranking is done."""
    keep_a_topic(sample_paths)
    app = make_app(sample_paths)
    async with app.run_test(size=(140, 40)) as pilot:
        screen = await settle(pilot)
        held, release = threading.Event(), threading.Event()

        def busy() -> None:
            with screen.data.lock:
                held.set()
                release.wait(60)

        holder = threading.Thread(target=busy)
        holder.start()
        try:
            held.wait(10)
            await pilot.press("escape", "g", "enter")
            await until(pilot, lambda: screen.status.busy, "the ranking to start")
            await pilot.press("question_mark")  # the app answers keys meanwhile
            await until(pilot, lambda: type(app.screen).__name__ == "HelpScreen", "the help")
            await pilot.press("escape")
            assert screen.status.busy
        finally:
            release.set()
            holder.join(10)
        await quiet(pilot, screen)
        assert listed(screen) == [paper_id for paper_id, _ in ranked(sample_paths)]


# -- new papers fetched while For you shows ---------------------------------------------------


def diffusion_page(count: int) -> bytes:
    """A Daily Papers page of new papers on the topic the user keeps."""
    return daily_papers_page(
        count,
        lambda n: (
            f"2403.9910{n}",
            f"Guided diffusion models for image super-resolution {n}",
            "We study denoising diffusion models and score-based generative models: guided "
            f"sampling, pruning the diffusion network, and image super-resolution ({n}).",
        ),
    )


async def test_papers_fetched_with_r_are_ranked_into_for_you_while_it_shows(
    sample_paths: DataPaths, server: FakeServer
) -> None:
    keep_a_topic(sample_paths)
    sample_paths.config_file.parent.mkdir(parents=True, exist_ok=True)
    sample_paths.config_file.write_text(
        f"feeds:\n  - hf: {{date: 2024-03-11}}\nfetch:\n  hf_url: {server.url}\n",
        encoding="utf-8",
    )
    server.queue("/api/daily_papers", Reply(200, diffusion_page(2)))
    app = make_app(sample_paths)
    async with app.run_test(size=(140, 40)) as pilot:
        screen = await settle(pilot)
        await open_for_you(pilot, screen)
        first = screen.paper_id
        assert "2403.99100" not in listed(screen)

        await pilot.press("R")
        summary = lambda: any(n.startswith("Refreshed 1 feed") for n in notices(app))  # noqa: E731
        await until(pilot, summary, "the refresh")
        await until(pilot, lambda: "2403.99100" in listed(screen), "the new papers ranked in")
        await quiet(pilot, screen)
        assert screen.active_search == FOR_YOU.name
        top = listed(screen)[:5]
        assert {"2403.99100", "2403.99101"} <= set(top), top  # the topic's new papers lead
        assert screen.paper_id == first  # the cursor stays on the paper it was on
        assert listed(screen) == [paper_id for paper_id, _ in ranked(sample_paths)]
        assert isinstance(screen.detail, PaperDetail)
