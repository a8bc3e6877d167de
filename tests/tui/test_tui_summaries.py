"""`z`: real fake summarizers named in a real config.yaml. The answer shows in the detail pane
as it streams and is kept; escape sequences and markup arrive as text; a failing program is
one line; Esc stops a hanging one (with its child); no program configured says how to set
one up."""

from __future__ import annotations

import re
from pathlib import Path

from daily_helpers import (
    configure,
    daily_paths,
    daily_template,
    notices,
    severity_of,
    summarizer,
)
from tui_helpers import make_app, running, screen_text, settle, until

from reader.core.paths import DataPaths
from reader.tui.screens.main import MainScreen
from reader.tui.widgets.job_line import JobLine

__all__ = ["daily_paths", "daily_template"]  # fixtures

TITLE = "Denoising Diffusion Probabilistic Models"  # the first paper in the list
KEPT = f"Kept the summary of “{TITLE}”."


def summary_kept(app) -> bool:  # type: ignore[no-untyped-def]
    return any(n.startswith(KEPT) for n in notices(app))


def summary_shown(screen: MainScreen) -> tuple[str, str]:
    """The detail pane's summary heading and text, as shown."""
    detail = screen.detail
    heading = str(detail.query_one("#detail-summary-heading").render())
    return heading, str(detail.query_one("#detail-summary").render())


async def test_z_streams_the_summary_into_the_detail_and_keeps_it(
    daily_paths: DataPaths, tmp_path: Path
) -> None:
    go = tmp_path / "go"
    body = (
        "import os, sys, time\n"
        "prompt = sys.stdin.read()\n"
        "print('First part.', flush=True)\n"
        f"deadline = time.monotonic() + 60\n"
        f"while not os.path.exists({str(go)!r}) and time.monotonic() < deadline:\n"
        "    time.sleep(0.02)\n"
        "title = next(line for line in prompt.splitlines() if line.startswith('Title: '))\n"
        "print('Second part, for', sys.argv[1], 'about', title)\n"
    )
    configure(daily_paths, summarizer(tmp_path, body))
    app = make_app(daily_paths)
    async with app.run_test(size=(140, 40)) as pilot:
        screen = await settle(pilot)
        await pilot.press("z")
        await until(pilot, lambda: summary_shown(screen)[1] == "First part.", "the first part")
        assert summary_shown(screen)[0] == "Summary · being written…"
        line = screen.query_one(JobLine)
        assert str(line.query_one(".job-label").render()) == f"Summarizing “{TITLE}”…"
        assert "job.stop" in {a.binding.id for a in screen.active_bindings.values()}
        go.touch()
        await until(pilot, lambda: summary_kept(app), "the end")
        without = "The prompt had the abstract only: p downloads the PDF, whose text then goes in."
        assert f"{KEPT} {without}" in notices(app)
        heading, text = summary_shown(screen)
        assert heading == "Summary"
        assert text == f"First part.\nSecond part, for 2401.00006 about Title: {TITLE}"
        kept = daily_paths.user_dir / "summaries" / "2401.00006.md"
        assert kept.read_text(encoding="utf-8") == text + "\n"
        await until(pilot, lambda: not screen.query(JobLine), "the bar to go")

        await pilot.press("j")  # another paper: no summary; back: the kept one
        await until(pilot, lambda: summary_shown(screen) == ("", ""), "no summary")
        await pilot.press("k")
        await until(pilot, lambda: summary_shown(screen) == ("Summary", text), "the kept one")


async def test_escapes_and_markup_from_the_summarizer_show_as_text(
    daily_paths: DataPaths, tmp_path: Path
) -> None:
    body = (
        "import sys\nsys.stdin.read()\n"
        r"sys.stdout.write('\x1b[31mred\x1b[0m [bold]x[/bold] [/ $text-accent [link=x]y[/link]"
        r"\x1b]0;evil title\x07 \x1b[2J end\n')"
        "\n"
    )
    configure(daily_paths, summarizer(tmp_path, body))
    app = make_app(daily_paths)
    async with app.run_test(size=(140, 40)) as pilot:
        screen = await settle(pilot)
        await pilot.press("z")
        await until(pilot, lambda: summary_kept(app), "the summary")
        _, text = summary_shown(screen)
        assert "\x1b" not in text and "\x07" not in text
        assert "[bold]x[/bold] [/ $text-accent [link=x]y[/link]" in text
        assert text.startswith("red ") and text.endswith(" end")
        painted = screen_text(app)  # the pane wraps it: each piece on screen as written
        assert all(piece in painted for piece in ("red [bold]x[/bold]", "$text-accent", "[/link]"))
        kept = (daily_paths.user_dir / "summaries" / "2401.00006.md").read_text(encoding="utf-8")
        assert "\x1b" not in kept


