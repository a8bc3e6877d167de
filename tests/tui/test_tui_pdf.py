"""`p`: the paper's PDF from a real local server, a bar under the list while it comes (how
far, when the server says how big it is), then shown by the configured `pdf_viewer`; Esc
stops it; a failure is one line."""

from __future__ import annotations

import threading
from pathlib import Path

from daily_helpers import configure, daily_paths, daily_template, notices, program
from daily_helpers import severity_of as severity
from fake_server import FakeServer, Reply
from tiny_pdf import tiny_pdf
from tui_helpers import make_app, settle, until

from reader.core.paths import DataPaths
from reader.tui.widgets.job_line import JobLine

__all__ = ["daily_paths", "daily_template"]  # fixtures

PDF = {"Content-Type": "application/pdf", "ETag": '"v1"'}
TITLE = "Denoising Diffusion Probabilistic Models"  # the first paper in the list


def viewer(tmp_path: Path) -> tuple[str, Path]:
    """`pdf_viewer:` for a real program that notes the file it is asked to show."""
    log = tmp_path / "shown.txt"
    command = program(
        tmp_path, "viewer", f"import sys\nopen({str(log)!r}, 'a').write(sys.argv[1])\n"
    )
    return f"pdf_viewer: {command + ' {path}'!r}\n", log


async def test_p_downloads_with_a_bar_then_opens_the_pdf(
    daily_paths: DataPaths, pdf_server: FakeServer, tmp_path: Path
) -> None:
    config, log = viewer(tmp_path)
    configure(daily_paths, config)
    body = tiny_pdf(TITLE, size=200_000)
    again = threading.Event()
    # The first answer breaks off after 70 kB (the bar shows how far), the rest comes when
    # the test says so, from where it stopped.
    pdf_server.queue(
        "/pdf/2401.00006",
        Reply(200, body, PDF, drop_after=70_000),
        Reply(200, body, PDF, ranges=True, gate=again),
    )
    app = make_app(daily_paths)
    async with app.run_test(size=(140, 40)) as pilot:
        screen = await settle(pilot)
        await pilot.press("p")
        await until(pilot, lambda: screen.query(JobLine), "the bar")
        line = screen.query_one(JobLine)
        await until(pilot, lambda: line.bar.progress >= 65_536, "the first bytes")
        assert line.bar.total == len(body)
        label = str(line.query_one(".job-label").render())
        assert label.startswith(f"PDF of “{TITLE}”: 0.") and label.endswith(" of 0.2 MB")
        assert str(line.query_one(".job-stop").render()) == "esc stops"
        again.set()
        target = daily_paths.data_dir / "pdfs" / "2401.00006.pdf"
        await until(pilot, lambda: log.exists() and log.read_text() == str(target), "the viewer")
        assert target.read_bytes() == body
        await until(pilot, lambda: not screen.query(JobLine), "the bar to go")
        assert any(n.startswith(f"Opened the PDF of “{TITLE}” with ") for n in notices(app))
        assert pdf_server.seen[-1].headers.get("Range") == "bytes=70000-"
        assert "PDF downloaded" in str(screen.detail.query_one("#detail-daily").render())

        log.unlink()
        await pilot.press("p")  # downloaded: shown at once, nothing fetched
        await until(pilot, lambda: log.exists(), "the viewer again")
        assert len(pdf_server.seen) == 2


async def test_esc_stops_a_download_and_keeps_nothing_in_place(
    daily_paths: DataPaths, pdf_server: FakeServer
) -> None:
    answer = threading.Event()
    pdf_server.queue("/pdf/2401.00006", Reply(200, tiny_pdf(TITLE), PDF, gate=answer))
    app = make_app(daily_paths)
    async with app.run_test(size=(140, 40)) as pilot:
        screen = await settle(pilot)
        await pilot.press("p")
        await until(pilot, lambda: screen.query(JobLine), "the bar")
        await until(pilot, lambda: pdf_server.seen, "the request")
        await pilot.press("escape")
        answer.set()
        stopped = f"Stopped the PDF of “{TITLE}”; p goes on from where it stopped."
        await until(pilot, lambda: stopped in notices(app), "the stop")
        await until(pilot, lambda: not screen.query(JobLine), "the bar to go")
        assert not (daily_paths.data_dir / "pdfs" / "2401.00006.pdf").exists()
        assert screen.focused is screen.paper_list  # Esc stopped the job, it did not go back


async def test_a_failed_download_is_one_line(
    daily_paths: DataPaths, pdf_server: FakeServer
) -> None:
    pdf_server.queue("/pdf/2401.00006", Reply(404, b"no such paper"))
    app = make_app(daily_paths)
    async with app.run_test(size=(140, 40)) as pilot:
        screen = await settle(pilot)
        await pilot.press("p")
        await until(pilot, lambda: any(n.startswith("No PDF: ") for n in notices(app)), "it")
        (line,) = [n for n in notices(app) if n.startswith("No PDF: ")]
        assert "\n" not in line and "404" in line
        assert severity(app, "No PDF: ") == "error"
        await until(pilot, lambda: not screen.query(JobLine), "the bar to go")
        assert not (daily_paths.data_dir / "pdfs" / "2401.00006.pdf").exists()
