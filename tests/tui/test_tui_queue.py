"""The reading queue in the app: `a` puts a paper on it (or takes it off), the Queue built-in
lists it in queue order, `J`/`K` move a paper, `m` or reading to the end takes it off and
marks it read; with `queue_downloads: true` queueing downloads the PDF in the background."""

from __future__ import annotations

import threading

import yaml
from daily_helpers import (
    NEWEST_FIRST,
    configure,
    daily_paths,
    daily_template,
    notices,
)
from fake_server import FakeServer, Reply
from textual.pilot import Pilot
from tiny_pdf import tiny_pdf
from tui_helpers import make_app, quiet, settle, until

from reader.core.library.facade import Library
from reader.core.paths import DataPaths
from reader.tui.screens.main import MainScreen
from reader.tui.widgets.job_line import JobLine
from reader.tui.widgets.saved_searches import Counts

__all__ = ["daily_paths", "daily_template"]  # fixtures


def queue_file(paths: DataPaths) -> list[str]:
    path = paths.user_dir / "queue.yaml"
    if not path.exists():
        return []
    return yaml.safe_load(path.read_text(encoding="utf-8"))["queue"]


def active(screen: MainScreen) -> set[str]:
    """The binding ids the footer offers now (enabled)."""
    return {a.binding.id or "" for a in screen.active_bindings.values() if a.enabled}


async def open_queue(pilot: Pilot[object], screen: MainScreen) -> None:
    """From the list: Esc to the searches, the Queue (the one before the last), Enter."""
    await pilot.press("escape", "G", "k", "enter")
    await until(pilot, lambda: screen.active_search == "Queue", "the Queue")
    await quiet(pilot, screen)


async def test_a_queues_the_queue_lists_in_order_j_k_move_and_m_finishes(
    daily_paths: DataPaths,
) -> None:
    app = make_app(daily_paths)
    async with app.run_test(size=(140, 40)) as pilot:
        screen = await settle(pilot)
        for n in range(3):
            await pilot.press("a")
            await until(pilot, lambda n=n: len(queue_file(daily_paths)) == n + 1, "the queue")
            if n < 2:
                await pilot.press("j")
        assert queue_file(daily_paths) == NEWEST_FIRST[:3]
        said = "Queued “Denoising Diffusion Probabilistic Models” (#1)."
        assert said in notices(app)
        await until(pilot, lambda: screen.saved.counts.get("Queue") == Counts(3), "its count")
        assert not {"queue.later", "queue.sooner"} & active(screen)  # J and K: in the Queue

        await open_queue(pilot, screen)
        assert list(screen.paper_list.rows.ids) == NEWEST_FIRST[:3]
        assert "sorted by queue order" in str(screen.status.render())
        assert screen.paper_id == NEWEST_FIRST[2]  # still on the paper it was on
        assert {"queue.later", "queue.sooner"} <= active(screen)
        assert "queue #3 of 3" in str(screen.detail.query_one("#detail-daily").render())

        mine = NEWEST_FIRST[2]
        await pilot.press("K")
        await until(pilot, lambda: queue_file(daily_paths)[1] == mine, "one place sooner")
        await quiet(pilot, screen)
        assert list(screen.paper_list.rows.ids) == queue_file(daily_paths)
        assert screen.paper_id == mine  # the cursor goes with it
        await pilot.press("K", "K")  # to the top, and no further
        await until(pilot, lambda: queue_file(daily_paths)[0] == mine, "first")
        await quiet(pilot, screen)
        assert screen.paper_id == mine and screen.paper_list.cursor == 0
        await pilot.press("J")
        await until(pilot, lambda: queue_file(daily_paths)[1] == mine, "one place later")
        await quiet(pilot, screen)
        assert list(screen.paper_list.rows.ids) == [NEWEST_FIRST[0], mine, NEWEST_FIRST[1]]

        await pilot.press("m")  # read: off the queue, marked read
        await until(pilot, lambda: mine not in queue_file(daily_paths), "off the queue")
        await quiet(pilot, screen)
        assert screen.data.user.is_read(mine)
        assert list(screen.paper_list.rows.ids) == [NEWEST_FIRST[0], NEWEST_FIRST[1]]
        assert screen.paper_id == NEWEST_FIRST[1]  # its neighbour took its row
        said = "Read “Efficiently Modeling Long Sequences with Structured State Spaces”: off the"
        assert any(n.startswith(said) for n in notices(app))
        await until(pilot, lambda: screen.saved.counts.get("Queue") == Counts(2), "its count")

        await pilot.press("a")  # a queued paper: a takes it off
        await until(pilot, lambda: NEWEST_FIRST[1] not in queue_file(daily_paths), "off")
        assert "Off the queue: “A Survey of Large Language Models”." in notices(app)
        assert not screen.data.user.is_read(NEWEST_FIRST[1])


async def test_reading_a_queued_paper_to_the_end_takes_it_off_the_queue(
    daily_paths: DataPaths,
) -> None:
    library = Library(daily_paths)
    library.reading.enqueue(["2401.00003", "2401.00004"])
    library.user.set_note("2401.00003", "\n\n".join(f"Line {n} of a long note." for n in range(80)))
    library.close()
    app = make_app(daily_paths)
    async with app.run_test(size=(140, 40)) as pilot:
        screen = await settle(pilot)
        await open_queue(pilot, screen)
        await pilot.press("g", "enter")  # the first queued paper, in the detail pane
        await until(pilot, lambda: screen.focused is screen.detail, "the detail")
        await until(pilot, lambda: screen.detail.max_scroll_y > 0, "the long note laid out")
        await pilot.press("space", "space")  # reading: not at the end yet
        await quiet(pilot, screen)
        assert queue_file(daily_paths) == ["2401.00003", "2401.00004"]
        await pilot.press("end")  # to the end
        await until(pilot, lambda: screen.detail.scroll_y >= screen.detail.max_scroll_y, "end")
        assert queue_file(daily_paths) == ["2401.00003", "2401.00004"]
        await pilot.press("space")  # and on: read to the end
        await until(pilot, lambda: queue_file(daily_paths) == ["2401.00004"], "off the queue")
        await quiet(pilot, screen)
        assert screen.data.user.is_read("2401.00003")


async def test_queue_downloads_fetches_the_pdf_in_the_background(
    daily_paths: DataPaths, pdf_server: FakeServer
) -> None:
    configure(daily_paths, "queue_downloads: true\n")
    answer = threading.Event()  # the PDF comes when the test says so: a slow server
    pdf = tiny_pdf("Denoising Diffusion Probabilistic Models")
    pdf_server.queue(
        "/pdf/2401.00006", Reply(200, pdf, {"Content-Type": "application/pdf"}, gate=answer)
    )
    app = make_app(daily_paths)
    async with app.run_test(size=(140, 40)) as pilot:
        screen = await settle(pilot)
        await pilot.press("a")
        await until(pilot, lambda: screen.query(JobLine), "the download's bar")
        await pilot.press("slash", *"survey", "enter")  # meanwhile, the app works
        await until(pilot, lambda: screen.query_text == "survey", "the search")
        await until(pilot, lambda: screen.status.total == 2, "its results")
        assert screen.query(JobLine)
        answer.set()
        done = "Downloaded the PDF of “Denoising Diffusion Probabilistic Models” (0.0 MB)."
        await until(pilot, lambda: done in notices(app), "the download")
        await until(pilot, lambda: not screen.query(JobLine), "the bar to go")
        assert (daily_paths.data_dir / "pdfs" / "2401.00006.pdf").read_bytes() == pdf
        assert queue_file(daily_paths) == ["2401.00006"]
