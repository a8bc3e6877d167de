"""The reading queue, PDFs and summaries through the Library, as the app will call them: real
files, a real local pdf_server, real fake summarizers named in a real config file."""

from __future__ import annotations

import shlex
import sys
import threading
import time
from pathlib import Path

import pytest
from daily_library import fill
from fake_server import FakeServer, Reply
from tiny_pdf import tiny_pdf

from reader.core.library.facade import Library
from reader.core.paths import DataPaths
from reader.core.tools import ToolCancelled, ToolError


@pytest.fixture
def daily(library: Library) -> Library:
    return fill(library)


def configure(paths: DataPaths, text: str) -> None:
    paths.config_file.parent.mkdir(parents=True, exist_ok=True)
    paths.config_file.write_text(text, encoding="utf-8")


def summarizer(tmp_path: Path, body: str, timeout: float = 20) -> str:
    script = tmp_path / "summarize.py"
    script.write_text(body, encoding="utf-8")
    command = shlex.join([sys.executable, str(script), "--paper", "{id}", "{title}"])
    return f"summarize:\n  command: {command!r}\n  timeout: {timeout}\n"


ECHO = (
    "import sys\n"
    "prompt = sys.stdin.read()\n"
    "print('ARGS', sys.argv[1:])\n"
    "print('\\x1b[1mBold claim\\x1b[0m: it works.')\n"
    "print('PROMPT', prompt)\n"
)


def test_the_queue_from_adding_to_reading_to_the_end(daily: Library) -> None:
    reading = daily.reading
    assert reading.enqueue(["2401.00003", "2401.00001"]) == ["2401.00003", "2401.00001"]
    assert reading.enqueue(["2401.00006"], first=True) == ["2401.00006"]
    with pytest.raises(ValueError, match="unknown paper: nope"):
        reading.enqueue(["2401.00002", "nope"])  # nothing queued when one id is wrong
    assert reading.queue_ids() == ["2401.00006", "2401.00003", "2401.00001"]

    assert reading.move("2401.00001", -1) == 1  # K
    [first, second, third] = reading.queue()
    assert (first.position, first.id, first.paper.title) == (1, "2401.00006", first.paper.title)
    assert second.id == "2401.00001" and third.pdf is None
    assert first.to_dict()["title"] == "Denoising Diffusion Probabilistic Models"
    assert reading.next_paper().id == "2401.00006"

    assert reading.finish("2401.00006") is True  # `m`, or read to the end
    assert daily.user.is_read("2401.00006") and reading.queue_ids() == ["2401.00001", "2401.00003"]
    assert reading.dequeue(["2401.00003"]) == ["2401.00003"]


def test_a_summary_streams_is_kept_and_is_searchable(
    daily: Library, paths: DataPaths, tmp_path: Path
) -> None:
    configure(paths, summarizer(tmp_path, ECHO))
    pieces: list[str] = []

    summary = daily.reading.summarize("2401.00003", on_text=pieces.append)

    title = "Mamba: Linear-Time Sequence Modeling with Selective State Spaces"
    assert f"ARGS ['--paper', '2401.00003', {title!r}]" in summary.text
    assert "Bold claim: it works." in summary.text and "\x1b" not in summary.text
    assert "Title: " + title in summary.text and "Authors: Albert Gu, Tri Dao" in summary.text
    assert "".join(pieces).strip() == summary.text.strip()
    assert summary.path == paths.user_dir / "summaries" / "2401.00003.md"
    assert summary.path.read_text(encoding="utf-8") == summary.text
    assert summary.pdf_tool is None and "not downloaded" in (summary.pdf_note or "")
    assert daily.reading.summary("2401.00003") == summary.text
    found = daily.search("summary:claim", limit=5)
    assert [hit.id for hit in found.results] == ["2401.00003"]
    assert daily.count_matching("claim") == 0  # a summary is searched only as summary:
    daily.rebuild_index()  # the summary is the user's data: a rebuild keeps it searchable
    assert daily.count_matching("summary:claim") == 1


