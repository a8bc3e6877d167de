"""`R`: every saved feed refreshed in a worker against a real local HTTP server, a progress bar,
one line per failure, a summary with the saved searches' new papers; the app keeps working."""

from __future__ import annotations

import socket
import sys
import threading
import time
from pathlib import Path

from tui_helpers import make_app, settle, until

sys.path.insert(0, str(Path(__file__).parents[1] / "fixtures" / "fetch"))

from fake_server import FakeServer, Reply, daily_papers_page

from reader.core.library.facade import Library
from reader.core.paths import DataPaths
from reader.tui.widgets.fetch_progress import FetchProgress

FEEDS = "feeds:\n  - hf: {date: 2024-03-11}\n  - hf: {date: 2024-03-10}\n"


def write_config(paths: DataPaths, text: str) -> Path:
    paths.config_file.parent.mkdir(parents=True, exist_ok=True)
    paths.config_file.write_text(text, encoding="utf-8")
    return paths.config_file


def new_papers(count: int) -> bytes:
    """A Daily Papers page of papers the sample does not have."""
    return daily_papers_page(
        count,
        lambda n: (
            f"2403.9900{n}",
            f"Grokking modular arithmetic, part {n + 1}",
            f"Delayed generalization in small networks ({n}).",
        ),
    )


def notices(app) -> list[str]:  # type: ignore[no-untyped-def]
    return [notification.message for notification in app._notifications]


def closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


async def test_r_without_feeds_says_how_to_add_one(sample_paths: DataPaths) -> None:
    app = make_app(sample_paths)
    async with app.run_test(size=(140, 40)) as pilot:
        await settle(pilot)
        await pilot.press("R")
        (notice,) = [n for n in notices(app) if n.startswith("No feeds")]
        assert notice.startswith(f"No feeds to refresh. Add some to {sample_paths.config_file}")
        assert "feeds:\n  - hf: {days: 1}\n  - arxiv: {query:" in notice
        assert not app.screen.query(FetchProgress)


async def test_r_refreshes_every_feed_while_the_app_keeps_working(
    sample_paths: DataPaths, server: FakeServer
) -> None:
    write_config(sample_paths, FEEDS + f"fetch:\n  hf_url: {server.url}\n")
    library = Library(sample_paths)
    library.user.add_saved("grokking", "grokking")
    library.user.mark_opened("grokking", library.search_ids("grokking")[0])
    library.close()
    answer = threading.Event()  # the first page comes when the test says so: a slow server
    server.queue("/api/daily_papers", Reply(200, new_papers(2), gate=answer))
    app = make_app(sample_paths)
    async with app.run_test(size=(140, 40)) as pilot:
        screen = await settle(pilot)
        await until(pilot, lambda: "grokking" in screen.saved.counts, "the saved search count")
        assert screen.saved.counts["grokking"].new == 0
        await pilot.press("R")
        await until(pilot, lambda: screen.query(FetchProgress), "the progress bar")
        progress = screen.query_one(FetchProgress)
        await until(
            pilot,
            lambda: (
                str(progress.query_one("#fetch-label").render()) == "Refreshing 1/2: hf 2024-03-11"
            ),
            "the first feed's name",
        )
        assert progress.bar.total == 2 and progress.bar.progress == 0

        await pilot.press("slash", *"teachers", "enter")  # meanwhile, a search
        await until(pilot, lambda: screen.query_text == "teachers", "the search")
        await until(pilot, lambda: not screen.status.busy, "its results")
        assert screen.status.total and screen.query(FetchProgress)  # still fetching
        answer.set()

        summary = "Refreshed 2 feeds: 2 added, 2 updated.\nNew in your saved searches: grokking +2."
        await until(pilot, lambda: summary in notices(app), "the summary")
        await settle(pilot)
        assert not screen.query(FetchProgress)
        assert screen.saved.counts["grokking"].new == 2
        await until(pilot, lambda: screen.saved.counts["All papers"].total == 408, "the counts")
        assert not [n for n in notices(app) if "could not" in n]
        assert [seen.arg("date") for seen in server.seen] == ["2024-03-11", "2024-03-10"]

        await pilot.press("slash", *["backspace"] * 8, *"grokking modular", "enter")
        await until(pilot, lambda: screen.query_text == "grokking modular", "the new papers")
        await settle(pilot)
        assert {screen.paper_list.rows.paper_id(0), screen.paper_list.rows.paper_id(1)} == {
            "2403.99000",
            "2403.99001",
        }


async def test_an_unreachable_server_is_one_line_and_the_library_is_unchanged(
    sample_paths: DataPaths,
) -> None:
    port = closed_port()
    write_config(
        sample_paths,
        "feeds:\n  - hf: {date: 2024-03-11}\n" + f"fetch:\n  hf_url: http://127.0.0.1:{port}\n",
    )
    app = make_app(sample_paths)
    async with app.run_test(size=(140, 40)) as pilot:
        screen = await settle(pilot)
        await pilot.press("R")
        url = f"http://127.0.0.1:{port}/api/daily_papers?date=2024-03-11&limit=100&p=0"
        line = f"could not reach {url}: connection refused; your library is unchanged"
        await until(pilot, lambda: line in notices(app), "the failure line")
        await until(pilot, lambda: not screen.query(FetchProgress), "the bar to go")
        assert not [n for n in notices(app) if n.startswith("Refreshed")]
        error = next(n for n in app._notifications if n.message == line)
        assert error.severity == "error"
        await settle(pilot)
        assert screen.status.total == 406
    library = Library(sample_paths)
    assert library.count() == 406
    library.close()