async def test_a_failing_summarizer_is_one_line_naming_it_with_its_status(
    daily_paths: DataPaths, tmp_path: Path
) -> None:
    body = (
        "import sys\nsys.stdin.read()\nprint('partial')\n"
        "sys.stderr.write('warming up\\nError: no API key set\\n')\nsys.exit(3)\n"
    )
    configure(daily_paths, summarizer(tmp_path, body))
    app = make_app(daily_paths)
    async with app.run_test(size=(140, 40)) as pilot:
        screen = await settle(pilot)
        await pilot.press("z")
        failed = "failed (exit status 3): Error: no API key set"
        await until(pilot, lambda: any(n.endswith(failed) for n in notices(app)), "the failure")
        (line,) = [n for n in notices(app) if n.endswith(failed)]
        assert line.startswith("the summarizer (") and "summarize.py" in line and "\n" not in line
        assert severity_of(app, failed) == "error"
        await until(pilot, lambda: not screen.query(JobLine), "the bar to go")
        assert summary_shown(screen) == ("", "")
        assert not (daily_paths.user_dir / "summaries" / "2401.00006.md").exists()


async def test_esc_stops_a_hanging_summarizer_and_what_it_started(
    daily_paths: DataPaths, tmp_path: Path
) -> None:
    pids = tmp_path / "pids"
    body = (
        "import os, subprocess, sys, time\n"
        "child = subprocess.Popen([sys.executable, '-c', 'import time; time.sleep(300)'])\n"
        f"open({str(pids)!r}, 'w').write(f'{{os.getpid()}} {{child.pid}}')\n"
        "time.sleep(300)\n"
    )
    configure(daily_paths, summarizer(tmp_path, body))
    app = make_app(daily_paths)
    async with app.run_test(size=(140, 40)) as pilot:
        screen = await settle(pilot)
        await pilot.press("z")
        await until(pilot, lambda: pids.exists() and " " in pids.read_text(), "the program")
        started = [int(pid) for pid in pids.read_text().split()]
        await pilot.press("escape")
        stopped = f"Stopped the summary of “{TITLE}”; nothing was kept."
        await until(pilot, lambda: stopped in notices(app), "the stop")
        await until(pilot, lambda: not any(running(pid) for pid in started), "both to end")
        await until(pilot, lambda: not screen.query(JobLine), "the bar to go")
        assert screen.focused is screen.paper_list


async def test_a_summarizer_past_its_timeout_is_stopped(
    daily_paths: DataPaths, tmp_path: Path
) -> None:
    body = "import sys, time\nsys.stdin.read()\ntime.sleep(300)\n"
    configure(daily_paths, summarizer(tmp_path, body, timeout=1))
    app = make_app(daily_paths)
    async with app.run_test(size=(140, 40)) as pilot:
        await settle(pilot)
        await pilot.press("z")
        pattern = re.compile(r"the summarizer \(.*\) took over 1 s and was stopped")
        await until(pilot, lambda: any(pattern.search(n) for n in notices(app)), "the timeout")


async def test_z_without_a_summarizer_says_how_to_set_one_up(daily_paths: DataPaths) -> None:
    app = make_app(daily_paths)
    async with app.run_test(size=(140, 40)) as pilot:
        screen = await settle(pilot)
        await pilot.press("z")
        config = daily_paths.config_file
        (how,) = [n for n in notices(app) if n.startswith("No summarizer is set up.")]
        assert f"Add one to {config}" in how
        assert 'summarize:\n  command: "llm -m my-model"\n  timeout: 120' in how
        assert not screen.query(JobLine)