def test_the_pdfs_text_goes_into_the_prompt_when_it_is_downloaded(
    daily: Library, paths: DataPaths, tmp_path: Path
) -> None:
    configure(paths, summarizer(tmp_path, ECHO))
    pdf = daily.reading.pdf_path("2401.00003")
    pdf.parent.mkdir(parents=True)
    pdf.write_bytes(tiny_pdf("Section 4 shows selective scans"))

    summary = daily.reading.summarize("2401.00003")

    assert summary.pdf_tool in ("pdftotext", "pypdf")
    assert "Full text (extracted from the PDF" in summary.text
    assert "Section 4 shows selective scans" in summary.text


def test_a_failing_summarizer_is_one_line_and_keeps_nothing(
    daily: Library, paths: DataPaths, tmp_path: Path
) -> None:
    body = "import sys\nsys.stdin.read()\nsys.stderr.write('quota exceeded\\n')\nsys.exit(2)\n"
    configure(paths, summarizer(tmp_path, body))

    with pytest.raises(ToolError) as caught:
        daily.reading.summarize("2401.00001")

    assert "failed (exit status 2): quota exceeded" in str(caught.value)
    assert str(caught.value).startswith("the summarizer (")
    assert daily.reading.summary("2401.00001") == ""


def test_a_hanging_summarizer_times_out_and_a_cancel_stops_it(
    daily: Library, paths: DataPaths, tmp_path: Path
) -> None:
    configure(paths, summarizer(tmp_path, "import time\ntime.sleep(300)\n", timeout=1))
    with pytest.raises(ToolError, match="took over 1 s"):
        daily.reading.summarize("2401.00001")

    cancel = threading.Event()
    cancel.set()  # Esc pressed
    with pytest.raises(ToolCancelled):
        daily.reading.summarize("2401.00001", cancel=cancel)


def test_no_summarizer_configured_says_how_to_set_one_up(daily: Library) -> None:
    with pytest.raises(ValueError, match=r"summarize: \{command: \"llm -m my-model\"\}"):
        daily.reading.summarize("2401.00001")


def test_a_pdf_downloads_once_and_opens_in_the_configured_viewer(
    daily: Library, paths: DataPaths, pdf_server: FakeServer, tmp_path: Path
) -> None:
    body = tiny_pdf("hello")
    pdf_server.serve("/pdf/2401.00001", Reply(200, body))
    seen = tmp_path / "opened"
    viewer = tmp_path / "viewer.py"
    viewer.write_text(f"import sys\nopen({str(seen)!r}, 'w').write(sys.argv[1])\n")
    configure(paths, f"pdf_viewer: {shlex.join([sys.executable, str(viewer), '{path}'])!r}\n")

    got = daily.reading.download_pdf("2401.00001")
    again = daily.reading.download_pdf("2401.00001")

    assert got.path == paths.data_dir / "pdfs" / "2401.00001.pdf" and not got.already
    assert again.already and len(pdf_server.seen) == 1
    assert daily.reading.queue() == [] and daily.reading.pdf_if_any("2401.00001") == got.path
    daily.reading.open_pdf("2401.00001")
    deadline = time.monotonic() + 10
    while not seen.exists() and time.monotonic() < deadline:  # the viewer runs on its own
        time.sleep(0.02)
    assert seen.read_text() == str(got.path)


def test_a_paper_without_a_pdf_link_says_so(daily: Library, paths: DataPaths) -> None:
    from reader.core.model import Record

    daily.import_items([Record(title="A paper known by title only", abstract="x")])
    pid = daily.search("title only", limit=1).results[0].id
    with pytest.raises(ValueError, match="no PDF is known"):
        daily.reading.download_pdf(pid)
    with pytest.raises(ValueError, match="not downloaded"):
        daily.reading.open_pdf(pid)