async def test_a_broken_feed_config_names_file_and_line(sample_paths: DataPaths) -> None:
    config = write_config(sample_paths, "feeds:\n  - hf: {days: 1}\n  - arxiv: {max: 5}\n")
    app = make_app(sample_paths)
    async with app.run_test(size=(140, 40)) as pilot:
        await settle(pilot)
        await pilot.press("R")
        assert f"Cannot refresh: {config}:3:5: arxiv needs a query, a category, or both" in notices(
            app
        )


async def test_r_again_while_refreshing_does_not_start_a_second_run(
    sample_paths: DataPaths, server: FakeServer
) -> None:
    write_config(sample_paths, FEEDS + f"fetch:\n  hf_url: {server.url}\n")
    answer = threading.Event()
    server.queue("/api/daily_papers", Reply(200, new_papers(1), gate=answer))
    app = make_app(sample_paths)
    async with app.run_test(size=(140, 40)) as pilot:
        screen = await settle(pilot)
        await pilot.press("R")
        await until(pilot, lambda: screen.query(FetchProgress), "the progress bar")
        await pilot.press("R")
        assert "The feeds are being refreshed already." in notices(app)
        answer.set()
        await until(pilot, lambda: not screen.query(FetchProgress), "the end of the run")
        assert len(server.seen) == 2  # one request per feed, once


async def test_closing_the_app_stops_a_refresh_in_its_wait(
    sample_paths: DataPaths, server: FakeServer
) -> None:
    feeds = 'feeds:\n  - arxiv: {query: "all:operator", category: cs.LG, max: 50}\n'
    write_config(
        sample_paths,
        feeds + f"fetch:\n  arxiv_url: {server.url}/api/query\n  arxiv_delay: 3\n",
    )
    app = make_app(sample_paths)
    async with app.run_test(size=(140, 40)) as pilot:
        screen = await settle(pilot)
        await pilot.press("R")
        await until(pilot, lambda: len(server.seen) == 1, "the first page")
        await until(
            pilot,
            lambda: screen.query(FetchProgress) and screen.query_one(FetchProgress).bar.progress,
            "the first page imported",
        )
    time.sleep(3.5)  # past arXiv's 3 s: an uninterrupted wait would now ask for page two
    assert len(server.seen) == 1


async def test_a_refresh_goes_on_under_the_similar_papers(
    sample_paths: DataPaths, server: FakeServer
) -> None:
    """One refresh for the whole app: its bar is under whichever list is shown, R there says
    it runs already, and the list of similar papers stays as it is when new papers come."""
    from reader.tui.screens.similar import SimilarScreen

    write_config(sample_paths, FEEDS + f"fetch:\n  hf_url: {server.url}\n")
    answer = threading.Event()
    server.queue("/api/daily_papers", Reply(200, new_papers(2), gate=answer))
    app = make_app(sample_paths)
    async with app.run_test(size=(140, 40)) as pilot:
        screen = await settle(pilot)
        await pilot.press("R")
        await until(pilot, lambda: screen.query(FetchProgress), "the progress bar")
        await pilot.press("S")
        await until(pilot, lambda: isinstance(app.screen, SimilarScreen), "the similar papers")
        similar = app.screen
        await until(pilot, lambda: similar.query(FetchProgress), "its progress bar")
        label = "Refreshing 1/2: hf 2024-03-11"
        for shown in (screen, similar):
            bar = shown.query_one(FetchProgress)
            shows = lambda b=bar: str(b.query_one("#fetch-label").render()) == label  # noqa: E731
            await until(pilot, shows, f"the first feed's name on {shown!r}")
        await pilot.press("R")
        assert "The feeds are being refreshed already." in notices(app)
        listed = [similar.paper_list.rows.paper_id(row) for row in range(similar.paper_list.count)]

        answer.set()
        summary = lambda: any(n.startswith("Refreshed 2 feeds") for n in notices(app))  # noqa: E731
        await until(pilot, summary, "the summary")
        await until(pilot, lambda: not similar.query(FetchProgress), "its bar to go")
        # Each screen takes the refresh's end from its own queue: the one below may come later.
        await until(pilot, lambda: not screen.query(FetchProgress), "the bar below it to go")
        assert listed == [similar.paper_list.rows.paper_id(r) for r in range(len(listed))]
        await until(pilot, lambda: similar.saved.counts["All papers"].total == 408, "its counts")
        await pilot.press("escape")
        await until(pilot, lambda: app.screen is screen, "the main screen")
        await settle(pilot)
        assert screen.status.total == 408  # searched again: the new papers are in the list
